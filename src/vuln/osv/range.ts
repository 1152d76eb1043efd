// Whether a version is affected, evaluated as the OSV schema's "Evaluation" section specifies (versions, ranges, limit).
import type { VersionScheme } from '../versions/index.ts';
import type { OsvAffected, OsvEvent, OsvRange } from './types.ts';

const versionOf = (e: OsvEvent): string | undefined => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;

// The advisory's own events are never reordered: a sorted COPY is evaluated. It is prepared once per range object
// (with its limits split out), so 10,000 components do not sort and filter the same list 10,000 times.
// "0" sorts before everything.
interface PreparedRange {
  events: readonly OsvEvent[];
  limits: readonly string[];
}
const prepared = new WeakMap<OsvRange, PreparedRange>();
function prepare(range: OsvRange, scheme: VersionScheme): PreparedRange {
  let hit = prepared.get(range);
  if (!hit) {
    const events = sortEvents(range, scheme);
    const limits: string[] = [];
    for (const e of events) if (e.limit !== undefined) limits.push(e.limit);
    prepared.set(range, (hit = { events, limits }));
  }
  return hit;
}

function sortEvents(range: OsvRange, scheme: VersionScheme): OsvEvent[] {
  return [...range.events]
    .filter((e) => versionOf(e) !== undefined)
    .sort((a, b) => {
      const x = versionOf(a)!;
      const y = versionOf(b)!;
      if (x === y) return 0;
      if (a.introduced === '0') return -1;
      if (b.introduced === '0') return 1;
      return scheme.compare(x, y);
    });
}

export interface RangeHit {
  /** fixed versions above the version in the range that matched */
  fixed: string[];
}

function inRange(v: string, range: OsvRange, scheme: VersionScheme): RangeHit | undefined {
  const { events, limits } = prepare(range, scheme);
  // a version at or above every limit is outside the range ("*" means no limit)
  if (limits.length && !limits.some((l) => l === '*' || scheme.compare(v, l) < 0)) return undefined;
  let affected = false;
  for (const e of events) {
    if (e.introduced !== undefined && (e.introduced === '0' || scheme.compare(v, e.introduced) >= 0)) affected = true;
    else if (e.fixed !== undefined && scheme.compare(v, e.fixed) >= 0) affected = false;
    else if (e.last_affected !== undefined && scheme.compare(v, e.last_affected) > 0) affected = false;
  }
  if (!affected) return undefined;
  // events are sorted, so the first fixed version above v is the lowest one
  for (const e of events) if (e.fixed !== undefined && scheme.compare(e.fixed, v) > 0) return { fixed: [e.fixed] };
  return { fixed: [] };
}

/**
 * Evaluates one affected[] entry: the explicit `versions` list (exact strings), then every SEMVER/ECOSYSTEM range.
 * GIT ranges are skipped (we have no commit for a version) without stopping at them.
 */
export function affects(
  v: string,
  affected: { ranges?: OsvAffected['ranges']; versions?: readonly string[] | string },
  scheme: VersionScheme,
): RangeHit | undefined {
  let hit: RangeHit | undefined;
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    const h = inRange(v, range, scheme);
    if (h) hit = { fixed: [...(hit?.fixed ?? []), ...h.fixed] };
  }
  // the list holds exact version strings (OSV schema); Go and semver versions may carry a `v` the list lacks
  const list = affected.versions;
  if (!hit && list && (listed(list, v) || (/^v\d/.test(v) && listed(list, v.slice(1))))) hit = { fixed: [] };
  return hit;
}

// a list, or the NUL-delimited string a loaded database keeps (OsvAdvisoryAffected.versions)
const listed = (list: readonly string[] | string, v: string): boolean =>
  typeof list === 'string' ? list.includes(`\0${v}\0`) : list.includes(v);
