// `fleet sync`: the inventory filled from a foundation through the Cloud Controller v3 API. Apps are listed page by
// page, each app's current droplet guid is read only when the app changed since the last sync, droplet objects are
// fetched in batches, and only droplets the inventory lacks are downloaded (bounded concurrency, streamed).
import { inList } from '../db/types.ts';
import type { FleetStore } from '../store.ts';
import type { AppIdentity } from '../types.ts';
import { ApiError, type CcClient } from './cc-client.ts';
import { AuthError } from './auth.ts';
import {
  type CcApp,
  type CcBuildpack,
  type CcDroplet,
  type CcOrg,
  type CcSpace,
  type CcStack,
  readApp,
  readBuildpack,
  readDroplet,
  readOrg,
  readRelationship,
  readSpace,
  readStack,
} from './cc-types.ts';
import { ChecksumMismatch, DownloadInterrupted, readDropletStream } from './read-stream.ts';
import { syncedRecord } from './record.ts';
import {
  type CcAppRow,
  ccAppStates,
  copyDroplet,
  knownDroplet,
  linkSyncedDroplet,
  saveCcApps,
  saveCcCatalog,
  saveSyncRun,
} from './store-sync.ts';

export interface SyncFilters {
  /** org names */
  orgs: readonly string[];
  /** space names, or ORG/SPACE */
  spaces: readonly string[];
  /** passed to the API as label_selector (`env=prod,tier!=db`) */
  labelSelector?: string;
}

export interface SyncOptions {
  client: CcClient;
  store: FleetStore;
  filters: SyncFilters;
  /** downloads (and current-droplet look-ups) at once */
  concurrency: number;
  /** list what would be downloaded; write nothing */
  dryRun: boolean;
  publicKey?: Buffer;
  tmpDir: string;
  /** guids per GET /v3/droplets?guids=… */
  batchSize?: number;
  now?: () => string;
  onProgress?: (p: SyncProgress) => void;
}

export type AppStatus = 'downloaded' | 'unchanged' | 'would-download' | 'no-droplet' | 'docker' | 'failed';

export interface AppOutcome {
  org: string | null;
  space: string | null;
  app: string;
  guid: string;
  lifecycle: string;
  status: AppStatus;
  droplet?: string;
  reason?: string;
  image?: string;
  sbom?: string;
  signature?: string;
  components?: number;
  bytes?: number;
  problems: string[];
  notes: string[];
}

export interface SyncProgress {
  done: number;
  total: number;
  downloaded: number;
  failed: number;
  bytes: number;
  /** ms since the downloads began */
  elapsedMs: number;
}

export interface SyncResult {
  api: string;
  dryRun: boolean;
  apps: AppOutcome[];
  buildpacks: CcBuildpack[];
  stacks: CcStack[];
  summary: {
    apps: number;
    downloaded: number;
    unchanged: number;
    wouldDownload: number;
    noDroplet: number;
    docker: number;
    failed: number;
    failedChecks: number;
    bytes: number;
    apiCalls: number;
    appPages: number;
    currentLookups: number;
    dropletBatches: number;
  };
  calls: Record<string, number>;
}

/** Runs fn over items with at most n at once, in order of start. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    // after a failure no new item starts; the ones under way finish before the failure is thrown
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  if (failed) throw failed.error;
}

/** `a/b` space filter or plain `b`; org and space names compare as the API spells them. */
function keep(filters: SyncFilters, org: string | undefined, space: string | undefined): boolean {
  if (filters.orgs.length && !filters.orgs.includes(org ?? '')) return false;
  if (filters.spaces.length && !filters.spaces.some((s) => (s.includes('/') ? s === `${org}/${space}` : s === space))) return false;
  return true;
}

const quoteList = (xs: readonly string[]) => xs.map(encodeURIComponent).join(',');

interface Planned {
  app: CcApp;
  identity: AppIdentity;
  droplet?: CcDroplet;
  dropletGuid: string | null;
  /** the guid came from the last sync (the app has not changed since) */
  cached: boolean;
  outcome: AppOutcome;
}

