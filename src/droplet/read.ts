// Reading Cloud Foundry droplets: gzip-compressed POSIX/pax/GNU tar (node-tar's parser), streamed entry by entry.
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { lstat, mkdir, realpath, symlink, link, unlink, chmod } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import type { Issue } from '../model/index.ts';

export interface DropletEntry {
  /** normalised POSIX path, no leading './', no trailing '/' */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  /** permission bits (mode & 0o7777) */
  mode: number;
  size: number;
  /** symlink: the target as stored; hard link (type 'file', body null): the normalised path of the earlier entry it shares content with. */
  linkTarget?: string;
}

export interface ForEachOptions {
  /** hostile or unusual entries (absolute paths, `..`, devices, oversized headers) are reported here and never passed on as files. */
  onIssue?: (issue: Issue) => void;
}

/** pax/GNU long-name headers above this are ignored (and reported): a hostile archive must not make us buffer megabytes of header. */
const MAX_META_BYTES = 256 * 1024;
const MAX_PATH_BYTES = 4096;

type Normalised = { ok: true; path: string } | { ok: false; reason: string };

/** `./app//x/` → `app/x`; `/etc/x` and `app/../../x` are refused (hostile), never resolved. */
export function normaliseEntryPath(raw: string): Normalised {
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) return { ok: false, reason: `path longer than ${MAX_PATH_BYTES} bytes` };
  if (raw.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(raw)) return { ok: false, reason: 'drive-letter path' };
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { ok: false, reason: "path contains '..'" };
  return { ok: true, path: segments.join('/') };
}

function kindOf(type: string): DropletEntry['type'] | 'hardlink' {
  switch (type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
    case 'GNUDumpDir':
      return 'directory';
    case 'SymbolicLink':
      return 'symlink';
    case 'Link':
      return 'hardlink';
    default:
      return 'other';
  }
}

/**
 * Calls fn for every entry of the droplet, in archive order, one at a time (fn may be async; the next entry waits).
 * Memory does not grow with the archive: bodies stream with back-pressure, an unread body is drained after fn returns.
 * Hard links are passed as type 'file' with body null and linkTarget naming the earlier entry.
 * Malformed or truncated gzip/tar rejects with an Error naming the file; an error thrown by fn rejects as is.
 */
export async function forEachEntry(
  tgzPath: string,
  fn: (entry: DropletEntry, body: Readable | null) => Promise<void> | void,
  opts: ForEachOptions = {},
): Promise<void> {
  const gzip = isGzipFile(tgzPath);
  const whole = gzip && wholeBelow > 0 ? inflateWhole(tgzPath) : undefined;
  if (whole) return forEachStreamEntry(Readable.from([whole]), tgzPath, fn, opts);
  // 1 MiB reads, and a gzip droplet inflated by Node's zlib stream, on the thread pool: node-tar inflates in this
  // thread, synchronously, 64 KiB at a time (a third of the read's time, and none of it overlapping the tar parse)
  const src = createReadStream(tgzPath, { highWaterMark: READ_BYTES });
  if (!gzip) return forEachStreamEntry(src, tgzPath, fn, opts);
  const gunzip = createGunzip({ chunkSize: READ_BYTES });
  const readErrors = new WeakSet<Error>();
  // inflate errors named as node-tar names its own (`zlib: unexpected end of file`), so messages stay as they were
  gunzip.prependListener('error', (e) => {
    if (!readErrors.has(e)) e.message = `zlib: ${e.message}`;
  });
  // a read error ends the inflate with it, and so reaches the parser's reader
  src.on('error', (e) => (readErrors.add(e), gunzip.destroy(e)));
  return forEachStreamEntry(src.pipe(gunzip), tgzPath, fn, opts);
}

const READ_BYTES = 1024 * 1024;
// droplets up to this size (compressed) are read and inflated in one go, when a worker thread asked for it
let wholeBelow = 0;
// ... and inflated to at most this much; a larger one (a zip bomb, or just large) streams
const MAX_WHOLE_INFLATED = 128 * 1024 * 1024;

/**
 * For worker threads: read a gzip droplet of at most `bytes` in one read and inflate it synchronously, in this thread.
 * Small droplets then cost no thread-pool round trips (a worker waited a third of its time for them), and blocking is
 * harmless off the main thread. 0 (the default) streams every droplet.
 */
export function inflateWholeBelow(bytes: number): void {
  wholeBelow = bytes;
}

// the compressed droplet is read into this buffer, kept from one droplet to the next: a fresh buffer per droplet costs
// its pages again each time (page faults of a new allocation were more of a scan's time than the read itself)
let readScratch: Buffer | undefined;

/** The file's bytes in readScratch (valid until the next call), or undefined when it is over `limit` bytes. */
function readIntoScratch(file: string, limit: number): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return undefined;
    if (!readScratch || readScratch.length < size) readScratch = Buffer.allocUnsafeSlow(Math.max(size, 4 * 1024 * 1024));
    let got = 0;
    for (let n; got < size && (n = readSync(fd, readScratch, got, size - got, got)) > 0;) got += n;
    return readScratch.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The inflated droplet, or undefined when it is too large for one go (it is streamed instead). */
