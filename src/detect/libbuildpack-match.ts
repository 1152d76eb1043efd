// libbuildpack FindMatchingVersion (cloudfoundry/libbuildpack versions.go): blang/semver ranges first, then Masterminds/semver v1.5.0.
import { compareStrict, parseBlangRange, parseStrict, type StrictVersion } from './blang-semver.ts';
import { compareLoose, parseLoose, parseMastermindsConstraint, type LooseVersion } from './masterminds-semver.ts';

/** One of libbuildpack's two version libraries: its constraint parser, its version parser and its order. */
interface Scheme<V> {
  constraint(text: string): (v: V) => boolean;
  parse(text: string): V | undefined;
  compare(a: V, b: V): number;
}

const BLANG: Scheme<StrictVersion> = { constraint: parseBlangRange, parse: parseStrict, compare: compareStrict };
const MASTERMINDS: Scheme<LooseVersion> = { constraint: parseMastermindsConstraint, parse: parseLoose, compare: compareLoose };

/** The matching versions, lowest first; undefined (libbuildpack's fallback) when the constraint or any version does not parse, or nothing matches. */
function matchWith<V>(scheme: Scheme<V>, constraint: string, versions: readonly string[]): string[] | undefined {
  let range;
  try {
    range = scheme.constraint(constraint);
  } catch {
    return undefined;
  }
  const parsed = [];
  for (const v of versions) {
    const p = scheme.parse(v);
    if (!p) return undefined; // one unparsable version sends libbuildpack to the fallback
    if (range(p)) parsed.push({ v, p });
  }
  if (!parsed.length) return undefined; // no match also falls back
  return parsed.sort((a, b) => scheme.compare(a.p, b.p)).map((x) => x.v);
}

/** All versions satisfying the constraint, lowest first, as libbuildpack FindMatchingVersions returns them (undefined: no match). */
export function findMatchingVersions(constraint: string, versions: readonly string[]): string[] | undefined {
  return matchWith(BLANG, constraint, versions) ?? matchWith(MASTERMINDS, constraint, versions);
}

/** The highest version satisfying the constraint, as libbuildpack FindMatchingVersion picks it. */
export function findMatchingVersion(constraint: string, versions: readonly string[]): string | undefined {
  const all = findMatchingVersions(constraint, versions);
  return all?.[all.length - 1];
}
