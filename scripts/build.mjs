// Bundles the CLI into one ESM file (dist/bpx.mjs) that the wrapped buildpack ships instead of node_modules.
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';

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
// The CLI: a small entry (dist/bpx.mjs) and chunks (dist/cli/) that each command loads on demand, so `bpx --help` or
// `bpx sbom` compiles only its own code. Their licence notices go to one file beside the entry.
const result = await build({
  ...common,
  entryPoints: { bpx: `${root}src/cli/bin.ts` },
  outdir: `${root}dist`,
  splitting: true,
  chunkNames: 'cli/chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  legalComments: 'external',
});
await joinLegal(Object.keys(result.metafile.outputs), `${root}dist/bpx.mjs.LEGAL.txt`);
await dropStaleChunks(`${root}dist/cli`, Object.keys(result.metafile.outputs));
// The runtime the wrapper's shims start, built twice (src/wrap/runtime-layout.ts says which phase starts which):
// - an ES module entry whose extension code sits in chunks loaded only when an extension needs them;
// - the same code as one CommonJS file (each import() a deferred initialiser), compiled by a small boot file with the
//   V8 code cache that bpx wrap writes for the Node it ships (src/cli/phase-boot.cts): CommonJS because Node 20 can
//   hand V8 a code cache only for a script, an ES module is parsed and compiled anew at every phase.
await rm(`${root}dist/phase`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'bpx-phase': `${root}src/cli/phase-esm.ts` },
  outdir: `${root}dist/phase`,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  metafile: false,
});
const { banner: _esmBanner, ...cjs } = common;
// The CommonJS build is written inside the function that phase-boot.cts calls with (exports, require, module, ...), so
// the boot hands V8 the file's text as it is (no second copy of a 1 MB string to wrap it), read as Latin-1: esbuild
// writes ASCII only (its default charset), which is checked here, so that reading is exact and costs no UTF-8 decoding.
await build({
  ...cjs,
  format: 'cjs',
  entryPoints: [`${root}src/cli/phase-bin.ts`],
  outfile: `${root}dist/phase/bpx-phase.cjs`,
  supported: { 'dynamic-import': false },
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '})' },
  legalComments: 'none',
  metafile: false,
});
const phaseBundle = await readFile(`${root}dist/phase/bpx-phase.cjs`);
const nonAscii = phaseBundle.findIndex((b) => b > 0x7f);
if (nonAscii >= 0)
  throw new Error(`dist/phase/bpx-phase.cjs: a byte outside ASCII at offset ${nonAscii} (phase-boot.cts reads it as Latin-1)`);
await build({
  ...cjs,
  format: 'cjs',
  entryPoints: [`${root}src/cli/phase-boot.cts`],
  outfile: `${root}dist/phase/boot.cjs`,
  minify: false,
  legalComments: 'none',
  metafile: false,
});
// The library API (compareVersions, matchComponents, ...) for `import ... from 'bpx'`.
if (existsSync(`${root}src/lib.ts`)) {
  await build({ ...common, entryPoints: [`${root}src/lib.ts`], outfile: `${root}dist/lib.js`, minify: false, metafile: false });
}
const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.mjs'));
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
const entry = outputs.find(([f]) => f.endsWith('dist/bpx.mjs'))?.[1].bytes ?? 0;
if (!process.argv.includes('--quiet'))
  console.log(
    `dist/bpx.mjs: ${(entry / 1024).toFixed(1)} KiB entry, ${outputs.length - 1} chunks in dist/cli, ${(bytes / 1024).toFixed(0)} KiB in all`,
  );

/** The `.LEGAL.txt` esbuild writes beside each output, joined into one file (each package's notice once). */
async function joinLegal(outputs, to) {
  const head = 'Bundled license information:';
  const seen = new Set();
  for (const f of outputs.filter((o) => o.endsWith('.LEGAL.txt')).sort()) {
    const abs = resolve(f);
    // "<package>/<file>:\n  /*! notice */" blocks, one blank line apart
    for (const block of (await readFile(abs, 'utf8')).replace(head, '').split(/\n\s*\n(?=\S)/)) if (block.trim()) seen.add(block.trim());
    if (abs !== to) await rm(abs);
  }
  await writeFile(to, seen.size ? `${head}\n\n${[...seen].join('\n\n')}\n` : '');
}

/**
 * Chunks of earlier builds (names are content hashes, so a new build only adds files). A bpx started before this
 * build (a test run beside it) may still load them, so only those an hour old go; bpx wrap ships only the chunks the
 * entry reaches.
 */
async function dropStaleChunks(dir, outputs) {
  const current = new Set(outputs.map((o) => resolve(o)));
  for (const name of await readdir(dir)) {
    const file = resolve(dir, name);
    if (!current.has(file) && Date.now() - (await stat(file)).mtimeMs > 60 * 60_000) await rm(file, { force: true });
  }
}
