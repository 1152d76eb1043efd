// Ecosystem names (OSV ecosystems.json ↔ purl types) and the per-ecosystem name normalisation used as index keys.
import type { Ecosystem } from '../../model/index.ts';

/** purl type (component.ecosystem) → OSV ecosystem name. */
export const OSV_ECOSYSTEM: Record<Ecosystem, string | undefined> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  gem: 'RubyGems',
  composer: 'Packagist',
  golang: 'Go',
  cargo: 'crates.io',
  nuget: 'NuGet',
  generic: undefined,
};

/** `Debian:11` → `debian`: the index key ignores the release suffix and case. */
export function ecosystemKey(osvEcosystem: string): string {
  return osvEcosystem.split(':')[0]!.trim().toLowerCase();
}

/**
 * The name as the index compares it:
 * PyPI per PEP 503 (`Django_Rest.Framework` → `django-rest-framework`); NuGet, Packagist and crates.io
 * case-insensitive; npm, Maven (`group:artifact`), Go module paths and RubyGems exact.
 */
export function normaliseName(ecoKey: string, name: string): string {
  const n = name.trim();
  switch (ecoKey) {
    case 'pypi':
      return n.toLowerCase().replace(/[-_.]+/g, '-');
    case 'nuget':
    case 'packagist':
    case 'crates.io':
      return n.toLowerCase();
    case 'go':
      // `github.com/a/b/v2` stays; a `+incompatible`-free module path is compared exactly
      return n;
    default:
      return n;
  }
}

export const indexKey = (osvEcosystem: string, name: string): string => {
  const eco = ecosystemKey(osvEcosystem);
  return `${eco}\u0000${normaliseName(eco, name)}`;
};
