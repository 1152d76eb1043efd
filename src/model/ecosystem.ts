// The ecosystems bpx knows, one row each: package-url type (https://github.com/package-url/purl-spec), OSV ecosystem
// name (https://ossf.github.io/osv-schema/#affectedpackage-field), version scheme, and how names are spelled.
// purl building, OSV matching, version comparison and version ranges all read this table.

/**
 * A version scheme of src/vuln/versions/ (each scheme also owns its range syntax). `numeric` and `jdk` order runtimes
 * (src/model/cpe.ts), not packages of an ecosystem.
 */
export type SchemeId = 'semver' | 'pep440' | 'rubygems' | 'maven' | 'nuget' | 'packagist' | 'debian' | 'numeric' | 'jdk';

export interface EcosystemRow {
  /** the OSV ecosystem whose advisories a component of this type is matched against; absent: not matched */
  readonly osv?: string;
  /** more OSV ecosystems whose versions follow `scheme`, with no component matched against them */
  readonly osvAlso?: readonly string[];
  /** how versions compare and ranges read; absent: no comparator (ranges fall back to comparator lists over semver) */
  readonly scheme?: SchemeId;
  /**
   * How Component.name joins the purl namespace and name: `/` at the last slash (`@babel/core`, `vendor/pkg`,
   * `github.com/a/b`), `:` at the first colon (`org.apache:commons`); absent: the name is the purl name alone.
   */
  readonly separator?: '/' | ':';
  /** how the OSV index compares names: PEP 503 (`Django_Rest.Framework` = `django-rest-framework`), lowercase; absent: exactly */
  readonly names?: 'pep503' | 'lowercase';
}

/** Keyed by purl type, which is also Component.ecosystem. */
export const ECOSYSTEMS = {
  npm: { osv: 'npm', scheme: 'semver', separator: '/' },
  pypi: { osv: 'PyPI', scheme: 'pep440', names: 'pep503' },
  maven: { osv: 'Maven', scheme: 'maven', separator: ':' },
  gem: { osv: 'RubyGems', scheme: 'rubygems' },
  composer: { osv: 'Packagist', scheme: 'packagist', separator: '/', names: 'lowercase' },
  golang: { osv: 'Go', scheme: 'semver', separator: '/' },
  cargo: { osv: 'crates.io', scheme: 'semver', names: 'lowercase' },
  nuget: { osv: 'NuGet', scheme: 'nuget', names: 'lowercase' },
  hex: { osv: 'Hex', scheme: 'semver' },
  pub: { osv: 'Pub', scheme: 'semver' },
  // Debian and Ubuntu advisories name a release (`Debian:11`) that a purl does not: versions compare, components are not matched
  deb: { osvAlso: ['Debian', 'Ubuntu'], scheme: 'debian' },
  generic: {},
} as const satisfies Record<string, EcosystemRow>;

/** Ecosystems as package-url types name them. */
export type Ecosystem = keyof typeof ECOSYSTEMS;

/** true when `type` is a purl type of the table (own keys only: `constructor` is none). */
export function isEcosystem(type: string): type is Ecosystem {
  return Object.hasOwn(ECOSYSTEMS, type);
}

/** The row of a purl type, or undefined for a type bpx does not know. */
export function ecosystemRow(type: string): EcosystemRow | undefined {
  return isEcosystem(type) ? ECOSYSTEMS[type] : undefined;
}

/** The OSV ecosystem a component of this purl type is matched against (undefined: none). */
export function osvEcosystemOf(type: Ecosystem): string | undefined {
  return (ECOSYSTEMS[type] as EcosystemRow).osv;
}

// `npm`, `pypi`, `crates.io`, `debian`... (lowercase purl types and OSV names) → their row
const BY_NAME = new Map<string, EcosystemRow>();
for (const [type, row] of Object.entries(ECOSYSTEMS) as Array<[Ecosystem, EcosystemRow]>) {
  for (const n of [type, row.osv, ...(row.osvAlso ?? [])]) if (n) BY_NAME.set(n.toLowerCase(), row);
}

/**
 * The row for an OSV ecosystem name (`npm`, `PyPI`, `Debian:11`: the release suffix and case are ignored) or a purl
 * type (`gem`, `golang`); undefined when bpx knows neither.
 */
export function rowForName(ecosystem: string): EcosystemRow | undefined {
  return BY_NAME.get(ecosystem.split(':')[0]!.toLowerCase());
}
