// Writes a Cloud Foundry droplet: a gzipped ustar/pax tarball of ./app ./deps ./profile.d ./staging_info.yml ./tmp ./logs.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { writeAtomic } from '../fs/atomic-write.ts';

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

/**
 * node-tar's `portable` option would rewrite permissions as if the umask were 022 (0664 → 0644, 0444 → 0644), which
 * the builder's tar does not do, and the signed tree digest covers modes. So modes are kept as they are on disk, and
 * only what `portable` is for is done by hand: no owner ids or names, no access or change times (deterministic).
 */
function keepModesDropOwners(entry: unknown): void {
  const e = entry as { stat?: { uid: number; gid: number; atime?: Date; ctime?: Date }; myuid?: number };
  if (!e.stat) return;
  e.stat.uid = 0;
  e.stat.gid = 0;
  e.myuid = -1; // no owner name: node-tar names only entries owned by the running user
  // node-tar writes access and change times into the header's prefix area when it has them: leave them out
  e.stat.atime = undefined;
  e.stat.ctime = undefined;
}

/** Tars and gzips the folder `contentsDir` into `outFile` (written to a temp file beside it, then renamed). */
export async function writeDroplet(contentsDir: string, outFile: string, opts: WriteDropletOptions = {}): Promise<void> {
  const entries = await dropletEntries(contentsDir);
  await writeAtomic(outFile, (tmp) =>
    tar.c(
      {
        // the gzip header carries no time or OS (what `portable` did for the compressed stream)
        gzip: { portable: true } as tar.TarOptionsWithAliases['gzip'],
        file: tmp,
        cwd: contentsDir,
        noDirRecurse: true,
        ...(opts.mtime ? { mtime: opts.mtime } : {}),
        onWriteEntry: keepModesDropOwners,
      },
      entries,
    ),
  );
}
