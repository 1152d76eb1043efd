// Version schemes by id, and the scheme of an ecosystem as the ECOSYSTEMS table (src/model/ecosystem.ts) names it.
import { rowForName, type SchemeId } from '../../model/ecosystem.ts';
import { debian } from './debian/index.ts';
import { jdk } from './jdk/index.ts';
import { maven } from './maven/index.ts';
import { nuget } from './nuget/index.ts';
import { numeric } from './numeric/index.ts';
import { packagist } from './packagist/index.ts';
import { pypi } from './pep440/index.ts';
import { rubygems } from './rubygems/index.ts';
import { semver } from './semver/index.ts';
import type { Cmp, VersionScheme } from './types.ts';

export type { Cmp, RangeTest, VersionScheme } from './types.ts';

/** Every scheme, by the id the table uses. */
export const SCHEMES: Readonly<Record<SchemeId, VersionScheme>> = {
  semver,
  pep440: pypi,
  rubygems,
  maven,
  nuget,
  packagist,
  debian,
  numeric,
  jdk,
};

/**
 * The scheme for an OSV ecosystem (`npm`, `PyPI`, `Debian:11`...), or for a purl type (`npm`, `pypi`, `gem`...).
 * undefined when bpx has no comparator for it (the caller skips and reports).
 */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  const id = rowForName(ecosystem)?.scheme;
  return id ? SCHEMES[id] : undefined;
}

/** Compares two versions of one ecosystem; throws only for an ecosystem bpx has no comparator for. */
export function compareVersions(ecosystem: string, a: string, b: string): Cmp {
  const scheme = schemeFor(ecosystem);
  if (!scheme) throw new Error(`no version comparator for ecosystem "${ecosystem}"`);
  return scheme.compare(a, b);
}
