// The fleet store: droplets in, questions out, over either database (one transaction per droplet, ids cached per process).
import type { Ecosystem } from '../model/index.ts';
import { OSV_ECOSYSTEM, ecosystemKey, normaliseName } from '../vuln/osv/names.ts';
import type { VulnSeverity } from '../vuln/osv/index.ts';
import { type Column, type Param, type SqlDb, inList, isRetryable } from './db/types.ts';
import { migrate } from './schema/migrations.ts';
import type { AddResult, AppBuildpacks, AppIdentity, BuildpackRow, ComponentRow, DropletRecord, PackageHit, ScanRun, StoredFinding } from './types.ts';

/** The key the inventory compares package names by: the OSV index's normalisation (PEP 503 for PyPI, case for NuGet...). */
export function nameKey(ecosystem: string, name: string): string {
  const osv = OSV_ECOSYSTEM[ecosystem as Ecosystem];
  return normaliseName(osv ? ecosystemKey(osv) : ecosystem, name);
}

/** purl namespace from the component name: `@babel/core` → `@babel`, `org.apache:commons` → `org.apache`. */
function namespaceOf(ecosystem: string, name: string): string | null {
  const i = ecosystem === 'maven' ? name.indexOf(':') : name.lastIndexOf('/');
  return i > 0 ? name.slice(0, i) : null;
}

/** app identity key: the guid when known (a renamed app stays one app), else org/space/name. */
export function appKey(a: AppIdentity): string {
  return a.guid ? `guid:${a.guid}` : `name:${a.orgName ?? ''}/${a.spaceName ?? ''}/${a.name}`;
}

const SCOPE_RANK: Record<string, number> = { dev: 0, optional: 1, required: 2 };
const json = (v: unknown) => JSON.stringify(v);
const list = (v: unknown): string[] => {
  try {
    const x = JSON.parse(String(v ?? '[]'));
    return Array.isArray(x) ? x.map(String) : [];
  } catch {
    return [];
  }
};

const DROPLET_COMPONENT_COLUMNS: Column[] = [
  { name: 'droplet_id', pg: 'bigint' },
  { name: 'component_id', pg: 'bigint' },
  { name: 'scope', pg: 'text' },
  { name: 'paths', pg: 'text' },
];
const COMPONENT_COLUMNS: Column[] = [
  { name: 'purl', pg: 'text' },
  { name: 'ecosystem', pg: 'text' },
  { name: 'namespace', pg: 'text' },
  { name: 'name', pg: 'text' },
  { name: 'name_key', pg: 'text' },
  { name: 'version', pg: 'text' },
  { name: 'type', pg: 'text' },
  { name: 'licenses', pg: 'text' },
];
const BUILDPACK_COLUMNS: Column[] = [
  { name: 'droplet_id', pg: 'bigint' },
  { name: 'position', pg: 'integer' },
  { name: 'key', pg: 'text' },
  { name: 'name', pg: 'text' },
  { name: 'version', pg: 'text' },
  { name: 'detect_line', pg: 'text' },
];
const FINDING_COLUMNS: Column[] = [
  { name: 'component_id', pg: 'bigint' },
  { name: 'advisory_id', pg: 'text' },
  { name: 'aliases', pg: 'text' },
  { name: 'severity', pg: 'text' },
  { name: 'fixed', pg: 'text' },
  { name: 'summary', pg: 'text' },
  { name: 'first_seen_run', pg: 'bigint' },
  { name: 'last_seen_run', pg: 'bigint' },
];

// rolls back a transaction whose droplet another writer stored first
class AlreadyStored extends Error {
  constructor(readonly dropletId: number) {
    super('already stored');
  }
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

export interface FindingToStore {
  componentId: number;
  id: string;
  aliases: string[];
  severity: VulnSeverity;
  fixed: string[];
  summary: string;
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

export class FleetStore {
  // purl → component id, only ids committed to the database (a rolled-back insert must not leave a dangling id here)
  private readonly componentIds = new Map<string, number>();
  private readonly now: () => string;

