// What `fleet sync` and `fleet restage` read and write in the inventory beyond `fleet add`'s droplets: the API's
// droplet checksum and buildpacks, the apps, admin buildpacks and stacks a foundation listed, and each sync's counts.
import { columns, inList, isRetryable } from '../db/types.ts';
import { appKey, type FleetStore } from '../store.ts';
import type { AppIdentity } from '../types.ts';
import type { CcBuildpack, CcStack } from './cc-types.ts';

const opt = <K extends string>(k: K, v: unknown): { [P in K]?: string } =>
  v === null || v === undefined || v === '' ? {} : ({ [k]: String(v) } as { [P in K]?: string });

/** Runs fn in one transaction, again when the database reports a deadlock or a busy lock. */
async function inTransaction<T>(store: FleetStore, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.db.transaction(fn);
    } catch (e) {
      if (attempt < 4 && isRetryable(e)) continue;
      throw e;
    }
  }
}

export interface KnownDroplet {
  id: number;
  guid: string | null;
  checksum: string | null;
  /** the droplet_cc_buildpacks rows are there */
  hasMeta: boolean;
}

/**
 * The stored droplet the API's droplet is: the same guid with the same checksum, or (for a sha256 checksum, which is the
 * tarball's digest) the droplet whose digest it is, whatever its guid. A guid stored with another checksum is not it.
 */
export async function knownDroplet(
  store: FleetStore,
  guid: string,
  checksum: { type: string; value: string } | undefined,
): Promise<KnownDroplet | undefined> {
  const sum = checksum ? `${checksum.type.toLowerCase()}:${checksum.value.toLowerCase()}` : undefined;
  const rows = await store.db.all<{ id: number; guid: string | null; checksum: string | null; digest: string }>(
    'SELECT id, guid, checksum, digest FROM droplets WHERE guid = ? OR digest = ?',
    [guid, sum?.startsWith('sha256:') ? sum : `-none-${guid}`],
  );
  const hit =
    rows.find((r) => r.guid === guid && sum !== undefined && r.checksum === sum) ?? rows.find((r) => sum !== undefined && r.digest === sum);
  if (!hit) return undefined;
  const meta = await store.db.get('SELECT 1 AS x FROM droplet_cc_buildpacks WHERE droplet_id = ?', [hit.id]);
  return { id: Number(hit.id), guid: hit.guid, checksum: hit.checksum, hasMeta: !!meta };
}

export interface CcBuildpackRow {
  position: number;
  name?: string;
  buildpackName?: string;
  version?: string;
  detectOutput?: string;
  /** what the droplet itself recorded (bpx's SBOM, or deps/<idx>/config.yml) */
  dropletName?: string;
  dropletVersion?: string;
}

const CC_BP_COLUMNS = columns(
  'droplet_id:bigint',
  'position:integer',
  'name',
  'buildpack_name',
  'version',
  'detect_output',
  'droplet_name',
  'droplet_version',
);

/**
 * A droplet the API lists under another guid with the same bytes (a droplet copied to another app, `POST
 * /v3/droplets?source_guid=`): a row of its own for the new guid, with the stored droplet's buildpacks and components,
 * without downloading it. Its digest is the stored one with `#<guid>` appended (digests are unique). Returns its id.
 */
export async function copyDroplet(store: FleetStore, sourceId: number, guid: string, source: string, now: string): Promise<number> {
  return inTransaction(store, async () => {
    const row = await store.db.get<{ id: number }>(
      `INSERT INTO droplets (digest, guid, app_id, stack, staged_at, added_at, sbom_digest, sbom_format, sbom_source, signature, source_kind, source_path,
         component_count, complete, checksum, lifecycle)
       SELECT digest || '#' || CAST(? AS TEXT), CAST(? AS TEXT), app_id, stack, staged_at, CAST(? AS TEXT), sbom_digest, sbom_format, sbom_source, signature, source_kind,
         CAST(? AS TEXT), component_count, complete, checksum, lifecycle
       FROM droplets WHERE id = ? RETURNING id`,
      [guid, guid, now, source, sourceId],
    );
    const id = Number(row!.id);
    await store.db.run(
      'INSERT INTO buildpacks (droplet_id, position, key, name, version, detect_line) SELECT ?, position, key, name, version, detect_line FROM buildpacks WHERE droplet_id = ?',
      [id, sourceId],
    );
    await store.db.run(
      'INSERT INTO droplet_components (droplet_id, component_id, scope, paths) SELECT ?, component_id, scope, paths FROM droplet_components WHERE droplet_id = ?',
      [id, sourceId],
    );
    return id;
  });
}

