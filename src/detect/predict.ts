// Builds the detect tags: at detect from the inner buildpack's manifest.yml and what the app asks; after the final phase
// from what ships in the droplet (capture of app/ and deps/), named and ordered by what supply logged as installed.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { exists } from '../fs/exists.ts';
import type { Capture } from '../model/index.ts';
import { readBuildpackFacts, resolveVersion, type BuildpackFacts } from './buildpack-manifest.ts';
import { rankDependencies, uniqueTags, type Tag } from './line.ts';
import { capturable, shipped, shippedVersion } from './shipped.ts';
import { readRuntimeRequests } from './requested.ts';

export interface DetectInput {
  appDir: string;
  buildpackDir: string;
  stack?: string;
  capture?: Capture;
  /** the buildpack's own name (config.yml `name` or detect output), when manifest.yml has no `language`. */
  buildpackName?: string;
}

/**
 * `nodejs-buildpack=v1.9.4` from manifest.yml language and VERSION; else the buildpack's own name (its config.yml
 * `name`, or the first word of its detect output, `ruby`; a detect output that already carries versions,
 * `staticfile-lite=v0.4.2 nginx=1.27.3`, is kept whole);
 * else the folder name (a wrapped buildpack's folder is `inner`, which says nothing).
 */
export function buildpackHead(facts: BuildpackFacts, buildpackDir: string, ownName?: string): string {
  const own = ownName?.trim().split('\n')[0].trim();
  // The buildpack already names itself with versions (`staticfile-lite=v0.4.2 nginx=1.27.3`): keep its words.
  if (!facts.language && own && /^\S+=/.test(own)) return own;
  const name = facts.language ? `${facts.language}-buildpack` : own?.split(/\s+/)[0] || basename(buildpackDir);
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

/** The package manager the buildpack will use, from the lockfile present (undefined: none the buildpacks know). */
async function packageManagerOf(appDir: string): Promise<{ pm: string; bundledWith?: string } | undefined> {
  const gemfileLock = await readText(join(appDir, 'Gemfile.lock'));
  if (gemfileLock !== undefined) return { pm: 'bundler', bundledWith: gemfileLock.match(/^BUNDLED WITH\r?\n\s+(\S+)/m)?.[1] };
  const candidates: Array<[string, string]> = [
    ['yarn.lock', 'yarn'],
    ['pnpm-lock.yaml', 'pnpm'],
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
    ['Pipfile.lock', 'pipenv'],
    ['poetry.lock', 'poetry'],
    ['uv.lock', 'uv'],
    ['requirements.txt', 'pip'],
    ['composer.lock', 'composer'],
  ];
  for (const [file, pm] of candidates) if (await exists(join(appDir, file))) return { pm };
  return undefined;
}

/** At detect: the package manager with a version where one is knowable (BUNDLED WITH, manifest.yml, an exact engines.npm). */
async function predictedPackageManagerTag(appDir: string, facts: BuildpackFacts, stack?: string): Promise<Tag | undefined> {
  const found = await packageManagerOf(appDir);
  if (!found) return undefined;
  const { pm } = found;
  let v = found.bundledWith ?? resolveVersion(facts, pm, undefined, stack);
  if (!v && pm === 'npm') {
    let engines: Record<string, unknown> = {};
    try {
      engines = JSON.parse((await readText(join(appDir, 'package.json'))) ?? '{}')?.engines ?? {};
    } catch {
      // the app's package.json is the buildpack's to judge: no version from it
    }
    if (typeof engines.npm === 'string' && /^\d+\.\d+\.\d+$/.test(engines.npm)) v = engines.npm;
  }
  return v ? { name: pm, value: v } : undefined;
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
  const pm = await predictedPackageManagerTag(input.appDir, facts, input.stack);
  if (pm) tags.push(pm);
  tags.push(...dependencyTags(input.capture));
  return { head: buildpackHead(facts, input.buildpackDir, input.buildpackName), tags: uniqueTags(tags) };
}

export interface FinalInput extends DetectInput {
  /** `-----> Installing <name> <version>` lines of the inner supply, in order. */
  installs: ReadonlyArray<{ name: string; version: string }>;
}

/**
 * After the final phase: only what ships in the droplet (app/ and deps/, as the capture saw them), each name once.
 * 1. runtimes: the `-----> Installing` lines of supply in log order, then the runtimes capture found;
 * 2. the package manager of the app's lockfile at its shipped version (node's bundled npm, deps/<idx>/yarn, ...);
 * 3. the tools supply installed (yarn, bundler, ...);
 * 4. the app's direct dependencies.
 * An install line is kept when the capture finds that name shipped (at the shipped version), and dropped when it
 * names a runtime or tool the capture would have found had it shipped: the buildpack put it in a staging-only
 * folder (the nodejs buildpack's python in /tmp/nodejs-buildpack). An install the capture cannot recognise
 * (an APM agent, say) is kept as logged. Without a capture, the log and the prediction are all there is.
 */
export async function finalDetectTags(input: FinalInput): Promise<DetectTags> {
  const facts = await readBuildpackFacts(input.buildpackDir);
  const head = buildpackHead(facts, input.buildpackDir, input.buildpackName);
  const capture = input.capture;
  if (!capture) {
    const tags: Tag[] = input.installs.map((i) => ({ name: i.name, value: i.version }));
    const pm = await predictedPackageManagerTag(input.appDir, facts, input.stack);
    if (pm) tags.push(pm);
    return { head, tags: uniqueTags(tags) };
  }
  const runtimes: Tag[] = [];
  const tools: Tag[] = [];
  for (const i of input.installs) {
    const found = shipped(capture, i.name);
    if (!found.length) {
      if (!capturable(i.name)) runtimes.push({ name: i.name, value: i.version });
      continue;
    }
    const value = (found.find((c) => c.version === i.version) ?? found[0]).version;
    (found[0].kind === 'runtime' ? runtimes : tools).push({ name: i.name, value });
  }
  for (const c of capture.components) if (c.kind === 'runtime') runtimes.push({ name: c.name, value: c.version });
  const tags = [...runtimes];
  const found = await packageManagerOf(input.appDir);
  if (found) {
    const logged = input.installs.find((i) => i.name === found.pm)?.version;
    const v = shippedVersion(capture, found.pm, logged ?? found.bundledWith);
    if (v) tags.push({ name: found.pm, value: v });
  }
  tags.push(...tools, ...dependencyTags(capture));
  return { head, tags: uniqueTags(tags) };
}
