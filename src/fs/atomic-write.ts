// Atomic output writes: a temp file (or folder) beside the target, then rename (readers never see half a document, and
// a failure or Ctrl-C leaves the old output as it was). No node:crypto: the wrapper's phase runtime uses it too.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

let seq = 0;

/** `dir/.name.<pid>.<unique>.<suffix>`: beside `target` (same file system, so rename works), hidden, never a clash. */
function besideName(target: string, suffix: string): string {
  const unique = `${process.pid}.${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${unique}.${suffix}`);
}

export interface AtomicOptions {
  /**
   * An existing folder at the target is replaced too (`bpx wrap --force`): it is moved aside and removed once the new
   * output is in place. Without it, renaming over a folder fails as rename(2) does (EISDIR, ENOTEMPTY).
   */
  replaceFolder?: boolean;
}

/** A temp path beside a target: fill it (a file, a stream, a folder), then `commit()` it into place or `discard()` it. */
export interface AtomicTemp {
  /** the temp path: nothing exists there yet */
  readonly path: string;
  readonly target: string;
  /** renames the temp path over the target */
  commit(): Promise<void>;
  /** removes whatever the temp path holds (never fails) */
  discard(): Promise<void>;
}

export function atomicTemp(target: string, opts: AtomicOptions = {}): AtomicTemp {
  const tmp = besideName(target, 'tmp');
  return {
    path: tmp,
    target,
    commit: () => renameOver(tmp, target, opts.replaceFolder ?? false),
    discard: () => rm(tmp, { recursive: true, force: true }).catch(() => undefined),
  };
}

/** what rename(2) says when the target is a folder (or the source is one and the target is not) */
const FOLDER_IN_THE_WAY = new Set(['EISDIR', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR']);

async function renameOver(from: string, to: string, replaceFolder: boolean): Promise<void> {
  try {
    await rename(from, to);
    return;
  } catch (err) {
    if (!replaceFolder || !FOLDER_IN_THE_WAY.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  }
  // the old output goes aside first and comes back if the new one cannot take its place
  const aside = besideName(to, 'old');
  await rename(to, aside);
  try {
    await rename(from, to);
  } catch (err) {
    await rename(aside, to).catch(() => undefined);
    throw err;
  }
  await rm(aside, { recursive: true, force: true });
}

/**
 * Runs `fill(tmp)` to write the output at a temp path beside `target` (a file by any means: writeFile, a stream, an
 * external writer such as node-tar or yazl; or a folder), then renames it over `target`. When `fill` or the rename
 * fails, whatever it wrote is removed and the error is thrown as it was: `target` is as it was.
 */
export async function writeAtomic<T>(target: string, fill: (tmp: string) => Promise<T>, opts: AtomicOptions = {}): Promise<T> {
  const t = atomicTemp(target, opts);
  try {
    const value = await fill(t.path);
    await t.commit();
    return value;
  } catch (err) {
    await t.discard();
    throw err;
  }
}

export async function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): Promise<void> {
  await writeAtomic(file, (tmp) => writeFile(tmp, data, { mode, flag: 'wx' }));
}

/**
 * writeFileAtomic without a trip through libuv's thread pool for each step: for a small file where nothing else is
 * waiting (the phase runtime's staging state, src/lifecycle/state.ts).
 */
export function writeFileAtomicSync(file: string, data: string | Buffer, mode = 0o644): void {
  const tmp = besideName(file, 'tmp');
  try {
    writeFileSync(tmp, data, { mode, flag: 'wx' });
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // not written, or already renamed
    }
    throw err;
  }
}

export interface AtomicFile {
  path: string;
  data: string | Buffer;
  /** default 0o644 */
  mode?: number;
}

/** Which file of a `writeFilesAtomic` failed, and which were already in place and so removed again. */
export class AtomicWriteError extends Error {
  constructor(
    /** the file being written or renamed when it failed */
    readonly file: string,
    /** files that had been renamed into place before the failure: removed again (their old content is lost) */
    readonly removed: readonly string[],
    override readonly cause: unknown,
  ) {
    super(`${file}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'AtomicWriteError';
  }
}

/**
 * All of `files` or none (a key pair): each is written to a temp file beside it, then all are renamed. A failure
 * while writing leaves every target as it was; a failure while renaming removes the ones already renamed, since
 * half of a set is of no use. Temp files never stay. Throws an `AtomicWriteError`.
 */
export async function writeFilesAtomic(files: readonly AtomicFile[]): Promise<void> {
  const temps = files.map((f) => atomicTemp(f.path));
  const renamed: string[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const [i, f] of files.entries()) {
      current = f.path;
      await writeFile(temps[i].path, f.data, { mode: f.mode ?? 0o644, flag: 'wx' });
    }
    for (const t of temps) {
      current = t.target;
      await t.commit();
      renamed.push(t.target);
    }
  } catch (err) {
    await Promise.all(renamed.map((f) => rm(f, { force: true })));
    throw new AtomicWriteError(current, renamed, err);
  } finally {
    await Promise.all(temps.map((t) => t.discard()));
  }
}
