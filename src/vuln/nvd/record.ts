// One NVD CVE API 2.0 `cve` object read into what matching keeps: configurations with their CPE criteria split once,
// a title and a severity. Unknown keys (cveTags, weaknesses, CNA `affected`...) are ignored.
import { parseCpe } from '../../model/cpe.ts';
import { severityOfVectors } from '../osv/severity.ts';
import type { OsvSeverity } from '../osv/types.ts';
import type {
  CpeConfiguration,
  CpeMatch,
  CpeNode,
  NvdAdvisory,
  NvdConfigurationRaw,
  NvdCpeMatchRaw,
  NvdCveRaw,
  NvdNodeRaw,
} from './types.ts';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** What reading one record gave: an advisory, a record with nothing to match (Deferred...), a Rejected one, or an error. */
export type ReadRecord =
  | { kind: 'advisory'; advisory: NvdAdvisory }
  | { kind: 'unanalysed'; id: string; status: string; lastModified?: string }
  | { kind: 'rejected'; id: string }
  | { kind: 'invalid'; id?: string; error: string };

/** true for an object that looks like a CVE API 2.0 `cve` object (an id and at least one of its other keys). */
export function looksLikeCve(v: unknown): v is NvdCveRaw {
  return (
    isObj(v) &&
    typeof v.id === 'string' &&
    /^CVE-\d{4}-\d+$/.test(v.id) &&
    ('vulnStatus' in v || 'configurations' in v || 'descriptions' in v || 'sourceIdentifier' in v)
  );
}

// The same criteria, products and versions recur across thousands of records (every Debian, NetApp, Oracle entry): one
// string each, not one per record. Bounded, so that a long-lived process does not keep every string it ever saw.
const interned = new Map<string, string>();
function intern(s: string): string {
  const hit = interned.get(s);
  if (hit !== undefined) return hit;
  if (interned.size >= 200_000) interned.clear();
  interned.set(s, s);
  return s;
}

function cpeMatchOf(raw: NvdCpeMatchRaw): CpeMatch | string {
  const criteria = str(raw.criteria);
  if (!criteria) return 'a cpeMatch without criteria';
  const cpe = parseCpe(criteria);
  if (!cpe) return `criteria ${JSON.stringify(criteria.slice(0, 120))} is not a CPE 2.3 formatted string`;
  const m: CpeMatch = {
    vulnerable: raw.vulnerable === true,
    product: intern(`${cpe.vendor.toLowerCase()}:${cpe.product.toLowerCase()}`),
    version: intern(cpe.version),
    update: intern(cpe.update.toLowerCase()),
  };
  const bound = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? intern(v.trim()) : undefined);
  const si = bound(raw.versionStartIncluding);
  const se = bound(raw.versionStartExcluding);
  const ei = bound(raw.versionEndIncluding);
  const ee = bound(raw.versionEndExcluding);
  if (si) m.startIncluding = si;
  if (se) m.startExcluding = se;
  if (ei) m.endIncluding = ei;
  if (ee) m.endExcluding = ee;
  return m;
}

function nodeOf(raw: NvdNodeRaw, problems: string[]): CpeNode {
  const matches: CpeMatch[] = [];
  for (const m of Array.isArray(raw.cpeMatch) ? raw.cpeMatch : []) {
    const got = isObj(m) ? cpeMatchOf(m as NvdCpeMatchRaw) : 'a cpeMatch that is not an object';
    if (typeof got === 'string') problems.push(got);
    else matches.push(got);
  }
  return { and: raw.operator === 'AND', negate: raw.negate === true, matches };
}

function configurationOf(raw: NvdConfigurationRaw, problems: string[]): CpeConfiguration {
  const nodes = (Array.isArray(raw.nodes) ? raw.nodes : []).filter(isObj).map((n) => nodeOf(n as NvdNodeRaw, problems));
  return { and: raw.operator === 'AND', negate: raw.negate === true, nodes };
}

/** `cvssMetricV40`, `cvssMetricV31`, `cvssMetricV30` vectors as OSV severity entries; the v2 word as a fallback. */
function severityOf(metrics: NvdCveRaw['metrics']): NvdAdvisory['severity'] {
  if (!isObj(metrics)) return 'unknown';
  const vectors: OsvSeverity[] = [];
  let word: string | undefined;
  for (const [key, list] of Object.entries(metrics)) {
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      const vector = isObj(m) && isObj(m.cvssData) ? str(m.cvssData.vectorString) : undefined;
      if (!vector) continue;
      if (key === 'cvssMetricV40') vectors.push({ type: 'CVSS_V4', score: vector });
      else if (key === 'cvssMetricV31' || key === 'cvssMetricV30') vectors.push({ type: 'CVSS_V3', score: vector });
      else if (key === 'cvssMetricV2') word ??= str((m as { baseSeverity?: unknown }).baseSeverity);
    }
  }
  return severityOfVectors(vectors, word);
}

function titleOf(r: NvdCveRaw): string {
  const list = Array.isArray(r.descriptions) ? r.descriptions : [];
  const d = (list.find((x) => isObj(x) && x.lang === 'en') ?? list[0])?.value;
  const first = (typeof d === 'string' ? d : '').trim().split('\n')[0] ?? '';
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

/** Reads one `cve` object. Never throws: a record that cannot be read says why. */
export function readCve(raw: unknown): ReadRecord {
  if (!looksLikeCve(raw))
    return {
      kind: 'invalid',
      ...(isObj(raw) && typeof raw.id === 'string' ? { id: raw.id } : {}),
      error: 'not an NVD CVE API 2.0 record (no CVE id)',
    };
  const status = str(raw.vulnStatus) ?? '';
  if (status === 'Rejected') return { kind: 'rejected', id: raw.id };
  const lastModified = str(raw.lastModified);
  const confs = Array.isArray(raw.configurations) ? raw.configurations.filter(isObj) : [];
  if (!confs.length)
    return { kind: 'unanalysed', id: raw.id, status: status || 'no configurations', ...(lastModified ? { lastModified } : {}) };
  const problems: string[] = [];
  const configurations = confs.map((c) => configurationOf(c as NvdConfigurationRaw, problems));
  if (!configurations.some((c) => c.nodes.some((n) => n.matches.some((m) => m.vulnerable)))) {
    return { kind: 'invalid', id: raw.id, error: problems[0] ?? 'no vulnerable cpeMatch in its configurations' };
  }
  return {
    kind: 'advisory',
    advisory: {
      id: raw.id,
      status,
      ...(lastModified ? { lastModified } : {}),
      title: titleOf(raw),
      severity: severityOf(raw.metrics),
      configurations,
    },
  };
}
