// Finds the files an operator manifest references (run scripts, relative paths in run lists and `with:`), to ship them.
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Manifest } from '../manifest/types.ts';

export interface References {
  /** paths relative to the manifest dir, POSIX, sorted, unique; files or directories. */
  paths: string[];
  /** referenced paths that exist but lie outside the manifest dir (cannot keep the relative layout). */
  outside: Array<{ extension: string; value: string }>;
}

/** A string worth checking on disk: not a URL, not an option, not absolute, short. */
function candidate(s: string): boolean {
  return s.length > 0 && s.length < 4096 && !s.includes('://') && !s.startsWith('-') && !isAbsolute(s) && !s.includes('\n');
}

export async function manifestReferences(manifest: Manifest, manifestDir: string): Promise<References> {
  const found = new Set<string>();
  const outside: References['outside'] = [];
  const base = resolve(manifestDir);
  const check = async (ext: string, value: string) => {
    if (!candidate(value)) return;
    const abs = resolve(base, value);
    const exists = await stat(abs).then(() => true, () => false);
    if (!exists) return;
    const rel = relative(base, abs);
    if (rel === '' ) return;
    if (rel.startsWith('..') || isAbsolute(rel)) {
      outside.push({ extension: ext, value });
      return;
    }
    found.add(rel.split(sep).join('/'));
  };
  const walk = async (ext: string, v: unknown): Promise<void> => {
    if (typeof v === 'string') await check(ext, v);
    else if (Array.isArray(v)) for (const x of v) await walk(ext, x);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) await walk(ext, x);
  };
  for (const e of manifest.extensions ?? []) {
    if (typeof e.run === 'string') await check(e.name, e.run);
    else if (Array.isArray(e.run)) for (const a of e.run) await check(e.name, a);
    await walk(e.name, e.with);
  }
  // a directory already shipped covers the files below it
  const sorted = [...found].sort();
  const paths = sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(`${q}/`)));
  return { paths, outside };
}
