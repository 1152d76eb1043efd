// The one way a test says it skips: `skipped: <reason>` on stdout, which scripts/test.mjs counts; ../shared absent in CI fails instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** ../shared beside the clone: the large accuracy corpus, the CF builder's recordings and droplets, official schemas. */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');

/**
 * Prints `skipped: <reason>`. Call it once, inside the test that then returns: the runner counts the line as one
 * skipped test instead of a passed one, and lists the reason.
 */
export function skip(reason: string): void {
  console.log(`skipped: ${reason}`);
}

/** Skips with `reason`, or throws when env CI is set: in CI ../shared is always beside the clone, so its absence is a failure. */
export function skipOrFail(reason: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.CI) throw new Error(`${reason}, and CI is set: failing instead of skipping`);
  skip(reason);
}

/**
 * true when `p` (a path under ../shared; undefined means "not found") exists. Otherwise prints `skipped: <p> is absent`
 * (with `what` it is) and returns false, or throws when env CI is set. Use it first thing in a test:
 * `if (!needShared(corpusDir)) return;`, which also narrows `corpusDir` to a string.
 */
export function needShared(p: string | undefined, what?: string, env: NodeJS.ProcessEnv = process.env): p is string {
  if (p !== undefined && existsSync(p)) return true;
  skipOrFail(`${p ?? `${sharedDir} (or the part of it this test reads)`} is absent${what ? ` (${what})` : ''}`, env);
  return false;
}

/**
 * true when `p` exists, without printing: for a test that runs either way and only checks more with ../shared
 * (a larger input, one more assertion). Throws when env CI is set and `p` is absent, like needShared.
 */
export function haveShared(p: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(p)) return true;
  if (env.CI) throw new Error(`${p} is absent, and CI is set: failing instead of running a smaller test`);
  return false;
}
