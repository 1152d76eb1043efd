// The fleet store: droplets in, questions out, over either database (a batch of droplets per transaction, ids cached per process).
import type { Ecosystem } from '../model/index.ts';
import type { VulnSeverity } from '../vuln/osv/index.ts';
import type { VulnSource } from '../vuln/findings.ts';
import { type Param, type SqlDb, columns, inList, isRetryable } from './db/types.ts';
import { type PackedDroplet, nameKey, packDroplet } from './ingest/pack.ts';
import { LINK_INDEX, migrate } from './schema/migrations.ts';
import type {
  AddResult,
  AppBuildpacks,
  AppIdentity,
  BuildpackRow,
  ComponentRow,
  DropletRecord,
  FindingFacts,
  PackageHit,
  ScanRun,
  StoredFinding,
} from './types.ts';

/** app identity key: the guid when known (a renamed app stays one app), else org/space/name. */
export function appKey(a: AppIdentity): string {
  return a.guid ? `guid:${a.guid}` : `name:${a.orgName ?? ''}/${a.spaceName ?? ''}/${a.name}`;
}

export { nameKey };

const json = (v: unknown) => JSON.stringify(v);
const list = (v: unknown): string[] => {
  try {
    const x = JSON.parse(String(v ?? '[]'));
    return Array.isArray(x) ? x.map(String) : [];
  } catch {
    return [];
  }
};

const DROPLET_COMPONENT_COLUMNS = columns('droplet_id:bigint', 'component_id:bigint', 'scope', 'paths');
const COMPONENT_COLUMNS = columns('purl', 'ecosystem', 'namespace', 'name', 'name_key', 'version', 'type', 'licenses');
const BUILDPACK_COLUMNS = columns('droplet_id:bigint', 'position:integer', 'key', 'name', 'version', 'detect_line');
const FINDING_COLUMNS = columns(
  'component_id:bigint',
  'advisory_id',
  'aliases',
  'severity',
  'fixed',
  'summary',
  'sources',
  'first_seen_run:bigint',
  'last_seen_run:bigint',
);

const APP_COLUMNS = columns('app_key', 'guid', 'name', 'space_name', 'space_guid', 'org_name', 'org_guid', 'created_at', 'updated_at');
const DROPLET_COLUMNS = columns(
  'digest',
  'guid',
  'app_id:bigint',
  'stack',
  'staged_at',
  'added_at',
  'sbom_digest',
  'sbom_format',
  'sbom_source',
  'signature',
  'source_kind',
  'source_path',
  'component_count:integer',
  'complete:integer',
);
// an app seen again: its latest name, and each other field from the latest droplet that knows it
const APP_UPSERT = `ON CONFLICT (app_key) DO UPDATE SET name = excluded.name,
  space_name = COALESCE(excluded.space_name, apps.space_name), space_guid = COALESCE(excluded.space_guid, apps.space_guid),
  org_name = COALESCE(excluded.org_name, apps.org_name), org_guid = COALESCE(excluded.org_guid, apps.org_guid),
  updated_at = excluded.updated_at`;
// the longest list bound to one `IN (...)`: SQLite binds one parameter per value; PostgreSQL binds one array, and one
// statement for a long list costs one plan and one pass (four chunks of a package's 2,000 droplets cost four hash joins)
const inChunk = (db: SqlDb) => (db.dialect === 'postgres' ? 100_000 : 500);

// rolls back a batch of which another writer stored some droplets first: the next attempt finds them stored
class StoredMeanwhile extends Error {
  constructor() {
    super('stored meanwhile by another writer');
  }
}

/** A stored droplet as `fleet add` reports it. */
export interface DropletDescription {
  app: AppIdentity;
  current: boolean;
  sbomSource: string;
  signature: string;
  components: number;
}

export interface StoreOptions {
  /** the clock (ISO 8601 strings); tests fix it */
  now?: () => string;
}

export interface ComponentToScan {
  id: number;
  purl: string;
  ecosystem: string;
  name: string;
  version: string;
}

export interface FindingToStore extends FindingFacts {
  componentId: number;
}

export interface ExportDroplet {
  app: AppIdentity;
  dropletId: number;
  digest: string;
  stack: string | null;
  stagedAt: string | null;
  complete: boolean;
  buildpacks: BuildpackRow[];
  components: ComponentRow[];
}

