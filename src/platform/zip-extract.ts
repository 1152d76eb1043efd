// Extracts a buildpack zip (PKWARE APPNOTE, via yauzl; Unix modes and links from the external attributes), refusing every entry that could reach outside.
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** A hostile or ambiguous entry: nothing of the zip was written when this is thrown. */
export class UnsafeZipError extends Error {
  constructor(
    readonly zip: string,
    readonly entry: string,
    readonly reason: string,
  ) {
    super(`${zip}: entry '${entry}' ${reason}; refusing to extract`);
    this.name = 'UnsafeZipError';
  }
}

/** The file is not a zip yauzl can read (or an entry's data is corrupt). */
export class ZipReadError extends Error {
  constructor(
    readonly zip: string,
    detail: string,
  ) {
    super(`${zip}: not a readable zip: ${detail}`);
    this.name = 'ZipReadError';
  }
}

type Kind = 'file' | 'dir' | 'link';

interface Entry {
  name: string;
  rel: string;
  kind: Kind;
  mode: number;
  raw: yauzl.Entry;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** Longest link target read from a zip (PATH_MAX): a longer one is refused, not read into memory. */
const MAX_LINK_TARGET = 4096;
/** Links followed while resolving one path, as the kernel's MAXSYMLINKS. */
const MAX_LINK_HOPS = 40;

/** `a/./b/` → `a/b`; `a/../../x`, `a/../b` → undefined (any `..`); `/etc/x`, `C:\x`, `\\srv\x` → undefined. */
export function safeEntryPath(name: string): string | undefined {
  if (name.includes('\\') || name.includes('\0')) return undefined;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return undefined;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/**
 * Where `target`, read as a link in folder `from` (path parts), lands inside the zip's tree, following the zip's own
 * links on the way as the kernel would (`a/b -> ..` then `c -> a/b/..` lands above the root). undefined: outside, absolute or a loop.
 */
export function resolveInZip(from: readonly string[], target: string, links: ReadonlyMap<string, string>, hops = 0): string[] | undefined {
  if (target.startsWith('/') || target.includes('\0')) return undefined;
  let at = [...from];
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return undefined;
      at.pop();
      continue;
    }
    at.push(part);
    const link = links.get(at.join('/'));
    if (link !== undefined) {
      if (hops >= MAX_LINK_HOPS) return undefined;
      const landed = resolveInZip(at.slice(0, -1), link, links, hops + 1);
      if (!landed) return undefined;
      at = landed;
    }
  }
  return at;
}

/**
 * Extracts zipPath into destDir (which must exist and be empty). Every entry is checked before anything is written:
 * `..` or absolute names, two entries with one name, entries below a link, links that leave the tree (also through a
 * chain of the zip's own links) are refused with UnsafeZipError. Modes are kept (set-id bits dropped); entries
 * without Unix attributes get 0755, so that scripts zipped elsewhere stay runnable.
 */
