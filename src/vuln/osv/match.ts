// Matches components against an OSV database: one finding per vulnerability (aliases collapsed) per package.
import type { Component } from '../../model/index.ts';
import type { OsvDb } from './load.ts';
import { OSV_ECOSYSTEM, ecosystemKey, indexKey } from './names.ts';
import { schemeFor } from '../versions/index.ts';
import { affects } from './range.ts';
import { SEVERITY_ORDER, type VulnSeverity, advisorySeverity } from './severity.ts';
import type { OsvAdvisory } from './types.ts';
import type { VulnSource } from '../findings.ts';

export interface VulnFinding {
  /** the primary advisory id (smallest id of the alias group that matched) */
  id: string;
  /** every other id of the group and their aliases, sorted */
  aliases: string[];
  purl: string;
  name: string;
  version: string;
  ecosystem: string;
  severity: VulnSeverity;
  /** the lowest fixed version above this version in each matching range, sorted */
  fixed: string[];
  summary: string;
  /** the databases that name it (src/vuln/findings.ts merges one vulnerability found in several) */
  sources: VulnSource[];
  /** for a match made on a CPE name (NVD): the component's CPE */
  cpe?: string;
}

type Hit = { record: OsvAdvisory; severity: VulnSeverity; fixed: string[] };

// groups hits whose ids or aliases overlap (GHSA-x aliasing PYSEC-y aliasing CVE-z: one group)
function groupHits(hits: Hit[]): Hit[][] {
  const groups: Array<{ ids: Set<string>; hits: Hit[] }> = [];
  for (const h of hits) {
    const ids = new Set([h.record.id, ...(h.record.aliases ?? [])]);
    const overlapping = groups.filter((g) => [...ids].some((i) => g.ids.has(i)));
    const merged = { ids, hits: [h] };
    for (const g of overlapping) {
      g.ids.forEach((i) => merged.ids.add(i));
      merged.hits.push(...g.hits);
      groups.splice(groups.indexOf(g), 1);
    }
    groups.push(merged);
  }
  return groups.map((g) => g.hits);
}

/** A component with an OSV ecosystem that was not checked, and why (no version, a version no scheme parses, no advisories). */
export interface Unchecked {
  purl: string;
  name: string;
  version: string;
  /** OSV ecosystem name (`npm`, `PyPI`...) */
  ecosystem: string;
  reason: string;
}

/** Why `c` cannot be checked against `db` (undefined when it can, or when its ecosystem has no OSV counterpart). */
export function uncheckable(c: Component, db: OsvDb): string | undefined {
  const eco = OSV_ECOSYSTEM[c.ecosystem];
  if (!eco) return undefined;
  if (!c.version) return 'no version';
  const scheme = schemeFor(eco);
  if (scheme && !scheme.valid(c.version))
    return `version '${c.version.length > 60 ? `${c.version.slice(0, 57)}...` : c.version}' is not a ${scheme.id} version`;
  if (!db.ecosystems.has(ecosystemKey(eco))) return `no ${eco} advisories in the database`;
  return undefined;
}

/** Findings for one component (empty when its ecosystem has no OSV counterpart, or its version cannot be placed: see uncheckable). */
export function matchComponent(c: Component, db: OsvDb): VulnFinding[] {
  const eco = OSV_ECOSYSTEM[c.ecosystem];
  if (!eco || !c.version) return [];
  // a version no scheme parses ("banana") would otherwise sort somewhere and fall inside `introduced: 0` ranges
  const own = schemeFor(eco);
  if (own && !own.valid(c.version)) return [];
  const entries = db.index.get(indexKey(eco, c.name));
  if (!entries) return [];
  const byRecord = new Map<string, Hit>();
  for (const e of entries) {
    const hit = affects(c.version, e.affected, e.scheme);
    if (!hit) continue;
    const prev = byRecord.get(e.record.id);
    const severity = advisorySeverity(e.record, e.affected);
    if (prev) {
      prev.fixed.push(...hit.fixed);
      if (SEVERITY_ORDER.indexOf(severity) > SEVERITY_ORDER.indexOf(prev.severity)) prev.severity = severity;
    } else byRecord.set(e.record.id, { record: e.record, severity, fixed: [...hit.fixed] });
  }
  const scheme = entries[0]!.scheme;
  const out: VulnFinding[] = [];
  for (const group of groupHits([...byRecord.values()])) {
    group.sort((a, b) => (a.record.id < b.record.id ? -1 : 1));
    const primary = group[0]!.record;
    const ids = new Set<string>();
    for (const h of group) [h.record.id, ...(h.record.aliases ?? [])].forEach((i) => ids.add(i));
    ids.delete(primary.id);
    const fixed = [...new Set(group.flatMap((h) => h.fixed))].sort((a, b) => scheme.compare(a, b));
    const severity = group.map((h) => h.severity).reduce((a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a));
    out.push({
      id: primary.id,
      aliases: [...ids].sort(),
      purl: c.purl,
      name: c.name,
      version: c.version,
      ecosystem: eco,
      severity,
      fixed,
      summary: primary.title || group.map((h) => h.record.title).find(Boolean) || '',
      sources: ['osv'],
    });
  }
  return out;
}

// What a component got from a database (unchecked, and why, or its findings: none for an ecosystem OSV has no
// counterpart of), kept for the database's lifetime: the droplets of one scan, and of a fleet, share most of their
// components, each matched once. Findings are never changed after they are made (mergeFindings copies), so sharing
// them between targets is safe.
const answers = new WeakMap<OsvDb, Map<string, { why?: string; found?: readonly VulnFinding[] }>>();

/** Matches every component (each purl once) and returns findings sorted by purl, then id. */
export function matchComponents(components: readonly Component[], db: OsvDb): VulnFinding[] {
  return checkComponents(components, db).findings;
}

/**
 * Findings, and the components that could not be checked with the reason, each sorted by purl (then id); `checked` counts
 * the components (each purl once) that were matched against the database.
 */
export function checkComponents(
  components: readonly Component[],
  db: OsvDb,
): { findings: VulnFinding[]; unchecked: Unchecked[]; checked: number } {
  const seen = new Set<string>();
  const findings: VulnFinding[] = [];
  const unchecked: Unchecked[] = [];
  let checked = 0;
  let memo = answers.get(db);
  if (!memo) answers.set(db, (memo = new Map()));
  for (const c of components) {
    const key = c.purl || `${c.ecosystem}:${c.name}@${c.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const eco = OSV_ECOSYSTEM[c.ecosystem];
    const asked = `${key}\0${c.ecosystem}\0${c.name}\0${c.version}`;
    let answer = memo.get(asked);
    if (!answer) {
      const why = uncheckable(c, db);
      answer = why ? { why } : { found: eco ? matchComponent(c, db) : undefined };
      memo.set(asked, answer);
    }
    if (answer.why !== undefined) unchecked.push({ purl: c.purl, name: c.name, version: c.version, ecosystem: eco!, reason: answer.why });
    else if (answer.found) {
      checked++;
      findings.push(...answer.found);
    }
  }
  const byPurl = (a: { purl: string }, b: { purl: string }) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0);
  findings.sort((a, b) => byPurl(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings, unchecked: unchecked.sort(byPurl), checked };
}
