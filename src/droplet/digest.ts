// bpx tree digest v1: SHA-256 over sorted `<type> <mode> <path> <content>` lines per droplet subject (docs/sbom-and-verify.md).
import { ownFolderOf } from '../platform/droplet-layout.ts';
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Issue } from '../model/index.ts';
import { type DropletEntry, forEachEntry } from './read.ts';

/** One line of a subject listing, kept apart so a verifier can say which files differ. */
export interface TreeLine {
  /** path relative to the subject root, percent-encoded as written in the line */
  path: string;
  line: string;
}

export interface SubjectDigest {
  /** `app` or `deps/<idx>` */
  name: string;
  /** lowercase hex SHA-256 of the listing */
  sha256: string;
  /** the sorted listing the digest is over (each line ends with \n) */
  lines: string[];
}

export interface TreeDigest {
  subjects: SubjectDigest[];
  issues: Issue[];
}

/**
 * Not part of a subject's digest: bpx's own output folder (`app/.bpx/`, `deps/<idx>/bpx/`: it holds the signature itself)
 * and `deps/<idx>/config.yml`, which the builder and bpx rewrite after signing (name, output_metadata).
 */
export function isExcluded(subject: string, rel: string): boolean {
  if (subject !== 'app' && rel === 'config.yml') return true;
  const own = ownFolderOf(subject);
  return rel === own || rel.startsWith(own + '/');
}

/** Droplet path → its subject and path inside it: `app/x/y` → [app, x/y]; `deps/0/a` → [deps/0, a]; others → null. */
export function splitSubject(p: string): { subject: string; rel: string } | null {
  if (p === 'app' || p.startsWith('app/')) return { subject: 'app', rel: p.slice(4) };
  const m = /^deps\/([^/]+)(?:\/(.*))?$/.exec(p);
  if (m) return { subject: `deps/${m[1]}`, rel: m[2] ?? '' };
  return null;
}

/** Bytes 0x00-0x20, '%' and 0x7F become %XX (upper-case hex): `a b%` → `a%20b%25`; other UTF-8 bytes stay as they are. */
export function encodeField(s: string): string {
  if (!/[\x00-\x20%\x7f]/.test(s)) return s;
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b <= 0x20 || b === 0x25 || b === 0x7f ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  }
  return Buffer.from(out, 'latin1').toString('utf8');
}

export type LineType = 'f' | 'd' | 'l' | 'o';

/** `f 644 lib/a.js <sha256>`, `d 755 lib -`, `l 777 bin/node ../lib/node`, `o 644 dev/x -` (mode: octal, no leading zeros). */
export function formatLine(type: LineType, mode: number, rel: string, value: string): TreeLine {
  const m = type === 'l' ? '777' : (mode & 0o7777).toString(8);
  const p = encodeField(rel);
  return { path: p, line: `${type} ${m} ${p} ${type === 'l' ? encodeField(value) : value}\n` };
}

/** Sorts by the encoded path's UTF-8 bytes (`LC_ALL=C sort -t' ' -k3,3`) and hashes the concatenated lines. */
export function finish(name: string, lines: TreeLine[]): SubjectDigest {
  const keyed = lines.map((l) => ({ k: Buffer.from(l.path, 'utf8'), l: l.line }));
  keyed.sort((a, b) => Buffer.compare(a.k, b.k));
  const hash = createHash('sha256');
  const out: string[] = [];
  for (const { l } of keyed) {
    hash.update(l, 'utf8');
    out.push(l);
  }
  return { name, sha256: hash.digest('hex'), lines: out };
}

/** SHA-256 of a listing as a verifier recomputes it from a stored list of lines. */
export function digestLines(lines: readonly string[]): string {
  const hash = createHash('sha256');
  for (const l of lines) hash.update(l, 'utf8');
  return hash.digest('hex');
}