export async function syncFoundation(o: SyncOptions): Promise<SyncResult> {
  const now = o.now ?? (() => new Date().toISOString());
  const startedAt = now();
  const client = o.client;
  const api = client.o.api.origin;
  const batch = o.batchSize ?? 100;

  // the catalog: admin buildpacks (name, stack, position, filename, lifecycle) and stacks
  const stacks = (await client.list<unknown>('/v3/stacks?per_page=5000', 'stacks')).resources
    .map(readStack)
    .filter((s): s is CcStack => !!s);
  const buildpacks = (await client.list<unknown>('/v3/buildpacks?per_page=5000', 'buildpacks')).resources
    .map(readBuildpack)
    .filter((b): b is CcBuildpack => !!b);

  // the apps, with their spaces and orgs included: one call per 5,000 apps
  const q = `/v3/apps?include=space.organization&per_page=5000${o.filters.labelSelector ? `&label_selector=${encodeURIComponent(o.filters.labelSelector)}` : ''}`;
  const listed = await client.list<unknown>(q, 'apps');
  const spaces = new Map(
    (listed.included.spaces ?? [])
      .map(readSpace)
      .filter((s): s is CcSpace => !!s)
      .map((s) => [s.guid, s]),
  );
  const orgs = new Map(
    (listed.included.organizations ?? [])
      .map(readOrg)
      .filter((x): x is CcOrg => !!x)
      .map((x) => [x.guid, x]),
  );
  const apps = listed.resources.map(readApp).filter((a): a is CcApp => !!a);
  const known = await ccAppStates(o.store, api);

  const planned: Planned[] = [];
  for (const app of apps) {
    const space = app.spaceGuid ? spaces.get(app.spaceGuid) : undefined;
    const org = space?.orgGuid ? orgs.get(space.orgGuid) : undefined;
    if (!keep(o.filters, org?.name, space?.name)) continue;
    const identity: AppIdentity = {
      name: app.name,
      guid: app.guid,
      ...(space ? { spaceName: space.name, spaceGuid: space.guid } : {}),
      ...(org ? { orgName: org.name, orgGuid: org.guid } : {}),
    };
    const last = known.get(app.guid);
    const cached = !!last && last.status !== 'gone' && !!app.updatedAt && last.ccUpdatedAt === app.updatedAt;
    planned.push({
      app,
      identity,
      dropletGuid: cached ? last!.dropletGuid : null,
      cached,
      outcome: {
        org: org?.name ?? null,
        space: space?.name ?? null,
        app: app.name,
        guid: app.guid,
        lifecycle: app.lifecycle,
        status: 'no-droplet',
        problems: [],
        notes: [],
      },
    });
  }

  // the current droplet of each app that is new or changed since the last sync (the API lists no current droplet guid)
  const lookups = planned.filter((p) => !p.cached && p.app.lifecycle !== 'docker');
  await pool(lookups, o.concurrency, async (p) => {
    try {
      p.dropletGuid = readRelationship(
        await client.get(`/v3/apps/${encodeURIComponent(p.app.guid)}/relationships/current_droplet`, 'current-droplet'),
      );
    } catch (e) {
      if (e instanceof AuthError) throw e;
      if (e instanceof ApiError && e.status === 404) p.dropletGuid = null;
      else throw e;
    }
  });

  // droplet objects, in batches, for the droplets the inventory does not hold yet (a droplet never changes once staged)
  const cachedGuids = planned.filter((p) => p.cached && p.dropletGuid && p.app.lifecycle !== 'docker').map((p) => p.dropletGuid!);
  const stored = new Set<string>();
  for (let i = 0; i < cachedGuids.length; i += 500) {
    const [cond, params] = inList(o.store.db, 'guid', cachedGuids.slice(i, i + 500));
    for (const r of await o.store.db.all<{ guid: string }>(`SELECT guid FROM droplets WHERE checksum IS NOT NULL AND ${cond}`, params))
      stored.add(r.guid);
  }
  const needObject: Planned[] = [];
  for (const p of planned) {
    if (!p.dropletGuid || p.app.lifecycle === 'docker') continue;
    if (p.cached && stored.has(p.dropletGuid)) {
      p.outcome.status = 'unchanged';
      p.outcome.droplet = p.dropletGuid;
      continue;
    }
    needObject.push(p);
  }
  const guids = [...new Set(needObject.map((p) => p.dropletGuid!))];
  const droplets = new Map<string, CcDroplet>();
  let batches = 0;
  for (let i = 0; i < guids.length; i += batch) {
    const page = await client.list<unknown>(`/v3/droplets?guids=${quoteList(guids.slice(i, i + batch))}&per_page=5000`, 'droplets');
    batches++;
    for (const d of page.resources.map(readDroplet)) if (d) droplets.set(d.guid, d);
  }

  const toDownload: Planned[] = [];
  for (const p of planned) {
    const out = p.outcome;
    if (p.app.lifecycle === 'docker') {
      out.status = 'docker';
      out.reason = 'docker image: no droplet to download';
      continue;
    }
    if (out.status === 'unchanged') continue;
    if (!p.dropletGuid) {
      out.status = 'no-droplet';
      out.reason = 'no current droplet (never staged, or staging failed)';
      continue;
    }
    out.droplet = p.dropletGuid;
    const d = droplets.get(p.dropletGuid);
    if (!d) {
      out.status = 'no-droplet';
      out.reason = `the current droplet ${p.dropletGuid} is not listed by the API`;
      continue;
    }
    p.droplet = d;
    if (d.lifecycle === 'docker') {
      out.status = 'docker';
      out.reason = 'docker image: no droplet to download';
      if (d.image) out.image = d.image;
      continue;
    }
    if (d.state && d.state !== 'STAGED') {
      out.status = 'no-droplet';
      out.reason = `the current droplet is ${d.state}`;
      continue;
    }
    const k = await knownDroplet(o.store, d.guid, d.checksum);
    if (k) {
      out.status = 'unchanged';
      if (!o.dryRun) {
        // what the droplet itself recorded, kept beside the API's buildpacks (restage says which version came from where)
        const recorded = await recordedBuildpacks(o.store, k.id);
        // the same bytes under another guid: a copy of a droplet the inventory holds, stored as its own droplet
        const id = k.guid && k.guid !== d.guid ? await copyDroplet(o.store, k.id, d.guid, `${api}/v3/droplets/${d.guid}`, now()) : k.id;
        const stagedAt = d.createdAt && !Number.isNaN(Date.parse(d.createdAt)) ? new Date(d.createdAt).toISOString() : undefined;
        const cc = d.buildpacks.map((b, i) => ({
          position: i,
          ...(b.name ? { name: b.name } : {}),
          ...(b.buildpackName ? { buildpackName: b.buildpackName } : {}),
          ...(b.version ? { version: b.version } : {}),
          ...(b.detectOutput ? { detectOutput: b.detectOutput } : {}),
          ...(recorded.get(i)?.name ? { dropletName: recorded.get(i)!.name! } : {}),
          ...(recorded.get(i)?.version ? { dropletVersion: recorded.get(i)!.version! } : {}),
        }));
        await linkSyncedDroplet(
          o.store,
          id,
          {
            guid: d.guid,
            ...(d.checksum ? { checksum: d.checksum } : {}),
            lifecycle: d.lifecycle,
            ...(stagedAt ? { stagedAt } : {}),
            buildpacks: cc,
            app: p.identity,
          },
          now(),
        );
      }
      continue;
    }
    out.status = 'would-download';
    toDownload.push(p);
  }

  let downloaded = 0;
  let failed = 0;
  let bytes = 0;
  let done = 0;
  const t0 = Date.now();
  const progress = () => o.onProgress?.({ done, total: toDownload.length, downloaded, failed, bytes, elapsedMs: Date.now() - t0 });
  // downloads run side by side; the store is one connection, so its writes (each droplet one transaction) take turns
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const r = turn.then(fn);
    turn = r.catch(() => {});
    return r;
  };
  if (!o.dryRun) {
    progress();
    await pool(toDownload, o.concurrency, async (p) => {
      const d = p.droplet!;
      const source = `${api}/v3/droplets/${d.guid}`;
      const out = p.outcome;
      try {
        const read = await downloadAndRead(o, d, p.identity);
        const { record, cc } = syncedRecord(read, d, p.identity, source);
        await serial(async () => {
          const r = await o.store.addDroplet(record);
          await linkSyncedDroplet(
            o.store,
            r.dropletId,
            {
              guid: d.guid,
              ...(d.checksum ? { checksum: d.checksum } : {}),
              lifecycle: d.lifecycle,
              ...(record.stagedAt ? { stagedAt: record.stagedAt } : {}),
              buildpacks: cc,
              app: p.identity,
            },
            now(),
          );
          await o.store.clearFailure(source);
        });
        out.status = 'downloaded';
        out.sbom = read.source;
        out.signature = read.signature;
        out.components = record.components.length;
        out.bytes = read.bytes;
        out.problems = read.problems.map((x) => x.message);
        out.notes = read.notes;
        downloaded++;
        bytes += read.bytes;
      } catch (e) {
        if (e instanceof AuthError) throw e;
        const reason = client.safe((e as Error).message);
        out.status = 'failed';
        out.reason = reason;
        failed++;
        await serial(() => o.store.recordFailure(source, undefined, reason));
      } finally {
        done++;
        progress();
      }
    });
  }

  const outcomes = planned
    .map((p) => p.outcome)
    .sort((a, b) => (a.org ?? '').localeCompare(b.org ?? '') || (a.space ?? '').localeCompare(b.space ?? '') || a.app.localeCompare(b.app));
  const count = (s: AppStatus) => outcomes.filter((x) => x.status === s).length;
  const summary = {
    apps: outcomes.length,
    downloaded: count('downloaded'),
    unchanged: count('unchanged'),
    wouldDownload: count('would-download'),
    noDroplet: count('no-droplet'),
    docker: count('docker'),
    failed: count('failed'),
    failedChecks: outcomes.filter((x) => x.problems.length).length,
    bytes,
    apiCalls: client.totalCalls,
    appPages: listed.pages,
    currentLookups: lookups.length,
    dropletBatches: batches,
  };
  if (!o.dryRun) {
    const complete = !o.filters.orgs.length && !o.filters.spaces.length && !o.filters.labelSelector;
    const rows: CcAppRow[] = planned.map((p) => {
      const x = p.outcome;
      // the app's updated_at is kept only with a settled droplet guid, so that the next sync can trust it
      const settled = x.status !== 'failed' || !!p.dropletGuid;
      return {
        guid: p.app.guid,
        name: p.app.name,
        ...(p.identity.spaceName ? { spaceName: p.identity.spaceName } : {}),
        ...(p.identity.spaceGuid ? { spaceGuid: p.identity.spaceGuid } : {}),
        ...(p.identity.orgName ? { orgName: p.identity.orgName } : {}),
        ...(p.identity.orgGuid ? { orgGuid: p.identity.orgGuid } : {}),
        ...(p.app.state ? { state: p.app.state } : {}),
        lifecycle: p.app.lifecycle,
        ...(settled && p.app.updatedAt && p.app.lifecycle !== 'docker' ? { ccUpdatedAt: p.app.updatedAt } : {}),
        ...(p.dropletGuid ? { dropletGuid: p.dropletGuid } : {}),
        ...(x.image ? { image: x.image } : {}),
        status: x.status === 'downloaded' ? 'synced' : x.status,
        ...(x.reason ? { reason: x.reason } : {}),
      };
    });
    await saveCcApps(o.store, api, rows, complete, now());
    await saveCcCatalog(o.store, api, buildpacks, stacks, now());
    if (summary.downloaded >= 100) await o.store.optimize();
    await saveSyncRun(o.store, api, startedAt, now(), {
      apps: summary.apps,
      downloaded: summary.downloaded,
      unchanged: summary.unchanged,
      failed: summary.failed,
      apiCalls: client.totalCalls,
      bytes,
    });
  }
  return { api, dryRun: o.dryRun, apps: outcomes, buildpacks, stacks, summary, calls: Object.fromEntries([...client.calls].sort()) };
}

