// ScanContext over a directory on disk: the only way managers read the scanned tree (see types.ts).
import { closeSync, fstatSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../model/index.ts';
import type { AppFile, ScanContext } from './types.ts';
import { byPath, inside, walk } from './walk.ts';

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface ScanOptions {
  includeDev?: boolean;
  /** Reads of larger files are refused (capture reports them as skipped, and itself as incomplete). Default 64 MiB. */
  maxFileBytes?: number;
  /** Paths (as the context lists them, prefix included) some package manager reads: a link skipped there is an error. */
  wanted?: (path: string) => boolean;
  /**
   * Which files `files` lists (paths as the context lists them, prefix included; a flag each); default every file.
   * The others stay readable (`has`, `read`: a manifest beside a lockfile, a `-r` include), checked against the walk
   * when asked for.
   */
  keep?: (paths: readonly string[]) => readonly boolean[];
  /** A test of a file's name alone that every file `keep` accepts passes (WalkOptions.name); default every name. */
  name?: (name: string) => boolean;
}

export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${path}: ${size} bytes is over the ${limit}-byte bound: skipped`);
  }
}

/** Relative POSIX path without `.`/`..` escapes, or undefined when it would leave the root. */
function clean(rel: string): string | undefined {
  if (path.posix.isAbsolute(rel) || rel.includes('\0')) return undefined;
  const n = path.posix.normalize(rel);
  if (n === '..' || n.startsWith('../') || n === '.') return undefined;
  return n;
}

/** A directory shown under a path prefix, e.g. BUILD_DIR as `app/` and DEPS_DIR as `deps/` (the droplet layout). */
export interface Mount {
  /** '' or a POSIX prefix ending in '/', e.g. 'app/'. */
  prefix: string;
  dir: string;
}

/** A file the walk saw: its path as listed, its size when known, and where it is on disk. */
interface Located {
  path: string;
  size: number | undefined;
  abs: string;
}

interface MountedWalk {
  prefix: string;
  root: string;
  /** the directories the walk listed (relative to root) */
  dirs: Set<string>;
  links: Map<string, string>;
}

class DirContext implements ScanContext {
  readonly files: readonly AppFile[];
  readonly includeDev: boolean;
  /** The listed files by path, with their sizes. */
  readonly #byPath: Map<string, AppFile>;
  readonly #mounts: MountedWalk[];
  readonly #max: number;
  constructor(mounts: MountedWalk[], files: AppFile[], includeDev: boolean, max: number) {
    this.#mounts = mounts;
    this.files = files;
    this.includeDev = includeDev;
    this.#max = max;
    this.#byPath = new Map(files.map((f) => [f.path, f]));
  }
  /**
   * The file at `rel`: a listed one (with its size), or one the walk saw without listing it. A path exactly as listed
   * is clean by construction (readdir never yields `.` or `..`), so only other spellings pay for normalising:
   * managers mostly pass back paths they were given.
   */
  #lookup(rel: string): { path: string; size?: number } | undefined {
    const f = this.#byPath.get(rel);
    if (f !== undefined) return f;
    const c = clean(rel);
    if (c === undefined) return undefined;
    return this.#byPath.get(c) ?? (this.#seen(c) ? { path: c } : undefined);
  }
  /**
   * Whether the walk would have listed `c` (clean) had it been asked to: its directory was listed (so it is below
   * the root, reached without a link, outside skipped directories) and it is a regular file there, or a link the
   * walk kept (its target a file inside the root).
   */
  #seen(c: string): boolean {
    const m = this.#mounts.find((x) => c.startsWith(x.prefix));
    if (m === undefined) return false;
    const inner = c.slice(m.prefix.length);
    const slash = inner.lastIndexOf('/');
    if (inner === '' || !m.dirs.has(slash < 0 ? '' : inner.slice(0, slash))) return false;
    if (m.links.has(inner)) return true;
    try {
      return lstatSync(m.root.endsWith(path.sep) ? m.root + inner : m.root + path.sep + inner).isFile();
    } catch {
      return false;
    }
  }
  has(rel: string): boolean {
    return this.#lookup(rel) !== undefined;
  }
  async read(rel: string): Promise<Buffer> {
    return this.#readLocated(await this.#locate(rel));
  }
  /**
   * A located file's bytes. Synchronous on purpose: capture reads a thousand small package.json files, and a
   * thread-pool hop per call costs more than the read (measured 3-4x slower on a loaded staging host). Bounded by
   * maxFileBytes.
   */
  #readLocated({ path: c, size, abs }: Located): Buffer {
    const fd = openSync(abs, 'r');
    try {
      return this.#readBounded(fd, c, size ?? fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
  }
  /**
   * The file's absolute path (links checked again: one may have changed since the walk) and its size when known.
   * Only files the walk saw: that is what keeps links out of the root and directories unreadable.
   */
  async #locate(rel: string): Promise<Located> {
    const file = this.#lookup(rel);
    if (file === undefined) throw new Error(`${rel}: not a file below the scanned root`);
    const c = file.path;
    const m = this.#mounts.find((x) => c.startsWith(x.prefix)) as MountedWalk;
    const inner = c.slice(m.prefix.length);
    // The walk entered no linked directory, so a listed non-link file is inside the root. `inner` is clean, so
    // joining needs no normalising.
    let abs = m.root.endsWith(path.sep) ? m.root + inner : m.root + path.sep + inner;
    if (m.links.has(inner)) {
      abs = await realpath(abs);
      if (!inside(m.root, abs)) throw new Error(`${rel}: link out of the app`);
    }
    return { path: c, size: file.size, abs };
  }
  /**
   * Reads an open file that was `expected` bytes when listed or sized (capture sizes every file a manager
   * wants, so no fstat is needed here): one read of expected+1 bytes usually does it. Getting more than
   * `expected` means the file grew since; it is then sized again from the descriptor, under the bound.
   */
  #readBounded(fd: number, rel: string, expected: number): Buffer {
    if (expected > this.#max) throw new FileTooLargeError(rel, expected, this.#max);
    const buf = Buffer.allocUnsafe(expected + 1);
    let off = readSync(fd, buf, 0, expected + 1, 0);
    while (off < expected) {
      const n = readSync(fd, buf, off, expected + 1 - off, off);
      if (n === 0) break;
      off += n;
    }
    if (off <= expected) return buf.subarray(0, off);
    const size = fstatSync(fd).size;
    if (size > this.#max) throw new FileTooLargeError(rel, size, this.#max);
    const all = Buffer.allocUnsafe(size);
    off = 0;
    while (off < size) {
      const n = readSync(fd, all, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? all : all.subarray(0, off);
  }
  async readText(rel: string): Promise<string> {
    const at = await this.#locate(rel);
    let s: string | undefined;
    if (at.size !== undefined && at.size <= this.#max) {
      // A listed file was sized under the bound: Node reads and decodes it in one call. A file that grew past the
      // bound since cannot pass unseen: UTF-8 takes at most 3 bytes per UTF-16 unit (an invalid byte decodes to one
      // unit), so a text of up to a third of the bound is within it; a longer one is read again, bounded.
      s = readFileSync(at.abs, 'utf8');
      if (s.length * 3 > this.#max) s = undefined;
    }
    s ??= this.#readLocated(at).toString('utf8');
    // strip a UTF-8 BOM: JSON.parse rejects it and some Windows-made lockfiles carry one
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  }
}

/** Walks `root` once and returns a ScanContext over it, with the walk's issues (skipped links...). */
export async function scanContextForDir(root: string, opts: ScanOptions = {}): Promise<{ ctx: ScanContext; issues: Issue[] }> {
  return scanContextForMounts([{ prefix: '', dir: root }], opts);
}

/**
 * One ScanContext over several directories, each under its prefix: staging captures BUILD_DIR as `app/`
 * and DEPS_DIR as `deps/`, so managers see the droplet's layout (an app lockfile beside deps/0/node_modules).
 */
export async function scanContextForMounts(
  mounts: readonly Mount[],
  opts: ScanOptions = {},
): Promise<{ ctx: ScanContext; issues: Issue[] }> {
  const walked: MountedWalk[] = [];
  const files: AppFile[] = [];
  const issues: Issue[] = [];
  // longest prefix first, so `deps/` is not taken for '' when both are mounted
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const m of sorted) {
    if (m.prefix && !m.prefix.endsWith('/')) throw new Error(`mount prefix must end with '/': ${m.prefix}`);
    const { wanted, keep, name } = opts;
    const w = await walk(m.dir, {
      ...(name ? { name } : {}),
      ...(wanted ? { wanted: m.prefix ? (rel: string) => wanted(m.prefix + rel) : wanted } : {}),
      ...(keep ? { keep: m.prefix ? (rels: readonly string[]) => keep(rels.map((r) => m.prefix + r)) : keep } : {}),
    });
    walked.push({ prefix: m.prefix, root: w.root, dirs: w.dirs, links: w.links });
    for (const f of w.files) files.push(m.prefix ? prefixed(m.prefix, f) : f);
    for (const i of w.issues) issues.push({ ...i, path: m.prefix + i.path });
  }
  if (walked.length > 1) {
    files.sort(byPath);
    issues.sort(byPath);
  }
  const ctx = new DirContext(walked, files, opts.includeDev ?? false, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  return { ctx, issues };
}

function prefixed(prefix: string, f: AppFile): AppFile {
  return {
    path: prefix + f.path,
    get size() {
      return f.size;
    },
  };
}
