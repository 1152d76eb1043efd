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
