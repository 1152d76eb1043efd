// Start-up of the bundled CLI (DESIGN.md §5): `bpx --help` and a few commands' --help against `node -e 0` and an
// empty ES module, interleaved runs, medians. A command loads only its own chunk (dist/cli/); the compile cache counts
// from the second run where Node has it (22.1+).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 21);
const bundle = join(root, 'dist', 'bpx.cjs');
const work = mkdtempSync(join(tmpdir(), 'bpx-bench-startup-'));
const empty = join(work, 'empty.mjs');
writeFileSync(empty, '');

const variants: Array<[string, string[]]> = [
  ['node -e 0', ['-e', '0']],
  ['node empty.mjs', [empty]],
  ['bpx --help', [bundle, '--help']],
  ['bin/bpx.cjs --help', [join(root, 'bin', 'bpx.cjs'), '--help']],
  ['bpx --version', [bundle, '--version']],
  ['bpx sbom --help', [bundle, 'sbom', '--help']],
  ['bpx scan --help', [bundle, 'scan', '--help']],
  ['bpx stage --help', [bundle, 'stage', '--help']],
  ['bpx wrap --help', [bundle, 'wrap', '--help']],
];
const times = variants.map(() => [] as number[]);
// the compile cache (Node 22.1+) in a folder of this run, warmed by the first round
const env = { ...process.env, NODE_COMPILE_CACHE: join(work, 'cache') };
for (let i = 0; i < runs + 1; i++) {
  variants.forEach(([, args], j) => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i > 0) times[j].push(Number(process.hrtime.bigint() - t) / 1e6);
  });
}
const med = times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]);
const compileCache = typeof ((await import('node:module')) as { enableCompileCache?: unknown }).enableCompileCache === 'function';
console.log(
  `start-up, median of ${runs} interleaved runs (Node ${process.version}, compile cache ${compileCache ? 'on' : 'not in this Node'}); load ${loadavg()[0].toFixed(1)}`,
);
variants.forEach(([label], j) =>
  console.log(`  ${label.padEnd(18)} ${med[j].toFixed(1).padStart(7)} ms  ${(med[j] / med[0]).toFixed(2)}x node -e 0`),
);
rmSync(work, { recursive: true, force: true });
