// Where bpx's outputs live inside a droplet (docs/sbom-and-verify.md): `app/.bpx/` when the wrapped buildpack runs last
// (finalize or compile), else `deps/<idx>/bpx/`; and the paths `verify`, `scan` and `digest` look for.

/** bpx's folder in the app dir (excluded from the app's signed digest: it holds the signature itself). */
export const APP_OUTPUT_DIR = '.bpx';
/** bpx's folder in a buildpack's deps/<idx> (excluded from that subject's digest). */
export const DEPS_OUTPUT_DIR = 'bpx';

/** The droplet-relative folder of bpx's outputs: `app/.bpx` when last, else `deps/<idx>/bpx`. */
export function outputLocation(last: boolean, depsIdx?: string): string {
  if (last) return `app/${APP_OUTPUT_DIR}`;
  if (depsIdx === undefined) throw new Error('bpx outputs before the last phase need DEPS_IDX');
  return `deps/${depsIdx}/${DEPS_OUTPUT_DIR}`;
}

/** The name of bpx's own folder inside a digest subject (`app` → `.bpx`, `deps/<idx>` → `bpx`). */
export function ownFolderOf(subject: string): string {
  return subject === 'app' ? APP_OUTPUT_DIR : DEPS_OUTPUT_DIR;
}

/** `app/.bpx/sbom.cdx.json` → true; `deps/1/bpx/x` → true: a path inside one of bpx's output folders. */
export function isOutputPath(dropletPath: string): boolean {
  const p = dropletPath.replace(/^\.\//, '');
  return p === `app/${APP_OUTPUT_DIR}` || p.startsWith(`app/${APP_OUTPUT_DIR}/`) || /^deps\/\d+\/bpx(\/|$)/.test(p);
}

/**
 * The folders an SBOM may be in, in the order readers try them: app/.bpx (the last buildpack's), then each
 * deps/<idx>/bpx by index (`idxs` as found in the droplet, sorted numerically).
 */
export function outputLocations(idxs: readonly string[]): string[] {
  return [`app/${APP_OUTPUT_DIR}`, ...[...idxs].sort((a, b) => Number(a) - Number(b)).map((i) => `deps/${i}/${DEPS_OUTPUT_DIR}`)];
}