/** A droplet's droplet_components rows, in component id order. */
function linkRows(dropletId: number, d: PackedDroplet, ids: ReadonlyMap<string, number>): Param[][] {
  const { purls, scopes, paths } = d.packed;
  const rows: Param[][] = purls.map((p, i) => [dropletId, ids.get(p)!, scopes[i]!, paths[i]!]);
  return rows.sort((x, y) => (x[1] as number) - (y[1] as number));
}

export class FleetStore {
  // purl → component id, only ids committed to the database (a rolled-back insert must not leave a dangling id here)
  private readonly componentIds = new Map<string, number>();
  private readonly now: () => string;
  private readonly inChunk: number;

  private constructor(
    readonly db: SqlDb,
    opts: StoreOptions,
  ) {
    this.now = opts.now ?? (() => new Date().toISOString());
    this.inChunk = inChunk(db);
  }

  /** Opens the store on a database, applying pending migrations first. */
  static async open(db: SqlDb, opts: StoreOptions = {}): Promise<FleetStore> {
    await migrate(db, opts.now);
    const store = new FleetStore(db, opts);
    await store.ensureIndexes();
    return store;
  }

  /**
   * Before `fleet add` of `expected` droplets into SQLite: when that is at least twice what the inventory holds, drops
   * the index of droplet_components by component, to be built once by ensureIndexes at the end (a fifth of the cost
   * of keeping it row by row). Queries meanwhile are slower; an interrupted add leaves it to the next open to build.
   * Never in PostgreSQL, where other jobs share the inventory. Whether it was dropped.
   */
  async deferLinkIndex(expected: number): Promise<boolean> {
    if (this.db.dialect !== 'sqlite') return false;
    const held = Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM droplets'))!.n);
    if (expected < 2 * held) return false;
    await this.db.exec(`DROP INDEX IF EXISTS ${LINK_INDEX.name}`);
    return true;
  }

  /** Builds the index deferLinkIndex dropped, when it is missing (SQLite). */
  async ensureIndexes(): Promise<void> {
    if (this.db.dialect !== 'sqlite') return;
    const has = await this.db.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'index' AND name = ?", [LINK_INDEX.name]);
    if (!has) await this.db.exec(LINK_INDEX.sql);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async hasDroplet(digest: string): Promise<number | undefined> {
    const r = await this.db.get<{ id: number }>('SELECT id FROM droplets WHERE digest = ?', [digest]);
    return r?.id;
  }

  /** The ids of the droplets among `digests` that the inventory holds. */
  async knownDroplets(digests: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const unique = [...new Set(digests)];
    for (let i = 0; i < unique.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'digest', unique.slice(i, i + this.inChunk));
      for (const r of await this.db.all<{ id: number; digest: string }>(`SELECT id, digest FROM droplets WHERE ${cond}`, params))
        out.set(r.digest, Number(r.id));
    }
    return out;
  }

  /**
   * Stores one droplet in one transaction: its app (created or updated), the droplet, its buildpacks and components.
   * A droplet already there (by digest; also when a concurrent writer stores it first) changes nothing. The droplet
   * becomes its app's current one unless the current one is known to be staged later. Deadlocks are retried.
   */
  async addDroplet(rec: DropletRecord): Promise<AddResult> {
    return (await this.addDroplets([rec]))[0]!;
  }

  /**
   * addDroplet for several droplets in one transaction (what `fleet add` does, a batch at a time): all of them are
   * stored or none is, and each ends as addDroplet one after the other in this order would leave it. A droplet stored
   * already (by digest, or earlier in `recs`) changes nothing and is `unchanged`; when a concurrent writer stores one
   * of them first, the batch is rolled back and tried again. Deadlocks are retried. Results in `recs` order.
   */
  async addDroplets(recs: readonly DropletRecord[]): Promise<AddResult[]> {
    return this.addPacked(recs.map(packDroplet));
  }

  /** addDroplets for droplets whose components are packed already (`fleet add` packs them where it parses the SBOM). */
  async addPacked(recs: readonly PackedDroplet[]): Promise<AddResult[]> {
    if (!recs.length) return [];
    for (let attempt = 0; ; attempt++) {
      const fresh = new Map<string, number>();
      try {
        const out = await this.db.transaction(() => this.insertDroplets(recs, fresh));
        // only ids committed to the database enter the cache (a rolled-back insert must not leave a dangling id there)
        for (const [p, id] of fresh) this.componentIds.set(p, id);
        return out;
      } catch (e) {
        if (e instanceof StoredMeanwhile && attempt < 10) continue;
        if (attempt < 4 && isRetryable(e)) continue;
        throw e;
      }
    }
  }

