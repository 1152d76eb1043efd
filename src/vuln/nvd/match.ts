// Matches runtime components against NVD records (by the CPE names src/model/cpe.ts gives them) and, for node, the
// Node.js Security WG advisories; the two are merged by CVE id into one finding per vulnerability per component.
import { parseCpe, runtimeCpeRow, schemeOfProduct } from '../../model/cpe.ts';
import type { Component } from '../../model/index.ts';
import type { Unchecked, VulnFinding } from '../osv/match.ts';
import { SCHEMES, type VersionScheme } from '../versions/index.ts';
import { type VulnSource, mergeFindings } from '../findings.ts';
import { ProductIndex } from './product-index.ts';
import type { NvdDb } from './load.ts';
import { fixedFor, nodeAffected } from './security-wg.ts';
import type { NodeAdvisory, NvdAdvisory } from './types.ts';

/** The CPE products a component is known by, in order (its own CPE's first), and the scheme its versions compare with. */
export interface CpeTarget {
  products: string[];
  scheme: VersionScheme;
  /** true for the node runtime (the Node.js Security WG advisories apply) */
  node: boolean;
}

/**
 * What a component is matched as: a runtime of the table (`pkg:generic/node@…`) by its `vendor:product` names, or any
 * component carrying a CPE (read from an SBOM) by that CPE's; undefined for everything else.
 */
export function cpeTargetOf(c: Pick<Component, 'ecosystem' | 'name' | 'cpe'>): CpeTarget | undefined {
  const row = c.ecosystem === 'generic' ? runtimeCpeRow(c.name) : undefined;
  const products: string[] = [];
  const own = c.cpe ? parseCpe(c.cpe) : undefined;
  if (own && own.vendor && own.product && own.vendor !== '*' && own.product !== '*')
    products.push(`${own.vendor.toLowerCase()}:${own.product.toLowerCase()}`);
  if (row) for (const p of [row.cpe, row.vendorBuild, ...(row.also ?? [])]) if (p && !products.includes(p)) products.push(p);
  if (!products.length) return undefined;
  const scheme = SCHEMES[row?.scheme ?? schemeOfProduct(products[0]!)];
  return { products, scheme, node: products.includes('nodejs:node.js') };
}

interface Hit {
  advisory: NvdAdvisory;
  fixed: string[];
}

// per database: a product index per (product, scheme), and matches by (product, version): 10,000 droplets run a few
// hundred distinct runtime versions
const indexes = new WeakMap<NvdDb, Map<string, ProductIndex>>();
const memo = new WeakMap<NvdDb, Map<string, Hit[]>>();

function hitsFor(db: NvdDb, product: string, version: string, scheme: VersionScheme): Hit[] {
  let cache = memo.get(db);
  if (!cache) memo.set(db, (cache = new Map()));
  const key = `${product}\u0000${scheme.id}\u0000${version}`;
  let hits = cache.get(key);
  if (hits) return hits;
  let byProduct = indexes.get(db);
  if (!byProduct) indexes.set(db, (byProduct = new Map()));
  const ik = `${product}\u0000${scheme.id}`;
  let index = byProduct.get(ik);
  if (!index) byProduct.set(ik, (index = new ProductIndex(product, db.index.get(product) ?? [], scheme)));
  hits = index.hits(version).map((h) => ({ advisory: h.advisory, fixed: h.applicable.fixed }));
  // records in id order, as the database holds them
  hits.sort((a, b) => (a.advisory.id < b.advisory.id ? -1 : a.advisory.id > b.advisory.id ? 1 : 0));
  if (cache.size >= 100_000) cache.clear();
  cache.set(key, hits);
  return hits;
}

// the Security WG advisories affecting a node version, by database and version (node-semver ranges are slow to test)
const nodeMemo = new WeakMap<NvdDb, Map<string, NodeAdvisory[]>>();
function nodeHits(db: NvdDb, version: string): NodeAdvisory[] {
  if (!db.node.length) return [];
  let cache = nodeMemo.get(db);
  if (!cache) nodeMemo.set(db, (cache = new Map()));
  let hits = cache.get(version);
  if (!hits) {
    hits = db.node.filter((a) => nodeAffected(a, version));
    if (cache.size >= 100_000) cache.clear();
    cache.set(version, hits);
  }
  return hits;
}

/** Why `c` cannot be checked against NVD data (undefined when it can, or when it is no CPE target). */
export function nvdUncheckable(c: Component, target = cpeTargetOf(c)): string | undefined {
  if (!target) return undefined;
  if (!c.version) return 'no version';
  if (!target.scheme.valid(c.version))
    return `version '${c.version.length > 60 ? `${c.version.slice(0, 57)}...` : c.version}' is not a ${target.scheme.id} version`;
  return undefined;
}

/** Findings for one component: NVD records for each of its CPE products, and Security WG advisories for node, merged by CVE. */
export function matchNvd(c: Component, db: NvdDb): VulnFinding[] {
  const target = cpeTargetOf(c);
  if (!target || nvdUncheckable(c, target)) return [];
  // one literal shape for every finding (hundreds per component against a year of records)
  const finding = (
    id: string,
    aliases: string[],
    severity: VulnFinding['severity'],
    fixed: string[],
    summary: string,
    source: VulnSource,
  ): VulnFinding => {
    const f: VulnFinding = {
      id,
      aliases,
      purl: c.purl,
      name: c.name,
      version: c.version,
      ecosystem: c.ecosystem,
      severity,
      fixed,
      summary,
      sources: [source],
    };
    if (c.cpe) f.cpe = c.cpe;
    return f;
  };
  const nvd = new Map<string, VulnFinding>();
  for (const product of target.products) {
    for (const h of hitsFor(db, product, c.version, target.scheme)) {
      const prev = nvd.get(h.advisory.id);
      if (prev) {
        for (const f of h.fixed) if (!prev.fixed.includes(f)) prev.fixed.push(f);
        continue;
      }
      nvd.set(h.advisory.id, finding(h.advisory.id, [], h.advisory.severity, [...h.fixed], h.advisory.title, 'nvd'));
    }
  }
  for (const f of nvd.values()) f.fixed.sort(target.scheme.compare);
  const wg: VulnFinding[] = [];
  if (target.node) {
    for (const a of nodeHits(db, c.version)) {
      const [id, ...cves] = a.cves.length ? a.cves : [a.id];
      wg.push(
        finding(id!, [...cves, ...(a.cves.length ? [a.id] : [])].sort(), a.severity, fixedFor(a, c.version), a.title, 'nodejs-security-wg'),
      );
    }
  }
  if (!wg.length) return [...nvd.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return mergeFindings([[...nvd.values()], wg]);
}

/**
 * Every component (each purl once) that is a CPE target against `db`: findings sorted by purl then id, components that
 * could not be checked with the reason, and the purls checked.
 */
export function checkNvd(
  components: readonly Component[],
  db: NvdDb,
): { findings: VulnFinding[]; unchecked: Unchecked[]; checked: Set<string> } {
  const seen = new Set<string>();
  const findings: VulnFinding[] = [];
  const unchecked: Unchecked[] = [];
  const checked = new Set<string>();
  for (const c of components) {
    const key = c.purl || `${c.ecosystem}:${c.name}@${c.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const target = cpeTargetOf(c);
    if (!target) continue;
    const why = nvdUncheckable(c, target);
    if (why) {
      unchecked.push({ purl: c.purl, name: c.name, version: c.version, ecosystem: 'NVD', reason: why });
      continue;
    }
    checked.add(key);
    findings.push(...matchNvd(c, db));
  }
  findings.sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings, unchecked, checked };
}
