// `fleet scan`: every component of the inventory against an OSV database (and NVD data beside it), findings stored per
// run; no droplet is opened.
import type { Component } from '../model/index.ts';
import { asComponent } from './component.ts';
import { type OsvDb, type VulnFinding, matchComponent, uncheckable } from '../vuln/osv/index.ts';
import { OSV_ECOSYSTEM } from '../vuln/osv/names.ts';
import { mergeFindings } from '../vuln/findings.ts';
import { sortByKeys } from './sort.ts';
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

/**
 * A database the inventory is matched against: OSV (osvSource), and another beside it (NVD) the same way. Each
 * distinct component of the inventory is given to `check` once.
 */
export interface AdvisorySource {
  /** `checked`: the component was matched (its findings, maybe none); `unchecked`: it could not be placed (no version,
   * an unparsable one, no advisories for its ecosystem); undefined: this source does not cover the component at all */
  check(c: Component): { status: 'checked'; findings: readonly VulnFinding[] } | { status: 'unchecked' } | undefined;
}

/**
 * A second database beside OSV (`fleet scan --nvd`): `match` gives a component's findings, or undefined when the
 * database does not cover the component (it then neither counts as checked nor as unchecked).
 */
export interface MoreFindings {
  match(c: Component): readonly VulnFinding[] | undefined;
}

/** MoreFindings as an AdvisorySource. */
export function moreSource(more: MoreFindings): AdvisorySource {
  return {
    check(c) {
      const findings = more.match(c);
      return findings ? { status: 'checked', findings } : undefined;
    },
  };
}

/** The OSV database as an AdvisorySource: components of an OSV ecosystem, matched as `bpx scan` matches a droplet's. */
export function osvSource(db: OsvDb): AdvisorySource {
  return {
    check(c) {
      if (!OSV_ECOSYSTEM[c.ecosystem]) return undefined;
      if (uncheckable(c, db)) return { status: 'unchecked' };
      return { status: 'checked', findings: matchComponent(c, db) };
    },
  };
}

/**
 * Matches the inventory against `db` (matchComponent, as `bpx scan` matches a droplet), and `more` beside it, and
 * stores the run.
 */
export async function scanInventory(
  store: FleetStore,
  db: OsvDb,
  now: () => string = () => new Date().toISOString(),
  more?: MoreFindings,
): Promise<ScanResult> {
  const sources = [osvSource(db), ...(more ? [moreSource(more)] : [])];
  return scanWith(
    store,
    sources,
    { osvSource: db.source, ...(db.newest ? { osvNewest: db.newest } : {}), advisories: db.records.size },
    now,
  );
}

/**
 * Matches each distinct component of the inventory once against every source, stores the run and its findings
 * set-wise (one upsert for all), and reads back the run's findings per app in one pass. A component counts as checked
 * when a source checked it, unchecked when a source covers it but could not place it and none checked it.
 */
export async function scanWith(
  store: FleetStore,
  sources: readonly AdvisorySource[],
  meta: { osvSource: string; osvNewest?: string; advisories: number },
  now: () => string = () => new Date().toISOString(),
): Promise<ScanResult> {
  const startedAt = now();
  const previous = await store.lastScanRun();
  const found: FindingToStore[] = [];
  let components = 0;
  let checked = 0;
  let unchecked = 0;
  for await (const page of store.componentsToScan()) {
    for (const row of page) {
      components++;
      const c = asComponent(row);
      let wasChecked = false;
      let wasUnchecked = false;
      const lists: Array<readonly VulnFinding[]> = [];
      for (const source of sources) {
        const r = source.check(c);
        if (!r) continue;
        if (r.status === 'unchecked') wasUnchecked = true;
        else {
          wasChecked = true;
          if (r.findings.length) lists.push(r.findings);
        }
      }
      if (wasChecked) checked++;
      else if (wasUnchecked) unchecked++;
      // one finding per vulnerability whichever sources name it (mergeFindings: aliases overlapping, OSV's id first)
      for (const f of lists.length > 1 ? mergeFindings(lists) : (lists[0] ?? [])) {
        found.push({
          componentId: row.id,
          id: f.id,
          aliases: f.aliases,
          severity: f.severity,
          fixed: f.fixed,
          summary: f.summary,
          sources: f.sources,
        });
      }
    }
  }
  const run = await store.saveScan({ ...meta, components, checked, startedAt }, found);
  // by org, space, app, package, advisory (localeCompare's order)
  const findings = sortByKeys(await store.findingsOf(run.id), [
    (f) => f.org ?? '',
    (f) => f.space ?? '',
    (f) => f.app,
    (f) => f.purl,
    (f) => f.id,
  ]);
  return { run, findings, components, checked, unchecked, ...(previous ? { previous } : {}) };
}
