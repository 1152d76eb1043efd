// Bundles the CLI into one ESM file (dist/bpx.mjs) that the wrapped buildpack ships instead of node_modules.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';

const root = new URL('..', import.meta.url).pathname;
mkdirSync(`${root}dist`, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(): give the ESM bundle a require.
  // bpx fleet's database drivers (a native module, and pg) load from node_modules when a fleet command runs; they never
  // enter the bundle, so the wrapper's runtime (which ships the bundle without node_modules) cannot reach them.
  external: ['better-sqlite3', 'pg', 'pg-native'],
  banner: { js: "import{createRequire as __bpxCreateRequire}from'node:module';const require=__bpxCreateRequire(import.meta.url);" },
};
const result = await build({ ...common, entryPoints: [`${root}src/cli/bin.ts`], outfile: `${root}dist/bpx.mjs` });
// The runtime the wrapper's shims start: a small entry for `bpx phase` whose extension code (built-ins, HTTP,
// capture, execa) sits in chunks loaded only when an extension needs them, so a phase costs little more than Node's start.
await rm(`${root}dist/phase`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'bpx-phase': `${root}src/cli/phase-bin.ts` },
  outdir: `${root}dist/phase`,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  metafile: false,
});
// The library API (compareVersions, matchComponents, ...) for `import ... from 'bpx'`.
if (existsSync(`${root}src/lib.ts`)) {
  await build({ ...common, entryPoints: [`${root}src/lib.ts`], outfile: `${root}dist/lib.js`, minify: false, metafile: false });
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
if (!process.argv.includes('--quiet')) console.log(`dist/bpx.mjs: ${(bytes / 1024).toFixed(0)} KiB`);