  private constructor(readonly db: SqlDb, opts: StoreOptions) {
    this.now = opts.now ?? (() => new Date().toISOString());
  }

  /** Opens the store on a database, applying pending migrations first. */
  static async open(db: SqlDb, opts: StoreOptions = {}): Promise<FleetStore> {
    await migrate(db, opts.now);
    return new FleetStore(db, opts);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async hasDroplet(digest: string): Promise<number | undefined> {
    const r = await this.db.get<{ id: number }>('SELECT id FROM droplets WHERE digest = ?', [digest]);
    return r?.id;
  }

  /**
   * Stores one droplet in one transaction: its app (created or updated), the droplet, its buildpacks and components.
   * A droplet already there (by digest; also when a concurrent writer stores it first) changes nothing. The droplet
   * becomes its app's current one unless the current one is known to be staged later. Deadlocks are retried.
   */
  async addDroplet(rec: DropletRecord): Promise<AddResult> {
    const known = await this.hasDroplet(rec.digest);
    if (known !== undefined) return { status: 'unchanged', dropletId: known, current: await this.isCurrent(known) };
    for (let attempt = 0; ; attempt++) {
      const fresh = new Map<string, number>();
      try {
        const out = await this.db.transaction(() => this.insertDroplet(rec, fresh));
        for (const [p, id] of fresh) this.componentIds.set(p, id);
        return out;
      } catch (e) {
        if (e instanceof AlreadyStored) return { status: 'unchanged', dropletId: e.dropletId, current: await this.isCurrent(e.dropletId) };
        if (attempt < 4 && isRetryable(e)) continue;
        throw e;
      }
    }
  }

  private async isCurrent(dropletId: number): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS x FROM apps WHERE current_droplet_id = ?', [dropletId]));
  }

  private async insertDroplet(rec: DropletRecord, fresh: Map<string, number>): Promise<AddResult> {
    const now = this.now();
    const a = rec.app;
    const app = await this.db.get<{ id: number }>(
      `INSERT INTO apps (app_key, guid, name, space_name, space_guid, org_name, org_guid, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (app_key) DO UPDATE SET name = excluded.name,
         space_name = COALESCE(excluded.space_name, apps.space_name), space_guid = COALESCE(excluded.space_guid, apps.space_guid),
         org_name = COALESCE(excluded.org_name, apps.org_name), org_guid = COALESCE(excluded.org_guid, apps.org_guid),
         updated_at = excluded.updated_at
       RETURNING id`,
      [appKey(a), a.guid ?? null, a.name, a.spaceName ?? null, a.spaceGuid ?? null, a.orgName ?? null, a.orgGuid ?? null, now, now],
    );
    const inserted = await this.db.get<{ id: number }>(
      `INSERT INTO droplets (digest, guid, app_id, stack, staged_at, added_at, sbom_digest, sbom_format, sbom_source, signature,
         source_kind, source_path, component_count, complete)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (digest) DO NOTHING RETURNING id`,
      [rec.digest, rec.guid ?? null, app!.id, rec.stack ?? null, rec.stagedAt ?? null, now, rec.sbomDigest, rec.sbomFormat ?? null, rec.sbomSource,
        rec.signature, rec.sourceKind, rec.sourcePath, rec.components.length, rec.complete ? 1 : 0],
    );
    if (!inserted) {
      const other = await this.db.get<{ id: number }>('SELECT id FROM droplets WHERE digest = ?', [rec.digest]);
      throw new AlreadyStored(other?.id ?? -1);
    }
    const dropletId = inserted.id;
    await this.db.insertMany('buildpacks', BUILDPACK_COLUMNS, rec.buildpacks.map((b) => [dropletId, b.position, b.key ?? null, b.name ?? null, b.version ?? null, b.detectLine ?? null]));
    const ids = await this.componentIdsFor(rec.components, fresh);
    // one row per component: the widest scope and every path where the SBOM lists it twice
    const links = new Map<number, { scope: string; paths: Set<string> }>();
    for (const c of rec.components) {
      const id = ids.get(c.purl)!;
      const l = links.get(id);
      if (!l) links.set(id, { scope: c.scope, paths: new Set(c.paths) });
      else {
        if ((SCOPE_RANK[c.scope] ?? 0) > (SCOPE_RANK[l.scope] ?? 0)) l.scope = c.scope;
        for (const p of c.paths) l.paths.add(p);
      }
    }
    const rows = [...links].sort((x, y) => x[0] - y[0]).map(([id, l]) => [dropletId, id, l.scope, json([...l.paths].sort())]);
    await this.db.insertMany('droplet_components', DROPLET_COMPONENT_COLUMNS, rows);
    // current unless the app's current droplet is known to be staged after this one (an old droplet added late)
    const changed = await this.db.run(
      `UPDATE apps SET current_droplet_id = ?, updated_at = ? WHERE id = ? AND (current_droplet_id IS NULL OR CAST(? AS TEXT) IS NULL OR NOT EXISTS (
         SELECT 1 FROM droplets c WHERE c.id = apps.current_droplet_id AND c.staged_at IS NOT NULL AND c.staged_at > CAST(? AS TEXT)))`,
      [dropletId, now, app!.id, rec.stagedAt ?? null, rec.stagedAt ?? null],
    );
    return { status: 'added', dropletId, current: changed > 0 };
  }

