// Finds the files an operator manifest references (run scripts, relative paths in run lists and `with:`), to ship them,
// and what `bpx wrap` will refuse about them: the one rule `bpx validate` reports (located) and `wrap` enforces.
import { lstat, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Manifest } from '../manifest/types.ts';
import { shipProblem } from './copy-dereferenced.ts';

/** Where in the manifest a value sits: `['extensions', 0, 'with', 'db']`. */
export type ValuePath = Array<string | number>;

export interface References {
  /** paths relative to the manifest dir, POSIX, sorted, unique; files or directories. */
  paths: string[];
  /** referenced paths that exist but lie outside the manifest dir (cannot keep the relative layout). */
  outside: Array<{ extension: string; value: string; at: ValuePath }>;
  /** values that name a link which leads nowhere (dangling, or a loop): certainly meant as a file, and missing. */
  broken: Array<{ extension: string; value: string; at: ValuePath }>;
  /** each shipped path with the first place the manifest names it */
  sources: Array<{ rel: string; value: string; at: ValuePath }>;
}

/** A string worth checking on disk: not a URL, not an option, not absolute, short. */
function candidate(s: string): boolean {
  return (
    s.length > 0 && s.length < 4096 && !s.includes('://') && !s.startsWith('-') && !isAbsolute(s) && !s.includes('\n') && !s.includes('\0')
  );
}

export async function manifestReferences(manifest: Manifest, manifestDir: string): Promise<References> {
  const found = new Map<string, { value: string; at: ValuePath }>();
  const outside: References['outside'] = [];
  const broken: References['broken'] = [];
  const base = resolve(manifestDir);
  const check = async (ext: string, value: string, at: ValuePath) => {
    if (!candidate(value)) return;
    const abs = resolve(base, value);
    const exists = await stat(abs).then(
      () => true,
      () => false,
    );
    if (!exists) {
      // a link that leads nowhere names a file that is gone; a plain missing name may be any word
      if (
        await lstat(abs).then(
          (s) => s.isSymbolicLink(),
          () => false,
        )
      )
        broken.push({ extension: ext, value, at });
      return;
    }
    const rel = relative(base, abs);
    if (rel === '') return;
    if (rel.startsWith('..') || isAbsolute(rel)) {
      outside.push({ extension: ext, value, at });
      return;
    }
    const key = rel.split(sep).join('/');
    if (!found.has(key)) found.set(key, { value, at });
  };
  const walk = async (ext: string, v: unknown, at: ValuePath): Promise<void> => {
    if (typeof v === 'string') await check(ext, v, at);
    else if (Array.isArray(v)) for (const [k, x] of v.entries()) await walk(ext, x, [...at, k]);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) await walk(ext, x, [...at, k]);
  };
  for (const [i, e] of (manifest.extensions ?? []).entries()) {
    if (!e || typeof e !== 'object') continue;
    const at: ValuePath = ['extensions', i];
    if (typeof e.run === 'string') await check(e.name, e.run, [...at, 'run']);
    else if (Array.isArray(e.run))
      for (const [k, a] of e.run.entries()) if (typeof a === 'string') await check(e.name, a, [...at, 'run', k]);
    await walk(e.name, e.with, [...at, 'with']);
  }
  // a directory already shipped covers the files below it
  const sorted = [...found.keys()].sort();
  const paths = sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(`${q}/`)));
  return { paths, outside, broken, sources: paths.map((rel) => ({ rel, ...found.get(rel)! })) };
}

/** A reason `bpx wrap` refuses a referenced file, at the manifest value that names it. */
export interface ReferenceProblem {
  at: ValuePath;
  message: string;
}

/**
 * Everything `bpx wrap` refuses about the files a manifest references, before it writes anything: a path out of the
 * manifest's folder (the wrapper keeps the layout relative to bpx.yml), a link that dangles or loops, and a file or
 * folder that cannot be shipped as content (a dangling link or loop below a folder, an unreadable file, a device).
 */
export async function referenceProblems(manifest: Manifest, manifestDir: string): Promise<ReferenceProblem[]> {
  const refs = await manifestReferences(manifest, manifestDir);
  const out: ReferenceProblem[] = [];
  for (const o of refs.outside) {
    out.push({
      at: o.at,
      message: `${o.value} lies outside the manifest's folder: bpx wrap ships referenced files with the manifest, so they must sit beside it or below it`,
    });
  }
  for (const b of refs.broken) {
    const why = await shipProblem(resolve(manifestDir, b.value), b.value);
    out.push({ at: b.at, message: `cannot ship ${why ?? `${b.value}: a symbolic link that leads nowhere`}` });
  }
  for (const s of refs.sources) {
    const why = await shipProblem(resolve(manifestDir, ...s.rel.split('/')), s.rel);
    if (why) out.push({ at: s.at, message: `cannot ship ${why}` });
  }
  return out;
}
