// The OSV database and matcher (https://ossf.github.io/osv-schema/): re-exports only.
export { type OsvDb, type IndexEntry, type RawRecord, buildDb, loadOsvDb, dbAgeMs } from './load.ts';
export { type VulnFinding, type Unchecked, checkComponents, matchComponent, matchComponents, uncheckable } from './match.ts';
export { type VulnSeverity, severityOf, reaches, SEVERITY_ORDER } from './severity.ts';
export { type Ignore, type Threshold, THRESHOLDS, applyIgnores, blocking, parseIgnores, parseAge, formatAge } from './policy.ts';
export type { OsvRecord, OsvAffected, OsvRange, OsvEvent, OsvAdvisory, OsvAdvisoryAffected } from './types.ts';