function inflateWhole(file: string): Buffer | undefined {
  let buf: Buffer | undefined;
  try {
    buf = readIntoScratch(file, wholeBelow);
  } catch {
    return undefined; // streaming it reports the error as it always has
  }
  if (!buf) return undefined;
  // the compressed bytes are read before inflating, into readScratch: gunzipSync's output is a buffer of its own
  try {
    // gzip's trailer states the inflated size (of the last member, modulo 4 GiB): one output chunk of that size (+1,
    // so zlib does not ask for a second one to see the end) saves growing and concatenating 1 MiB chunks; a wrong
    // hint only costs more chunks
    const hint = buf.length >= 18 ? buf.readUInt32LE(buf.length - 4) : 0;
    if (hint > MAX_WHOLE_INFLATED) return undefined;
    const chunkSize = Math.min(Math.max(hint + 1, 64 * 1024), MAX_WHOLE_INFLATED);
    return gunzipSync(buf, { chunkSize, maxOutputLength: MAX_WHOLE_INFLATED });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    // as the streamed inflate names it (node-tar's own wording: `zlib: unexpected end of file`)
    throw new Error(`${file}: not a readable droplet (gzip-compressed tar): zlib: ${(e as Error).message}`);
  }
}

/** Whether the file starts with gzip's magic bytes (a missing file is not: opening it again reports the error). */
function isGzipFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * forEachEntry over a droplet that arrives as a stream (a download): `tgzPath` only names it in messages. The stream is
 * read with back-pressure and destroyed when reading fails.
 */
export async function forEachStreamEntry(
  src: Readable,
  tgzPath: string,
  fn: (entry: DropletEntry, body: Readable | null) => Promise<void> | void,
  opts: ForEachOptions = {},
): Promise<void> {
  const report = (issue: Issue) => opts.onIssue?.(issue);
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    let chain: Promise<void> = Promise.resolve();
    const parser = new Parser({ strict: true, maxMetaEntrySize: MAX_META_BYTES });
    const fail = (err: unknown, own: boolean) => {
      if (failed) return;
      failed = true;
      src.destroy();
      const e = err as Error;
      reject(own ? e : new Error(`${tgzPath}: not a readable droplet (gzip-compressed tar): ${e?.message ?? String(err)}`));
    };
    src.on('error', (err) => fail(err, false));
    parser.on('error', (err: Error) => fail(err, false));
    parser.on('abort', (err: Error) => fail(err, false));
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      if (entry.meta)
        report({
          path: tgzPath,
          severity: 'warning',
          message: `${entry.path || '(unnamed)'}: tar extended header of ${entry.size} bytes ignored (limit ${MAX_META_BYTES})`,
        });
    });
    parser.on('entry', (entry: ReadEntry) => {
      // Hold the entry until fn of the previous one has finished: node-tar then stops reading (back-pressure).
      entry.pause();
      chain = chain.then(async () => {
        if (failed) return void entry.resume();
        try {
          await handle(entry);
        } catch (err) {
          entry.resume();
          fail(err, true);
        }
      });
    });
    parser.on('end', () => {
      chain.then(() => {
        if (!failed) resolve();
      });
    });
    src.pipe(parser);

    async function handle(entry: ReadEntry): Promise<void> {
      const norm = normaliseEntryPath(entry.path);
      const kind = kindOf(entry.type);
      if (!norm.ok) {
        report({ path: tgzPath, severity: 'error', message: `${JSON.stringify(entry.path)}: entry refused (${norm.reason})` });
        return drain(entry);
      }
      if (norm.path === '') return drain(entry); // the archive root './'
      const mode = (entry.mode ?? 0) & 0o7777;
      const size = entry.size ?? 0;
      if (kind === 'other') {
        report({
          path: tgzPath,
          severity: 'warning',
          message: `${norm.path}: ${entry.type} entry is not a file, directory or link; not followed`,
        });
        await fn({ path: norm.path, type: 'other', mode, size: 0 }, null);
        return drain(entry);
      }
      if (kind === 'hardlink') {
        const target = normaliseEntryPath(entry.linkpath ?? '');
        if (!target.ok || target.path === '') {
          report({
            path: tgzPath,
            severity: 'error',
            message: `${norm.path}: hard link to ${JSON.stringify(entry.linkpath)} refused (${target.ok ? 'empty target' : target.reason})`,
          });
          return drain(entry);
        }
        await fn({ path: norm.path, type: 'file', mode, size: 0, linkTarget: target.path }, null);
        return drain(entry);
      }
      if (kind === 'symlink') {
        await fn({ path: norm.path, type: 'symlink', mode, size: 0, linkTarget: entry.linkpath ?? '' }, null);
        return drain(entry);
      }
      if (kind === 'directory') {
        await fn({ path: norm.path, type: 'directory', mode, size: 0 }, null);
        return drain(entry);
      }
      // The content flows only once fn reads the body: a body fn never reads is drained from the tar stream as it is,
      // not copied through a stream first (most entries of a droplet, for a scan)
      let flowing = false;
      const body = new Readable({
        highWaterMark: 64 * 1024,
        read() {
          if (!flowing) {
            flowing = true;
            entry.on('data', (chunk: Buffer) => {
              if (!body.destroyed && !body.push(chunk)) entry.pause();
            });
            entry.on('end', () => {
              if (!body.destroyed) body.push(null);
            });
          }
          entry.resume();
        },
        destroy(err, cb) {
          entry.resume();
          cb(err);
        },
      });
      const ended = new Promise<void>((res) => entry.on('end', res));
      await fn({ path: norm.path, type: 'file', mode, size }, body);
      if (!flowing) entry.resume();
      else if (!body.destroyed) body.resume(); // fn did not read it all: drain
      await ended;
    }
  });
}

