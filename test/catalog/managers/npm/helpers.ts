// Shared by the npm tests: the corpus lockfile cases and `npm ls` as the independent reference.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parsePackageLock } from '../../../../src/catalog/managers/npm/parse-package-lock.ts';
import { platformMatches } from '../../../../src/catalog/node-modules.ts';

export const run = promisify(execFile);
export const CASES = [
  'npm/cloudfoundry-nodejs-buildpack/shrinkwrap-pre-lockfileVersion',
  'npm/firebase-firebase-tools/shrinkwrap-v2',
  'npm/npm-cli/lockfile-v3-workspaces',
  'npm/typicode-json-server/lockfile-v1',
  'npm/typicode-json-server/lockfile-v2',
  'npm/typicode-json-server/lockfile-v3',
];

export function lockName(dir: string): string {
  try {
    readFileSync(path.join(dir, 'npm-shrinkwrap.json'));
    return 'npm-shrinkwrap.json';
  } catch {
    return 'package-lock.json';
  }
}

/** name@version of lockfile entries npm would not install on linux/x64 (optional, other platform). */
export function otherPlatform(text: string): Set<string> {
  const r = parsePackageLock(text, 'x');
  const out = new Set<string>();
  for (const e of r.entries) if ((e.optional || e.devOptional || e.dev) && !platformMatches(e)) out.add(`${e.name}@${e.version}`);
  // a name@version also installed elsewhere for this platform stays
  for (const e of r.entries) if (!((e.optional || e.devOptional || e.dev) && !platformMatches(e))) out.delete(`${e.name}@${e.version}`);
  return out;
}

/** Flattens `npm ls --all --json` output to a set of name@version. */
export function flatten(tree: any, out = new Set<string>()): Set<string> {
  for (const [key, d] of Object.entries<any>(tree.dependencies ?? {})) {
    if (d && typeof d.version === 'string') out.add(`${d.name ?? key}@${d.version}`);
    if (d) flatten(d, out);
  }
  return out;
}

export async function npmLs(dir: string): Promise<Set<string> | string> {
  try {
    const { stdout } = await run('npm', ['ls', '--all', '--package-lock-only', '--json', '--offline'], {
      cwd: dir,
      timeout: 60_000,
      maxBuffer: 64 << 20,
    });
    return flatten(JSON.parse(stdout));
  } catch (err: any) {
    if (err?.stdout) {
      try {
        return flatten(JSON.parse(err.stdout));
      } catch {}
    }
    return `npm ls failed: ${err?.message?.split('\n')[0]}`;
  }
}
