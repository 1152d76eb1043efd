// Captures every component an app dir or droplet root ships: walk once, dispatch files to managers, merge, sort.
import type { Capture, Component, Issue } from '../model/index.ts';
import { DEFAULT_MAX_FILE_BYTES, type Mount, scanContextForMounts } from './context.ts';
import { mergeComponents } from './merge.ts';
import { anyName, nameFilter } from './names.ts';
import { managers as registered } from './registry.ts';
import type { PackageManager, ParseResult } from './types.ts';

export interface CaptureOptions {
  /** Keep dev-scoped packages (marked scope 'dev'). Default false. */
  includeDev?: boolean;
  /** Files a manager wants that are larger are skipped, which makes the capture incomplete. Default 64 MiB. */
  maxFileBytes?: number;
  /** Only these manager ids (default: all registered). */
  managers?: string[];
}

/** true when a package manager (a registered one, or one of `ids`) reads the file at this path: its loss matters. */
export function isWanted(path: string, ids?: readonly string[]): boolean {
  return registered.some((m) => (!ids || ids.includes(m.id)) && m.matches(path));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareIssues(a: Issue, b: Issue): number {
  return cmp(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.severity, b.severity) || cmp(a.message, b.message);
}

/**
 * Walks `root` once, gives each manager the files its matches() accepts, runs the managers in parallel,
 * merges one component per purl, drops dev components unless includeDev, sorts components by purl and
 * issues by path/line. complete is false when any issue is an error: anything a manager would have read and
 * did not (a file over maxFileBytes, a link out of the root, an unreadable directory or file), or nothing at all
 * for any manager to read. A manager that throws does not stop the capture: its throw becomes an error issue naming it.
 */
export async function captureDir(root: string, opts: CaptureOptions = {}): Promise<Capture> {
  return captureMounts([{ prefix: '', dir: root }], opts);
}

/**
 * Like captureDir over several directories seen as one tree, each under its prefix: staging passes
 * `[{prefix: 'app/', dir: BUILD_DIR}, {prefix: 'deps/', dir: DEPS_DIR}]` so the app's lockfile and the
 * buildpack's `deps/<idx>/node_modules` are reconciled (installed wins) as they would be in the droplet.
 */
export async function captureMounts(mounts: readonly Mount[], opts: CaptureOptions = {}): Promise<Capture> {
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const includeDev = opts.includeDev ?? false;
  const issues: Issue[] = [];
  let selected: PackageManager[] = registered;
  if (opts.managers) {
    const want = new Set(opts.managers);
    selected = registered.filter((m) => want.has(m.id));
    for (const id of want) {
      if (!registered.some((m) => m.id === id)) issues.push({ path: '.', severity: 'warning', message: `unknown package manager "${id}"` });
    }
  }
  const isWanted = (p: string): boolean => selected.some((m) => m.matches(p));
  // Only what a manager reads is listed (and later sized and sorted); the rest of the tree stays readable on demand.
  // One manager at a time over every path: one matches() per loop runs several times faster than all of them per path.
  const keep = (paths: readonly string[]): boolean[] => {
    const listed = new Array<boolean>(paths.length).fill(false);
    for (const m of selected) {
      const matches = m.matches;
      for (let i = 0; i < paths.length; i++) if (!listed[i] && matches(paths[i])) listed[i] = true;
    }
    return listed;
  };
  // the files whose names no manager reads are passed over by the walk (src/catalog/names.ts)
  const names = anyName(selected.map((m) => m.names));
  const { ctx, issues: walkIssues } = await scanContextForMounts(mounts, {
    includeDev,
    maxFileBytes,
    wanted: isWanted,
    keep,
    ...(names ? { name: nameFilter(names) } : {}),
  });
  issues.push(...walkIssues);

  const wanted = new Map<PackageManager, string[]>();
  const tooLarge = new Set<string>();
  for (const f of ctx.files) {
    for (const m of selected) {
      if (!m.matches(f.path)) continue;
      // Only files a manager wants are sized: the walk itself never stats.
      if (tooLarge.has(f.path)) continue;
      if (f.size > maxFileBytes) {
        tooLarge.add(f.path);
        // the components it lists are missing from the capture: an error, so the capture says it is incomplete
        issues.push({
          path: f.path,
          severity: 'error',
          message: `${f.size} bytes is over the ${maxFileBytes}-byte bound (maxFileBytes): skipped, not captured`,
        });
        continue;
      }
      const list = wanted.get(m);
      if (list) list.push(f.path);
      else wanted.set(m, [f.path]);
    }
  }

  const results = await Promise.all(
    [...wanted].map(async ([m, paths]): Promise<ParseResult> => {
      try {
        return await m.parse(paths, ctx);
      } catch (err) {
        return {
          components: [],
          issues: [
            { path: paths[0], severity: 'error', message: `${m.id}: unexpected failure: ${(err as Error)?.message ?? String(err)}` },
          ],
        };
      }
    }),
  );
  if (wanted.size === 0 && tooLarge.size === 0) {
    // An empty capture here means "not looked at", not "no dependencies": say so, and do not claim completeness.
    issues.push({
      path: '.',
      severity: 'error',
      message: `nothing to capture: no lockfile, manifest or installed package that ${opts.managers ? 'the chosen package managers read' : 'a package manager reads'} (${selected.map((m) => m.id).join(', ') || 'none'})`,
    });
  }
  const found: Component[] = [];
  for (const r of results) {
    found.push(...r.components);
    issues.push(...r.issues);
  }
  let components = mergeComponents(found);
  const merged = components.length;
  // After the merge, so a package that is dev in one place and required in another is kept as required.
  if (!includeDev) components = components.filter((c) => c.scope !== 'dev');
  if (components.length === 0 && wanted.size > 0) {
    const read = new Set([...wanted.values()].flat()).size;
    const dev = merged - components.length;
    issues.push({
      path: '.',
      severity: 'warning',
      message: `no components found in the ${read} file${read === 1 ? '' : 's'} read${dev ? ` (${dev} dev-scoped left out)` : ''}`,
    });
  }
  issues.sort(compareIssues);
  return { components, issues, complete: !issues.some((i) => i.severity === 'error') };
}
