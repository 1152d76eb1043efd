// Test runner: runs every test/**/*.test.ts file as its own uvu process (a pool of workers),
// prints each file's output as it finishes, and ends with the line CI reads: "N passed, N failed, N skipped".
// A test that skips prints one line `skipped: <reason>` (test/shared.ts): it counts as skipped, not passed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { availableParallelism } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const perFileTimeoutMs = Number(process.env.BPX_TEST_TIMEOUT_MS ?? 300_000);
const workers = Number(process.env.BPX_TEST_JOBS ?? Math.max(2, Math.min(4, availableParallelism())));

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'fixtures' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = find(join(root, 'test')).filter((f) => !filter || filter.test(relative(root, f)));
let passed = 0,
  failed = 0,
  skipped = 0;
const failures = [];
/** skip reason → how many tests gave it */
const skipReasons = new Map();
// uvu writes a mark per finished test without a newline, so a line a test prints may follow marks: "• • skipped: …"
const SKIP_LINE = /^(?:[•✘] )*skipped: (.*)$/gm;

function runOne(file) {
  return new Promise((resolve) => {
    const rel = relative(root, file);
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, perFileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const num = (label) => {
        const m = out.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm'));
        return m ? Number(m[1]) : null;
      };
      const total = num('Total'),
        ok = num('Passed'),
        skip = num('Skipped') ?? 0;
      const said = [...out.matchAll(SKIP_LINE)].map((m) => m[1].trim());
      for (const r of said) skipReasons.set(r, (skipReasons.get(r) ?? 0) + 1);
      let f;
      if (total === null || ok === null) {
        f = 1; // the file crashed before uvu could summarise: count it as one failure
        out += `\n(no uvu summary: the file exited with code ${code}${timedOut ? ' after timing out' : ''})\n`;
      } else {
        f = total - ok;
        if (code !== 0 && f === 0) {
          f = 1;
          out += `\n(exited with code ${code})\n`;
        }
        // a test that printed `skipped:` returned early, so uvu counted it as passed
        passed += ok - Math.min(said.length, ok);
      }
      if (timedOut) out += `\n(killed after ${perFileTimeoutMs} ms)\n`;
      failed += f;
      skipped += skip + said.length;
      if (f > 0) failures.push(rel);
      process.stdout.write(`\n=== ${rel} (${((Date.now() - started) / 1000).toFixed(1)} s)\n${out.trimEnd()}\n`);
      resolve();
    });
  });
}

const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(workers, queue.length) }, async () => {
    while (queue.length) await runOne(queue.shift());
  }),
);

if (skipReasons.size) {
  const lines = [...skipReasons].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => `  ${n} × ${r}`);
  console.log(`\nSkipped (set CI=1 to make a missing ../shared a failure):\n${lines.join('\n')}`);
}
if (failures.length) console.log(`\nFailed files:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
