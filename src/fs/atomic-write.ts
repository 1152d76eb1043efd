// Atomic output writes: a temp file in the same directory, then rename (readers never see half a document, and a
// failure or Ctrl-C leaves the old file as it was). No node:crypto: the wrapper's phase runtime uses it too.
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

let seq = 0;

export async function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): Promise<void> {
  const unique = `${process.pid}.${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${unique}.tmp`);
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