/**
 * The buildpack names and versions a stored droplet recorded inside itself, by position: from its API metadata rows when
 * a sync stored it, else (added from a file) the inventory's buildpack rows.
 */
async function recordedBuildpacks(store: FleetStore, id: number): Promise<Map<number, { name?: string; version?: string }>> {
  const meta = await store.db.all<{ position: number; droplet_name: string | null; droplet_version: string | null }>(
    'SELECT position, droplet_name, droplet_version FROM droplet_cc_buildpacks WHERE droplet_id = ?',
    [id],
  );
  const rows = meta.length
    ? meta.map((r) => ({ position: Number(r.position), name: r.droplet_name, version: r.droplet_version }))
    : (
        await store.db.all<{ position: number; name: string | null; version: string | null }>(
          'SELECT position, name, version FROM buildpacks WHERE droplet_id = ?',
          [id],
        )
      ).map((r) => ({ ...r, position: Number(r.position) }));
  return new Map(rows.map((r) => [r.position, { ...(r.name ? { name: r.name } : {}), ...(r.version ? { version: r.version } : {}) }]));
}

/** Downloads and reads one droplet; a download that breaks off is tried again (twice), a corrupt or mismatching one is not. */
async function downloadAndRead(o: SyncOptions, d: CcDroplet, app: AppIdentity) {
  const label = `droplet ${d.guid} (${[app.orgName, app.spaceName, app.name].filter(Boolean).join('/')})`;
  for (let attempt = 0; ; attempt++) {
    const res = await o.client.download(d.guid);
    try {
      return await readDropletStream(res.body, label, {
        tmpDir: o.tmpDir,
        lifecycle: d.lifecycle === 'cnb' ? 'cnb' : 'buildpack',
        ...(d.checksum ? { checksum: d.checksum } : {}),
        ...(o.publicKey ? { publicKey: o.publicKey } : {}),
      });
    } catch (e) {
      if (e instanceof DownloadInterrupted && attempt < 2) continue;
      if (e instanceof ChecksumMismatch || e instanceof DownloadInterrupted) throw e;
      // a tarball that does not read: name it as such, without the local label twice
      throw new Error((e as Error).message.replace(`${label}: `, `${label}: corrupt tarball: `));
    }
  }
}