  private async insertDroplets(recs: readonly PackedDroplet[], fresh: Map<string, number>): Promise<AddResult[]> {
    const now = this.now();
    const known = await this.knownDroplets(recs.map((r) => r.digest));
    // the records to store: each digest once (the first record that has it), none the inventory holds
    const todo: PackedDroplet[] = [];
    const seen = new Set<string>();
    for (const r of recs) {
      if (known.has(r.digest) || seen.has(r.digest)) continue;
      seen.add(r.digest);
      todo.push(r);
    }
    const dropletIds = new Map<string, number>();
    const current = new Map<string, boolean>();
    if (todo.length) {
      // apps, each once, folded in record order as one upsert after the other would leave it (sorted: writers lock alike)
      const apps = new Map<string, Param[]>();
      for (const r of todo) {
        const a = r.app;
        const key = appKey(a);
        const prev = apps.get(key);
        const pick = (i: number, v: string | undefined) => v ?? (prev?.[i] as string | null | undefined) ?? null;
        apps.set(key, [
          key,
          pick(1, a.guid),
          a.name,
          pick(3, a.spaceName),
          pick(4, a.spaceGuid),
          pick(5, a.orgName),
          pick(6, a.orgGuid),
          now,
          now,
        ]);
      }
      const appKeys = [...apps.keys()].sort();
      await this.db.insertMany(
        'apps',
        APP_COLUMNS,
        appKeys.map((k) => apps.get(k)!),
        APP_UPSERT,
      );
      const appIds = new Map<string, number>();
      for (let i = 0; i < appKeys.length; i += this.inChunk) {
        const [cond, params] = inList(this.db, 'app_key', appKeys.slice(i, i + this.inChunk));
        for (const r of await this.db.all<{ id: number; app_key: string }>(`SELECT id, app_key FROM apps WHERE ${cond}`, params))
          appIds.set(r.app_key, Number(r.id));
      }
      // droplets, sorted by digest; one that a concurrent writer stored first is skipped by the insert: try again
      const byDigest = [...todo].sort((x, y) => (x.digest < y.digest ? -1 : x.digest > y.digest ? 1 : 0));
      const inserted = await this.db.insertMany(
        'droplets',
        DROPLET_COLUMNS,
        byDigest.map((r) => [
          r.digest,
          r.guid ?? null,
          appIds.get(appKey(r.app))!,
          r.stack ?? null,
          r.stagedAt ?? null,
          now,
          r.sbomDigest,
          r.sbomFormat ?? null,
          r.sbomSource,
          r.signature,
          r.sourceKind,
          r.sourcePath,
          r.componentCount,
          r.complete ? 1 : 0,
        ]),
        'ON CONFLICT (digest) DO NOTHING',
      );
      if (inserted !== byDigest.length) throw new StoredMeanwhile();
      for (const [d, id] of await this.knownDroplets(byDigest.map((r) => r.digest))) dropletIds.set(d, id);
      const buildpacks: Param[][] = [];
      for (const r of todo) {
        const id = dropletIds.get(r.digest)!;
        for (const b of r.buildpacks)
          buildpacks.push([id, b.position, b.key ?? null, b.name ?? null, b.version ?? null, b.detectLine ?? null]);
      }
      await this.db.insertMany('buildpacks', BUILDPACK_COLUMNS, buildpacks);
      const ids = await this.componentIdsFor(todo, fresh);
      const links: Param[][] = [];
      for (const r of byDigest) for (const l of linkRows(dropletIds.get(r.digest)!, r, ids)) links.push(l);
      await this.db.insertMany('droplet_components', DROPLET_COMPONENT_COLUMNS, links);
      // current unless the app's current droplet is known to be staged after this one (an old droplet added late);
      // PostgreSQL: one statement for the apps with one droplet in the batch (the others one after the other, in order)
      const perApp = new Map<string, number>();
      for (const r of todo) perApp.set(appKey(r.app), (perApp.get(appKey(r.app)) ?? 0) + 1);
      const single = this.db.dialect === 'postgres' ? todo.filter((r) => perApp.get(appKey(r.app)) === 1) : [];
      if (single.length) {
        const made = await this.db.all<{ id: number }>(
          `UPDATE apps SET current_droplet_id = v.droplet_id, updated_at = ?
           FROM (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[])) AS v (app_id, droplet_id, staged_at)
           WHERE apps.id = v.app_id AND (apps.current_droplet_id IS NULL OR v.staged_at IS NULL OR NOT EXISTS (
             SELECT 1 FROM droplets c WHERE c.id = apps.current_droplet_id AND c.staged_at IS NOT NULL AND c.staged_at > v.staged_at))
           RETURNING v.droplet_id AS id`,
          [
            now,
            single.map((r) => appIds.get(appKey(r.app))!),
            single.map((r) => dropletIds.get(r.digest)!),
            single.map((r) => r.stagedAt ?? null) as unknown as string[],
          ],
        );
        const ids_ = new Set(made.map((m) => Number(m.id)));
        for (const r of single) current.set(r.digest, ids_.has(dropletIds.get(r.digest)!));
      }
      for (const r of todo) {
        if (current.has(r.digest)) continue;
        const changed = await this.db.run(
          `UPDATE apps SET current_droplet_id = ?, updated_at = ? WHERE id = ? AND (current_droplet_id IS NULL OR CAST(? AS TEXT) IS NULL OR NOT EXISTS (
             SELECT 1 FROM droplets c WHERE c.id = apps.current_droplet_id AND c.staged_at IS NOT NULL AND c.staged_at > CAST(? AS TEXT)))`,
          [dropletIds.get(r.digest)!, now, appIds.get(appKey(r.app))!, r.stagedAt ?? null, r.stagedAt ?? null],
        );
        current.set(r.digest, changed > 0);
      }
    }
    // the others (stored already, or a second record of a digest stored from the first): unchanged
    const stored = new Set<string>();
    const added = recs.map((r) => {
      const isNew = !known.has(r.digest) && !stored.has(r.digest);
      stored.add(r.digest);
      return isNew;
    });
    const idOf = (r: PackedDroplet) => known.get(r.digest) ?? dropletIds.get(r.digest)!;
    const currentOnes = await this.currentAmong(recs.filter((_, i) => !added[i]).map(idOf));
    return recs.map((r, i): AddResult =>
      added[i]
        ? { status: 'added', dropletId: idOf(r), current: current.get(r.digest)! }
        : { status: 'unchanged', dropletId: idOf(r), current: currentOnes.has(idOf(r)) },
    );
  }

