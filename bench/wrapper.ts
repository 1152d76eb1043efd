// The wrapper's own cost per phase, next to `node -e 0` (DESIGN.md §5), median of interleaved runs:
// 1. no extension: the fast path (exec, no Node), the recording path (supply keeps its `-----> Installing` lines for a
//    later extension, in sh, no Node), and the same phase forced through the phase runtime (what both replace);
// 2. the example operator manifest (examples/operator/bpx.yml), per phase: the wrapped phase, its overhead, the
//    extensions' own work as the phase runtime times it (BPX_PHASE_TIMINGS: a script from spawn to exit, a built-in from
//    loading its code to its end) and what is left, bpx's own cost, which DESIGN.md §5 holds to 1.3x `node -e 0`;
//    beside it the same manifest whose extensions do nothing (`run: [true]` at the same points).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderShim } from '../src/wrap/shim.ts';
import { PHASE_BOOT } from '../src/wrap/runtime-layout.ts';
import { writePhaseCodeCache } from '../src/wrap/code-cache.ts';
import type { Phase } from '../src/lifecycle/hooks/types.ts';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 21);
const bundle = join(root, 'dist', 'bpx.cjs');
if (!existsSync(bundle)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'bpx-bench-wrapper-'));
const inner = join(root, 'test', 'lifecycle', 'fixtures', 'buildpacks', 'full');
const phases: Phase[] = ['detect', 'supply', 'finalize', 'release'];

function wrap(out: string, manifest: string): void {
  const r = spawnSync(process.execPath, [bundle, 'wrap', inner, '--manifest', manifest, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}
function manifestFile(name: string, text: string): string {
  mkdirSync(join(work, 'manifests', name), { recursive: true });
  writeFileSync(join(work, 'manifests', name, 'bpx.yml'), text);
  return join(work, 'manifests', name, 'bpx.yml');
}

// no extension anywhere: every shim execs the inner script
const fast = join(work, 'fast');
wrap(fast, manifestFile('none', 'version: 1\nextensions: []\n'));
// an extension at release only: supply and finalize keep their install lines for it, without Node
const recording = join(work, 'recording');
wrap(recording, manifestFile('late', 'version: 1\nextensions:\n  - {name: late, at: [release:after], run: ["true"]}\n'));
// the same phases forced through the phase runtime with nothing declared (the path recording replaces)
const viaPhase = join(work, 'phase');
wrap(viaPhase, join(work, 'manifests', 'none', 'bpx.yml'));
for (const p of phases) writeFileSync(join(viaPhase, 'bin', p), renderShim(p, true, true, PHASE_BOOT), { mode: 0o755 });
// with the code caches bpx wrap writes for a wrapper whose shims start Node (this one's never would)
const cached = await writePhaseCodeCache(join(viaPhase, 'runtime'));
if ('error' in cached) throw new Error(`code cache: ${cached.error}`);

// the example operator manifest, its hooks beside it, and its twin whose extensions do nothing
const example = join(work, 'example');
cpSync(join(root, 'examples', 'operator'), join(work, 'ops'), { recursive: true });
wrap(example, join(work, 'ops', 'bpx.yml'));
const points = [
  ...readFileSync(join(root, 'examples', 'operator', 'bpx.yml'), 'utf8').matchAll(/^ {2}- name: (\S+)\n(?:.*\n)*? {4}at: \[([^\]]*)\]/gm),
].map((m) => ({ name: m[1], at: m[2] }));
const noop = join(work, 'noop');
wrap(
  noop,
  manifestFile('noop', `version: 1\nextensions:\n${points.map((e) => `  - {name: ${e.name}, at: [${e.at}], run: ["true"]}`).join('\n')}\n`),
);
const key = join(work, 'keys', 'bench');
spawnSync(process.execPath, [bundle, 'keygen', '--type', 'ed25519', '-o', key], { stdio: 'ignore' });

// a small npm app to capture (the example's builtins read it at finalize)
const app = join(work, 'app');
cpSync(join(root, 'test', 'catalog', 'managers', 'npm', 'testdata', 'lockfile-v3'), app, { recursive: true });
const cache = join(work, 'cache');
const deps = join(work, 'deps');
for (const d of [cache, join(deps, '0')]) mkdirSync(d, { recursive: true });
const argv = (p: Phase) =>
  p === 'detect' || p === 'release' ? [app] : p === 'supply' ? [app, cache, deps, '0'] : [app, cache, deps, '0', join(work, 'profile.d')];
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: work,
  LANG: 'en_US.UTF-8',
  CF_STACK: 'cflinuxfs4',
  VCAP_APPLICATION: '{"application_name":"bench"}',
  VCAP_SERVICES: '{}',
  TMPDIR: tmpdir(),
  BPX_SIGNING_KEY: readFileSync(`${key}.key`, 'utf8'),
};

