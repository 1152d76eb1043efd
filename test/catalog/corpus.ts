// Locates the shared corpus (../shared beside the repo) for tests; undefined when absent: a test starts with `if (!needShared(corpusDir)) return;` (test/shared.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = path.resolve(repoRoot, '..', 'shared');
export const corpusDir: string | undefined = existsSync(path.join(shared, 'corpus', 'lockfiles')) ? path.join(shared, 'corpus') : undefined;

/** corpus/expected-counts.json `files` entry for a corpus-relative path. */
export function expectedCounts(rel: string): Record<string, unknown> | undefined {
  if (!corpusDir) return undefined;
  const all = JSON.parse(readFileSync(path.join(corpusDir, 'expected-counts.json'), 'utf8')) as {
    files: Record<string, Record<string, unknown>>;
  };
  return all.files[rel];
}
