// One switch from OSV ecosystem name (https://ossf.github.io/osv-schema/#affectedpackage-field) to version scheme.
import { debian } from './debian.ts';
import { maven } from './maven.ts';
import { nuget } from './nuget.ts';
import { packagist } from './packagist.ts';
import { pypi } from './pep440.ts';
import { rubygems } from './rubygems.ts';
import { semver } from './semver.ts';
import type { Cmp, VersionScheme } from './types.ts';

export type { Cmp, VersionScheme } from './types.ts';

/**
 * The scheme for an OSV ecosystem (`npm`, `PyPI`, `Debian:11`...), or for a purl type (`npm`, `pypi`, `gem`...).
 * undefined when bpx has no comparator for it (the caller skips and reports).
 */
export function schemeFor(ecosystem: string): VersionScheme | undefined {
  const base = ecosystem.split(':')[0]!.toLowerCase();
  switch (base) {
    case 'npm':
    case 'crates.io':
    case 'cargo':
    case 'go':
    case 'golang':
    case 'hex':
    case 'pub':
      return semver;
    case 'pypi':
      return pypi;
    case 'rubygems':
    case 'gem':
      return rubygems;
    case 'maven':
      return maven;
    case 'nuget':
      return nuget;
    case 'packagist':
    case 'composer':
      return packagist;
    case 'debian':
    case 'ubuntu':
    case 'deb':
      return debian;
    default:
      return undefined;
  }
}

/** Compares two versions of one ecosystem; throws only for an ecosystem bpx has no comparator for. */
export function compareVersions(ecosystem: string, a: string, b: string): Cmp {
  const scheme = schemeFor(ecosystem);
  if (!scheme) throw new Error(`no version comparator for ecosystem "${ecosystem}"`);
  return scheme.compare(a, b);
}
