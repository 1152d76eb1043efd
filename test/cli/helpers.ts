// Test helpers for the command line: run `main` in-process with captured streams, or the bundled CLI (dist/bpx.cjs) as
// a child with its own fresh TMPDIR, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { captureStreams } from '../streams.ts';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
export const bundle = join(repoRoot, 'dist', 'bpx.cjs');

export function tempDir(prefix = 'bpx-cli-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** `bpx <argv>` in this process: stdout and stderr captured, the given environment only. */
export async function cli(argv: string[], cwd = repoRoot, env: Record<string, string> = {}): Promise<Run> {
  const { stdout, stderr, out, err } = captureStreams();
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env, cwd, isTTY: false });
  return { code, out: out(), err: err() };
}

/** Builds dist/bpx.cjs when it is missing (`npm test` builds it first). */
export function ensureBundle(): void {
  if (!existsSync(bundle)) spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
}

/** The bundled CLI as a child process in `cwd`, with TMPDIR set to `tmp`; BPX_* variables of this process are dropped. */
export function spawnBpx(argv: string[], cwd: string, tmp: string, env: Record<string, string> = {}): Run {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BPX_'))) as Record<string, string>;
  const r = spawnSync(process.execPath, [bundle, ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...base, TMPDIR: tmp, ...env },
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** spawnBpx without blocking, so that independent runs can overlap. */
export function spawnBpxAsync(argv: string[], cwd: string, tmp: string, env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BPX_'))) as Record<string, string>;
  return new Promise((done) => {
    const child = spawn(process.execPath, [bundle, ...argv], {
      cwd,
      env: { ...base, TMPDIR: tmp, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, out, err });
    });
  });
}
