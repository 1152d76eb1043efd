// A CF buildpack's manifest.yml (libbuildpack Manifest: language, default_versions, dependencies with cf_stacks) and VERSION file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findMatchingVersion } from './libbuildpack-match.ts';

export interface ManifestDependency {
  name: string;
  version: string;
  cf_stacks?: string[];
}

export interface BuildpackFacts {
  /** manifest.yml `language` (e.g. nodejs), used for the label `nodejs-buildpack`. */
  language?: string;
  /** VERSION file, trimmed (e.g. 1.9.4). */
  version?: string;
  defaultVersions: Array<{ name: string; version: string }>;
  dependencies: ManifestDependency[];
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads VERSION and manifest.yml of a buildpack folder; missing or malformed files give empty facts, never an error. */
export async function readBuildpackFacts(dir: string): Promise<BuildpackFacts> {
  const facts: BuildpackFacts = { defaultVersions: [], dependencies: [] };
  const version = (await readOptional(join(dir, 'VERSION')))?.trim();
  if (version) facts.version = version.split(/\r?\n/)[0].trim();
  const text = await readOptional(join(dir, 'manifest.yml'));
  if (!text) return facts;
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return facts;
  }
  if (!doc || typeof doc !== 'object') return facts;
  const m = doc as Record<string, unknown>;
  if (typeof m.language === 'string') facts.language = m.language;
  if (Array.isArray(m.default_versions)) {
    for (const d of m.default_versions) {
      if (d && typeof d.name === 'string' && d.version !== undefined)
        facts.defaultVersions.push({ name: d.name, version: String(d.version) });
    }
  }
  if (Array.isArray(m.dependencies)) {
    for (const d of m.dependencies) {
      if (!d || typeof d.name !== 'string' || d.version === undefined) continue;
      facts.dependencies.push({
        name: d.name,
        version: String(d.version),
        ...(Array.isArray(d.cf_stacks) ? { cf_stacks: d.cf_stacks.map(String) } : {}),
      });
    }
  }
  return facts;
}

/** libbuildpack AllDependencyVersions: versions of `name` available on the stack (no cf_stacks, or listing it). */
export function availableVersions(facts: BuildpackFacts, name: string, stack: string | undefined): string[] {
  return facts.dependencies.filter((d) => d.name === name && (!stack || !d.cf_stacks || d.cf_stacks.includes(stack))).map((d) => d.version);
}

/** libbuildpack DefaultVersion: the default_versions constraint matched against the available versions. */
export function defaultVersion(facts: BuildpackFacts, name: string, stack: string | undefined): string | undefined {
  const def = facts.defaultVersions.find((d) => d.name === name);
  if (!def) return undefined;
  return findMatchingVersion(def.version, availableVersions(facts, name, stack));
}

/** The version the buildpack installs for `name` given what the app asks (undefined constraint: the default). */
export function resolveVersion(
  facts: BuildpackFacts,
  name: string,
  constraint: string | undefined,
  stack: string | undefined,
): string | undefined {
  if (!constraint) return defaultVersion(facts, name, stack);
  return findMatchingVersion(constraint, availableVersions(facts, name, stack));
}
