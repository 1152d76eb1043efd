// Where a buildpack given to `bpx stage` lives: a folder used in place, or a zip extracted to a work folder.
import { access, constants, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { unzipTo } from './unzip.ts';

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
    await unzipTo(spec.path, dest);
  } catch (err) {
    throw new Error(`buildpack '${spec.key}': cannot extract ${spec.path}: ${(err as Error).message}`);
  }
  return dest;
}

/**
 * The folder holding `bin/` (runner.go buildpackPath): the folder itself, or its only entry when a zip
 * put everything under one top folder. Throws the builder's message otherwise.
 */
export async function buildpackRoot(dir: string, key: string): Promise<string> {
  if (await exists(join(dir, 'bin'))) return dir;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new Error(`Failed to read buildpack directory '${dir}' for buildpack '${key}'`);
  }
  if (names.length === 1 && (await exists(join(dir, names[0], 'bin')))) return join(dir, names[0]);
  throw new Error(`malformed buildpack does not contain a /bin dir: ${key}`);
}

export async function exists(p: string): Promise<boolean> {
  try {
    await access(p, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

export async function isExecutable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