  /** Ids for every purl, inserting the new ones (sorted, so concurrent writers lock in one order). */
  private async componentIdsFor(components: readonly ComponentRow[], fresh: Map<string, number>): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const byPurl = new Map<string, ComponentRow>();
    for (const c of components) {
      const id = this.componentIds.get(c.purl);
      if (id !== undefined) ids.set(c.purl, id);
      else if (!byPurl.has(c.purl)) byPurl.set(c.purl, c);
    }
    if (!byPurl.size) return ids;
    const missing = [...byPurl.keys()].sort();
    const lookup = async (purls: readonly string[]) => {
      for (let i = 0; i < purls.length; i += 500) {
        const [cond, params] = inList(this.db, 'purl', purls.slice(i, i + 500));
        for (const r of await this.db.all<{ id: number; purl: string }>(`SELECT id, purl FROM components WHERE ${cond}`, params)) {
          ids.set(r.purl, r.id);
          fresh.set(r.purl, r.id);
        }
      }
    };
    await lookup(missing);
    const absent = missing.filter((p) => !ids.has(p));
    if (absent.length) {
      await this.db.insertMany(
        'components',
        COMPONENT_COLUMNS,
        absent.map((p) => {
          const c = byPurl.get(p)!;
          return [p, c.ecosystem, namespaceOf(c.ecosystem, c.name), c.name, nameKey(c.ecosystem, c.name), c.version, c.type, json(c.licenses)];
        }),
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

  async failures(): Promise<Array<{ source: string; reason: string; attempts: number; lastFailedAt: string }>> {
    const rows = await this.db.all<{ source: string; reason: string; attempts: number; last_failed_at: string }>(
      'SELECT source, reason, attempts, last_failed_at FROM ingest_failures ORDER BY source',
    );
    return rows.map((r) => ({ source: r.source, reason: r.reason, attempts: Number(r.attempts), lastFailedAt: r.last_failed_at }));
  }

  /** The versions of one package the inventory holds (each purl once). */
  async packageVersions(ecosystem: string, name: string): Promise<Array<{ id: number; purl: string; name: string; version: string }>> {
    return this.db.all('SELECT id, purl, name, version FROM components WHERE ecosystem = ? AND name_key = ? ORDER BY purl', [ecosystem, nameKey(ecosystem, name)]);
  }

  /** Droplets containing any of the components, with their app; only apps' current droplets unless allDroplets. */
  async dropletsWith(componentIds: readonly number[], allDroplets: boolean): Promise<PackageHit[]> {
    if (!componentIds.length) return [];
    const [cond, params] = inList(this.db, 'dc.component_id', componentIds);
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT a.org_name, a.space_name, a.name AS app, a.guid, d.id AS droplet_id, d.digest, d.source_path,
              CASE WHEN a.current_droplet_id = d.id THEN 1 ELSE 0 END AS is_current, c.purl, c.version, dc.scope, dc.paths
       FROM droplet_components dc
       JOIN components c ON c.id = dc.component_id
       JOIN droplets d ON d.id = dc.droplet_id
       JOIN apps a ON a.id = d.app_id
       WHERE ${cond}${allDroplets ? '' : ' AND a.current_droplet_id = d.id'}`,
      params,
    );
    return rows.map((r) => ({
      org: (r.org_name as string | null) ?? null,
      space: (r.space_name as string | null) ?? null,
      app: r.app as string,
      appGuid: (r.guid as string | null) ?? null,
      dropletId: Number(r.droplet_id),
      digest: r.digest as string,
      current: Number(r.is_current) === 1,
      purl: r.purl as string,
      version: r.version as string,
      scope: r.scope as string,
      paths: list(r.paths),
      source: r.source_path as string,
    }));
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
        e = { org: (r.org_name as string) ?? null, space: (r.space_name as string) ?? null, app: r.app as string, appGuid: (r.guid as string) ?? null, dropletId: id, digest: r.digest as string, stagedAt: (r.staged_at as string) ?? null, buildpacks: [] };
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
    const r = await this.db.get<Record<string, unknown>>('SELECT id, started_at, finished_at, osv_source, advisories FROM scan_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1');
    return r ? { id: Number(r.id), startedAt: r.started_at as string, finishedAt: (r.finished_at as string) ?? null, osvSource: r.osv_source as string, advisories: Number(r.advisories) } : undefined;
  }

  /**
   * Stores one scan run's findings in one transaction: a finding seen before keeps its first run and gets this one as
   * its last; droplets scanned for the first time are marked with this run. Returns the run.
   */
  async saveScan(meta: { osvSource: string; osvNewest?: string; advisories: number; components: number; checked: number; startedAt: string }, findings: readonly FindingToStore[]): Promise<ScanRun> {
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
          sorted.slice(i, i + 5000).map((f) => [f.componentId, f.id, json(f.aliases), f.severity, json(f.fixed), f.summary, runId, runId]),
          `ON CONFLICT (component_id, advisory_id) DO UPDATE SET aliases = excluded.aliases, severity = excluded.severity, fixed = excluded.fixed,
             summary = excluded.summary, last_seen_run = excluded.last_seen_run`,
        );
      }
      await this.db.run('UPDATE droplets SET first_scan_run = ? WHERE first_scan_run IS NULL', [runId]);
      return { id: runId, startedAt: meta.startedAt, finishedAt: finished, osvSource: meta.osvSource, advisories: meta.advisories };
    });
  }

  /**
   * The findings of scan run `runId` in apps' current droplets. A finding is new for an app when the advisory first
   * matched the component in this run, or when no droplet of the app scanned in an earlier run had the component.
   */
  async findingsOf(runId: number): Promise<StoredFinding[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT a.org_name, a.space_name, a.name AS app, a.guid, d.id AS droplet_id, c.purl, c.name AS comp_name, c.version,
              f.advisory_id, f.aliases, f.severity, f.fixed, f.summary, r1.started_at AS first_seen, r2.started_at AS last_seen,
              CASE WHEN f.first_seen_run = ? OR NOT EXISTS (
                SELECT 1 FROM droplets o JOIN droplet_components odc ON odc.droplet_id = o.id
                WHERE o.app_id = a.id AND o.first_scan_run < ? AND odc.component_id = c.id) THEN 1 ELSE 0 END AS is_new
       FROM findings f
       JOIN components c ON c.id = f.component_id
       JOIN droplet_components dc ON dc.component_id = c.id
       JOIN droplets d ON d.id = dc.droplet_id
       JOIN apps a ON a.current_droplet_id = d.id
       JOIN scan_runs r1 ON r1.id = f.first_seen_run
       JOIN scan_runs r2 ON r2.id = f.last_seen_run
       WHERE f.last_seen_run = ?`,
      [runId, runId, runId],
    );
    return rows.map((r) => ({
      org: (r.org_name as string) ?? null,
      space: (r.space_name as string) ?? null,
      app: r.app as string,
      appGuid: (r.guid as string) ?? null,
      dropletId: Number(r.droplet_id),
      purl: r.purl as string,
      name: r.comp_name as string,
      version: r.version as string,
      id: r.advisory_id as string,
      aliases: list(r.aliases),
      severity: r.severity as VulnSeverity,
      fixed: list(r.fixed),
      summary: r.summary as string,
      firstSeen: r.first_seen as string,
      lastSeen: r.last_seen as string,
      isNew: Number(r.is_new) === 1,
    }));
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
      const bps = await this.db.all<Record<string, unknown>>('SELECT position, key, name, version, detect_line FROM buildpacks WHERE droplet_id = ? ORDER BY position', [id]);
      const opt = (k: string, v: unknown) => (v === null || v === undefined ? {} : { [k]: String(v) });
      yield {
        app: { name: h.name as string, ...opt('guid', h.guid), ...opt('spaceName', h.space_name), ...opt('spaceGuid', h.space_guid), ...opt('orgName', h.org_name), ...opt('orgGuid', h.org_guid) },
        dropletId: id,
        digest: h.digest as string,
        stack: (h.stack as string) ?? null,
        stagedAt: (h.staged_at as string) ?? null,
        complete: Number(h.complete) === 1,
        buildpacks: bps.map((b) => ({ position: Number(b.position), ...opt('key', b.key), ...opt('name', b.name), ...opt('version', b.version), ...opt('detectLine', b.detect_line) })),
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
  async describeDroplet(id: number): Promise<{ app: AppIdentity; current: boolean; sbomSource: string; signature: string; components: number } | undefined> {
    const r = await this.db.get<Record<string, unknown>>(
      `SELECT a.name, a.guid, a.space_name, a.org_name, CASE WHEN a.current_droplet_id = d.id THEN 1 ELSE 0 END AS is_current,
              d.sbom_source, d.signature, d.component_count
       FROM droplets d JOIN apps a ON a.id = d.app_id WHERE d.id = ?`,
      [id],
    );
    if (!r) return undefined;
    const app: AppIdentity = { name: r.name as string };
    if (r.guid) app.guid = r.guid as string;
    if (r.space_name) app.spaceName = r.space_name as string;
    if (r.org_name) app.orgName = r.org_name as string;
    return { app, current: Number(r.is_current) === 1, sbomSource: r.sbom_source as string, signature: r.signature as string, components: Number(r.component_count) };
  }

  /**
   * Refreshes the planner's statistics after a large add: PostgreSQL plans a query on a freshly bulk-loaded table
   * without them as if it were empty (sequential scans over millions of droplet-component rows).
   */
  async optimize(): Promise<void> {
    await this.db.exec(this.db.dialect === 'postgres' ? 'ANALYZE apps, droplets, buildpacks, components, droplet_components' : 'PRAGMA optimize');
  }

  /** Counts for `fleet add` summaries and tests. */
  async counts(): Promise<{ apps: number; droplets: number; components: number; links: number; failures: number }> {
    const one = async (t: string) => Number((await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))!.n);
    return { apps: await one('apps'), droplets: await one('droplets'), components: await one('components'), links: await one('droplet_components'), failures: await one('ingest_failures') };
  }
}

export type { Param };
