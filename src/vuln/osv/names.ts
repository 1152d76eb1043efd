// OSV ecosystem names (from the ECOSYSTEMS table, src/model/ecosystem.ts) and the per-ecosystem name normalisation used as index keys.
import { ECOSYSTEMS, type Ecosystem, isEcosystem, osvEcosystemOf, rowForName } from '../../model/ecosystem.ts';

/** purl type (component.ecosystem) → the OSV ecosystem its components are matched against. */
export const OSV_ECOSYSTEM: Readonly<Record<Ecosystem, string | undefined>> = Object.fromEntries(
  (Object.keys(ECOSYSTEMS) as Ecosystem[]).map((t) => [t, osvEcosystemOf(t)]),
) as Record<Ecosystem, string | undefined>;

/** `Debian:11` → `debian`: the index key ignores the release suffix and case. */
export function ecosystemKey(osvEcosystem: string): string {
  return osvEcosystem.split(':')[0]!.trim().toLowerCase();
}

/**
 * The name as the index compares it, as the table says: PyPI per PEP 503 (`Django_Rest.Framework` →
 * `django-rest-framework`); NuGet, Packagist and crates.io case-insensitive; npm, Maven (`group:artifact`), Go
 * module paths and RubyGems exact.
 */
export function normaliseName(ecoKey: string, name: string): string {
  const n = name.trim();
  switch (rowForName(ecoKey)?.names) {
    case 'pep503':
      return n.toLowerCase().replace(/[-_.]+/g, '-');
    case 'lowercase':
      return n.toLowerCase();
    default:
      return n;
  }
}

/** A package name of purl type `type` as the index compares it (by the type itself when it has no OSV ecosystem). */
export function nameKeyOf(type: string, name: string): string {
  const osv = isEcosystem(type) ? osvEcosystemOf(type) : undefined;
  return normaliseName(osv ? ecosystemKey(osv) : type, name);
}

export const indexKey = (osvEcosystem: string, name: string): string => {
  const eco = ecosystemKey(osvEcosystem);
  return `${eco}\u0000${normaliseName(eco, name)}`;
};

/**
 * The home-database id prefixes the OSV schema registers (`$defs.prefix` in schemas/osv.schema.json; a test keeps the two
 * equal), without `x_`, the prefix for private databases: ids osv.dev can be expected to know.
 */
export const REGISTERED_PREFIXES: readonly string[] = [
  'ASB-A',
  'PUB-A',
  'ALPINE',
  'ALSA',
  'ALBA',
  'ALEA',
  'AZL',
  'BELL',
  'BIT',
  'CGA',
  'CLEANSTART',
  'CLSA',
  'CURL',
  'CVE',
  'DEBIAN',
  'DHI',
  'DRUPAL',
  'DSA',
  'DLA',
  'ELA',
  'DTSA',
  'ECHO',
  'EEF',
  'FreeBSD',
  'GHSA',
  'GO',
  'GSD',
  'HSEC',
  'JLSEC',
  'KUBE',
  'LBSEC',
  'LSN',
  'MAL',
  'MINI',
  'MGASA',
  'OESA',
  'OSEC',
  'OSV',
  'openSUSE-SU',
  'PHSA',
  'PSF',
  'PYSEC',
  'RHBA',
  'RHEA',
  'RHSA',
  'RLSA',
  'RXSA',
  'RSEC',
  'ROOT',
  'RUSTSEC',
  'SUSE-[SRFO]U',
  'UBUNTU',
  'USN',
  'V8',
];

// "GHSA-xvch-5gv4-984h" -> true; "ACME-2026-0001", "x_TEST-1" -> false
const PUBLIC_ID = new RegExp(`^(${REGISTERED_PREFIXES.join('|')})-`);

/** true when `id` has a registered public prefix, so that https://osv.dev/vulnerability/<id> is worth linking. */
export const isPublicId = (id: string): boolean => PUBLIC_ID.test(id);
