// Components against every database given (OSV and/or NVD): one finding per vulnerability per component, naming the
// databases that report it (the same CVE from OSV and NVD is one finding with both sources).
import type { Component } from '../model/index.ts';
import { mergeFindings } from './findings.ts';
import type { OsvDb } from './osv/source.ts';
import { type Unchecked, type VulnFinding, checkComponents } from './osv/match.ts';
import { OSV_ECOSYSTEM } from './osv/names.ts';
import type { NvdDb } from './nvd/load.ts';
import { checkNvd } from './nvd/match.ts';

export interface VulnDatabases {
  osv?: OsvDb;
  nvd?: NvdDb;
}

export interface Checked {
  /** sorted by purl, then id */
  findings: VulnFinding[];
  /** components a database would have checked but could not, with why; sorted by purl */
  unchecked: Unchecked[];
  /** components (each purl once) matched against at least one database */
  checked: number;
}

const key = (c: Component) => c.purl || `${c.ecosystem}:${c.name}@${c.version}`;

export function checkAgainst(components: readonly Component[], dbs: VulnDatabases): Checked {
  const lists: VulnFinding[][] = [];
  const unchecked: Unchecked[] = [];
  const checked = new Set<string>();
  if (dbs.osv) {
    const r = checkComponents(components, dbs.osv);
    lists.push(r.findings);
    unchecked.push(...r.unchecked);
    const not = new Set(r.unchecked.map((u) => u.purl));
    for (const c of components) if (OSV_ECOSYSTEM[c.ecosystem] && !not.has(c.purl)) checked.add(key(c));
  }
  if (dbs.nvd) {
    const r = checkNvd(components, dbs.nvd);
    lists.push(r.findings);
    unchecked.push(...r.unchecked);
    for (const k of r.checked) checked.add(k);
  }
  const byPurl = (a: Unchecked, b: Unchecked) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0);
  return { findings: mergeFindings(lists), unchecked: unchecked.sort(byPurl), checked: checked.size };
}