function drain(entry: ReadEntry): Promise<void> {
  return new Promise((res) => {
    if (entry.emittedEnd) return res();
    entry.on('end', () => res());
    entry.resume();
  });
}

export interface ExtractOptions {
  /** extract only entries whose path passes (directories leading to a kept entry are created anyway). */
  filter?: (path: string) => boolean;
  /** files larger than this are skipped with a warning. */
  maxFileBytes?: number;
}

/**
 * Extracts a droplet under destDir (created if missing; meant to be empty). Never writes outside destDir:
 * `..` and absolute entries, links whose target leaves destDir, devices and FIFOs are skipped and reported.
 */
export async function extractDroplet(tgzPath: string, destDir: string, opts: ExtractOptions = {}): Promise<{ issues: Issue[] }> {
  const issues: Issue[] = [];
  await mkdir(destDir, { recursive: true });
  const root = await realpath(destDir);
  const safeDirs = new Set<string>([root]);
  const note = (p: string, message: string, severity: Issue['severity'] = 'warning'): void => {
    issues.push({ path: tgzPath, severity, message: `${p}: ${message}` });
  };

  /** mkdir -p inside root, refusing any parent that resolves outside it (a symlink planted earlier). */
  async function ensureDir(abs: string): Promise<boolean> {
    if (safeDirs.has(abs)) return true;
    await mkdir(abs, { recursive: true });
    const real = await realpath(abs);
    if (real !== root && !real.startsWith(root + path.sep)) return false;
    safeDirs.add(abs);
    return true;
  }
  async function clear(abs: string): Promise<void> {
    const st = await lstat(abs).catch(() => null);
    if (st && !st.isDirectory()) await unlink(abs);
  }

  await forEachEntry(
    tgzPath,
    async (entry, body) => {
      if (opts.filter && !opts.filter(entry.path)) return;
      const abs = path.join(root, ...entry.path.split('/'));
      const parentOk = await ensureDir(path.dirname(abs)).catch(() => false);
      if (!parentOk) return note(entry.path, 'parent directory resolves outside the destination; skipped', 'error');
      switch (entry.type) {
        case 'directory': {
          const st = await lstat(abs).catch(() => null);
          if (st && !st.isDirectory()) return note(entry.path, 'a non-directory already exists here; skipped');
          if (!(await ensureDir(abs).catch(() => false)))
            return note(entry.path, 'directory resolves outside the destination; skipped', 'error');
          await chmod(abs, (entry.mode & 0o777) | 0o700);
          return;
        }
        case 'symlink': {
          const target = entry.linkTarget ?? '';
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(entry.path), target));
          if (path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) {
            return note(entry.path, `symlink to ${JSON.stringify(target)} points outside the droplet; skipped`);
          }
          await clear(abs);
          await symlink(target, abs).catch((err: Error) => note(entry.path, `symlink not created: ${err.message}`));
          return;
        }
        case 'other':
          return note(entry.path, 'device, FIFO or unknown entry not extracted');
        case 'file': {
          if (body === null) {
            // hard link to an earlier entry: only when that entry is a regular file inside root
            const targetAbs = path.join(root, ...(entry.linkTarget ?? '').split('/'));
            const st = await lstat(targetAbs).catch(() => null);
            if (!st || !st.isFile())
              return note(entry.path, `hard link target ${JSON.stringify(entry.linkTarget)} is not an extracted regular file; skipped`);
            await clear(abs);
            await link(targetAbs, abs);
            return;
          }
          if (opts.maxFileBytes !== undefined && entry.size > opts.maxFileBytes) {
            return note(entry.path, `file of ${entry.size} bytes is over the limit of ${opts.maxFileBytes}; skipped`);
          }
          await clear(abs);
          await pipeline(body, createWriteStream(abs, { mode: entry.mode & 0o777, flags: 'wx' }));
          return;
        }
      }
    },
    { onIssue: (i) => issues.push(i) },
  );
  return { issues };
}
