// The parts of an OSV record (https://ossf.github.io/osv-schema/) that matching reads; records stay as loaded.

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'GIT' | 'SEMVER' | 'ECOSYSTEM' | string;
  repo?: string;
  events: readonly OsvEvent[];
}

export interface OsvSeverity {
  type: string;
  score: string;
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  severity?: readonly OsvSeverity[];
  ranges?: readonly OsvRange[];
  versions?: readonly string[];
  database_specific?: Record<string, unknown>;
  ecosystem_specific?: Record<string, unknown>;
}

export interface OsvRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases?: readonly string[];
  summary?: string;
  details?: string;
  severity?: readonly OsvSeverity[];
  affected?: readonly OsvAffected[];
  database_specific?: Record<string, unknown>;
}

/**
 * What the database keeps of a loaded record for matching and reporting (the full record is re-read on demand through
 * `OsvDb.records`): the fields findings and severities are built from, sharing the parsed record's own sub-objects.
 */
export interface OsvAdvisory {
  id: string;
  modified: string;
  withdrawn?: string;
  aliases?: readonly string[];
  /** the line a finding shows: `summary`, else the first line of `details` (at most 200 characters), trimmed */
  title: string;
  severity?: readonly OsvSeverity[];
  /** the record's `database_specific.severity` */
  dbSeverity?: unknown;
  /** the affected entries that name a package */
  affected: readonly OsvAdvisoryAffected[];
}

export interface OsvAdvisoryAffected {
  package: { ecosystem: string; name: string };
  severity?: readonly OsvSeverity[];
  /** SEMVER and ECOSYSTEM ranges only: GIT ranges never match a version */
  ranges?: readonly OsvRange[];
  /**
   * the `versions` list as one string, each version followed by NUL (and the string opened by one): PyPI and Maven
   * entries list hundreds of versions, and 1.6 million small strings kept through a load cost more GC than the load
   */
  versions?: string;
  /** the entry's `database_specific.severity` */
  dbSeverity?: unknown;
}
