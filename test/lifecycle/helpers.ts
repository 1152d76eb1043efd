// Test helpers: wrap fixture buildpacks with the bundled CLI and run their shims as the CF builder would.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { captureStreams } from '../streams.ts';
import { execa, execaSync } from 'execa';
import { runPhase } from '../../src/lifecycle/phases/run-phase.ts';
import type { BuiltinExtension } from '../../src/lifecycle/hooks/types.ts';
import type { Phase } from '../../src/platform/phases.ts';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
export const fixtures = join(repoRoot, 'test', 'lifecycle', 'fixtures');
export const bundle = join(repoRoot, 'dist', 'bpx.cjs');

export function ensureBundle(): void {
  if (!existsSync(bundle)) execaSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--quiet'], { cwd: repoRoot });
}

export function tempDir(prefix = 'bpx-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A stand-in for the shipped node binary: records each start in $BPX_TEST_NODE_STARTS, then runs the real node (copying 100 MB per test is slow). */
export function nodeLauncher(dir: string): string {
  const p = join(dir, 'node-launcher');
  writeFileSync(
    p,
    `#!/bin/sh\n[ -n "$BPX_TEST_NODE_STARTS" ] && echo started >> "$BPX_TEST_NODE_STARTS"\nexec '${process.execPath}' "$@"\n`,
  );
  chmodSync(p, 0o755);
  return p;
}

export interface Wrapped {
  root: string;
  wrapper: string;
}

/** Writes ops/bpx.yml (+ the fixture hooks beside it) and wraps the fixture buildpack with `node dist/bpx.cjs wrap`. */
export async function wrapFixture(bp: string, manifest: string): Promise<Wrapped> {
  ensureBundle();
  const root = tempDir();
  const ops = join(root, 'ops');
  mkdirSync(ops);
  cpSync(join(fixtures, 'hooks'), join(ops, 'hooks'), { recursive: true });
  writeFileSync(join(ops, 'bpx.yml'), manifest);
  const wrapper = join(root, 'wrapped');
  const r = await execa(
    process.execPath,
    [bundle, 'wrap', join(fixtures, 'buildpacks', bp), '--manifest', join(ops, 'bpx.yml'), '-o', wrapper, '--node', nodeLauncher(root)],
    { reject: false },
  );
  if (r.exitCode !== 0) throw new Error(`wrap failed: ${r.stderr}`);
  return { root, wrapper };
}

export interface Staging {
  app: string;
  cache: string;
  deps: string;
  profile: string;
  mark: string;
}

export function stagingDirs(root: string, appFiles: Record<string, string> = {}): Staging {
  const s = {
    app: join(root, 'app'),
    cache: join(root, 'cache'),
    deps: join(root, 'deps'),
    profile: join(root, 'profile.d'),
    mark: join(root, 'mark.txt'),
  };
  for (const d of [s.app, s.cache, s.deps]) mkdirSync(d, { recursive: true });
  mkdirSync(join(s.deps, '0'), { recursive: true });
  writeFileSync(join(s.app, 'index.html'), '<p>hi</p>\n');
  for (const [k, v] of Object.entries(appFiles)) writeFileSync(join(s.app, k), v);
  writeFileSync(s.mark, '');
  return s;
}

/** argv per phase as the builder passes it (DESIGN.md §1). */
export function builderArgv(phase: string, s: Staging): string[] {
  switch (phase) {
    case 'detect':
    case 'release':
      return [s.app];
    case 'supply':
      return [s.app, s.cache, s.deps, '0'];
    case 'finalize':
      return [s.app, s.cache, s.deps, '0', s.profile];
    default:
      return [s.app, s.cache];
  }
}

export type BuiltinRegistry = Record<string, () => Promise<{ default: BuiltinExtension }>>;

/** A wrapper laid out by hand, without the bundle: the `full` fixture buildpack as inner/, `manifest` as bpx/bpx.yml, `files` beside it. */
export function wrapperLayout(manifest: string, files: Record<string, string> = {}): string {
  const w = join(tempDir(), 'wrapper');
  cpSync(join(fixtures, 'buildpacks', 'full'), join(w, 'inner'), { recursive: true });
  mkdirSync(join(w, 'bpx'));
  writeFileSync(join(w, 'bpx', 'bpx.yml'), manifest);
  for (const [k, v] of Object.entries(files)) {
    mkdirSync(join(w, 'bpx', k, '..'), { recursive: true });
    writeFileSync(join(w, 'bpx', k), v);
  }
  return w;
}

/** One phase of `wrapper` run in-process (runPhase) on the staging `s`, with the builder's argv and env plus `env`. */
export async function runPhaseHere(
  wrapper: string,
  phase: Phase,
  s: Staging,
  builtins: BuiltinRegistry = {},
  env: Record<string, string> = {},
) {
  const { stdout, stderr, out, err } = captureStreams();
  const code = await runPhase({
    phase,
    argv: builderArgv(phase, s),
    wrapperDir: wrapper,
    env: builderEnv(env),
    cwd: s.app,
    stdout,
    stderr,
    tmpDir: join(s.app, '..'),
    builtins,
    graceMs: 200,
  });
  return { code, out: out(), err: err(), log: out() + err() };
}

/** The builder's environment (as the recordings show) plus extras. */
export function builderEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'en_US.UTF-8',
    CF_STACK: 'cflinuxfs4',
    MEMORY_LIMIT: '1024m',
    VCAP_APPLICATION: JSON.stringify({ application_name: 'demo', application_id: 'app-guid-1', space_name: 'dev' }),
    VCAP_SERVICES: '{}',
    TMPDIR: tmpdir(),
    ...extra,
  };
}

export interface RunResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs a script (shim or inner) by path with the builder's argv and env; stdout kept as bytes. */
export async function runScript(script: string, argv: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<RunResult> {
  const r = await execa(script, argv, {
    env,
    extendEnv: false,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
    timeout: timeoutMs,
    // an empty stdin, as /dev/null: `input: ''` raced a script that exits before the empty write reached it (EPIPE,
    // reported as a failed run about once in 500 under load)
    stdin: 'ignore',
  });
  return {
    exitCode: r.exitCode ?? -1,
    stdout: Buffer.from(r.stdout as Uint8Array),
    stderr: Buffer.from(r.stderr as Uint8Array).toString('utf8'),
  };
}
