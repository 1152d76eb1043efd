// yarn projects: yarn.lock + the package.json files beside and below it (workspaces) decide scope and directness.
import { type Component, type Hash, type Issue, type Scope, fromHex, fromIntegrity, makeComponent, purlFor } from '../../../model/index.ts';
import { STACK_PLATFORM, installedPath, nameFromInstallPath } from '../../node-modules.ts';
import { reachable, scopesByReach } from '../../reach.ts';
import { readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { type YarnEntry, parseYarnLock, splitSpecifier } from './parse-yarn-lock.ts';

const dirOf = (p: string): string => (p.lastIndexOf('/') < 0 ? '' : p.slice(0, p.lastIndexOf('/')));
const under = (dir: string, p: string): boolean => dir === '' || p.startsWith(dir + '/');

interface Roots {
  prod: Array<[string, string]>;
  dev: Array<[string, string]>;
  /** the manifests' optionalDependencies (also in prod). */
  optional: Array<[string, string]>;
}

/** berry `conditions: os=darwin & cpu=arm64` against the CF stack (linux, x64, glibc). */
export function conditionsMatch(cond: string | undefined): boolean {
  if (!cond) return true;
  const want: Record<string, string> = STACK_PLATFORM;
  for (const part of cond.split('&')) {
    const m = /^\s*(\w+)\s*=\s*(\S+)\s*$/.exec(part);
    if (m && want[m[1]] !== undefined && want[m[1]] !== m[2]) return false;
  }
  return true;
}

function entries(o: unknown): Array<[string, string]> {
  return o && typeof o === 'object' && !Array.isArray(o)
    ? Object.entries(o as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string')
    : [];
}

async function readRoots(
  ctx: ScanContext,
  manifests: string[],
  issues: Issue[],
): Promise<Roots & { found: boolean; workspaceNames: Set<string> }> {
  const roots = {
    prod: [] as Array<[string, string]>,
    dev: [] as Array<[string, string]>,
    optional: [] as Array<[string, string]>,
    found: false,
    workspaceNames: new Set<string>(),
  };
  for (const m of manifests) {
    try {
      const pkg = JSON.parse(await ctx.readText(m)) as Record<string, unknown>;
      roots.found = true;
      if (typeof pkg.name === 'string') roots.workspaceNames.add(pkg.name);
      roots.prod.push(...entries(pkg.dependencies), ...entries(pkg.optionalDependencies), ...entries(pkg.peerDependencies));
      roots.dev.push(...entries(pkg.devDependencies));
      roots.optional.push(...entries(pkg.optionalDependencies));
    } catch (err) {
      issues.push({ path: m, line: 1, severity: 'warning', message: `package.json not readable: ${(err as Error).message}` });
    }
  }
  return roots;
}

function hashesOf(e: YarnEntry): Hash[] {
  const h = fromIntegrity(e.integrity);
  // classic `resolved "https://…/a-1.0.0.tgz#<sha1>"`: the sha1 of the tarball
  const frag = e.resolution && /#([0-9a-f]{40})$/.exec(e.resolution);
  if (frag && !h.some((x) => x.alg === 'SHA-1')) {
    const x = fromHex('sha1', frag[1]);
    if (x) h.push(x);
  }
  return h;
}

/** Protocols that are the app's own code (workspaces, links to folders), not packages. */
function isLocal(e: YarnEntry): boolean {
  const r = e.resolution ?? '';
  const range = splitSpecifier(r)[1] || splitSpecifier(e.specifiers[0])[1];
  return /^(workspace|link|portal):/.test(range) || e.version === '0.0.0-use.local';
}

/**
 * Names installed in the project's node_modules (or, for `app`, the nodejs buildpack's `deps/<idx>/node_modules`);
 * undefined when there is no installed tree. One pass over the installed manifests per lockfile.
 */
function installedNames(installed: readonly string[], dir: string): Set<string> | undefined {
  const prefixes = [dir ? `${dir}/node_modules/` : 'node_modules/'];
  const names = new Set<string>();
  for (const p of installed) {
    let rest: string | undefined;
    for (const pre of prefixes) if (p.startsWith(pre)) rest = p.slice(pre.length);
    if (rest === undefined && dir === 'app') {
      const m = /^deps\/[^/]+\/node_modules\/(.*)$/.exec(p);
      if (m) rest = m[1];
    }
    if (rest === undefined || !rest.endsWith('/package.json')) continue;
    const at = installedPath(`node_modules/${rest}`);
    if (at) names.add(nameFromInstallPath(at.installPath) as string);
  }
  return names.size ? names : undefined;
}

/** Each yarn.lock with the package.json files of its project. */
export async function catalog(files: MatchedFiles<'lock' | 'manifest' | 'installed'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const components: Component[] = [];
  const locks = files.of.lock;
  const manifests = files.of.manifest;
  for (const lock of locks) {
    const dir = dirOf(lock);
    // package.json files of this project: beside the lockfile and below it, but not those of a nested yarn project
    const nested = locks.filter((l) => l !== lock && under(dir, l)).map(dirOf);
    const own = manifests.filter((m) => under(dir, m) && !nested.some((n) => under(n, m)));
    const text = await readOrIssue(ctx, lock, issues);
    if (text === undefined) continue;
    const parsed = parseYarnLock(text, lock);
    issues.push(...parsed.issues);
    const roots = await readRoots(ctx, own, issues);
    components.push(...toComponents(parsed.entries, roots, lock, parsed.berry, installedNames(files.of.installed, dir)));
  }
  return { components, issues };
}

function toComponents(
  all: YarnEntry[],
  roots: Roots & { found: boolean; workspaceNames: Set<string> },
  lock: string,
  berry: boolean,
  installed: Set<string> | undefined,
): Component[] {
  const bySpec = new Map<string, YarnEntry>();
  for (const e of all) for (const s of e.specifiers) bySpec.set(s, e);
  const resolve = (name: string, range: string): YarnEntry | undefined =>
    bySpec.get(`${name}@${range}`) ?? (berry ? bySpec.get(`${name}@npm:${range}`) : undefined);
  const resolveAll = (refs: ReadonlyArray<readonly [string, string]>): YarnEntry[] => refs.flatMap(([n, r]) => resolve(n, r) ?? []);
  const edges = (e: YarnEntry): YarnEntry[] => resolveAll(e.deps);
  // Optional packages for another platform are not installed on the stack (berry records `conditions`).
  let shipped = all.filter((e) => conditionsMatch(e.conditions));
  // Installed wins: with a node_modules beside, an entry only optional dependencies reach (a platform build
  // classic lockfiles cannot describe) and that is installed nowhere is not shipped.
  if (installed) {
    const opt = new Set(roots.optional.map(([n, r]) => `${n}@${r}`));
    const starts = [...roots.prod, ...roots.dev].filter(([n, r]) => !opt.has(`${n}@${r}`));
    // reached through non-optional edges only (roots' optionalDependencies are not followed either)
    const hardEdges = (e: YarnEntry): YarnEntry[] => resolveAll(e.deps.filter(([n]) => !e.optionalNames.has(n)));
    const hard = reachable(
      resolveAll([...starts, ...all.filter(isLocal).flatMap((w) => w.deps.filter(([n]) => !w.optionalNames.has(n)))]),
      hardEdges,
    );
    shipped = shipped.filter((e) => hard.has(e) || installed.has(e.name) || isLocal(e));
  }
  const keep = new Set(shipped);
  const scope = new Map<YarnEntry, Scope>();
  const direct = new Set<YarnEntry>();
  if (roots.found) {
    const prod = resolveAll(roots.prod);
    const dev = resolveAll(roots.dev);
    scopesByReach(edges, { required: prod, dev }, scope);
    // a workspace's own entries: their dependencies are roots too (berry lists them; classic does not)
    const ws = all.filter(isLocal);
    for (const w of ws) if (!scope.has(w)) scope.set(w, 'required');
    const wsDeps = resolveAll(ws.flatMap((w) => w.deps));
    scopesByReach(edges, { required: wsDeps }, scope);
    for (const e of [...prod, ...dev, ...wsDeps]) direct.add(e);
  }
  const purl = new Map<YarnEntry, string>();
  for (const e of shipped) purl.set(e, purlFor('npm', e.name, e.version));
  const out: Component[] = [];
  for (const e of shipped) {
    if (isLocal(e)) continue;
    const dependsOn = new Set<string>();
    for (const [n, r] of e.deps) {
      const d = resolve(n, r);
      if (d && keep.has(d) && !isLocal(d)) dependsOn.add(purl.get(d) as string);
    }
    dependsOn.delete(purl.get(e) as string);
    out.push(
      makeComponent({
        ecosystem: 'npm',
        name: e.name,
        version: e.version,
        location: { path: lock, line: e.line, source: 'lockfile' },
        // nothing reaches it from a package.json we could read: shipped unless proven dev
        scope: scope.get(e) ?? 'required',
        hashes: hashesOf(e),
        dependsOn: [...dependsOn].sort(),
        direct: direct.has(e),
      }),
    );
  }
  return out;
}
