// Writes a Cloud Foundry droplet: a gzipped ustar/pax tarball of ./app ./deps ./profile.d ./staging_info.yml ./tmp ./logs.
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tar from 'tar';

export interface WriteDropletOptions {
  /** a fixed mtime for every entry (from SOURCE_DATE_EPOCH) so equal trees give byte-equal droplets. */
  mtime?: Date;
}

/**
 * Lists the entries of `root` as the builder's `tar -C root .` names them ("./app", "./app/Gemfile", ...),
 * depth first with each folder's names sorted by code unit, so the order never depends on the file system.
 */
export async function dropletEntries(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const rel = `${prefix}/${name}`;
      out.push(rel);
      const st = await lstat(join(dir, name));
      if (st.isDirectory()) await walk(join(dir, name), rel);
    }
  };
  await walk(root, '.');
  return out;
}

/** Tars and gzips the folder `contentsDir` into `outFile` (written to a temp file beside it, then renamed). */
export async function writeDroplet(contentsDir: string, outFile: string, opts: WriteDropletOptions = {}): Promise<void> {
  const entries = await dropletEntries(contentsDir);
  const tmp = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.tmp`);
  try {
    await tar.c(
      {
        gzip: true,
        file: tmp,
        cwd: contentsDir,
        portable: true,
        noDirRecurse: true,
        ...(opts.mtime ? { mtime: opts.mtime } : {}),
      },
      entries,
    );
    await rename(tmp, outFile);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
