// Findings from several vulnerability databases (OSV, NVD, the Node.js Security WG) for one component: one finding per
// vulnerability, whichever databases name it, saying which did.
import { compareNumeric } from './versions/numeric/index.ts';
import { SEVERITY_ORDER } from './osv/severity.ts';
import type { VulnFinding } from './osv/match.ts';

/** The database a finding came from: `bpx scan --db` (OSV), `--nvd` (NVD CVE API 2.0 records, Node.js Security WG files). */
export type VulnSource = 'osv' | 'nvd' | 'nodejs-security-wg';
export const VULN_SOURCES: readonly VulnSource[] = ['osv', 'nvd', 'nodejs-security-wg'];

const bySource = (a: VulnSource, b: VulnSource) => VULN_SOURCES.indexOf(a) - VULN_SOURCES.indexOf(b);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Merges findings of several databases: findings for one purl whose ids or aliases overlap (GHSA-x aliasing CVE-y, and
 * NVD's CVE-y) become one, keeping the id of the first list that has it (OSV's first), every other id as an alias, the
 * highest severity, every fixed version and every source. Sorted by purl, then id. Inputs are not changed.
 */
export function mergeFindings(lists: ReadonlyArray<readonly VulnFinding[]>): VulnFinding[] {
  // per purl: groups of findings whose ids overlap, found through an id → group map (a component may have hundreds)
  const byPurl = new Map<string, { groups: Array<Group | undefined>; byId: Map<string, number> }>();
  for (const list of lists) {
    for (const f of list) {
      let p = byPurl.get(f.purl);
      if (!p) byPurl.set(f.purl, (p = { groups: [], byId: new Map() }));
      const ids = [f.id, ...f.aliases];
      const hits = [...new Set(ids.map((i) => p.byId.get(i)).filter((g): g is number => g !== undefined))].sort((a, b) => a - b);
      // the earliest group keeps its place (the first list's finding stays first); later ones join it
      const at = hits.length ? hits[0]! : p.groups.push({ ids: new Set(), list: [] }) - 1;
      const g = p.groups[at]!;
      for (const other of hits.slice(1)) {
        const o = p.groups[other]!;
        for (const i of o.ids) (g.ids.add(i), p.byId.set(i, at));
        g.list.push(...o.list);
        p.groups[other] = undefined;
      }
      g.list.push(f);
      for (const i of ids) (g.ids.add(i), p.byId.set(i, at));
    }
  }
  const out: VulnFinding[] = [];
  for (const { groups } of byPurl.values()) {
    for (const g of groups) {
      if (!g) continue;
      const { ids, list } = g;
      if (list.length === 1) {
        out.push(list[0]!);
        continue;
      }
      const first = list[0]!;
      ids.delete(first.id);
      const severity = list.map((f) => f.severity).reduce((a, b) => (SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a));
      out.push({
        ...first,
        aliases: [...ids].sort(cmp),
        severity,
        fixed: [...new Set(list.flatMap((f) => f.fixed))].sort(compareNumeric),
        summary: list.map((f) => f.summary).find(Boolean) ?? '',
        sources: [...new Set(list.flatMap((f) => f.sources))].sort(bySource),
      });
    }
  }
  return out.sort((a, b) => cmp(a.purl, b.purl) || cmp(a.id, b.id));
}

interface Group {
  ids: Set<string>;
  list: VulnFinding[];
}
