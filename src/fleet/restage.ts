// `fleet restage`: the apps to restage after an admin buildpack or a stack was updated, from the inventory alone. The
// Cloud Controller keeps no buildpack version: the installed one comes from the buildpack's file name (or --current),
// the staged one from what bpx recorded in the droplet, else the API's droplet buildpacks[].version.
import { schemeFor } from '../vuln/versions/index.ts';
import { versionFromFilename } from './sync/cc-types.ts';
import { installedBuildpacks, type RestageInput, restageInputs } from './sync/store-sync.ts';
import type { FleetStore } from './store.ts';

export interface RestageOptions {
  /** the stack apps should be on: apps whose droplet is on another are listed */
  stack?: string;
  /** only these buildpacks (admin name or the name the buildpack reports), case-insensitive */
  buildpacks?: readonly string[];
  /** NAME=VERSION: the installed version of a buildpack, instead of its file name's */
  current?: ReadonlyMap<string, string>;
}

/** Where a version came from. */
export type StagedSource = 'droplet' | 'cloud-controller' | 'inventory';
export type InstalledSource = 'filename' | '--current';

export interface RestageEntry {
  org: string | null;
  space: string | null;
  app: string;
  appGuid: string | null;
  droplet: number;
  stack: string | null;
  stagedAt: string | null;
  /** the admin buildpack's name (null for a stack-only entry) */
  buildpack: string | null;
  staged?: { version: string; source: StagedSource };
  installed?: { version: string; source: InstalledSource; filename?: string };
  reason: 'older buildpack' | 'version unknown' | 'other stack';
  detail: string;
  /** what to run, after `cf target -o ORG -s SPACE` */
  command: string;
}

export interface RestageGroup {
  org: string | null;
  space: string | null;
  target: string;
  entries: RestageEntry[];
}

/** `'name with space'` for a shell; plain names as they are. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_.,:@%+=/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const semver = schemeFor('npm')!;
const numeric = (v: string) =>
  v
    .replace(/^v/i, '')
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);

/** Compares two buildpack versions: semver where both are (`1.9.4` < `1.10.0`), else dotted numbers; `v` prefixes ignored. */
export function compareVersions(a: string, b: string): number {
  const x = a.replace(/^v/i, '');
  const y = b.replace(/^v/i, '');
  try {
    return semver.compare(x, y);
  } catch {
    const p = numeric(x);
    const q = numeric(y);
    for (let i = 0; i < Math.max(p.length, q.length); i++) {
      const d = (p[i] ?? 0) - (q[i] ?? 0);
      if (d) return d < 0 ? -1 : 1;
    }
    return 0;
  }
}

/** `nodejs_buildpack=1.9.5` → [name, version]; throws when it is not NAME=VERSION. */
export function parseCurrent(spec: string): [string, string] {
  const m = /^([^=\s]+)=(v?\d[^\s]*)$/.exec(spec.trim());
  if (!m) throw new Error(`--current ${spec}: give NAME=VERSION (nodejs_buildpack=1.9.5)`);
  return [m[1]!, m[2]!.replace(/^v/i, '')];
}

type Installed = Awaited<ReturnType<typeof installedBuildpacks>>[number];

/** The admin buildpack an app's buildpack is: same name, same stack (or one for any stack), same foundation when known. */
function installedFor(
  all: readonly Installed[],
  key: string,
  stack: string | null,
  api: string | null,
  lifecycle: string | null,
): Installed | undefined {
  const k = key.toLowerCase();
  const candidates = all.filter(
    (b) => b.name.toLowerCase() === k && (!api || b.api === api) && (!b.lifecycle || !lifecycle || b.lifecycle === lifecycle),
  );
  return (
    candidates.find((b) => b.stack && stack && b.stack === stack) ?? candidates.find((b) => !b.stack) ?? (stack ? undefined : candidates[0])
  );
}

