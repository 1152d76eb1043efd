// Locates ../shared/corpus beside the repository (tests skip through needCorpus, saying why, when it is absent).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needShared } from '../shared.ts';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const corpus = join(repoRoot, '..', 'shared', 'corpus');
export const haveCorpus = existsSync(corpus);
export const osvDir = join(corpus, 'osv');

/** true when ../shared/corpus is there; else `skipped: …` (a failure when CI is set). First thing in a test that needs it. */
export function needCorpus(): boolean {
  return needShared(corpus, 'the shared corpus');
}

/** Object.freeze on every nested object and array, so a mutation throws in strict mode. */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