export async function extractZip(zipPath: string, destDir: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) =>
      err ? fail(new ZipReadError(zipPath, err.message)) : ok(z!),
    ),
  );
  try {
    const entries = await listEntries(zip, zipPath);
    const links = new Map<string, string>();
    for (const e of entries.filter((x) => x.kind === 'link')) {
      if (e.raw.uncompressedSize > MAX_LINK_TARGET)
        throw new UnsafeZipError(zipPath, e.name, 'is a symbolic link with an over-long target');
      links.set(e.rel, (await readEntry(zip, e.raw, zipPath)).toString('utf8'));
    }
    const kinds = new Map(entries.map((e) => [e.rel, e.kind]));
    for (const e of entries) {
      const parts = e.rel.split('/');
      for (let i = 1; i < parts.length; i++) {
        const above = parts.slice(0, i).join('/');
        if (links.has(above)) throw new UnsafeZipError(zipPath, e.name, `lies below the symbolic link '${above}'`);
        if (kinds.get(above) === 'file') throw new UnsafeZipError(zipPath, e.name, `lies below the file '${above}'`);
      }
      const target = links.get(e.rel);
      if (target !== undefined && !resolveInZip(parts.slice(0, -1), target, links)) {
        throw new UnsafeZipError(zipPath, e.name, `is a symbolic link pointing outside the buildpack (${target})`);
      }
    }
    const root = resolve(destDir);
    // links last: no file is ever written through one, even one that a later entry would make
    for (const e of [...entries.filter((x) => x.kind !== 'link'), ...entries.filter((x) => x.kind === 'link')]) {
      const out = join(root, ...e.rel.split('/'));
      if (!out.startsWith(root + sep)) throw new UnsafeZipError(zipPath, e.name, 'escapes the target directory');
      if (e.kind === 'dir') {
        await mkdir(out, { recursive: true });
        await chmod(out, (e.mode || 0o755) | 0o700);
        continue;
      }
      await mkdir(dirname(out), { recursive: true });
      if (e.kind === 'link') {
        await symlink(links.get(e.rel)!, out);
        continue;
      }
      const stream = await new Promise<NodeJS.ReadableStream>((ok, fail) =>
        zip.openReadStream(e.raw, (err, s) => (err ? fail(new ZipReadError(zipPath, `${e.name}: ${err.message}`)) : ok(s!))),
      );
      try {
        await pipeline(stream, createWriteStream(out, { mode: 0o600, flags: 'wx' }));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code) throw err;
        throw new ZipReadError(zipPath, `${e.name}: ${(err as Error).message}`);
      }
      await chmod(out, e.mode || 0o755);
    }
  } finally {
    zip.close();
  }
}

async function listEntries(zip: yauzl.ZipFile, zipPath: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  await new Promise<void>((ok, fail) => {
    zip.on('entry', (e: yauzl.Entry) => {
      const unixMode = (e.externalFileAttributes >>> 16) & 0xffff;
      const kind: Kind =
        (unixMode & S_IFMT) === S_IFLNK ? 'link' : e.fileName.endsWith('/') || (unixMode & S_IFMT) === S_IFDIR ? 'dir' : 'file';
      const rel = safeEntryPath(e.fileName);
      if (rel === undefined) {
        const abs = e.fileName.startsWith('/') || /^[A-Za-z]:/.test(e.fileName);
        return fail(new UnsafeZipError(zipPath, e.fileName, abs ? 'has an absolute path' : 'escapes the target directory'));
      }
      if (rel !== '') entries.push({ name: e.fileName, rel, kind, mode: unixMode & 0o777, raw: e });
      zip.readEntry();
    });
    zip.on('end', () => ok());
    zip.on('error', (err: Error) => {
      // yauzl checks names itself: its findings are the same refusal as ours
      const m = /^(invalid relative path|absolute path): (.*)$/.exec(err.message);
      if (m) fail(new UnsafeZipError(zipPath, m[2], m[1] === 'absolute path' ? 'has an absolute path' : 'escapes the target directory'));
      else fail(new ZipReadError(zipPath, err.message));
    });
    zip.readEntry();
  });
  // one name, one entry (a directory may be listed twice): else which one wins depends on the extractor
  const seen = new Map<string, Kind>();
  for (const e of entries) {
    const had = seen.get(e.rel);
    if (had !== undefined && !(had === 'dir' && e.kind === 'dir')) throw new UnsafeZipError(zipPath, e.name, 'appears twice');
    seen.set(e.rel, e.kind);
  }
  return entries;
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, zipPath: string): Promise<Buffer> {
  return new Promise((ok, fail) =>
    zip.openReadStream(entry, (err, s) => {
      if (err || !s) return fail(new ZipReadError(zipPath, `${entry.fileName}: ${err?.message ?? 'cannot read entry'}`));
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('end', () => ok(Buffer.concat(chunks)));
      s.on('error', (e: Error) => fail(new ZipReadError(zipPath, `${entry.fileName}: ${e.message}`)));
    }),
  );
}
