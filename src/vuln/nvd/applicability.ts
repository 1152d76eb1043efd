// NVD applicability statements (CVE API 2.0 `configurations`): whether one product at one version is affected.
// Only the queried product is known to be present (strict NVD semantics): a `vulnerable: false` entry (the platform
// a product runs on, e.g. cpe:2.3:o:microsoft:windows) never holds, so a configuration that needs it never matches.
// A droplet runs on Linux: a Windows-only configuration must not flag it.
import { type CpeVersion, cpeVersionParts } from '../../model/cpe.ts';
import type { CpeConfiguration, CpeMatch, CpeNode, CpeQuery } from './types.ts';

export interface Applicable {
  /** the vulnerable entries that matched, in record order */
  matched: CpeMatch[];
  /** `versionEndExcluding` of the matched ranges: the versions that fix it */
  fixed: string[];
}

/**
 * Whether `m` names the queried product at its version. A range applies when the criteria version is `*`; a concrete
 * criteria version must equal the version (by the product's scheme: `18` = `18.0.0`) and the criteria update must be
 * the one the version implies (`3.10.0a6` → alpha6, `1.8.0_391` → update391; `*` any, `-` none).
 */
export function cpeMatches(m: CpeMatch, q: CpeQuery, parts: CpeVersion = cpeVersionParts(q.version)): boolean {
  if (!m.vulnerable || m.product !== q.product) return false;
  if (m.version === '-') return false;
  const cmp = q.scheme.compare;
  const anyUpdate = m.update === '*' || m.update === '';
  if (m.version !== '*' && m.version !== '') {
    if (anyUpdate) return cmp(m.version, parts.version) === 0;
    if (m.update === '-') return parts.update === undefined && cmp(m.version, parts.version) === 0;
    return parts.update === m.update && cmp(m.version, parts.version) === 0;
  }
  if (!anyUpdate && m.update !== (parts.update ?? '-')) return false;
  if (m.startIncluding !== undefined && cmp(q.version, m.startIncluding) < 0) return false;
  if (m.startExcluding !== undefined && cmp(q.version, m.startExcluding) <= 0) return false;
  if (m.endIncluding !== undefined && cmp(q.version, m.endIncluding) > 0) return false;
  if (m.endExcluding !== undefined && cmp(q.version, m.endExcluding) >= 0) return false;
  return true;
}

function nodeHolds(n: CpeNode, q: CpeQuery, parts: CpeVersion, hits: CpeMatch[]): boolean {
  let result = n.and;
  for (const m of n.matches) {
    const ok = cpeMatches(m, q, parts);
    if (ok) hits.push(m);
    // no short cut: every matching vulnerable entry is recorded (its fixed version is reported)
    result = n.and ? result && ok : result || ok;
  }
  if (!n.matches.length) result = false;
  return n.negate ? !result : result;
}

/**
 * The record's configurations (OR-ed) for the query: affected when a configuration holds and a vulnerable entry of it
 * matched the queried product; undefined when none does.
 */
export function applicable(configurations: readonly CpeConfiguration[], q: CpeQuery): Applicable | undefined {
  let out: Applicable | undefined;
  const parts = cpeVersionParts(q.version);
  for (const conf of configurations) {
    const hits: CpeMatch[] = [];
    let holds = conf.and;
    for (const n of conf.nodes) {
      const ok = nodeHolds(n, q, parts, hits);
      holds = conf.and ? holds && ok : holds || ok;
    }
    if (!conf.nodes.length) holds = false;
    if (conf.negate) holds = !holds;
    if (!holds || !hits.length) continue;
    out ??= { matched: [], fixed: [] };
    for (const h of hits) {
      out.matched.push(h);
      if (h.endExcluding !== undefined && !out.fixed.includes(h.endExcluding)) out.fixed.push(h.endExcluding);
    }
  }
  return out;
}
