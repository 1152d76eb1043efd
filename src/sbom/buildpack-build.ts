// What `bpx wrap` records of the inner buildpack in the wrapper's bpx/buildpack.json, so that the SBOM names the exact
// buildpack build an app was staged with: its name and version, a digest of its content and, from a git checkout, its commit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file in the wrapper's bpx/ folder. */
export const BUILD_INFO_FILE = 'buildpack.json';

export interface BuildpackBuild {
  /** the inner buildpack's manifest.yml `language` (what libbuildpack writes as config.yml `name`), else its folder's name */
  name?: string;
  /** its VERSION file */
  version?: string;
  /**
   * bpx buildpack digest v1: lowercase hex SHA-256 over the sorted lines `f <path> <sha256>` and `l <path> <target>` of
   * every file and link of the inner buildpack as wrapped (paths as bpx tree digests encode them; folders, modes and
   * `.git` left out, so the same content wrapped on any machine gives the same digest)
   */
  sha256: string;
  /** the git commit the inner buildpack was checked out at, when it was wrapped from a git checkout */
  commit?: string;
}

/** Reads bpx/buildpack.json of a wrapper; undefined when it is absent or not what bpx wrap writes. */
export async function readBuildpackBuild(bpxDir: string): Promise<BuildpackBuild | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(join(bpxDir, BUILD_INFO_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.sha256)) return undefined;
  const s = (k: string) => (typeof d[k] === 'string' && d[k] ? { [k]: d[k] as string } : {});
  return {
    sha256: d.sha256,
    ...s('name'),
    ...s('version'),
    ...(typeof d.commit === 'string' && /^[0-9a-f]{40,64}$/.test(d.commit) ? { commit: d.commit } : {}),
  };
}
