// npm projects: lockfile + package.json + installed node_modules reconciled per project (installed wins).
import { type Component, type Issue, type Scope, fromIntegrity, makeComponent } from '../../../model/index.ts';
import { licensesOf } from '../../licenses.ts';
import { mapLimit } from '../../map-limit.ts';
import { type InstalledPath, installedPath, packageJsonOrIssue, platformMatches } from '../../node-modules.ts';
import { scopesByReach } from '../../reach.ts';
import { readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { parseInstalled } from './parse-installed.ts';
import { type LockParse, type RootDeclarations, parsePackageLock, rootDeclarations } from './parse-package-lock.ts';
import { type Links, type NpmEntry, resolveAll } from './package.ts';

interface Project {
  dir: string;
  lock?: string;
  hidden?: string;
  manifest?: string;
  /** base folder of the installed tree that belongs to this project, and its package.json files. */
  tree?: { base: string; files: Array<{ path: string; at: InstalledPath }> };
}

const dirOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
};
const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const inNodeModules = (p: string): boolean => p.startsWith('node_modules/') || p.includes('/node_modules/');

/**
 * Groups the matched files into projects, including those with only a package.json (nothing there says which
 * versions ship); the nodejs buildpack's `deps/<idx>/node_modules` joins the `app` project.
 */
