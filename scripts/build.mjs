// Bundles the CLI into a small CommonJS entry (dist/bpx.cjs) and ES module chunks that the wrapped buildpack ships instead
// of node_modules, the phase runtime, and the library.
import { build, transform } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
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
  // src/model/deferred-libs.cts: libraries required where first called; src/cli/main.ts: the version, so that
  // `bpx --version` reads no file but the entry
  define: { BPX_BUNDLED: 'true', BPX_VERSION: JSON.stringify(JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version) },
  // Some dependencies are CommonJS and call require(): give the ESM bundle a require.
  // bpx fleet's database drivers (a native module, and pg) load from node_modules when a fleet command runs; they never
  // enter the bundle, so the wrapper's runtime (which ships the bundle without node_modules) cannot reach them.
  external: ['better-sqlite3', 'pg', 'pg-native'],
  banner: { js: "import{createRequire as __bpxCreateRequire}from'node:module';const require=__bpxCreateRequire(import.meta.url);" },
};
// The CLI: a small entry (dist/bpx.cjs) and chunks (dist/cli/) that each command loads on demand, so `bpx --help` or
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
await joinLegal(Object.keys(result.metafile.outputs), `${root}dist/bpx.cjs.LEGAL.txt`);
await dropHelperImports(result.metafile.outputs);
await cliEntryAsCommonJs(`${root}dist/bpx.mjs`, `${root}dist/bpx.cjs`);
await dropStaleChunks(`${root}dist/cli`, Object.keys(result.metafile.outputs));
// The runtime the wrapper's shims start: the boot file (src/cli/phase-boot.cts) and the CommonJS scripts it loads, an
// entry (bpx-phase.cjs) and chunks, each loaded only when a phase needs its code and compiled with the V8 code cache bpx
// wrap writes for it. They are made as ES modules (esbuild splits code only into those), then each is turned into a
// CommonJS script: Node 20 hands V8 a code cache only for a script, an ES module is parsed and compiled anew at every
// phase. Each is written inside the function the boot calls it with (exports, require, module, ...), in ASCII, so that
// the boot compiles the file's text as it is.
await rm(`${root}dist/phase`, { recursive: true, force: true });
mkdirSync(`${root}dist/phase`);
// (without the CLI's banner: the require a bundled CommonJS dependency calls is the one the boot passes in)
const { banner: _esmBanner, ...cjs } = common;
const phase = await build({
  ...cjs,
  entryPoints: { 'bpx-phase': `${root}src/cli/phase-bin.ts` },
  outdir: `${root}dist/phase`,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  metafile: false,
  write: false,
});
for (const f of phase.outputFiles) await writeFile(f.path.replace(/\.mjs$/, '.cjs'), await commonJsTwin(f.path, f.text));
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
const entry = (await stat(`${root}dist/bpx.cjs`)).size;
if (!process.argv.includes('--quiet'))
  console.log(
    `dist/bpx.cjs: ${(entry / 1024).toFixed(1)} KiB entry, ${outputs.length - 1} chunks in dist/cli, ${(bytes / 1024).toFixed(0)} KiB in all`,
  );

/**
 * esbuild puts its own helpers (__require, __commonJS, __toESM) in a chunk of their own, with no module of bpx in it,
 * and every output imports that chunk for side effects it does not have (evanw/esbuild#1892): one more module to
 * read, compile and link at every start, `bpx --help` included. Those bare imports are dropped; an output that uses a
 * helper imports it by name, and keeps that import.
 */
async function dropHelperImports(outputs) {
  const helpers = Object.entries(outputs)
    .filter(([f, o]) => f.endsWith('.mjs') && Object.keys(o.inputs).length === 0 && o.imports.length === 0)
    .map(([f]) => basename(f));
  if (!helpers.length) return;
  for (const f of Object.keys(outputs).filter((o) => o.endsWith('.mjs'))) {
    const abs = resolve(f);
    const text = await readFile(abs, 'utf8');
    const next = text.replace(/import"\.\/(?:cli\/)?(chunk-[\w]+\.mjs)";/g, (m, c) => (helpers.includes(c) ? '' : m));
    if (next !== text) await writeFile(abs, next);
  }
}

/**
 * The CLI's entry as a CommonJS script (dist/bpx.cjs): Node starts a CommonJS main without setting up its ES module
 * loader, about 4 ms of every `bpx --help`; a command's chunks are ES modules it loads with import(), which sets the
 * loader up then. The ES module esbuild wrote is removed. Its banner (a require made from import.meta.url) is left out:
 * a CommonJS script has its own require. Any warning of the conversion fails the build.
 */
async function cliEntryAsCommonJs(from, to) {
  const text = (await readFile(from, 'utf8')).replace(common.banner.js, '');
  const r = await transform(text, { format: 'cjs', platform: 'node', target: 'node20', minify: true, logLevel: 'silent' });
  if (r.warnings.length) throw new Error(`${from}: ${r.warnings.map((w) => w.text).join('; ')}`);
  if (/\bimport\.meta\b|\bimport\s*["{*]/.test(r.code)) throw new Error(`${from}: a static import or import.meta is left in ${to}`);
  await writeFile(to, r.code);
  await rm(from);
}

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

/**
 * One ES module of the phase runtime as a CommonJS script: import() of a chunk becomes a require of its script, and the
 * whole is one function expression in ASCII. Any warning of the conversion (import.meta, say) fails the build.
 */
async function commonJsTwin(file, text) {
  const r = await transform(text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    supported: { 'dynamic-import': false },
    // a .js name: an import() then yields the module's own default export, as in ES modules (not node-mode interop)
    sourcefile: basename(file).replace(/\.mjs$/, '.js'),
    logLevel: 'silent',
  });
  if (r.warnings.length) throw new Error(`${file}: ${r.warnings.map((w) => w.text).join('; ')}`);
  const code = r.code.replace(/require\("\.\/([\w-]+)\.mjs"\)/g, 'require("./$1.cjs")');
  if (/(?:require|import)\("\.\/[\w-]+\.mjs"\)/.test(code))
    throw new Error(`${file}: a reference to an ES module is left in its CommonJS twin`);
  const twin = `(function (exports, require, module, __filename, __dirname) {${code}})`;
  const at = Buffer.from(twin).findIndex((b) => b > 0x7f);
  if (at >= 0) throw new Error(`${file}: a byte outside ASCII at offset ${at} (phase-boot.cts reads its twin as Latin-1)`);
  return twin;
}
