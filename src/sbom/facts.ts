// Staging facts for the SBOM: VCAP_APPLICATION (app name and ids), CF_STACK, and each buildpack's deps/<idx>/config.yml.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Issue } from '../model/index.ts';
import type { AppFact, BuildpackFact } from './model.ts';

/** Reads the app fields bpx records from VCAP_APPLICATION's JSON; a malformed value gives an issue, not a failure. */
export function appFromVcap(vcap: string | undefined): { app: AppFact; issues: Issue[] } {
  if (!vcap) return { app: {}, issues: [] };
  try {
    const v = JSON.parse(vcap) as Record<string, unknown>;
    const s = (k: string) => (typeof v[k] === 'string' && v[k] !== '' ? (v[k] as string) : undefined);
    const app: AppFact = {
      name: s('application_name') ?? s('name'),
      id: s('application_id'),
      version: s('application_version'),
      spaceId: s('space_id'),
      spaceName: s('space_name'),
      orgId: s('organization_id'),
      orgName: s('organization_name'),
    };
    for (const k of Object.keys(app) as Array<keyof AppFact>) if (app[k] === undefined) delete app[k];
    return { app, issues: [] };
  } catch (err) {
    return { app: {}, issues: [{ path: 'VCAP_APPLICATION', severity: 'warning', message: `not JSON: ${(err as Error).message}` }] };
  }
}

/**
 * One fact per `deps/<idx>/config.yml` (name, version). Keys are not in config.yml: they come from the builder
 * (`known`, by index). Buildpacks the context knows but whose config.yml is missing are still listed.
 */
export async function readBuildpacks(depsDir: string | undefined, known: readonly BuildpackFact[] = []): Promise<{ buildpacks: BuildpackFact[]; issues: Issue[] }> {
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
      try {
        const y = parseYaml(text) as Record<string, unknown> | null;
        const fact = byIndex.get(e.name) ?? { index: e.name };
        if (y && typeof y.name === 'string' && y.name) fact.name = y.name;
        if (y && typeof y.version === 'string' && y.version) fact.version = y.version;
        byIndex.set(e.name, fact);
      } catch (err) {
        issues.push({ path: file, severity: 'warning', message: `config.yml is not YAML: ${(err as Error).message}` });
      }
    }
  }
  return { buildpacks: [...byIndex.values(), ...unindexed], issues };
}

/** SOURCE_DATE_EPOCH as seconds; undefined when unset or empty; an Error when set to anything but a non-negative integer. */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new Error(`SOURCE_DATE_EPOCH must be a whole number of seconds, got ${JSON.stringify(value)}`);
  return Number(value);
}
