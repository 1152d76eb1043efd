// Severity of an OSV record: CVSS v3/v4 base scores (FIRST rating scale) via ae-cvss-calculator, else database_specific.severity.
import { cvssCalculator } from './cvss-lazy.cts';
import type { OsvAdvisory, OsvAdvisoryAffected, OsvAffected, OsvRecord, OsvSeverity } from './types.ts';

export type VulnSeverity = 'low' | 'medium' | 'high' | 'critical' | 'unknown';
export const SEVERITY_ORDER: readonly VulnSeverity[] = ['unknown', 'low', 'medium', 'high', 'critical'];

/** CVSS rating scale (v3.1 §5 / v4.0): 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10 critical. */
export function rating(score: number): VulnSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'unknown';
}

// Scores by (type, vector): the same few thousand vectors recur across tens of thousands of advisories, and
// parsing + scoring one costs far more than a Map lookup. Bounded so a long-lived process cannot grow it forever.
const scores = new Map<string, number | undefined>();

/** The base score of one CVSS vector, or undefined when it is not a v3/v4 vector the calculator accepts. */
export function cvssScore(s: OsvSeverity): number | undefined {
  const key = `${s.type}\u0000${s.score}`;
  if (scores.has(key)) return scores.get(key);
  if (scores.size >= 100_000) scores.clear();
  const score = computeScore(s);
  scores.set(key, score);
  return score;
}

function computeScore(s: OsvSeverity): number | undefined {
  // outside the try: a calculator that cannot load is an error, never a vector scored as unknown
  // (CommonJS without named-export hints: the classes are properties of the module's default export)
  const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator();
  try {
    const v = s.score.trim();
    if (s.type === 'CVSS_V4' || v.startsWith('CVSS:4.0/')) return new Cvss4P0(v).calculateScores().base;
    if (v.startsWith('CVSS:3.1/')) return new Cvss3P1(v).calculateScores().base;
    if (v.startsWith('CVSS:3.0/')) return new Cvss3P0(v).calculateScores().base;
  } catch {
    return undefined;
  }
  return undefined;
}

const WORDS: Record<string, VulnSeverity> = {
  low: 'low',
  moderate: 'medium',
  medium: 'medium',
  high: 'high',
  important: 'high',
  critical: 'critical',
};

/**
 * What a severity is cached on: the affected entry when something of its own can decide it (its vectors, or its
 * database's word where the record has none), else the record, shared by its entries.
 */
function ratedBy(
  record: object,
  affected: { severity?: readonly OsvSeverity[] } | undefined,
  recordWord: unknown,
  affectedWord: unknown,
): object {
  if (!affected) return record;
  return affected.severity?.length || (recordWord == null && affectedWord != null) ? affected : record;
}

/** Highest CVSS v4 (preferred) or v3 base score across record and affected entry; else the database's own word. */
const cache = new WeakMap<object, VulnSeverity>();
export function severityOf(record: OsvRecord, affected?: OsvAffected): VulnSeverity {
  const recordWord = record.database_specific?.['severity'];
  const affectedWord = affected?.database_specific?.['severity'];
  const key = ratedBy(record, affected, recordWord, affectedWord);
  let s = cache.get(key);
  if (!s) cache.set(key, (s = computeSeverity(affected?.severity, record.severity, recordWord ?? affectedWord)));
  return s;
}

/** severityOf for the compact form the database keeps (same rules, same caching per entry). */
export function advisorySeverity(adv: OsvAdvisory, affected: OsvAdvisoryAffected): VulnSeverity {
  const key = ratedBy(adv, affected, adv.dbSeverity, affected.dbSeverity);
  let s = cache.get(key);
  if (!s) cache.set(key, (s = computeSeverity(affected.severity, adv.severity, adv.dbSeverity ?? affected.dbSeverity)));
  return s;
}

/**
 * Records what advisorySeverity gives for this entry, as rated when the prebuilt index was built (db-index.ts): the
 * index's advisories are then never scored again, and a scan of it never loads the CVSS calculator.
 */
export function rated(adv: OsvAdvisory, affected: OsvAdvisoryAffected, s: VulnSeverity): void {
  const key = ratedBy(adv, affected, adv.dbSeverity, affected.dbSeverity);
  if (!cache.has(key)) cache.set(key, s);
}

/**
 * The severity of a list of CVSS vectors (`CVSS_V4` / `CVSS_V3` typed, as OSV records carry them), else of a database's
 * own word: the rules of severityOf, for records of other databases (NVD's `metrics`).
 */
export function severityOfVectors(vectors: readonly OsvSeverity[], word?: unknown): VulnSeverity {
  return computeSeverity(undefined, vectors, word);
}

function computeSeverity(
  affected: readonly OsvSeverity[] | undefined,
  record: readonly OsvSeverity[] | undefined,
  word: unknown,
): VulnSeverity {
  const all = [...(affected ?? []), ...(record ?? [])];
  for (const type of ['CVSS_V4', 'CVSS_V3']) {
    const scores = all
      .filter((s) => s.type === type)
      .map(cvssScore)
      .filter((n): n is number => n !== undefined);
    if (scores.length) return rating(Math.max(...scores));
  }
  if (typeof word === 'string') return WORDS[word.trim().toLowerCase()] ?? 'unknown';
  return 'unknown';
}

/** true when `s` is at or above `threshold`. `unknown` counts as `medium` so a record without a score is not waved through. */
export function reaches(s: VulnSeverity, threshold: Exclude<VulnSeverity, 'unknown'>): boolean {
  const eff = s === 'unknown' ? 'medium' : s;
  return SEVERITY_ORDER.indexOf(eff) >= SEVERITY_ORDER.indexOf(threshold);
}
