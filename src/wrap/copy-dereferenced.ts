// Copies a file or folder the operator manifest references into the wrapper, links replaced by what they point to.
import { chmod, copyFile, mkdir, readdir, realpath, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A link (at the top or anywhere below) is copied as its target's content, so that a script linked from outside the
 * manifest's folder ships as a file rather than as a link that dangles in the wrapper. A dangling link, a link loop
 * and anything that is neither a file nor a folder are errors naming the path.
 */
export async function copyDereferenced(src: string, dst: string, ancestors: ReadonlySet<string> = new Set()): Promise<void> {
  const real = await realpath(src);
  const st = await stat(real);
  if (st.isDirectory()) {
    if (ancestors.has(real)) throw new Error(`${src}: a symbolic link loop (it leads back to ${real})`);
    await mkdir(dst, { mode: st.mode & 0o777 });
    const inner = new Set(ancestors).add(real);
    for (const name of (await readdir(real)).sort()) await copyDereferenced(join(src, name), join(dst, name), inner);
    await chmod(dst, (st.mode & 0o777) | 0o700);
  } else if (st.isFile()) {
    await copyFile(real, dst);
    await chmod(dst, st.mode & 0o777);
  } else {
    throw new Error(`${src}: neither a file nor a folder`);
  }
  await utimes(dst, st.atime, st.mtime);
}
