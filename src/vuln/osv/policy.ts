// Gating vulnerability findings: ignores (each with a reason and an optional expiry), failOn threshold, database maxAge.
import type { VulnFinding } from './match.ts';
import { type VulnSeverity, reaches } from './severity.ts';

export type Threshold = Exclude<VulnSeverity, 'unknown'>;
export const THRESHOLDS: readonly Threshold[] = ['low', 'medium', 'high', 'critical'];

export interface Ignore {
  id: string;
  reason: string;
  /** ISO date or date-time; the ignore stops applying after it */
  until?: string;
}

/** Validates user-supplied ignores; returns messages naming the entry for each problem. */
export function parseIgnores(value: unknown, where: string): { ignores: Ignore[]; errors: string[] } {
  const ignores: Ignore[] = [];
  const errors: string[] = [];
  if (value === undefined) return { ignores, errors };
  if (!Array.isArray(value)) return { ignores, errors: [`${where}: must be a list of {id, reason, until}`] };
  value.forEach((v: unknown, i) => {
    const o = v as Record<string, unknown>;
    const at = `${where}[${i}]`;
    if (!o || typeof o !== 'object') return errors.push(`${at}: must be an object {id, reason, until}`);
    if (typeof o.id !== 'string' || !o.id.trim()) return errors.push(`${at}.id: required`);
    if (typeof o.reason !== 'string' || !o.reason.trim()) return errors.push(`${at}.reason: required (say why ${o.id} is ignored)`);
    // YAML may give a Date for an unquoted date; accept it and strings that parse
    const until = o.until instanceof Date ? o.until.toISOString() : o.until;
    if (until !== undefined && (typeof until !== 'string' || Number.isNaN(Date.parse(until)))) {
      return errors.push(`${at}.until: not a date (use YYYY-MM-DD)`);
    }
    ignores.push({ id: o.id.trim(), reason: o.reason.trim(), ...(until ? { until: until as string } : {}) });
  });
  return { ignores, errors };
}

export interface Applied {
  kept: VulnFinding[];
  ignored: Array<{ finding: VulnFinding; ignore: Ignore }>;
  /** ignores whose `until` has passed (they no longer apply) */
  expired: Ignore[];
}

/** An ignore matches a finding's id or any alias; `until` is inclusive to the end of that day (UTC) for a bare date. */
export function applyIgnores(findings: readonly VulnFinding[], ignores: readonly Ignore[], now: Date): Applied {
  const active: Ignore[] = [];
  const expired: Ignore[] = [];
  for (const ig of ignores) {
    if (!ig.until) active.push(ig);
    else {
      const end = /^\d{4}-\d{2}-\d{2}$/.test(ig.until) ? Date.parse(`${ig.until}T23:59:59.999Z`) : Date.parse(ig.until);
      (end >= now.getTime() ? active : expired).push(ig);
    }
  }
  const kept: VulnFinding[] = [];
  const ignored: Applied['ignored'] = [];
  for (const f of findings) {
    const ig = active.find((i) => i.id === f.id || f.aliases.includes(i.id));
    if (ig) ignored.push({ finding: f, ignore: ig });
    else kept.push(f);
  }
  return { kept, ignored, expired };
}

/** The findings at or above `failOn` (none without it); any finding-shaped row (stored fleet findings too). */
export function blocking<F extends Pick<VulnFinding, 'severity'>>(findings: readonly F[], failOn: Threshold | undefined): F[] {
  return failOn ? findings.filter((f) => reaches(f.severity, failOn)) : [];
}

/** `7d`, `12h`, `30m`, `2w` → ms; undefined when it is not such a duration. */
export function parseAge(text: string): number | undefined {
  const m = /^([0-9]+)\s*(w|d|h|m|s)$/.exec(String(text).trim());
  if (!m) return undefined;
  const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'w' | 'd' | 'h' | 'm' | 's'];
  return Number(m[1]) * unit;
}

export function formatAge(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  if (d >= 1) return `${d}d`;
  const h = Math.floor(ms / 3_600_000);
  return h >= 1 ? `${h}h` : `${Math.floor(ms / 60_000)}m`;
}
