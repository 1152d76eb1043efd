// Fleet questions over loaded targets: which contain a package in a version range, which were staged with a buildpack version in a range.
import { parsePurl } from '../../model/index.ts';
import { nameKeyOf } from '../osv/names.ts';
import { rangeTest, type RangeTest } from '../versions/ranges.ts';
import { schemeFor } from '../versions/index.ts';
import type { LoadedTarget } from './targets.ts';

export type QueryMatch = { target: string; purl: string; version: string } | { target: string; buildpack: string; version: string };

export interface PackageQuery {
  ecosystem: string;
  name: string;
  test: RangeTest;
  /** no range: every version, even one no scheme parses, matches */
  any: boolean;
}

/** `pkg:npm/bcrypt` + `<5.0.0` → a query; a version in the purl without --range means exactly that version. Throws on bad input. */
export function packageQuery(purl: string, range: string | undefined): PackageQuery {
  let p;
  try {
    p = parsePurl(purl);
  } catch (e) {
    throw new Error(`--package ${purl}: not a package URL (${(e as Error).message})`);
  }
  let r = range;
  if (r === undefined && p.version) r = p.type === 'maven' || p.type === 'nuget' ? `[${p.version}]` : `=${p.version}`;
  if (r !== undefined && p.type === 'pypi' && /^=[^=]/.test(r)) r = `=${r}`;
  let test: RangeTest;
  try {
    test = r === undefined ? () => true : rangeTest(p.type, r);
  } catch (e) {
    throw new Error(`--range ${r}: ${(e as Error).message}`);
  }
  return { ecosystem: p.type, name: p.name, test, any: r === undefined };
}

export function queryPackage(t: LoadedTarget, q: PackageQuery): QueryMatch[] {
  const want = nameKeyOf(q.ecosystem, q.name);
  // a version its scheme cannot parse ("banana") is in no range: a lenient comparator would place it below every bound
  const scheme = schemeFor(q.ecosystem);
  const placeable = (v: string) => q.any || !scheme || scheme.valid(v);
  const seen = new Set<string>();
  const out: QueryMatch[] = [];
  for (const c of t.components) {
    if (c.ecosystem !== q.ecosystem || nameKeyOf(c.ecosystem, c.name) !== want || seen.has(c.purl)) continue;
    seen.add(c.purl);
    if (c.version && placeable(c.version) && q.test(c.version)) out.push({ target: t.target, purl: c.purl, version: c.version });
  }
  return out.sort((a, b) => (a.version < b.version ? -1 : 1));
}

/** NAME matches the buildpack's key (as `cf buildpacks` lists it) or its config.yml name, case-insensitively. */
export function queryBuildpack(t: LoadedTarget, name: string, range: string | undefined): QueryMatch[] {
  let test: RangeTest = () => true;
  if (range !== undefined) {
    try {
      test = rangeTest('npm', range);
    } catch (e) {
      throw new Error(`--range ${range}: ${(e as Error).message}`);
    }
  }
  const n = name.toLowerCase();
  const out: QueryMatch[] = [];
  for (const b of t.buildpacks) {
    if (b.key?.toLowerCase() !== n && b.name?.toLowerCase() !== n) continue;
    const version = b.version ?? '';
    if (range !== undefined && (!version || !test(version))) continue;
    const label = b.name && b.key && b.key !== b.name ? `${b.name} (${b.key})` : (b.name ?? b.key ?? name);
    out.push({ target: t.target, buildpack: label, version });
  }
  return out;
}
