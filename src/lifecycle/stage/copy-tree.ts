// Copies an app folder into the build dir as Cloud Controller hands it to the builder: same tree, owner-writable.
import { chmod, copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Copies `src` to `dst` (which must not exist). Files and dirs get their mode plus owner write (a 444 source file
 * becomes 644, a 555 dir 755: what the recordings show), symlinks are copied as links, other types are skipped.
 */
export async function copyTree(src: string, dst: string): Promise<void> {
  const st = await lstat(src);
  await mkdir(dst, { mode: 0o700 });
  for (const name of (await readdir(src)).sort()) {
    const from = join(src, name);
    const to = join(dst, name);
    const s = await lstat(from);
    if (s.isDirectory()) await copyTree(from, to);
    else if (s.isSymbolicLink()) await symlink(await readlink(from), to);
    else if (s.isFile()) {
      await copyFile(from, to);
      await chmod(to, (s.mode & 0o7777) | 0o200);
    }
  }
  await chmod(dst, (st.mode & 0o7777) | 0o700);
}
