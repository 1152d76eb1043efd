// Extracts a buildpack zip (PKZIP, via yauzl) safely: entries escaping the target (`../`, absolute paths, links out) are refused.
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export class UnsafeZipError extends Error {
  constructor(readonly zip: string, readonly entry: string, reason: string) {
    super(`${zip}: entry '${entry}' ${reason}; refusing to extract`);
    this.name = 'UnsafeZipError';
  }
}

interface Entry {
  name: string;
  mode: number;
  isDir: boolean;
  isLink: boolean;
  raw: yauzl.Entry;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** `a/../../x` → error; `/etc/x`, `C:\x` → error; returns the normalised relative POSIX path. */
export function safeEntryPath(name: string): string | undefined {
  if (name.includes('\\') || name.includes('\0')) return undefined;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return undefined;
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/**
 * Extracts into destDir (which must exist and be empty). Every entry is checked before anything is written,
 * so a hostile zip leaves nothing behind but what the caller's temp dir holds.
 */
export async function extractZip(zipPath: string, destDir: string): Promise<void> {
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, z) => (err ? fail(new Error(`${zipPath}: not a readable zip: ${err.message}`)) : ok(z!))),
  );
  try {
    const entries: Entry[] = [];
    await new Promise<void>((ok, fail) => {
      zip.on('entry', (e: yauzl.Entry) => {
        const unixMode = (e.externalFileAttributes >>> 16) & 0xffff;
        const isLink = (unixMode & S_IFMT) === S_IFLNK;
        const isDir = e.fileName.endsWith('/') || (unixMode & S_IFMT) === S_IFDIR;
        entries.push({ name: e.fileName, mode: unixMode & 0o7777, isDir, isLink, raw: e });
        zip.readEntry();
      });
      zip.on('end', () => ok());
      zip.on('error', (err: Error) => {
        // yauzl checks names itself: turn its findings into the same refusal as ours
        const m = /^(invalid relative path|absolute path): (.*)$/.exec(err.message);
        if (m) fail(new UnsafeZipError(zipPath, m[2], m[1] === 'absolute path' ? 'has an absolute path' : 'escapes the target directory'));
        else fail(new Error(`${zipPath}: ${err.message}`));
      });
      zip.readEntry();
    });
    const safe: Array<Entry & { rel: string }> = [];
    for (const e of entries) {
      const rel = safeEntryPath(e.name);
      if (rel === undefined) throw new UnsafeZipError(zipPath, e.name, e.name.startsWith('/') || /^[A-Za-z]:/.test(e.name) ? 'has an absolute path' : 'escapes the target directory');
      if (rel === '') continue;
      safe.push({ ...e, rel });
    }
    const links = new Map<string, string>();
    for (const e of safe.filter((x) => x.isLink)) {
      const target = (await readEntry(zip, e.raw)).toString('utf8');
      const resolved = posix.normalize(posix.join(posix.dirname(e.rel), target));
      if (target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
        throw new UnsafeZipError(zipPath, e.name, `is a symbolic link pointing outside the buildpack (${target})`);
      }
      links.set(e.rel, target);
    }
    const root = resolve(destDir);
    for (const e of safe) {
      const out = join(root, ...e.rel.split('/'));
      if (!out.startsWith(root + sep)) throw new UnsafeZipError(zipPath, e.name, 'escapes the target directory');
      if (e.isDir) {
        await mkdir(out, { recursive: true });
        if (e.mode) await chmod(out, e.mode | 0o700);
        continue;
      }
      await mkdir(dirname(out), { recursive: true });
      const target = links.get(e.rel);
      if (target !== undefined) {
        await symlink(target, out);
        continue;
      }
      const stream = await new Promise<NodeJS.ReadableStream>((ok, fail) => zip.openReadStream(e.raw, (err, s) => (err ? fail(new Error(`${zipPath}: ${e.name}: ${err.message}`)) : ok(s!))));
      await pipeline(stream, createWriteStream(out, { mode: 0o600 }));
      // zips made without Unix attributes carry mode 0: give them rw-r--r--
      await chmod(out, e.mode || 0o644);
    }
  } finally {
    zip.close();
  }
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((ok, fail) =>
    zip.openReadStream(entry, (err, s) => {
      if (err || !s) return fail(err ?? new Error('cannot read entry'));
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.on('end', () => ok(Buffer.concat(chunks)));
      s.on('error', fail);
    }),
  );
}
