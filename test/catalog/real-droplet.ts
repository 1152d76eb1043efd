// The real nodejs-buildpack droplet skeleton in ../shared/cf-builder, read in place (never copied into the repo).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './corpus.ts';
import { skipOrFail } from '../shared.ts';

export const NODEJS_DROPLET = path.resolve(repoRoot, '..', 'shared', 'cf-builder', 'droplets', 'nodejs-buildpack-1.8.26-express');

/**
 * The skeleton's folder, or undefined after printing `skipped: <reason>` when ../shared is absent.
 * With CI set, an absent skeleton is a failure (it throws), never a silent skip.
 */
export function nodejsDroplet(env: NodeJS.ProcessEnv = process.env, dir = NODEJS_DROPLET): string | undefined {
  if (existsSync(path.join(dir, 'droplet')) && existsSync(path.join(dir, 'shipped.txt'))) return dir;
  skipOrFail(`${dir} is absent (the shared skeleton of a real nodejs-buildpack droplet)`, env);
  return undefined;
}

/** shipped.txt as purls: a purl per line, and the runtime as `node@18.20.3`, which capture reports as pkg:generic/node@18.20.3. */
export function shippedPurls(dir: string): string[] {
  return readFileSync(path.join(dir, 'shipped.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l.startsWith('pkg:') ? l : `pkg:generic/${l}`))
    .sort();
}