/**
 * In one transaction: the droplet's guid, checksum, lifecycle and API buildpacks, and the droplet as the current one of
 * its app (created or renamed from the API's names). A droplet first stored under another app (`fleet add` named it
 * from a file) moves to the app the API says it belongs to.
 */
export async function linkSyncedDroplet(
  store: FleetStore,
  dropletId: number,
  meta: {
    guid: string;
    checksum?: { type: string; value: string };
    lifecycle: string;
    stagedAt?: string;
    buildpacks: readonly CcBuildpackRow[];
    app: AppIdentity;
  },
  now: string,
): Promise<void> {
  const a = meta.app;
  await inTransaction(store, async () => {
    const app = await store.db.get<{ id: number }>(
      `INSERT INTO apps (app_key, guid, name, space_name, space_guid, org_name, org_guid, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_key) DO UPDATE SET name = excluded.name, space_name = excluded.space_name, space_guid = excluded.space_guid,
         org_name = excluded.org_name, org_guid = excluded.org_guid, updated_at = excluded.updated_at
       RETURNING id`,
      [appKey(a), a.guid ?? null, a.name, a.spaceName ?? null, a.spaceGuid ?? null, a.orgName ?? null, a.orgGuid ?? null, now, now],
    );
    const appId = Number(app!.id);
    const sum = meta.checksum ? `${meta.checksum.type.toLowerCase()}:${meta.checksum.value.toLowerCase()}` : null;
    // the guid only when no other droplet row holds it (droplets.guid is unique)
    await store.db.run(
      `UPDATE droplets SET checksum = ?, lifecycle = ?, app_id = ?, staged_at = COALESCE(?, staged_at),
         guid = CASE WHEN guid IS NULL AND NOT EXISTS (SELECT 1 FROM droplets o WHERE o.guid = ?) THEN ? ELSE guid END
       WHERE id = ?`,
      [sum, meta.lifecycle, appId, meta.stagedAt ?? null, meta.guid, meta.guid, dropletId],
    );
    await store.db.run('DELETE FROM droplet_cc_buildpacks WHERE droplet_id = ?', [dropletId]);
    await store.db.insertMany(
      'droplet_cc_buildpacks',
      CC_BP_COLUMNS,
      meta.buildpacks.map((b) => [
        dropletId,
        b.position,
        b.name ?? null,
        b.buildpackName ?? null,
        b.version ?? null,
        b.detectOutput ?? null,
        b.dropletName ?? null,
        b.dropletVersion ?? null,
      ]),
    );
    await store.db.run('UPDATE apps SET current_droplet_id = NULL, updated_at = ? WHERE current_droplet_id = ? AND id <> ?', [
      now,
      dropletId,
      appId,
    ]);
    await store.db.run('UPDATE apps SET current_droplet_id = ?, updated_at = ? WHERE id = ?', [dropletId, now, appId]);
  });
}

/** What the last sync of a foundation knew of an app. */
export interface CcAppState {
  guid: string;
  ccUpdatedAt: string | null;
  dropletGuid: string | null;
  status: string;
}

export async function ccAppStates(store: FleetStore, api: string): Promise<Map<string, CcAppState>> {
  const rows = await store.db.all<{ guid: string; cc_updated_at: string | null; droplet_guid: string | null; status: string }>(
    'SELECT guid, cc_updated_at, droplet_guid, status FROM cc_apps WHERE api = ?',
    [api],
  );
  return new Map(rows.map((r) => [r.guid, { guid: r.guid, ccUpdatedAt: r.cc_updated_at, dropletGuid: r.droplet_guid, status: r.status }]));
}

export interface CcAppRow {
  guid: string;
  name: string;
  spaceName?: string;
  spaceGuid?: string;
  orgName?: string;
  orgGuid?: string;
  state?: string;
  lifecycle: string;
  /** the app's updated_at when its current droplet guid was read (kept only when that guid is settled) */
  ccUpdatedAt?: string;
  dropletGuid?: string;
  image?: string;
  /** synced, unchanged, no-droplet, docker, failed, pending */
  status: string;
  reason?: string;
}

