// Staging facts for the SBOM: VCAP_APPLICATION (app name and ids), CF_STACK, and each buildpack's deps/<idx>/config.yml.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { configYmlProblem, parseBuildpackMetadata } from '../platform/config-yml.ts';
import type { Issue } from '../model/index.ts';
import type { BuildpackFact } from './model.ts';

export { appFromVcap } from './vcap-fact.ts';

/**
 * One fact per `deps/<idx>/config.yml` (name, version). Keys are not in config.yml: they come from the builder
 * (`known`, by index). Buildpacks the context knows but whose config.yml is missing are still listed.
 */
export async function readBuildpacks(
  depsDir: string | undefined,
  known: readonly BuildpackFact[] = [],
): Promise<{ buildpacks: BuildpackFact[]; issues: Issue[] }> {
  const issues: Issue[] = [];
  const byIndex = new Map<string, BuildpackFact>();
  for (const k of known) if (k.index !== undefined) byIndex.set(k.index, { ...k });
  const unindexed = known.filter((k) => k.index === undefined).map((k) => ({ ...k }));
  if (depsDir) {
    const entries = await readdir(depsDir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const file = path.join(depsDir, e.name, 'config.yml');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue;
      }
      const problem = configYmlProblem(text);
      if (problem) {
        issues.push({ path: file, severity: 'warning', message: `config.yml is not YAML: ${problem}` });
        continue;
      }
      // name and version as the builder reads them (`version: 1.10` stays "1.10")
      const meta = parseBuildpackMetadata('', text, { outputMetadata: true });
      const fact = byIndex.get(e.name) ?? { index: e.name };
      const name = ownName(meta);
      if (name) fact.name = name;
      if (meta.version) fact.version = meta.version;
      byIndex.set(e.name, fact);
    }
  }
  return { buildpacks: [...byIndex.values(), ...unindexed], issues };
}

export { parseSourceDateEpoch } from '../platform/source-date-epoch.ts';

/**
 * One buildpack fact from a droplet's `deps/<idx>/config.yml`, read as the builder reads it (`version: 1.10` stays
 * "1.10"); undefined when the file is not YAML the builder can read.
 */
export function buildpackFromConfig(text: string, index: string): BuildpackFact | undefined {
  if (configYmlProblem(text)) return undefined;
  const meta = parseBuildpackMetadata('', text, { outputMetadata: true });
  const name = ownName(meta);
  return { index, ...(name ? { name } : {}), ...(meta.version ? { version: meta.version } : {}) };
}

/**
 * The buildpack's own name from its config.yml. builtin:detect-versions replaces `name` with the enriched detect line
 * (`nodejs-buildpack=v1.9.4 node=22.23.1 …`, what `cf app` shows) and keeps the name it replaced in
 * `output_metadata.bpx_buildpack_name`; a line written without it gives its first word up to `=`.
 */
export function ownName(meta: { name: string; output_metadata?: Record<string, unknown> }): string {
  const om = meta.output_metadata;
  const kept = om?.['bpx_buildpack_name'];
  if (typeof kept === 'string' && kept.trim()) return kept.trim();
  if (om && Array.isArray(om['bpx_detect']) && /^\S+=/.test(meta.name)) return meta.name.split(/\s+/)[0]!.split('=')[0]!;
  return meta.name;
}
