// Builds the detect tags: at detect from the inner buildpack's manifest.yml and what the app asks; after the final phase
// from what supply logged as installed and what capture found.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Capture } from '../model/index.ts';
import { readBuildpackFacts, resolveVersion, type BuildpackFacts } from './buildpack-manifest.ts';
import { rankDependencies, type Tag } from './line.ts';
import { readRuntimeRequests } from './requested.ts';

export interface DetectInput {
  appDir: string;
  buildpackDir: string;
  stack?: string;
  capture?: Capture;
}

/** `nodejs-buildpack=v1.9.4` from manifest.yml language and VERSION; else the folder name. */
export function buildpackHead(facts: BuildpackFacts, buildpackDir: string): string {
  const name = facts.language ? `${facts.language}-buildpack` : basename(buildpackDir);
  if (!facts.version) return name;
  return `${name}=${facts.version.startsWith('v') ? facts.version : `v${facts.version}`}`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The package manager the buildpack will use, from the lockfile present, with a version where one is knowable. */
async function packageManagerTag(appDir: string, facts: BuildpackFacts, stack?: string): Promise<Tag | undefined> {
  const has = async (f: string) => (await readText(join(appDir, f))) !== undefined;
  const gemfileLock = await readText(join(appDir, 'Gemfile.lock'));
  if (gemfileLock !== undefined) {
    const bundled = gemfileLock.match(/^BUNDLED WITH\r?\n\s+(\S+)/m)?.[1];
    const v = bundled ?? resolveVersion(facts, 'bundler', undefined, stack);
    return v ? { name: 'bundler', value: v } : undefined;
  }
  const candidates: Array<[string, string]> = [
    ['yarn.lock', 'yarn'], ['pnpm-lock.yaml', 'pnpm'], ['package-lock.json', 'npm'], ['npm-shrinkwrap.json', 'npm'],
    ['Pipfile.lock', 'pipenv'], ['poetry.lock', 'poetry'], ['uv.lock', 'uv'], ['composer.lock', 'composer'],
  ];
  for (const [file, pm] of candidates) {
    if (!(await has(file))) continue;
    let v = resolveVersion(facts, pm, undefined, stack);
    if (!v && pm === 'npm') {
      const engines = (JSON.parse((await readText(join(appDir, 'package.json'))) ?? '{}')?.engines ?? {}) as Record<string, unknown>;
      if (typeof engines.npm === 'string' && /^\d+\.\d+\.\d+$/.test(engines.npm)) v = engines.npm;
    }
    return v ? { name: pm, value: v } : undefined;
  }
  return undefined;
}

/** Direct, shipped library dependencies as tags, frameworks first. */
export function dependencyTags(capture: Capture | undefined): Tag[] {
  if (!capture) return [];
  const seen = new Set<string>();
  const tags: Tag[] = [];
  for (const c of capture.components) {
    if (c.kind !== 'library' || !c.direct || c.scope === 'dev' || seen.has(c.name)) continue;
    seen.add(c.name);
    tags.push({ name: c.name, value: c.version });
  }
  return rankDependencies(tags);
}

export interface DetectTags {
  head: string;
  tags: Tag[];
}

/** At detect: the runtime the inner buildpack will install for this app, its package manager, the direct dependencies. */
export async function predictDetectTags(input: DetectInput): Promise<DetectTags> {
  const facts = await readBuildpackFacts(input.buildpackDir);
  const tags: Tag[] = [];
  const known = new Set(facts.dependencies.map((d) => d.name));
  let asked = false;
  for (const req of await readRuntimeRequests(input.appDir)) {
    if (!known.has(req.runtime)) continue; // this buildpack does not install that runtime
    asked = true;
    const v = resolveVersion(facts, req.runtime, req.constraint, input.stack);
    if (v) tags.push({ name: req.runtime, value: v });
  }
  // The app asked nothing this buildpack installs (a static site, say): its first default runtime is what it installs.
  const first = facts.defaultVersions[0];
  if (!asked && first) {
    const v = resolveVersion(facts, first.name, undefined, input.stack);
    if (v) tags.push({ name: first.name, value: v });
  }
  const pm = await packageManagerTag(input.appDir, facts, input.stack);
  if (pm) tags.push(pm);
  tags.push(...dependencyTags(input.capture));
  return { head: buildpackHead(facts, input.buildpackDir), tags };
}

export interface FinalInput extends DetectInput {
  /** `-----> Installing <name> <version>` lines of the inner supply, in order. */
  installs: ReadonlyArray<{ name: string; version: string }>;
}

/** After the final phase: what was really installed, the runtimes found under deps/, then the direct dependencies. */
export async function finalDetectTags(input: FinalInput): Promise<DetectTags> {
  const facts = await readBuildpackFacts(input.buildpackDir);
  const tags: Tag[] = input.installs.map((i) => ({ name: i.name, value: i.version }));
  for (const c of input.capture?.components ?? []) if (c.kind === 'runtime') tags.push({ name: c.name, value: c.version });
  const pm = await packageManagerTag(input.appDir, facts, input.stack);
  if (pm) tags.push(pm);
  tags.push(...dependencyTags(input.capture));
  return { head: buildpackHead(facts, input.buildpackDir), tags };
}
