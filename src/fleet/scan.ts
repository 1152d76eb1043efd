// `fleet scan`: every component of the inventory against an OSV database, findings stored per run; no droplet is opened.
import type { Component, Ecosystem } from '../model/index.ts';
import { type OsvDb, matchComponent, uncheckable } from '../vuln/osv/index.ts';
import { OSV_ECOSYSTEM } from '../vuln/osv/names.ts';
import type { FindingToStore, FleetStore } from './store.ts';
import type { ScanRun, StoredFinding } from './types.ts';

export interface ScanResult {
  run: ScanRun;
  /** the run's findings in apps' current droplets, each marked new or not */
  findings: StoredFinding[];
  /** distinct components in the inventory (linked to a droplet) */
  components: number;
  /** of which matched against the database */
  checked: number;
  /** with an OSV ecosystem but not checked (no version, an unparsable version, no advisories for the ecosystem) */
  unchecked: number;
  /** the run before this one, when there was one: what --new compares with */
  previous?: ScanRun;
}

/** Matches the inventory against `db` (matchComponent, as `bpx scan` matches a droplet) and stores the run. */
export async function scanInventory(store: FleetStore, db: OsvDb, now: () => string = () => new Date().toISOString()): Promise<ScanResult> {
  const startedAt = now();
  const previous = await store.lastScanRun();
  const found: FindingToStore[] = [];
  let components = 0;
  let checked = 0;
  let unchecked = 0;
  for await (const page of store.componentsToScan()) {
    for (const row of page) {
      components++;
      const c: Component = {
        ecosystem: row.ecosystem as Ecosystem,
        name: row.name,
        version: row.version,
        purl: row.purl,
        kind: 'library',
        scope: 'required',
        licenses: [],
        hashes: [],
        locations: [],
        dependsOn: [],
      };
      if (!OSV_ECOSYSTEM[c.ecosystem]) continue;
      if (uncheckable(c, db)) {
        unchecked++;
        continue;
      }
      checked++;
      for (const f of matchComponent(c, db)) {
        found.push({ componentId: row.id, id: f.id, aliases: f.aliases, severity: f.severity, fixed: f.fixed, summary: f.summary });
      }
    }
  }
  const run = await store.saveScan({ osvSource: db.source, ...(db.newest ? { osvNewest: db.newest } : {}), advisories: db.records.size, components, checked, startedAt }, found);
  const findings = await store.findingsOf(run.id);
  const s = (x: string | null) => x ?? '';
  findings.sort((a, b) => s(a.org).localeCompare(s(b.org)) || s(a.space).localeCompare(s(b.space)) || a.app.localeCompare(b.app) || a.purl.localeCompare(b.purl) || a.id.localeCompare(b.id));
  return { run, findings, components, checked, unchecked, ...(previous ? { previous } : {}) };
}