async function hashStream(body: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One reusable read buffer: a file's content is hashed in 1 MiB slices, so memory does not grow with file size. */
const CHUNK = Buffer.allocUnsafe(1024 * 1024);

/**
 * SHA-256 of a file with synchronous reads. Measured on a 20,000-file droplet: the per-file cost of async
 * open/read/close through the thread pool was several times the hashing itself; the digest is the last step of a
 * phase, with nothing else to run meanwhile. `size` is what lstat said: a read that comes back short having reached
 * exactly that size is the end of the file, so most files take one read, not a second one that returns nothing (a
 * fifth of the system calls of a digest). Any other short read (the file grew, or a file system that returns less)
 * reads on to the end as before.
 */
export function hashFileSync(abs: string, size: number): string {
  const hash = createHash('sha256');
  const fd = openSync(abs, 'r');
  try {
    let total = 0;
    for (;;) {
      const n = readSync(fd, CHUNK, 0, CHUNK.length, null);
      if (n === 0) break;
      hash.update(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
      total += n;
      if (n < CHUNK.length && total === size) break;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Digest of one subject from a directory on disk (`dir` is the subject root: BUILD_DIR or DEPS_DIR/<idx>).
 * Symlinks are recorded, never followed.
 */
export async function digestDirectory(dir: string, name: string): Promise<SubjectDigest & { issues: Issue[] }> {
  const issues: Issue[] = [];
  const lines: TreeLine[] = [];
  const pending = [''];
  while (pending.length) {
    const relDir = pending.pop()!;
    const absDir = relDir ? path.join(dir, relDir) : dir;
    let names: string[];
    try {
      names = readdirSync(absDir);
    } catch (err) {
      issues.push({ path: absDir, severity: 'error', message: `cannot list directory: ${(err as Error).message}` });
      continue;
    }
    for (const n of names) {
      const rel = relDir ? `${relDir}/${n}` : n;
      if (isExcluded(name, rel)) continue;
      const abs = path.join(absDir, n);
      let st;
      try {
        st = lstatSync(abs);
      } catch (err) {
        issues.push({ path: abs, severity: 'error', message: `cannot stat: ${(err as Error).message}` });
        continue;
      }
      if (st.isSymbolicLink()) lines.push(formatLine('l', 0o777, rel, readlinkSync(abs)));
      else if (st.isDirectory()) {
        lines.push(formatLine('d', st.mode, rel, '-'));
        pending.push(rel);
      } else if (st.isFile()) {
        try {
          lines.push(formatLine('f', st.mode, rel, hashFileSync(abs, st.size)));
        } catch (err) {
          issues.push({ path: abs, severity: 'error', message: `cannot read file: ${(err as Error).message}` });
          lines.push(formatLine('f', st.mode, rel, '?'));
        }
      } else lines.push(formatLine('o', st.mode, rel, '-'));
    }
  }
  return { ...finish(name, lines), issues };
}

/** Every subject of an extracted droplet directory: `app` and each directory under `deps/`. */
export async function digestDropletDir(root: string): Promise<TreeDigest> {
  const issues: Issue[] = [];
  const subjects: SubjectDigest[] = [];
  const names = ['app'];
  const deps = await readdir(path.join(root, 'deps'), { withFileTypes: true }).catch(() => []);
  for (const d of deps) if (d.isDirectory()) names.push(`deps/${d.name}`);
  for (const n of names.sort()) {
    const st = await lstat(path.join(root, n)).catch(() => null);
    if (!st?.isDirectory()) continue;
    const { issues: i, ...s } = await digestDirectory(path.join(root, ...n.split('/')), n);
    subjects.push(s);
    issues.push(...i);
  }
  return { subjects, issues };
}

/**
 * The subject listings of a droplet read entry by entry (a tarball on disk, or one arriving as a download): feed every
 * entry to `add` in archive order, then `finish`. Memory grows with the number of entries, not their size.
 */
export class SubjectLister {
  readonly issues: Issue[] = [];
  private readonly bySubject = new Map<string, TreeLine[]>();
  private readonly fileHashes = new Map<string, string>();

  /** `label` names the droplet in issues. */
  constructor(private readonly label: string) {}

  private push(subject: string, l: TreeLine): void {
    let list = this.bySubject.get(subject);
    if (!list) this.bySubject.set(subject, (list = []));
    list.push(l);
  }

  /** One entry; a body given is read to its end here (unless the caller hashes it itself and passes `sha`). */
  async add(entry: DropletEntry, body: Readable | null, sha?: string): Promise<void> {
    const s = splitSubject(entry.path);
    if (!s || (s.rel === '' && entry.type !== 'directory')) return;
    if (!this.bySubject.has(s.subject)) this.bySubject.set(s.subject, []);
    if (s.rel === '' || isExcluded(s.subject, s.rel)) return;
    switch (entry.type) {
      case 'directory':
        return this.push(s.subject, formatLine('d', entry.mode, s.rel, '-'));
      case 'symlink':
        return this.push(s.subject, formatLine('l', 0o777, s.rel, entry.linkTarget ?? ''));
      case 'other':
        return this.push(s.subject, formatLine('o', entry.mode, s.rel, '-'));
      case 'file': {
        let h = sha;
        if (h === undefined && body) h = await hashStream(body);
        else if (h === undefined) {
          h = this.fileHashes.get(entry.linkTarget ?? '');
          if (!h)
            this.issues.push({
              path: this.label,
              severity: 'error',
              message: `${entry.path}: hard link to ${entry.linkTarget}, which is not an earlier regular file`,
            });
        }
        this.fileHashes.set(entry.path, h ?? '?');
        return this.push(s.subject, formatLine('f', entry.mode, s.rel, h ?? '?'));
      }
    }
  }

  /** Whether `add` wants this entry's content hashed (a file of a subject, outside the excluded folders). */
  static wants(entry: DropletEntry): boolean {
    const s = splitSubject(entry.path);
    return !!s && s.rel !== '' && entry.type === 'file' && !isExcluded(s.subject, s.rel);
  }

  finish(): SubjectDigest[] {
    return [...this.bySubject.keys()]
      .filter((n) => n === 'app' || n.startsWith('deps/'))
      .sort()
      .map((n) => finish(n, this.bySubject.get(n) ?? []));
  }
}

/**
 * Every subject of a droplet tarball, streaming: memory grows with the number of entries (the listing), not their size.
 * Gives the same digests as digestDropletDir on the extracted tree.
 */
export async function digestDropletTarball(
  tgzPath: string,
  opts: { keep?: (path: string) => boolean; maxKeepBytes?: number } = {},
): Promise<TreeDigest & { kept: Map<string, Buffer> }> {
  const lister = new SubjectLister(tgzPath);
  const issues = lister.issues;
  const kept = new Map<string, Buffer>();
  const maxKeep = opts.maxKeepBytes ?? 256 * 1024 * 1024;
  await forEachEntry(
    tgzPath,
    async (entry, body) => {
      if (body && opts.keep?.(entry.path)) {
        if (entry.size > maxKeep)
          issues.push({ path: tgzPath, severity: 'error', message: `${entry.path}: ${entry.size} bytes, over ${maxKeep}; not read` });
        else {
          const chunks: Buffer[] = [];
          for await (const c of body) chunks.push(c as Buffer);
          kept.set(entry.path, Buffer.concat(chunks));
        }
        return;
      }
      await lister.add(entry, body);
    },
    { onIssue: (i) => issues.push(i) },
  );
  return { subjects: lister.finish(), issues, kept };
}
