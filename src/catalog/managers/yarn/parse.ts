// yarn projects: yarn.lock + the package.json files beside and below it (workspaces) decide scope and directness.
import { type Component, type Issue, type Scope, fromHex, fromIntegrity, makeComponent, purlFor } from '../../../model/index.ts';
import type { Hash } from '../../../model/index.ts';
import type { ParseResult, ScanContext } from '../../types.ts';
import { installedPath } from '../npm/parse-installed.ts';
import { type YarnEntry, parseYarnLock, splitSpecifier } from './parse-yarn-lock.ts';
import { readOrIssue } from '../../read-or-issue.ts';

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
  const want: Record<string, string> = { os: 'linux', cpu: 'x64', libc: 'glibc' };
  for (const part of cond.split('&')) {
    const m = /^\s*(\w+)\s*=\s*(\S+)\s*$/.exec(part);
    if (m && want[m[1]] !== undefined && want[m[1]] !== m[2]) return false;
  }
  return true;
}

function entries(o: unknown): Array<[string, string]> {
  return o && typeof o === 'object' && !Array.isArray(o) ? Object.entries(o as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
}

async function readRoots(ctx: ScanContext, manifests: string[], issues: Issue[]): Promise<Roots & { found: boolean; workspaceNames: Set<string> }> {
  const roots = { prod: [] as Array<[string, string]>, dev: [] as Array<[string, string]>, optional: [] as Array<[string, string]>, found: false, workspaceNames: new Set<string>() };
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

/** Entries reached from the roots through non-optional edges (roots' optionalDependencies are not followed). */
function hardReachable(all: YarnEntry[], resolve: (n: string, r: string) => YarnEntry | undefined, starts: Array<[string, string]>): Set<YarnEntry> {
  const seen = new Set<YarnEntry>();
  const queue: YarnEntry[] = [];
  for (const [n, r] of starts) {
    const e = resolve(n, r);
    if (e && !seen.has(e)) {
      seen.add(e);
      queue.push(e);
    }
  }
  while (queue.length) {
    const e = queue.pop() as YarnEntry;
    for (const [n, r] of e.deps) {
      if (e.optionalNames.has(n)) continue;
      const d = resolve(n, r);
      if (d && !seen.has(d)) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  return seen;
}

/** Protocols that are the app's own code (workspaces, links to folders), not packages. */
function isLocal(e: YarnEntry): boolean {
  const r = e.resolution ?? '';
  const range = splitSpecifier(r)[1] || splitSpecifier(e.specifiers[0])[1];
  return /^(workspace|link|portal):/.test(range) || e.version === '0.0.0-use.local';
}

/**
 * Names installed in the project's node_modules (or, for `app`, the nodejs buildpack's `deps/<idx>/node_modules`);
 * undefined when there is no installed tree. One pass over ctx.files per lockfile.
 */
function installedNames(ctx: ScanContext, dir: string): Set<string> | undefined {
  const prefixes = [dir ? `${dir}/node_modules/` : 'node_modules/'];
  const names = new Set<string>();
  for (const f of ctx.files) {
    const p = f.path;
    let rest: string | undefined;
    for (const pre of prefixes) if (p.startsWith(pre)) rest = p.slice(pre.length);
    if (rest === undefined && dir === 'app') {
      const m = /^deps\/[^/]+\/node_modules\/(.*)$/.exec(p);
      if (m) rest = m[1];
    }
    if (rest === undefined || !rest.endsWith('/package.json')) continue;
    const at = installedPath(`node_modules/${rest}`);
    if (!at) continue;
    const i = at.installPath.lastIndexOf('node_modules/');
    names.add(at.installPath.slice(i + 'node_modules/'.length));
  }
  return names.size ? names : undefined;
}

export async function parseYarn(paths: string[], ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const components: Component[] = [];
  const locks = paths.filter((p) => p === 'yarn.lock' || p.endsWith('/yarn.lock')).filter((p) => !p.includes('node_modules/'));
  const manifests = paths.filter((p) => (p === 'package.json' || p.endsWith('/package.json')) && !p.includes('node_modules/'));
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
    components.push(...toComponents(parsed.entries, roots, lock, parsed.berry, installedNames(ctx, dir)));
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
  // Optional packages for another platform are not installed on the stack (berry records `conditions`).
  let shipped = all.filter((e) => conditionsMatch(e.conditions));
  // Installed wins: with a node_modules beside, an entry only optional dependencies reach (a platform build
  // classic lockfiles cannot describe) and that is installed nowhere is not shipped.
  if (installed) {
    const opt = new Set(roots.optional.map(([n, r]) => `${n}@${r}`));
    const starts = [...roots.prod, ...roots.dev].filter(([n, r]) => !opt.has(`${n}@${r}`));
    const hard = hardReachable(all, resolve, [...starts, ...all.filter(isLocal).flatMap((w) => w.deps.filter(([n]) => !w.optionalNames.has(n)))]);
    shipped = shipped.filter((e) => hard.has(e) || installed.has(e.name) || isLocal(e));
  }
  const keep = new Set(shipped);
  const scope = new Map<YarnEntry, Scope>();
  const direct = new Set<YarnEntry>();
  const visit = (starts: Array<[string, string]>, s: Scope): void => {
    const queue: YarnEntry[] = [];
    for (const [n, r] of starts) {
      const e = resolve(n, r);
      if (!e) continue;
      direct.add(e);
      if (!scope.has(e)) {
        scope.set(e, s);
        queue.push(e);
      }
    }
    while (queue.length) {
      const e = queue.pop() as YarnEntry;
      for (const [n, r] of e.deps) {
        const d = resolve(n, r);
        if (d && !scope.has(d)) {
          scope.set(d, s);
          queue.push(d);
        }
      }
    }
  };
  if (roots.found) {
    visit(roots.prod, 'required');
    visit(roots.dev, 'dev');
    // a workspace's own entries: their dependencies are roots too (berry lists them; classic does not)
    const ws = all.filter(isLocal);
    for (const w of ws) if (!scope.has(w)) scope.set(w, 'required');
    visit(ws.flatMap((w) => w.deps), 'required');
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
