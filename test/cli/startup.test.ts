// Start-up (DESIGN.md §5): the bundled CLI is a small entry whose commands are chunks loaded on demand, and `bpx --help`
// lists the commands without loading any of them.
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

test('dist/bpx.mjs is a small entry holding the command line; --help loads no other chunk of code, a command its own', () => {
  ensureBundle();
  const entry = readFileSync(bundle, 'utf8');
  assert.ok(entry.length < 4096, `${entry.length} bytes`);
  const dir = join(bundle, '..', 'cli');
  const chunks = readdirSync(dir);
  assert.ok(chunks.length > 5 && chunks.every((f) => /^chunk-[A-Z0-9]+\.mjs$/.test(f)), chunks.join(' '));
  // the entry holds the command line itself (main.ts and the command list): `bpx --help` compiles the entry and what
  // it imports statically (esbuild's small runtime chunk), no command
  const first = [...entry.matchAll(/(?:from|import)\s*"\.\/cli\/(chunk-\w+\.mjs)"/g)].map((m) => m[1]);
  const help = staticClosure(dir, first);
  const all = chunks.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  assert.ok(help.files.size <= 1 && help.bytes < 2048, `--help loads ${[...help.files].join(' ')}: ${help.bytes} bytes of ${all}`);
  // every command is imported on demand
  const onDemand = [...entry.matchAll(/import\("\.\/cli\/(chunk-\w+\.mjs)"\)/g)].map((m) => m[1]);
  assert.ok(onDemand.length >= Object.keys(commands).length, `${onDemand.length} dynamic imports`);
  const r = spawnSync(process.execPath, [bundle, '--help'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: bpx <command>/);
});

test.run();