function groupAll(paths: readonly string[]): Project[] {
  const projects = new Map<string, Project>();
  const get = (dir: string): Project => {
    let p = projects.get(dir);
    if (!p) projects.set(dir, (p = { dir }));
    return p;
  };
  const trees = new Map<string, Array<{ path: string; at: InstalledPath }>>();
  for (const path of paths) {
    const name = baseName(path);
    if (name === '.package-lock.json' && baseName(dirOf(path)) === 'node_modules') {
      const dir = dirOf(dirOf(path));
      if (!inNodeModules(dir + '/')) get(dir).hidden = path;
      continue;
    }
    const at = installedPath(path);
    if (at) {
      const list = trees.get(at.base);
      if (list) list.push({ path, at });
      else trees.set(at.base, [{ path, at }]);
      continue;
    }
    if (inNodeModules(path)) continue;
    const dir = dirOf(path);
    if (name === 'package.json') get(dir).manifest = path;
    // npm uses npm-shrinkwrap.json over package-lock.json when both exist
    else if (name === 'npm-shrinkwrap.json') get(dir).lock = path;
    else if (name === 'package-lock.json' && !get(dir).lock) get(dir).lock = path;
  }
  for (const [base, files] of trees) {
    let owner = projects.get(base);
    if (!owner?.lock && !owner?.manifest && /^deps\/[^/]+$/.test(base)) {
      const app = projects.get('app');
      if (app && !trees.has('app') && !app.tree) owner = app;
    }
    owner ??= get(base);
    owner.tree = { base, files };
  }
  return [...projects.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

async function readLock(ctx: ScanContext, path: string, issues: Issue[]): Promise<LockParse | undefined> {
  const text = await readOrIssue(ctx, path, issues);
  if (text === undefined) return undefined;
  const r = parsePackageLock(text, path);
  issues.push(...r.issues);
  return r;
}

/**
 * The app's package.json. Unreadable or not a JSON object: an issue, then undefined. `severity` is 'warning' where a
 * lockfile or installed tree says what ships (the manifest only adds direct and dev flags), 'error' where it is the
 * only source (its dependencies are then not captured).
 */
async function readManifest(
  ctx: ScanContext,
  path: string,
  issues: Issue[],
  severity: Issue['severity'] = 'warning',
): Promise<RootDeclarations | undefined> {
  const lost = severity === 'error' ? ': its dependencies are not captured' : '';
  const text = await readOrIssue(ctx, path, issues, severity, lost);
  if (text === undefined) return undefined;
  const pkg = packageJsonOrIssue(text, path, issues, { what: 'package.json', severity, lost, notObject: 'a JSON object', line: 1 });
  return pkg && rootDeclarations(pkg);
}

/**
 * A project with a package.json and neither lockfile nor installed tree: nothing says which versions ship. Its
 * declared dependencies are not captured, which is said (and makes the capture incomplete); a package.json that
 * declares none is fine. Folders below a project that has a lockfile or tree are its workspaces: left alone.
 */
async function checkManifestOnly(project: Project, covered: readonly string[], ctx: ScanContext, issues: Issue[]): Promise<void> {
  const path = project.manifest as string;
  if (covered.some((d) => d === '' || project.dir.startsWith(`${d}/`))) {
    // a workspace package.json: the lockfile above lists its packages; still say when it is broken
    await readManifest(ctx, path, issues);
    return;
  }
  const root = await readManifest(ctx, path, issues, 'error');
  if (!root) return;
  const shipped = [...new Set([...root.prod, ...root.optional, ...root.peer, ...(ctx.includeDev ? root.dev : [])])];
  if (shipped.length === 0) return;
  const n = shipped.length;
  issues.push({
    path,
    line: 1,
    severity: 'error',
    message: `declares ${n} ${n === 1 ? 'dependency' : 'dependencies'} (${shipped.slice(0, 3).join(', ')}${n > 3 ? ', …' : ''}) but has no package-lock.json, npm-shrinkwrap.json or node_modules beside it: not captured`,
  });
}

function scopeOf(e: NpmEntry): Scope {
  if (e.devOptional) return 'optional';
  if (e.dev) return 'dev';
  if (e.optional) return 'optional';
  return 'required';
}

/** Marks entries dev when only devDependencies reach them (for trees without lockfile flags). */
function flagsByReachability(entries: Map<string, NpmEntry>, links: Links, root: RootDeclarations): Map<string, Scope> {
  return scopesByReach((at: string) => resolveAll(entries, links, at, (entries.get(at) as NpmEntry).deps), {
    required: resolveAll(entries, links, '', [...root.prod, ...root.peer, ...root.optional]),
    dev: resolveAll(entries, links, '', root.dev),
  });
}

/** npm's files grouped into projects, each read and reconciled on its own. */
export async function catalog(files: MatchedFiles<string>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const components: Component[] = [];
  const all = groupAll(files.paths);
  const covered = all.filter((p) => p.lock || p.tree || p.hidden).map((p) => p.dir);
  for (const project of all) {
    if (project.lock || project.tree || project.hidden) components.push(...(await parseProject(project, ctx, issues)));
    else if (project.manifest) await checkManifestOnly(project, covered, ctx, issues);
  }
  return { components, issues };
}

async function parseProject(project: Project, ctx: ScanContext, issues: Issue[]): Promise<Component[]> {
  const lock = project.lock ? await readLock(ctx, project.lock, issues) : undefined;
  // npm's hidden lockfile (node_modules/.package-lock.json, as large as the lockfile) is read only beside a tree. Beside
  // a lockfile it adds only links (workspaces) and the flags of packages the lockfile lacks at their installed version,
  // so it is parsed when its text may hold a link (`"link": true`, or keys written with escapes), or once such a package
  // turns up; without a lockfile, always.
  const hiddenText = project.hidden && project.tree ? await readOrIssue(ctx, project.hidden, []) : undefined;
  let hidden: LockParse | undefined;
  let hiddenParsed = false;
  const parseHidden = (): LockParse | undefined => {
    if (!hiddenParsed && hiddenText !== undefined) hidden = parsePackageLock(hiddenText, project.hidden as string);
    hiddenParsed = true;
    return hidden;
  };
  if (!lock || (hiddenText !== undefined && (hiddenText.includes('"link"') || hiddenText.includes('\\u')))) parseHidden();
  let root = lock?.root;
  if (project.manifest) {
    // read even when the lockfile has the root's declarations, so that a broken package.json is said
    const declared = await readManifest(ctx, project.manifest, issues);
    root ??= declared;
  }
  const links: Links = new Map([...(hidden?.links ?? []), ...(lock?.links ?? [])]);
  const byPath = new Map<string, NpmEntry>();
  const extraLocations = new Map<string, NpmEntry['location']>();

  if (project.tree) {
    const installed = await mapLimit(project.tree.files, 64, async (f) => {
      // an installed package not looked at (over maxFileBytes, gone since the walk) is an error: the capture misses it
      const text = await readOrIssue(ctx, f.path, issues);
      return text === undefined ? undefined : parseInstalled(text, f.path, f.at.installPath, issues);
    });
    for (const e of installed) if (e) byPath.set(e.installPath, e);
    const lockByPath = new Map((lock?.entries ?? []).map((e) => [e.installPath, e]));
    let hiddenByPath: Map<string, NpmEntry> | undefined;
    for (const [p, inst] of byPath) {
      const l = lockByPath.get(p);
      let flags = l && l.version === inst.version ? l : undefined;
      if (flags === undefined) {
        hiddenByPath ??= new Map((parseHidden()?.entries ?? []).map((e) => [e.installPath, e]));
        const h = hiddenByPath.get(p);
        if (h && h.version === inst.version) flags = h;
      }
      if (l && (l.version !== inst.version || l.name !== inst.name)) {
        issues.push({
          path: inst.location.path,
          line: 1,
          severity: 'warning',
          message: `installed ${inst.name}@${inst.version} differs from ${l.location.path}:${l.location.line ?? '?'} (${l.name}@${l.version}): installed wins`,
        });
      }
      if (flags) {
        // inst was parsed just above for this project alone: updated in place rather than copied per package
        inst.dev = flags.dev;
        inst.optional = flags.optional;
        inst.devOptional = flags.devOptional;
        inst.integrity ??= flags.integrity;
        if (!inst.licenses.length) inst.licenses = flags.licenses;
      }
      if (l && l.version === inst.version && l.name === inst.name) extraLocations.set(p, l.location);
    }
    // Lockfile entries not installed are not shipped: workspace folders (the app's own code) excepted.
    let missing = 0;
    for (const l of lock?.entries ?? []) {
      if (l.workspace) byPath.set(l.installPath, l);
      else if (!byPath.has(l.installPath) && !l.dev && !l.optional && !l.devOptional) missing++;
    }
    if (missing && project.lock) {
      issues.push({
        path: project.lock,
        severity: 'warning',
        message: `${missing} required package(s) in the lockfile are not installed in ${project.tree.base ? project.tree.base + '/' : ''}node_modules: reported as installed`,
      });
    }
    if (!lock && !hidden && root) {
      const s = flagsByReachability(byPath, links, root);
      for (const [p, e] of byPath) if (s.get(p) === 'dev' && !e.optional) byPath.set(p, { ...e, dev: true });
    }
  } else if (lock) {
    for (const e of lock.entries) {
      // Without an installed tree, an optional package for another platform is not shipped on linux/x64.
      if ((e.optional || e.devOptional || e.dev) && !platformMatches(e)) continue;
      byPath.set(e.installPath, e);
    }
  }
  return toComponents(byPath, links, root, extraLocations);
}

function toComponents(
  byPath: Map<string, NpmEntry>,
  links: Links,
  root: RootDeclarations | undefined,
  extraLocations: Map<string, NpmEntry['location']>,
): Component[] {
  const direct = new Set<string>(root ? resolveAll(byPath, links, '', [...root.prod, ...root.dev, ...root.optional, ...root.peer]) : []);
  for (const [p, e] of byPath) if (e.workspace) for (const r of resolveAll(byPath, links, p, e.deps)) direct.add(r);
  // Components first, edges second: an edge names its target's purl, which makeComponent has then built once.
  const built = new Map<string, Component>();
  for (const [p, e] of byPath) {
    const c = makeComponent({
      ecosystem: 'npm',
      name: e.name,
      version: e.version,
      location: { ...e.location },
      scope: e.workspace ? 'required' : scopeOf(e),
      kind: e.workspace ? 'application' : 'library',
      licenses: licensesOf(e.licenses),
      hashes: fromIntegrity(e.integrity),
      dependsOn: [],
      direct: e.workspace || direct.has(p),
    });
    const extra = extraLocations.get(p);
    if (extra) c.locations.push({ ...extra });
    built.set(p, c);
  }
  for (const [p, e] of byPath) {
    const deps = new Set<string>();
    for (const r of resolveAll(byPath, links, p, e.deps)) if (r !== p) deps.add((built.get(r) as Component).purl);
    (built.get(p) as Component).dependsOn = [...deps].sort();
  }
  return [...built.values()];
}