  /** Which of the droplets are their app's current one. */
  private async currentAmong(dropletIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    const unique = [...new Set(dropletIds)];
    for (let i = 0; i < unique.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'current_droplet_id', unique.slice(i, i + this.inChunk));
      for (const r of await this.db.all<{ id: number }>(`SELECT current_droplet_id AS id FROM apps WHERE ${cond}`, params))
        out.add(Number(r.id));
    }
    return out;
  }

  /** Ids for every purl of the droplets, inserting the new ones (sorted, so concurrent writers lock in one order). */
  private async componentIdsFor(droplets: readonly PackedDroplet[], fresh: Map<string, number>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    // purl → its details (the first droplet's), for the purls the cache does not hold
    const details = new Map<string, string>();
    for (const d of droplets) {
      const { purls } = d.packed;
      for (let i = 0; i < purls.length; i++) {
        const p = purls[i]!;
        const id = this.componentIds.get(p);
        if (id !== undefined) ids.set(p, id);
        else if (!details.has(p)) details.set(p, d.packed.details[i]!);
      }
    }
    if (!details.size) return ids;
    const missing = [...details.keys()].sort();
    const lookup = async (purls: readonly string[]) => {
      for (let i = 0; i < purls.length; i += this.inChunk) {
        const [cond, params] = inList(this.db, 'purl', purls.slice(i, i + this.inChunk));
        for (const r of await this.db.all<{ id: number; purl: string }>(`SELECT id, purl FROM components WHERE ${cond}`, params)) {
          ids.set(r.purl, Number(r.id));
          fresh.set(r.purl, Number(r.id));
        }
      }
    };
    await lookup(missing);
    const absent = missing.filter((p) => !ids.has(p));
    if (absent.length) {
      await this.db.insertMany(
        'components',
        COMPONENT_COLUMNS,
        absent.map((p) => [p, ...(JSON.parse(details.get(p)!) as Param[])]),
        'ON CONFLICT (purl) DO NOTHING',
      );
      await lookup(absent);
    }
    return ids;
  }

  /** Records (or updates) why a target could not be added; cleared when it is added later. */
  async recordFailure(source: string, digest: string | undefined, reason: string): Promise<void> {
    const now = this.now();
    await this.db.run(
      `INSERT INTO ingest_failures (source, digest, reason, attempts, first_failed_at, last_failed_at) VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (source) DO UPDATE SET digest = excluded.digest, reason = excluded.reason, attempts = ingest_failures.attempts + 1,
         last_failed_at = excluded.last_failed_at`,
      [source, digest ?? null, reason, now, now],
    );
  }

  async clearFailure(source: string): Promise<void> {
    await this.db.run('DELETE FROM ingest_failures WHERE source = ?', [source]);
  }

  /** clearFailure of several sources in as few statements as the list allows. */
  async clearFailures(sources: readonly string[]): Promise<void> {
    const unique = [...new Set(sources)];
    for (let i = 0; i < unique.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'source', unique.slice(i, i + this.inChunk));
      await this.db.run(`DELETE FROM ingest_failures WHERE ${cond}`, params);
    }
  }

  async failures(): Promise<Array<{ source: string; reason: string; attempts: number; lastFailedAt: string }>> {
    const rows = await this.db.all<{ source: string; reason: string; attempts: number; last_failed_at: string }>(
      'SELECT source, reason, attempts, last_failed_at FROM ingest_failures ORDER BY source',
    );
    return rows.map((r) => ({ source: r.source, reason: r.reason, attempts: Number(r.attempts), lastFailedAt: r.last_failed_at }));
  }

  /** The versions of one package the inventory holds (each purl once). */
  async packageVersions(ecosystem: string, name: string): Promise<Array<{ id: number; purl: string; name: string; version: string }>> {
    return this.db.all('SELECT id, purl, name, version FROM components WHERE ecosystem = ? AND name_key = ? ORDER BY purl', [
      ecosystem,
      nameKey(ecosystem, name),
    ]);
  }

  /**
   * Droplets containing any of the components, with their app; only apps' current droplets unless allDroplets.
   * Lookups by key (the components' links, then their droplets with apps), each along an index whatever the sizes:
   * one join let PostgreSQL's planner walk every current droplet for a package found in a few.
   */
  async dropletsWith(componentIds: readonly number[], allDroplets: boolean): Promise<PackageHit[]> {
    const comps = [...new Set(componentIds)];
    const components: Array<{ id: number; purl: string; version: string }> = [];
    for (let i = 0; i < comps.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'id', comps.slice(i, i + this.inChunk));
      for (const r of await this.db.all<{ id: number; purl: string; version: string }>(
        `SELECT id, purl, version FROM components WHERE ${cond}`,
        params,
      ))
        components.push({ ...r, id: Number(r.id) });
    }
    return this.hitsOf(components, allDroplets);
  }

  /** dropletsWith for components whose purl and version the caller has read already (packageVersions). */
  async hitsOf(components: ReadonlyArray<{ id: number; purl: string; version: string }>, allDroplets: boolean): Promise<PackageHit[]> {
    const byId = new Map(components.map((c) => [Number(c.id), c]));
    const comps = [...byId.keys()];
    if (!comps.length) return [];
    const links: Array<{ droplet_id: number; component_id: number; scope: string; paths: string }> = [];
    for (let i = 0; i < comps.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'component_id', comps.slice(i, i + this.inChunk));
      links.push(
        ...(await this.db.all<(typeof links)[number]>(
          `SELECT droplet_id, component_id, scope, paths FROM droplet_components WHERE ${cond}`,
          params,
        )),
      );
    }
    const droplets = new Map<number, Record<string, unknown>>();
    const ids = [...new Set(links.map((l) => Number(l.droplet_id)))];
    for (let i = 0; i < ids.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'd.id', ids.slice(i, i + this.inChunk));
      const rows = await this.db.all<Record<string, unknown>>(
        `SELECT d.id, d.digest, d.source_path, a.org_name, a.space_name, a.name AS app, a.guid, a.current_droplet_id
         FROM droplets d JOIN apps a ON a.id = d.app_id WHERE ${cond}`,
        params,
      );
      for (const r of rows) if (allDroplets || Number(r.current_droplet_id) === Number(r.id)) droplets.set(Number(r.id), r);
    }
    const out: PackageHit[] = [];
    for (const l of links) {
      const d = droplets.get(Number(l.droplet_id));
      const c = byId.get(Number(l.component_id));
      if (!d || !c) continue;
      out.push({
        org: (d.org_name as string | null) ?? null,
        space: (d.space_name as string | null) ?? null,
        app: d.app as string,
        appGuid: (d.guid as string | null) ?? null,
        dropletId: Number(d.id),
        digest: d.digest as string,
        current: Number(d.current_droplet_id) === Number(d.id),
        purl: c.purl,
        version: c.version,
        scope: l.scope,
        paths: list(l.paths),
        source: d.source_path as string,
      });
    }
    return out;
  }

  /** Every app's current droplet and its buildpacks in staging order. */
  async currentBuildpacks(): Promise<AppBuildpacks[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT a.org_name, a.space_name, a.name AS app, a.guid, d.id AS droplet_id, d.digest, d.staged_at,
              b.position, b.key, b.name AS bp_name, b.version, b.detect_line
       FROM apps a JOIN droplets d ON d.id = a.current_droplet_id
       LEFT JOIN buildpacks b ON b.droplet_id = d.id
       ORDER BY d.id, b.position`,
    );
    const out = new Map<number, AppBuildpacks>();
    for (const r of rows) {
      const id = Number(r.droplet_id);
      let e = out.get(id);
      if (!e) {
        e = {
          org: (r.org_name as string) ?? null,
          space: (r.space_name as string) ?? null,
          app: r.app as string,
          appGuid: (r.guid as string) ?? null,
          dropletId: id,
          digest: r.digest as string,
          stagedAt: (r.staged_at as string) ?? null,
          buildpacks: [],
        };
        out.set(id, e);
      }
      if (r.position !== null && r.position !== undefined) {
        e.buildpacks.push({
          position: Number(r.position),
          ...(r.key ? { key: r.key as string } : {}),
          ...(r.bp_name ? { name: r.bp_name as string } : {}),
          ...(r.version ? { version: r.version as string } : {}),
          ...(r.detect_line ? { detectLine: r.detect_line as string } : {}),
        });
      }
    }
    return [...out.values()];
  }

  /** Components linked to at least one droplet, in id order, a page at a time. */
  async *componentsToScan(pageSize = 20_000): AsyncGenerator<ComponentToScan[]> {
    let after = 0;
    for (;;) {
      const page = await this.db.all<{ id: number; purl: string; ecosystem: string; name: string; version: string }>(
        `SELECT c.id, c.purl, c.ecosystem, c.name, c.version FROM components c
         WHERE c.id > ? AND EXISTS (SELECT 1 FROM droplet_components dc WHERE dc.component_id = c.id)
         ORDER BY c.id LIMIT ?`,
        [after, pageSize],
      );
      if (!page.length) return;
      yield page.map((r) => ({ ...r, id: Number(r.id) }));
      after = Number(page[page.length - 1]!.id);
    }
  }

  async lastScanRun(): Promise<ScanRun | undefined> {
    const r = await this.db.get<Record<string, unknown>>(
      'SELECT id, started_at, finished_at, osv_source, advisories FROM scan_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1',
    );
    return r
      ? {
          id: Number(r.id),
          startedAt: r.started_at as string,
          finishedAt: (r.finished_at as string) ?? null,
          osvSource: r.osv_source as string,
          advisories: Number(r.advisories),
        }
      : undefined;
  }

  /**
   * Stores one scan run's findings in one transaction: a finding seen before keeps its first run and gets this one as
   * its last; droplets scanned for the first time are marked with this run. Returns the run.
   */
  async saveScan(
    meta: { osvSource: string; osvNewest?: string; advisories: number; components: number; checked: number; startedAt: string },
    findings: readonly FindingToStore[],
  ): Promise<ScanRun> {
    return this.db.transaction(async () => {
      const finished = this.now();
      const run = await this.db.get<{ id: number }>(
        'INSERT INTO scan_runs (started_at, finished_at, osv_source, osv_newest, advisories, components, checked, findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
        [meta.startedAt, finished, meta.osvSource, meta.osvNewest ?? null, meta.advisories, meta.components, meta.checked, findings.length],
      );
      const runId = Number(run!.id);
      const sorted = [...findings].sort((a, b) => a.componentId - b.componentId || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (let i = 0; i < sorted.length; i += 5000) {
        await this.db.insertMany(
          'findings',
          FINDING_COLUMNS,
          sorted
            .slice(i, i + 5000)
            .map((f) => [f.componentId, f.id, json(f.aliases), f.severity, json(f.fixed), f.summary, json(f.sources), runId, runId]),
          `ON CONFLICT (component_id, advisory_id) DO UPDATE SET aliases = excluded.aliases, severity = excluded.severity, fixed = excluded.fixed,
             summary = excluded.summary, sources = excluded.sources, last_seen_run = excluded.last_seen_run`,
        );
      }
      await this.db.run('UPDATE droplets SET first_scan_run = ? WHERE first_scan_run IS NULL', [runId]);
      return { id: runId, startedAt: meta.startedAt, finishedAt: finished, osvSource: meta.osvSource, advisories: meta.advisories };
    });
  }

  /**
   * The findings of scan run `runId` in apps' current droplets. A finding is new for an app when the advisory first
   * matched the component in this run, or when no droplet of the app scanned in an earlier run had the component.
   * Read set-wise (the run's findings once, the droplets holding their components once) and joined here: asked per
   * row, "did an earlier droplet of this app have it" cost a lookup over every droplet holding the component.
   */
  async findingsOf(runId: number): Promise<StoredFinding[]> {
    const runs = new Map<number, string>();
    for (const r of await this.db.all<{ id: number; started_at: string }>('SELECT id, started_at FROM scan_runs'))
      runs.set(Number(r.id), r.started_at);
    // the run's findings by component, their lists parsed once
    const byComponent = new Map<
      number,
      Array<FindingFacts & { first: number; last: number; purl: string; name: string; version: string }>
    >();
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT f.component_id, f.advisory_id, f.aliases, f.severity, f.fixed, f.summary, f.sources, f.first_seen_run, f.last_seen_run, c.purl, c.name, c.version
       FROM findings f JOIN components c ON c.id = f.component_id WHERE f.last_seen_run = ?`,
      [runId],
    );
    for (const r of rows) {
      const id = Number(r.component_id);
      let list_ = byComponent.get(id);
      if (!list_) byComponent.set(id, (list_ = []));
      list_.push({
        id: r.advisory_id as string,
        aliases: list(r.aliases),
        severity: r.severity as VulnSeverity,
        fixed: list(r.fixed),
        summary: r.summary as string,
        sources: list(r.sources) as VulnSource[],
        first: Number(r.first_seen_run),
        last: Number(r.last_seen_run),
        purl: r.purl as string,
        name: r.name as string,
        version: r.version as string,
      });
    }
    if (!byComponent.size) return [];
    // every droplet holding one of those components: the apps' current ones are reported, and an app's droplets
    // scanned before this run tell which components it had then
    const holders = await this.db.all<{ droplet_id: number; component_id: number; app_id: number; first_scan_run: number | null }>(
      `SELECT dc.droplet_id, dc.component_id, d.app_id, d.first_scan_run
       FROM droplet_components dc JOIN droplets d ON d.id = dc.droplet_id
       WHERE dc.component_id IN (SELECT component_id FROM findings WHERE last_seen_run = ?)`,
      [runId],
    );
    const apps = new Map<number, Record<string, unknown>>();
    for (const a of await this.db.all<Record<string, unknown>>(
      'SELECT id, org_name, space_name, name, guid, current_droplet_id FROM apps WHERE current_droplet_id IS NOT NULL',
    )) {
      apps.set(Number(a.current_droplet_id), a);
    }
    const hadBefore = new Map<number, Set<number>>();
    for (const h of holders) {
      if (h.first_scan_run === null || h.first_scan_run === undefined || Number(h.first_scan_run) >= runId) continue;
      const app = Number(h.app_id);
      let set = hadBefore.get(app);
      if (!set) hadBefore.set(app, (set = new Set()));
      set.add(Number(h.component_id));
    }
    const out: StoredFinding[] = [];
    for (const h of holders) {
      const a = apps.get(Number(h.droplet_id));
      if (!a) continue;
      const component = Number(h.component_id);
      const had = hadBefore.get(Number(a.id))?.has(component) ?? false;
      for (const f of byComponent.get(component) ?? []) {
        out.push({
          org: (a.org_name as string) ?? null,
          space: (a.space_name as string) ?? null,
          app: a.name as string,
          appGuid: (a.guid as string) ?? null,
          dropletId: Number(h.droplet_id),
          purl: f.purl,
          name: f.name,
          version: f.version,
          id: f.id,
          aliases: [...f.aliases],
          severity: f.severity,
          fixed: [...f.fixed],
          summary: f.summary,
          sources: [...f.sources],
          firstSeen: runs.get(f.first)!,
          lastSeen: runs.get(f.last)!,
          isNew: f.first === runId || !had,
        });
      }
    }
    return out;
  }

  /** Every app's current droplet with what an SBOM of it needs, one droplet at a time. */
  async *currentDroplets(): AsyncGenerator<ExportDroplet> {
    const heads = await this.db.all<Record<string, unknown>>(
      `SELECT a.name, a.guid, a.space_name, a.space_guid, a.org_name, a.org_guid, d.id, d.digest, d.stack, d.staged_at, d.complete
       FROM apps a JOIN droplets d ON d.id = a.current_droplet_id
       ORDER BY COALESCE(a.org_name, ''), COALESCE(a.space_name, ''), a.name, d.id`,
    );
    for (const h of heads) {
      const id = Number(h.id);
      const comps = await this.db.all<Record<string, unknown>>(
        `SELECT c.purl, c.ecosystem, c.name, c.version, c.type, c.licenses, dc.scope, dc.paths
         FROM droplet_components dc JOIN components c ON c.id = dc.component_id WHERE dc.droplet_id = ? ORDER BY c.purl`,
        [id],
      );
      const bps = await this.db.all<Record<string, unknown>>(
        'SELECT position, key, name, version, detect_line FROM buildpacks WHERE droplet_id = ? ORDER BY position',
        [id],
      );
      const opt = (k: string, v: unknown) => (v === null || v === undefined ? {} : { [k]: String(v) });
      yield {
        app: {
          name: h.name as string,
          ...opt('guid', h.guid),
          ...opt('spaceName', h.space_name),
          ...opt('spaceGuid', h.space_guid),
          ...opt('orgName', h.org_name),
          ...opt('orgGuid', h.org_guid),
        },
        dropletId: id,
        digest: h.digest as string,
        stack: (h.stack as string) ?? null,
        stagedAt: (h.staged_at as string) ?? null,
        complete: Number(h.complete) === 1,
        buildpacks: bps.map((b) => ({
          position: Number(b.position),
          ...opt('key', b.key),
          ...opt('name', b.name),
          ...opt('version', b.version),
          ...opt('detectLine', b.detect_line),
        })),
        components: comps.map((c) => ({
          purl: c.purl as string,
          ecosystem: c.ecosystem as Ecosystem,
          name: c.name as string,
          version: c.version as string,
          type: c.type as ComponentRow['type'],
          licenses: list(c.licenses),
          scope: c.scope as ComponentRow['scope'],
          paths: list(c.paths),
        })),
      };
    }
  }

  /** A stored droplet as `fleet add` reports it (for droplets found unchanged). */
  async describeDroplet(id: number): Promise<DropletDescription | undefined> {
    return (await this.describeDroplets([id])).get(id);
  }

  /** describeDroplet of several droplets at once, by id. */
  async describeDroplets(ids: readonly number[]): Promise<Map<number, DropletDescription>> {
    const out = new Map<number, DropletDescription>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += this.inChunk) {
      const [cond, params] = inList(this.db, 'd.id', unique.slice(i, i + this.inChunk));
      const rows = await this.db.all<Record<string, unknown>>(
        `SELECT d.id, a.name, a.guid, a.space_name, a.org_name, CASE WHEN a.current_droplet_id = d.id THEN 1 ELSE 0 END AS is_current,
                d.sbom_source, d.signature, d.component_count
         FROM droplets d JOIN apps a ON a.id = d.app_id WHERE ${cond}`,
        params,
      );
      for (const r of rows) {
        const app: AppIdentity = { name: r.name as string };
        if (r.guid) app.guid = r.guid as string;
        if (r.space_name) app.spaceName = r.space_name as string;
        if (r.org_name) app.orgName = r.org_name as string;
        out.set(Number(r.id), {
          app,
          current: Number(r.is_current) === 1,
          sbomSource: r.sbom_source as string,
          signature: r.signature as string,
          components: Number(r.component_count),
        });
      }
    }
    return out;
  }

  /**
   * Refreshes the planner's statistics after a large add: PostgreSQL plans a query on a freshly bulk-loaded table
   * without them as if it were empty (sequential scans over millions of droplet-component rows).
   */
  async optimize(): Promise<void> {
    await this.db.exec(
      this.db.dialect === 'postgres' ? 'ANALYZE apps, droplets, buildpacks, components, droplet_components' : 'PRAGMA optimize',
    );
  }

  /** Counts for `fleet add` summaries and tests. */
  async counts(): Promise<{ apps: number; droplets: number; components: number; links: number; failures: number }> {
    const one = async (t: string) => Number((await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n);
    return {
      apps: await one('apps'),
      droplets: await one('droplets'),
      components: await one('components'),
      links: await one('droplet_components'),
      failures: await one('ingest_failures'),
    };
  }
}

export type { Param };