/** The restage list, grouped by org and space (sorted), each entry with the command to run. */
export async function restageList(store: FleetStore, o: RestageOptions = {}): Promise<RestageGroup[]> {
  const inputs = await restageInputs(store);
  const installed = await installedBuildpacks(store);
  const only = (o.buildpacks ?? []).map((b) => b.toLowerCase());
  const current = new Map([...(o.current ?? new Map<string, string>())].map(([k, v]) => [k.toLowerCase(), v]));
  const entries: RestageEntry[] = [];
  for (const a of inputs) {
    const base = {
      org: a.org,
      space: a.space,
      app: a.app,
      appGuid: a.appGuid,
      droplet: a.dropletId,
      stack: a.stack,
      stagedAt: a.stagedAt,
      command: `cf restage ${shellWord(a.app)}`,
    };
    if (o.stack && a.stack !== o.stack) {
      entries.push({
        ...base,
        buildpack: null,
        reason: 'other stack',
        detail: `staged on ${a.stack ?? 'an unknown stack'}, not ${o.stack}`,
      });
    }
    for (const b of a.buildpacks) {
      const names = [b.key, b.dropletName, b.ccName].filter((n): n is string => !!n).map((n) => n.toLowerCase());
      if (only.length && !names.some((n) => only.includes(n))) continue;
      const staged = staged_(b);
      const given = names.map((n) => current.get(n)).find((v) => v !== undefined);
      const admin = b.key ? installedFor(installed, b.key, a.stack, a.api, a.lifecycle) : undefined;
      const fromFile = versionFromFilename(admin?.filename);
      const inst =
        given !== undefined
          ? { version: given, source: '--current' as const }
          : fromFile
            ? { version: fromFile, source: 'filename' as const, filename: admin!.filename! }
            : undefined;
      // a buildpack with no installed version known (a custom URL, an admin buildpack whose file name says none) is not judged
      if (!inst) continue;
      const entry = { ...base, buildpack: b.key ?? b.dropletName ?? b.ccName ?? null, installed: inst };
      if (!staged) {
        entries.push({
          ...entry,
          reason: 'version unknown',
          detail: `no version recorded for ${entry.buildpack}; ${inst.version} is installed`,
        });
      } else if (compareVersions(staged.version, inst.version) < 0) {
        entries.push({
          ...entry,
          staged,
          reason: 'older buildpack',
          detail: `${entry.buildpack} ${staged.version} (from the ${staged.source}) < ${inst.version} (from the ${inst.source === 'filename' ? 'file name' : '--current flag'})`,
        });
      }
    }
  }
  const groups = new Map<string, RestageGroup>();
  for (const e of entries) {
    const k = `${e.org ?? ''}\u0000${e.space ?? ''}`;
    let g = groups.get(k);
    if (!g) {
      g = {
        org: e.org,
        space: e.space,
        target: e.org && e.space ? `cf target -o ${shellWord(e.org)} -s ${shellWord(e.space)}` : '',
        entries: [],
      };
      groups.set(k, g);
    }
    g.entries.push(e);
  }
  const s = (x: string | null) => x ?? '';
  for (const g of groups.values()) g.entries.sort((x, y) => x.app.localeCompare(y.app) || s(x.buildpack).localeCompare(s(y.buildpack)));
  return [...groups.values()].sort((x, y) => s(x.org).localeCompare(s(y.org)) || s(x.space).localeCompare(s(y.space)));
}

/** The staged version and its source: what the droplet recorded (bpx), else the API's, else (files) what the inventory holds. */
function staged_(b: RestageInput['buildpacks'][number]): { version: string; source: StagedSource } | undefined {
  if (b.dropletVersion) return { version: b.dropletVersion, source: 'droplet' };
  if (b.ccVersion) return { version: b.ccVersion, source: 'cloud-controller' };
  if (b.inventoryVersion) return { version: b.inventoryVersion, source: 'inventory' };
  return undefined;
}