/** Upserts the apps a sync saw. With `complete` (an unfiltered sync), the foundation's apps it did not see are marked gone. */
export async function saveCcApps(store: FleetStore, api: string, rows: readonly CcAppRow[], complete: boolean, now: string): Promise<void> {
  await inTransaction(store, async () => {
    for (const r of rows) {
      await store.db.run(
        `INSERT INTO cc_apps (api, guid, name, space_name, space_guid, org_name, org_guid, state, lifecycle, cc_updated_at, droplet_guid, image, status, reason, synced_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (api, guid) DO UPDATE SET name = excluded.name, space_name = excluded.space_name, space_guid = excluded.space_guid,
           org_name = excluded.org_name, org_guid = excluded.org_guid, state = excluded.state, lifecycle = excluded.lifecycle,
           cc_updated_at = excluded.cc_updated_at, droplet_guid = excluded.droplet_guid, image = excluded.image, status = excluded.status,
           reason = excluded.reason, synced_at = excluded.synced_at`,
        [
          api,
          r.guid,
          r.name,
          r.spaceName ?? null,
          r.spaceGuid ?? null,
          r.orgName ?? null,
          r.orgGuid ?? null,
          r.state ?? null,
          r.lifecycle,
          r.ccUpdatedAt ?? null,
          r.dropletGuid ?? null,
          r.image ?? null,
          r.status,
          r.reason ?? null,
          now,
        ],
      );
    }
    if (complete) {
      const seen = new Set(rows.map((r) => r.guid));
      const all = await store.db.all<{ guid: string }>("SELECT guid FROM cc_apps WHERE api = ? AND status <> 'gone'", [api]);
      const gone = all.map((r) => r.guid).filter((g) => !seen.has(g));
      for (let i = 0; i < gone.length; i += 500) {
        const [cond, params] = inList(store.db, 'guid', gone.slice(i, i + 500));
        await store.db.run(
          `UPDATE cc_apps SET status = 'gone', reason = 'no longer listed by the API', synced_at = ? WHERE api = ? AND ${cond}`,
          [now, api, ...params],
        );
      }
    }
  });
}

/** Replaces the foundation's admin buildpacks and stacks with what the API listed now. */
export async function saveCcCatalog(
  store: FleetStore,
  api: string,
  buildpacks: readonly CcBuildpack[],
  stacks: readonly CcStack[],
  now: string,
): Promise<void> {
  await inTransaction(store, async () => {
    await store.db.run('DELETE FROM cc_buildpacks WHERE api = ?', [api]);
    await store.db.run('DELETE FROM cc_stacks WHERE api = ?', [api]);
    for (const b of buildpacks) {
      await store.db.run(
        'INSERT INTO cc_buildpacks (api, guid, name, stack, position, filename, lifecycle, state, enabled, updated_at, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          api,
          b.guid,
          b.name,
          b.stack ?? null,
          b.position ?? null,
          b.filename ?? null,
          b.lifecycle ?? null,
          b.state ?? null,
          b.enabled === undefined ? null : b.enabled ? 1 : 0,
          b.updatedAt ?? null,
          now,
        ],
      );
    }
    for (const s of stacks) {
      await store.db.run(
        'INSERT INTO cc_stacks (api, guid, name, description, is_default, updated_at, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [api, s.guid, s.name, s.description ?? null, s.isDefault === undefined ? null : s.isDefault ? 1 : 0, s.updatedAt ?? null, now],
      );
    }
  });
}

export interface SyncRunCounts {
  apps: number;
  downloaded: number;
  unchanged: number;
  failed: number;
  apiCalls: number;
  bytes: number;
}

export async function saveSyncRun(
  store: FleetStore,
  api: string,
  startedAt: string,
  finishedAt: string,
  c: SyncRunCounts,
): Promise<number> {
  const r = await store.db.get<{ id: number }>(
    'INSERT INTO sync_runs (api, started_at, finished_at, apps, downloaded, unchanged, failed, api_calls, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
    [api, startedAt, finishedAt, c.apps, c.downloaded, c.unchanged, c.failed, c.apiCalls, c.bytes],
  );
  return Number(r!.id);
}

/** An app's current droplet with the buildpacks that staged it, as `fleet restage` weighs them. */
export interface RestageInput {
  org: string | null;
  space: string | null;
  app: string;
  appGuid: string | null;
  dropletId: number;
  stack: string | null;
  stagedAt: string | null;
  lifecycle: string | null;
  /** the foundation the app was synced from (null for droplets only ever added from files) */
  api: string | null;
  buildpacks: Array<{
    position: number;
    /** the admin buildpack's name (the API's buildpacks[].name, or the key result.json gave) */
    key?: string;
    /** name and version read inside the droplet (bpx's SBOM or deps/<idx>/config.yml) */
    dropletName?: string;
    dropletVersion?: string;
    /** name and version the API reports for the droplet */
    ccName?: string;
    ccVersion?: string;
    /** synced droplets: the API's metadata rows are there, so dropletVersion is only what the droplet held */
    synced: boolean;
    /** droplets added from files: the version the inventory holds (droplet, result.json or SBOM) */
    inventoryVersion?: string;
  }>;
}

