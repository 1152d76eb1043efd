// Where a buildpack given to `bpx stage` lives: a folder used in place, or a zip extracted to a work folder.
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { extractZip, UnsafeZipError, ZipReadError } from '../../platform/zip-extract.ts';

export interface BuildpackSpec {
  /** what Cloud Controller calls the buildpack: result.json `buildpack_key`. */
  key: string;
  /** a buildpack folder or .zip file. */
  path: string;
}

/** Parses `[KEY=]DIR|ZIP`: the key defaults to the folder's name or the zip's name without `.zip`. */
export function parseBuildpackArg(arg: string): BuildpackSpec {
  // "ruby=/bps/ruby-ish" → key ruby; "/x/a=b/bp" has a slash before "=" so it is all path.
  const m = /^([^=/]+)=(.+)$/.exec(arg);
  if (m) return { key: m[1], path: m[2] };
  const name = basename(arg.replace(/\/+$/, ''));
  return { key: name.toLowerCase().endsWith('.zip') ? name.slice(0, -4) : name, path: arg };
}

/** Makes the buildpack available as a folder: zips are extracted under `workDir`. Throws naming the file. */
export async function materialise(spec: BuildpackSpec, workDir: string, n: number): Promise<string> {
  let st;
  try {
    st = await stat(spec.path);
  } catch {
    throw new Error(`buildpack '${spec.key}': ${spec.path} does not exist`);
  }
  if (st.isDirectory()) return spec.path;
  const dest = join(workDir, String(n));
  await mkdir(dest, { recursive: true });
  try {
    await extractZip(spec.path, dest);
  } catch (err) {
    // the extractor's errors already name the zip: say it once
    const detail =
      err instanceof UnsafeZipError
        ? `entry '${err.entry}' ${err.reason}`
        : err instanceof ZipReadError
          ? err.message.slice(spec.path.length + 2)
          : (err as Error).message;
    throw new Error(`buildpack '${spec.key}': cannot extract ${spec.path}: ${detail}`);
  }
  return dest;
}