const timings = join(work, 'timings.jsonl');
spawnSync(join(inner, 'bin', 'supply'), argv('supply'), { env, stdio: 'ignore' });
const supplyConfig = readFileSync(join(deps, '0', 'config.yml'));

/** One run: its wall time, and the extensions' own time the phase runtime reported (0 when none ran). */
function once(cmd: string, args: string[]): { ms: number; work: number } {
  rmSync(timings, { force: true });
  // each finalize finds deps/0/config.yml as the inner supply wrote it, as in a staging (not as the last run's
  // detect-versions rewrote it)
  if (args.length === 5) writeFileSync(join(deps, '0', 'config.yml'), supplyConfig);
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...env, BPX_PHASE_TIMINGS: timings }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
  const lines = existsSync(timings) ? readFileSync(timings, 'utf8').split('\n').filter(Boolean) : [];
  return { ms, work: lines.reduce((n, l) => n + (JSON.parse(l) as { ms: number }).ms, 0) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the variants interleaved (round after round), so that a change of machine load hits them all alike. */
function sample(variants: Array<[string, string[]]>): Array<Array<{ ms: number; work: number }>> {
  const runsOf = variants.map(() => [] as Array<{ ms: number; work: number }>);
  for (let i = 0; i < runs; i++) variants.forEach(([cmd, args], j) => runsOf[j].push(once(cmd, args)));
  return runsOf;
}
function medians(variants: Array<[string, string[]]>): number[] {
  return sample(variants).map((r) => median(r.map((x) => x.ms)));
}

const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
const ratio = (n: number, floor: number) => `${(n / floor).toFixed(2)}x`.padStart(6);
const over = (n: number, base: number, floor: number) => `${ms(n - base)} ${`${((n - base) / floor).toFixed(2)}x`.padStart(6)}`;
try {
  console.log(
    `wrapper overhead over the unwrapped phase, median of ${runs} interleaved runs, and that overhead / node -e 0 (buildpack: test/lifecycle/fixtures/buildpacks/full); load ${loadavg()[0].toFixed(1)}`,
  );
  console.log('no extension at the phase:');
  console.log('  phase     node -e 0   unwrapped |   fast path (exec) |  recording (sh tee) | forced through Node (phase runtime)');
  for (const p of phases) {
    const [floor, base, f, rec, node] = medians([
      [process.execPath, ['-e', '0']],
      [join(inner, 'bin', p), argv(p)],
      [join(fast, 'bin', p), argv(p)],
      [join(recording, 'bin', p), argv(p)],
      [join(viaPhase, 'bin', p), argv(p)],
    ]);
    // release has the extension in the recording wrapper: it runs Node there, like the forced one
    const recCol = p === 'supply' || p === 'finalize' ? over(rec, base, floor) : '      (not recorded)';
    console.log(
      `  ${p.padEnd(9)}${ms(floor)}  ${ms(base)} | ${over(f, base, floor)} | ${recCol.padStart(19)} | ${over(node, base, floor)}`,
    );
  }
  console.log(`the example operator manifest (${points.map((e) => `${e.name}@${e.at.replace(/, /g, ',')}`).join('; ')}):`);
  console.log(
    "  phase     node -e 0   unwrapped |    wrapped |  overhead           | extensions' own work | bpx's own (overhead - work) | bpx, no-op extensions",
  );
  for (const p of phases) {
    const [floorRuns, baseRuns, exRuns, noopRuns] = sample([
      [process.execPath, ['-e', '0']],
      [join(inner, 'bin', p), argv(p)],
      [join(example, 'bin', p), argv(p)],
      [join(noop, 'bin', p), argv(p)],
    ]);
    const [floor, base, e, n] = [floorRuns, baseRuns, exRuns, noopRuns].map((r) => median(r.map((x) => x.ms)));
    const work = median(exRuns.map((x) => x.work));
    // paired per run: a slow round slows the wrapped phase and its extensions alike
    const own = median(exRuns.map((x) => x.ms - x.work)) - base;
    console.log(
      `  ${p.padEnd(9)}${ms(floor)}  ${ms(base)} | ${ms(e)} | ${ms(e - base)} ${ratio(e - base, floor)} | ${ms(work).padStart(20)} | ${`${ms(own)} ${ratio(own, floor)}`.padStart(27)} | ${over(n, base, floor)}`,
    );
  }
  console.log(`load at the end ${loadavg()[0].toFixed(1)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
