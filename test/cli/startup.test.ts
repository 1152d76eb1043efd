// Start-up (DESIGN.md §5): the bundled CLI is a small CommonJS entry whose commands are ES module chunks loaded on
// demand, and `bpx --help` lists the commands without loading any of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commands, SUMMARIES } from '../../src/cli/commands/index.ts';
import { bundle, ensureBundle } from './helpers.ts';

test("the --help list says what each command's own summary says", async () => {
  assert.equal(Object.keys(SUMMARIES).sort(), Object.keys(commands).sort());
  for (const [name, load] of Object.entries(commands)) assert.is(SUMMARIES[name], (await load()).default.summary, name);
});

/** The chunks a file loads before its code runs (static imports, followed), and their size. */
function staticClosure(dir: string, first: string[]): { files: Set<string>; bytes: number } {
  const files = new Set<string>();
  let bytes = 0;
  const todo = [...first];
  while (todo.length) {
    const f = todo.pop() as string;
    if (files.has(f)) continue;
    files.add(f);
    const text = readFileSync(join(dir, f), 'utf8');
    bytes += text.length;
    for (const m of text.matchAll(/(?:from|import)\s*"\.\/(chunk-\w+\.mjs)"/g)) todo.push(m[1]);
  }
  return { files, bytes };
}

/** The ES modules Node set up in `node dist/bpx.cjs ARGS` (their loader's own modules when it started one), and its output. */
function esModulesOf(args: string[]): { loader: boolean; stdout: string } {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      // as `node dist/bpx.cjs ARGS` would see its argv
      `process.argv.splice(1, 0, ${JSON.stringify(bundle)}); process.on('exit', () => process._rawDebug(JSON.stringify(process.moduleLoadList))); require(${JSON.stringify(bundle)})`,
      '--',
      ...args,
    ],
    { encoding: 'utf8' },
  );
  assert.ok(r.status === 0, r.stderr);
  const list = JSON.parse(r.stderr.trim().split('\n').pop() as string) as string[];
  return { loader: list.includes('NativeModule internal/modules/esm/module_job'), stdout: r.stdout };
}

test('dist/bpx.cjs is a small CommonJS entry holding the command line; --help and --version load no chunk, a command its own', () => {
  ensureBundle();
  const entry = readFileSync(bundle, 'utf8');
  assert.ok(entry.length < 4096, `${entry.length} bytes`);
  const dir = join(bundle, '..', 'cli');
  const chunks = readdirSync(dir);
  assert.ok(chunks.length > 5 && chunks.every((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f)), chunks.join(' '));
  // the entry holds the command line itself (main.ts and the command list) and imports nothing before it runs: no
  // static import, no require of a chunk, and none of esbuild's helper chunk (imported by every output for nothing)
  assert.not.match(entry, /\bimport\s*["{*]|\bimport\.meta\b|require\("\.\//);
  const first = [...entry.matchAll(/(?:from|import)\s*"\.\/cli\/(chunk-\w+\.mjs)"/g)].map((m) => m[1]);
  const help = staticClosure(dir, first);
  assert.is(help.files.size, 0, `--help loads ${[...help.files].join(' ')}`);
  // every command is imported on demand
  const onDemand = [...entry.matchAll(/import\("\.\/cli\/(chunk-\w+\.mjs)"\)/g)].map((m) => m[1]);
  assert.ok(onDemand.length >= Object.keys(commands).length, `${onDemand.length} dynamic imports`);
  // --help and --version never start Node's ES module loader; a command's --help does, for its chunk
  const usage = esModulesOf(['--help']);
  assert.match(usage.stdout, /^Usage: bpx <command>/);
  assert.is(usage.loader, false, '--help set up an ES module');
  const version = esModulesOf(['--version']);
  assert.is(version.stdout, `${JSON.parse(readFileSync(join(bundle, '..', '..', 'package.json'), 'utf8')).version}\n`);
  assert.is(version.loader, false, '--version set up an ES module');
  const sbom = esModulesOf(['sbom', '--help']);
  assert.match(sbom.stdout, /bpx sbom/);
  assert.is(sbom.loader, true, 'sbom --help loaded no chunk');
});

test.run();
