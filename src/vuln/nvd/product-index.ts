// Which NVD records can affect a version of one product, found without evaluating every record: the version bounds of
// the product's vulnerable cpeMatch entries, sorted once by the product's scheme, cut the versions into slots; a
// version's slot (one binary search) gives the entries whose range or exact version covers it. Only those records'
// applicability statements are evaluated (a fleet's runtimes against a year of NVD records: a few hundred distinct
// versions against tens of thousands of records).
import { cpeVersionParts } from '../../model/cpe.ts';
import type { VersionScheme } from '../versions/index.ts';
import { type Applicable, applicable, cpeMatches } from './applicability.ts';
import type { CpeMatch, CpeQuery, NvdAdvisory } from './types.ts';

interface Covering {
  advisory: NvdAdvisory;
  match: CpeMatch;
  /** first and last slot the entry covers (slot 2i+1 is bound i itself, 2i the versions between bounds i-1 and i) */
  lo: number;
  hi: number;
}

/**
 * true when the record's configurations are one OR of vulnerable entries (the common shape): then an entry that
 * matches is the whole answer, and the record needs no full evaluation.
 */
function isSimple(a: NvdAdvisory): boolean {
  return a.configurations.every(
    (c) =>
      !c.negate && (c.nodes.length === 1 || !c.and) && c.nodes.every((n) => !n.negate && !n.and && n.matches.every((m) => m.vulnerable)),
  );
}

/** Sorted distinct versions by `compare` (equal ones, `18` and `18.0.0`, kept once). */
function sortedBounds(values: Iterable<string>, compare: VersionScheme['compare']): string[] {
  const sorted = [...new Set(values)].sort(compare);
  const out: string[] = [];
  for (const v of sorted) if (!out.length || compare(out[out.length - 1]!, v) !== 0) out.push(v);
  return out;
}

/** The slot of `v` among `bounds`: 2i+1 when it equals bounds[i], 2i when it lies between bounds[i-1] and bounds[i]. */
function slotOf(bounds: readonly string[], v: string, compare: VersionScheme['compare']): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(bounds[mid]!, v) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < bounds.length && compare(bounds[lo]!, v) === 0 ? 2 * lo + 1 : 2 * lo;
}

export interface ProductHit {
  advisory: NvdAdvisory;
  applicable: Applicable;
}

export class ProductIndex {
  private readonly rangeBounds: string[];
  private readonly ranges: Covering[];
  private readonly exactBounds: string[];
  private readonly exact: Covering[];
  private readonly simple = new WeakMap<NvdAdvisory, boolean>();
  /** range slot → the entries covering it (computed on first use) */
  private readonly bySlot = new Map<number, Covering[]>();

  constructor(
    readonly product: string,
    advisories: readonly NvdAdvisory[],
    private readonly scheme: VersionScheme,
  ) {
    const mine: Array<{ advisory: NvdAdvisory; match: CpeMatch }> = [];
    for (const advisory of advisories) {
      for (const c of advisory.configurations)
        for (const n of c.nodes)
          for (const m of n.matches) if (m.vulnerable && m.product === product && m.version !== '-') mine.push({ advisory, match: m });
    }
    const isRange = (m: CpeMatch) => m.version === '*' || m.version === '';
    const cmp = scheme.compare;
    this.rangeBounds = sortedBounds(
      mine
        .filter((e) => isRange(e.match))
        .flatMap(({ match: m }) =>
          [m.startIncluding, m.startExcluding, m.endIncluding, m.endExcluding].filter((b): b is string => b !== undefined),
        ),
      cmp,
    );
    this.exactBounds = sortedBounds(
      mine.filter((e) => !isRange(e.match)).map((e) => e.match.version),
      cmp,
    );
    const top = 2 * this.rangeBounds.length;
    this.ranges = [];
    this.exact = [];
    for (const { advisory, match: m } of mine) {
      if (!isRange(m)) {
        const s = slotOf(this.exactBounds, m.version, cmp);
        this.exact.push({ advisory, match: m, lo: s, hi: s });
        continue;
      }
      const lo =
        m.startIncluding !== undefined
          ? slotOf(this.rangeBounds, m.startIncluding, cmp)
          : m.startExcluding !== undefined
            ? slotOf(this.rangeBounds, m.startExcluding, cmp) + 1
            : 0;
      const hi =
        m.endIncluding !== undefined
          ? slotOf(this.rangeBounds, m.endIncluding, cmp)
          : m.endExcluding !== undefined
            ? slotOf(this.rangeBounds, m.endExcluding, cmp) - 1
            : top;
      if (lo <= hi) this.ranges.push({ advisory, match: m, lo, hi });
    }
  }

  private coveringRange(slot: number): Covering[] {
    let list = this.bySlot.get(slot);
    if (!list) {
      list = this.ranges.filter((c) => c.lo <= slot && slot <= c.hi);
      if (this.bySlot.size > 50_000) this.bySlot.clear();
      this.bySlot.set(slot, list);
    }
    return list;
  }

  /** The records that affect `version` of this product, each with what matched (applicable()'s answer). */
  hits(version: string): ProductHit[] {
    const cmp = this.scheme.compare;
    const parts = cpeVersionParts(version);
    const candidates = [...this.coveringRange(slotOf(this.rangeBounds, version, cmp))];
    const es = slotOf(this.exactBounds, parts.version, cmp);
    if (es % 2 === 1) for (const c of this.exact) if (c.lo === es) candidates.push(c);
    const q: CpeQuery = { product: this.product, version, scheme: this.scheme };
    const byAdvisory = new Map<NvdAdvisory, CpeMatch[]>();
    for (const c of candidates) {
      const list = byAdvisory.get(c.advisory);
      if (list) list.push(c.match);
      else byAdvisory.set(c.advisory, [c.match]);
    }
    const out: ProductHit[] = [];
    for (const [advisory, matches] of byAdvisory) {
      let simple = this.simple.get(advisory);
      if (simple === undefined) this.simple.set(advisory, (simple = isSimple(advisory)));
      if (!simple) {
        const a = applicable(advisory.configurations, q);
        if (a) out.push({ advisory, applicable: a });
        continue;
      }
      // one OR of vulnerable entries: the candidate entries that match (update included) are the answer, in record order
      const matched = matches.filter((m) => cpeMatches(m, q, parts));
      if (!matched.length) continue;
      const fixed: string[] = [];
      for (const m of matched) if (m.endExcluding !== undefined && !fixed.includes(m.endExcluding)) fixed.push(m.endExcluding);
      out.push({ advisory, applicable: { matched, fixed } });
    }
    return out;
  }
}
