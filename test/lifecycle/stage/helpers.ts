// Test helpers for bpx stage: run the CLI as a child process, list droplets, find ../shared.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tar from 'tar';
import { needShared } from '../../shared.ts';

export const repoRoot = resolve(new URL('../../..', import.meta.url).pathname);
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const cfBuilder = join(sharedDir, 'cf-builder');
export const fixtures = join(repoRoot, 'test', 'lifecycle', 'stage', 'fixtures');
export const distCli = join(repoRoot, 'dist', 'bpx.cjs');

export function tmp(prefix = 'bpx-stage-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Builds dist/bpx.cjs when it is missing (`npm test` builds it first). */
export function ensureDist(): void {
  if (!existsSync(distCli)) spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
}

/**
 * Runs `bpx <args>`: the bundled dist/bpx.cjs (what ships, and it starts fast) unless `source` asks for the
 * TypeScript sources through tsx.
 */
export function bpx(args: string[], opts: { source?: boolean; bundled?: boolean; env?: Record<string, string> } = {}): CliRun {
  if (!opts.source) ensureDist();
  const argv = opts.source ? ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), ...args] : [distCli, ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...(opts.env ?? {}) },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `type mode path` for every droplet entry, as the recordings' droplet-listing.txt lines, sorted. */
export async function listing(tgz: string): Promise<string[]> {
  const out: string[] = [];
  await tar.t({
    file: tgz,
    onReadEntry: (e) => {
      const type = e.type === 'Directory' ? 'd' : e.type === 'SymbolicLink' ? 'l' : 'f';
      out.push(`${type} ${((e.mode ?? 0) & 0o7777).toString(8)} ${e.path.replace(/\/$/, '')}`);
    },
  });
  return out.sort();
}

/** path → content (files) of a droplet, for comparing two droplets entry by entry. */
export async function contents(tgz: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await tar.t({
    file: tgz,
    onReadEntry: (e) => {
      const chunks: Buffer[] = [];
      e.on('data', (c: Buffer) => chunks.push(c));
      e.on('end', () => {
        out[e.path] = e.type === 'Directory' ? '<dir>' : Buffer.concat(chunks).toString('utf8');
      });
    },
  });
  return out;
}

export function readJson(p: string): unknown {
  return JSON.parse(readFileSync(p, 'utf8'));
}

/** true when the CF builder's recordings are there; else `skipped: …` (a failure when CI is set). */
export function hasShared(): boolean {
  return needShared(cfBuilder, 'the shared recordings of the CF builder');
}

/** Recursively sorted keys, so deep equality ignores key order. */
export function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * True while `pid` runs. A killed process whose parent died too waits as a zombie until PID 1 reaps it, and in a
 * container PID 1 may never do so: a zombie runs nothing, so it counts as gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
