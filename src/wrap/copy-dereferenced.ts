// Copies a file or folder the operator manifest references into the wrapper, links replaced by what they point to.
import { constants } from 'node:fs';
import { access, chmod, copyFile, lstat, mkdir, readdir, readlink, realpath, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../platform/fs-error.ts';

/** Why a referenced path cannot be shipped; the message names the path as the caller showed it. */
export class ShipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShipError';
  }
}

/**
 * A link (at the top or anywhere below) is copied as its target's content, so that a script linked from outside the
 * manifest's folder ships as a file rather than as a link that dangles in the wrapper. A dangling link, a link loop,
 * an unreadable file or folder and anything that is neither a file nor a folder are ShipErrors naming the path
 * (`shown`, default `src`, with the names below it appended).
 */
export async function copyDereferenced(src: string, dst: string, shown = src): Promise<void> {
  await walk(src, shown, dst, new Set());
}

/**
 * The same rule without copying: undefined when copyDereferenced would ship `src`, else why not (`shown` names it).
 * `bpx validate` reports these, located, and `bpx wrap` refuses them before it writes anything.
 */
export async function shipProblem(src: string, shown = src): Promise<string | undefined> {
  try {
    await walk(src, shown, undefined, new Set());
    return undefined;
  } catch (err) {
    if (err instanceof ShipError) return err.message;
    throw err;
  }
}

async function walk(src: string, shown: string, dst: string | undefined, ancestors: ReadonlySet<string>): Promise<void> {
  const real = await realpath(src).catch((err: unknown) => linkError(src, shown, err));
  const st = await stat(real).catch((err: unknown) => fsError(shown, err));
  if (st.isDirectory()) {
    if (ancestors.has(real)) throw new ShipError(`${shown}: a symbolic link loop (it leads back to a folder above it)`);
    const names = (await readdir(real).catch((err: unknown) => fsError(shown, err))).sort();
    if (dst) await mkdir(dst, { mode: st.mode & 0o777 });
    const inner = new Set(ancestors).add(real);
    for (const name of names) await walk(join(src, name), `${shown}/${name}`, dst && join(dst, name), inner);
    if (dst) await chmod(dst, (st.mode & 0o777) | 0o700);
  } else if (st.isFile()) {
    if (dst) {
      await copyFile(real, dst).catch((err: unknown) => fsError(shown, err));
      await chmod(dst, st.mode & 0o777);
    } else await access(real, constants.R_OK).catch((err: unknown) => fsError(shown, err));
  } else {
    throw new ShipError(`${shown}: neither a file nor a folder (a device, socket or pipe cannot be shipped)`);
  }
  if (dst) await utimes(dst, st.atime, st.mtime);
}

/** realpath failed: a dangling link or a loop says so; anything else is the plain file-system reason. */
async function linkError(src: string, shown: string, err: unknown): Promise<never> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') throw new ShipError(`${shown}: a symbolic link loop`);
  const target = await readlink(src).catch(() => undefined);
  if (code === 'ENOENT' && target !== undefined)
    throw new ShipError(`${shown}: a dangling symbolic link (to ${target}, which does not exist)`);
  // a link whose target lies below another dangling link (a -> b/x, b -> nowhere)
  if (
    (code === 'ENOENT' || code === 'ENOTDIR') &&
    (await lstat(src).then(
      () => true,
      () => false,
    ))
  ) {
    throw new ShipError(`${shown}: leads through a dangling symbolic link`);
  }
  return fsError(shown, err);
}

function fsError(shown: string, err: unknown): never {
  throw new ShipError(`${shown}: ${describeFsError(err)}`);
}
