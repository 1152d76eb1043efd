// The wrapper's own cost per phase: unwrapped vs wrapped with no extension (through Node, and the no-Node fast path), next to `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderShim } from '../src/wrap/shim.ts';
import type { Phase } from '../src/lifecycle/hooks/types.ts';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.env.BENCH_RUNS ?? 21);
const bundle = join(root, 'dist', 'bpx.mjs');
if (!existsSync(bundle)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'bpx-bench-wrapper-'));
const inner = join(root, 'test', 'lifecycle', 'fixtures', 'buildpacks', 'full');
const manifest = join(work, 'bpx.yml');
writeFileSync(manifest, 'version: 1\nextensions: []\n');

function wrap(out: string): void {
  const r = spawnSync(process.execPath, [bundle, 'wrap', inner, '--manifest', manifest, '-o', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}
const fast = join(work, 'fast');
const viaNode = join(work, 'node');
wrap(fast);
wrap(viaNode);
const phases: Phase[] = ['detect', 'supply', 'finalize', 'release'];
// Same wrapper, but every shim starts Node (as when an extension could apply), while none is declared.
for (const p of phases) writeFileSync(join(viaNode, 'bin', p), renderShim(p, true, true), { mode: 0o755 });
// And with the phase runtime bpx wrap ships (dist/phase: a small entry, extension code in lazily loaded chunks).
const viaPhase = join(work, 'phase');
wrap(viaPhase);
for (const p of phases) writeFileSync(join(viaPhase, 'bin', p), renderShim(p, true, true, 'phase/bpx-phase.mjs'), { mode: 0o755 });

const app = join(work, 'app');
const cache = join(work, 'cache');
const deps = join(work, 'deps');
for (const d of [app, cache, join(deps, '0')]) mkdirSync(d, { recursive: true });
const argv = (p: Phase) => (p === 'detect' || p === 'release' ? [app] : p === 'supply' ? [app, cache, deps, '0'] : [app, cache, deps, '0', join(work, 'profile.d')]);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LANG: 'en_US.UTF-8', CF_STACK: 'cflinuxfs4', VCAP_APPLICATION: '{"application_name":"bench"}', VCAP_SERVICES: '{}', TMPDIR: tmpdir() };

// The least any Node-based wrapper can cost: a script that only spawns the inner script and copies its output.
const bare = join(work, 'bare-spawn.mjs');
writeFileSync(
  bare,
  "import { spawn } from 'node:child_process';\n" +
    "const c = spawn(process.argv[2], process.argv.slice(3), { stdio: ['inherit', 'pipe', 'pipe'] });\n" +
    'c.stdout.pipe(process.stdout); c.stderr.pipe(process.stderr);\n' +
    "c.on('close', (code) => { process.exitCode = code; });\n",
);

function once(cmd: string, args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Runs the variants interleaved (round after round), so that a change of machine load hits them all alike. */
function medians(variants: Array<[string, string[]]>): number[] {
  const times = variants.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) variants.forEach(([cmd, args], j) => times[j].push(once(cmd, args)));
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
console.log(`wrapper overhead, median of ${runs} interleaved runs (buildpack: test/lifecycle/fixtures/buildpacks/full)`);
console.log('phase     node -e 0 | unwrapped | bare Node spawner  overhead  /floor | full bundle: wrapped  overhead  /floor | phase runtime: wrapped  overhead  /floor | no-Node fast path  overhead');
for (const p of phases) {
  const [floor, base, spawner, wrapped, small, f] = medians([
    [process.execPath, ['-e', '0']],
    [join(inner, 'bin', p), argv(p)],
    [process.execPath, [bare, join(inner, 'bin', p), ...argv(p)]],
    [join(viaNode, 'bin', p), argv(p)],
    [join(viaPhase, 'bin', p), argv(p)],
    [join(fast, 'bin', p), argv(p)],
  ]);
  const ratio = (n: number) => `${(n / floor).toFixed(2)}x`.padStart(6);
  console.log(`${p.padEnd(9)}${ms(floor)} | ${ms(base)} |        ${ms(spawner)} ${ms(spawner - base)} ${ratio(spawner - base)} |          ${ms(wrapped)} ${ms(wrapped - base)} ${ratio(wrapped - base)} |           ${ms(small)} ${ms(small - base)} ${ratio(small - base)} |        ${ms(f)}  ${ms(f - base)}`);
}
rmSync(work, { recursive: true, force: true });
