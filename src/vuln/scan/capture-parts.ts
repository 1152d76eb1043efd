// What a scan reads a droplet or folder with besides its SBOM: the package catalog (a capture when there is no SBOM to
// trust, and which files of a droplet it needs) and config.yml's buildpacks. targets.ts imports it on demand, so that a
// scan of SBOM files loads neither the catalog nor the YAML parser.
import { isWanted } from '../../catalog/capture.ts';
import { buildpackFromConfig } from '../../sbom/facts.ts';
import type { BuildpackRecord } from '../../sbom/formats/index.ts';
import { CONFIG_IN_DROPLET } from './targets.ts';

export { captureDir } from '../../catalog/capture.ts';

/** The buildpacks a droplet's deps/<idx>/config.yml files name, by index. */
export function configBuildpacks(configs: Map<string, string>): BuildpackRecord[] {
  return [...configs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([idx, text]) => buildpackFromConfig(text, idx))
    .filter((b): b is BuildpackRecord => !!b && !!(b.name || b.version));
}

/** Files the catalog reads (so capturing an extracted droplet never writes its binaries to disk). */
export const captureFilter = (p: string): boolean => CONFIG_IN_DROPLET.test(p) || isWanted(p);