/** Every app's current droplet with its buildpacks; apps a sync saw disappear from their foundation are left out. */
export async function restageInputs(store: FleetStore): Promise<RestageInput[]> {
  const heads = await store.db.all<Record<string, unknown>>(
    `SELECT a.org_name, a.space_name, a.name, a.guid, d.id, d.stack, d.staged_at, d.lifecycle,
            (SELECT MIN(c.api) FROM cc_apps c WHERE c.guid = a.guid) AS api,
            (SELECT MIN(c.status) FROM cc_apps c WHERE c.guid = a.guid) AS status
     FROM apps a JOIN droplets d ON d.id = a.current_droplet_id`,
  );
  const live = heads.filter((h) => h.status !== 'gone');
  const ids = live.map((h) => Number(h.id));
  const bps = new Map<number, Record<string, unknown>[]>();
  const cc = new Map<number, Record<string, unknown>[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const [c1, p1] = inList(store.db, 'droplet_id', chunk);
    for (const r of await store.db.all<Record<string, unknown>>(
      `SELECT droplet_id, position, key, name, version FROM buildpacks WHERE ${c1}`,
      p1,
    )) {
      const k = Number(r.droplet_id);
      bps.set(k, [...(bps.get(k) ?? []), r]);
    }
    for (const r of await store.db.all<Record<string, unknown>>(
      `SELECT droplet_id, position, name, buildpack_name, version, droplet_name, droplet_version FROM droplet_cc_buildpacks WHERE ${c1}`,
      p1,
    )) {
      const k = Number(r.droplet_id);
      cc.set(k, [...(cc.get(k) ?? []), r]);
    }
  }
  return live.map((h) => {
    const id = Number(h.id);
    const own = bps.get(id) ?? [];
    const api = cc.get(id) ?? [];
    const positions = [...new Set([...own.map((r) => Number(r.position)), ...api.map((r) => Number(r.position))])].sort((a, b) => a - b);
    return {
      org: (h.org_name as string) ?? null,
      space: (h.space_name as string) ?? null,
      app: h.name as string,
      appGuid: (h.guid as string) ?? null,
      dropletId: id,
      stack: (h.stack as string) ?? null,
      stagedAt: (h.staged_at as string) ?? null,
      lifecycle: (h.lifecycle as string) ?? null,
      api: (h.api as string) ?? null,
      buildpacks: positions.map((position) => {
        const b = own.find((r) => Number(r.position) === position);
        const c = api.find((r) => Number(r.position) === position);
        const key = c?.name ?? b?.key ?? undefined;
        return {
          position,
          synced: !!c,
          ...opt('key', key),
          ...opt('dropletName', c ? c.droplet_name : b?.name),
          ...opt('dropletVersion', c ? c.droplet_version : undefined),
          ...opt('ccName', c?.buildpack_name),
          ...opt('ccVersion', c?.version),
          ...opt('inventoryVersion', c ? undefined : b?.version),
        };
      }),
    };
  });
}

/** The admin buildpacks the syncs listed (every foundation unless `api` names one). */
export async function installedBuildpacks(store: FleetStore, api?: string): Promise<Array<CcBuildpack & { api: string }>> {
  const rows = await store.db.all<Record<string, unknown>>(
    `SELECT api, guid, name, stack, position, filename, lifecycle, state, enabled, updated_at FROM cc_buildpacks${api ? ' WHERE api = ?' : ''} ORDER BY api, position, name`,
    api ? [api] : [],
  );
  return rows.map((r) => ({
    api: r.api as string,
    guid: r.guid as string,
    name: r.name as string,
    ...opt('stack', r.stack),
    ...(r.position === null || r.position === undefined ? {} : { position: Number(r.position) }),
    ...opt('filename', r.filename),
    ...opt('lifecycle', r.lifecycle),
    ...opt('state', r.state),
    ...(r.enabled === null || r.enabled === undefined ? {} : { enabled: Number(r.enabled) === 1 }),
    ...opt('updatedAt', r.updated_at),
  }));
}
