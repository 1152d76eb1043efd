// Writes a directory tree as a zip (PKZIP, via yazl) keeping Unix modes and symlinks, entries sorted.
import { createWriteStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/** Fixed entry time, so that the same input gives the same zip. */
const MTIME = new Date(Date.UTC(1980, 0, 2));

export async function writeZipFromDir(dir: string, zipFile: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const walk = async (abs: string, rel: string) => {
    for (const name of (await readdir(abs)).sort()) {
      const p = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(p);
      if (st.isSymbolicLink()) {
        zip.addBuffer(Buffer.from(await readlink(p)), r, { mode: 0o120777, mtime: MTIME, compress: false });
      } else if (st.isDirectory()) {
        zip.addEmptyDirectory(r, { mode: 0o040000 | (st.mode & 0o7777), mtime: MTIME });
        await walk(p, r);
      } else if (st.isFile()) {
        zip.addFile(p, r, { mode: 0o100000 | (st.mode & 0o7777), mtime: MTIME });
      }
    }
  };
  await walk(dir, '');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipFile, { mode: 0o644 }));
}
