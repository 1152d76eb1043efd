// libbuildpack FindMatchingVersion (cloudfoundry/libbuildpack versions.go): blang/semver ranges first, then Masterminds/semver v1.5.0.
import { compareStrict, parseBlangRange, parseStrict } from './blang-semver.ts';
import { compareLoose, parseLoose, parseMastermindsConstraint } from './masterminds-semver.ts';

function matchBlang(constraint: string, versions: readonly string[]): string[] | undefined {
  let range;
  try {
    range = parseBlangRange(constraint);
  } catch {
    return undefined;
  }
  const parsed = [];
  for (const v of versions) {
    const p = parseStrict(v);
    if (!p) return undefined; // one unparsable version sends libbuildpack to the fallback
    if (range(p)) parsed.push({ v, p });
  }
  if (!parsed.length) return undefined; // no match also falls back
  return parsed.sort((a, b) => compareStrict(a.p, b.p)).map((x) => x.v);
}

function matchMasterminds(constraint: string, versions: readonly string[]): string[] | undefined {
  let check;
  try {
    check = parseMastermindsConstraint(constraint);
  } catch {
    return undefined;
  }
  const parsed = [];
  for (const v of versions) {
    const p = parseLoose(v);
    if (!p) return undefined;
    if (check(p)) parsed.push(p);
  }
  if (!parsed.length) return undefined;
  return parsed.sort(compareLoose).map((p) => p.original);
}

/** All versions satisfying the constraint, lowest first, as libbuildpack FindMatchingVersions returns them (undefined: no match). */
export function findMatchingVersions(constraint: string, versions: readonly string[]): string[] | undefined {
  return matchBlang(constraint, versions) ?? matchMasterminds(constraint, versions);
}

/** The highest version satisfying the constraint, as libbuildpack FindMatchingVersion picks it. */
export function findMatchingVersion(constraint: string, versions: readonly string[]): string | undefined {
  const all = findMatchingVersions(constraint, versions);
  return all?.[all.length - 1];
}
