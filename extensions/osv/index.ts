// builtin:osv: matches the captured components against an offline OSV database and gates on severity (see README.md).
import { isAbsolute, resolve } from 'node:path';
import type { BuiltinExtension, Finding, HookResult } from '../../src/lifecycle/hooks/types.ts';
import {
  THRESHOLDS,
  type Threshold,
  type VulnFinding,
  applyIgnores,
  blocking,
  checkComponents,
  dbAgeMs,
  formatAge,
  loadOsvDb,
  parseAge,
  parseIgnores,
} from '../../src/vuln/osv/index.ts';
import { OSV_ECOSYSTEM, ecosystemKey } from '../../src/vuln/osv/names.ts';

export interface OsvSettings {
  db: string;
  failOn?: Threshold;
  ignore: ReturnType<typeof parseIgnores>['ignores'];
  maxAgeMs?: number;
  maxAge?: string;
  onStale: 'warn' | 'fail';
  includeDev: boolean;
  /** scan with a database that loads 0 advisories, or none for the captured ecosystems (else that fails the hook) */
  allowEmptyDb: boolean;
}

/** Validates `with:`; throws one Error listing every problem with its field. */
export function parseSettings(w: Record<string, unknown>, manifestDir: string): OsvSettings {
  const errors: string[] = [];
  if (typeof w.db !== 'string' || !w.db.trim()) errors.push('with.db: required (path to the OSV database, relative to the manifest)');
  if (w.failOn !== undefined && !THRESHOLDS.includes(w.failOn as Threshold)) errors.push(`with.failOn: must be one of ${THRESHOLDS.join(', ')}`);
  const ig = parseIgnores(w.ignore, 'with.ignore');
  errors.push(...ig.errors);
  let maxAgeMs: number | undefined;
  if (w.maxAge !== undefined) {
    maxAgeMs = parseAge(String(w.maxAge));
    if (maxAgeMs === undefined) errors.push('with.maxAge: a duration such as 7d, 36h or 2w');
  }
  if (w.onStale !== undefined && w.onStale !== 'warn' && w.onStale !== 'fail') errors.push('with.onStale: warn or fail');
  if (w.includeDev !== undefined && typeof w.includeDev !== 'boolean') errors.push('with.includeDev: true or false');
  if (w.allowEmptyDb !== undefined && typeof w.allowEmptyDb !== 'boolean') errors.push('with.allowEmptyDb: true or false');
  for (const k of Object.keys(w)) {
    if (!['db', 'failOn', 'ignore', 'maxAge', 'onStale', 'includeDev', 'allowEmptyDb'].includes(k)) errors.push(`with.${k}: unknown setting`);
  }
  if (errors.length) throw new Error(errors.join('; '));
  const db = w.db as string;
  return {
    db: isAbsolute(db) ? db : resolve(manifestDir, db),
    ...(w.failOn ? { failOn: w.failOn as Threshold } : {}),
    ignore: ig.ignores,
    ...(maxAgeMs !== undefined ? { maxAgeMs, maxAge: String(w.maxAge) } : {}),
    onStale: (w.onStale as 'warn' | 'fail' | undefined) ?? 'warn',
    includeDev: w.includeDev === true,
    allowEmptyDb: w.allowEmptyDb === true,
  };
}

/** "GHSA-xvch-5gv4-984h (CVE-2021-44906) critical in minimist@1.2.5: Prototype Pollution; fixed in 1.2.6" */
export function describe(f: VulnFinding): string {
  const aliases = f.aliases.length ? ` (${f.aliases.join(', ')})` : '';
  const fixed = f.fixed.length ? `; fixed in ${f.fixed.join(', ')}` : '; no fix recorded';
  return `${f.id}${aliases} ${f.severity} in ${f.name}@${f.version}${f.summary ? `: ${f.summary}` : ''}${fixed}`;
}

export function toFinding(f: VulnFinding): Finding {
  // Finding has no "unknown": an unscored advisory is reported (and gated) as medium
  return { severity: f.severity === 'unknown' ? 'medium' : f.severity, message: describe(f), package: f.purl, id: f.id };
}

const osv: BuiltinExtension = {
  name: 'osv',
  description: 'Matches captured components against an offline OSV database; fails staging at a chosen severity.',
  async run(ctx): Promise<HookResult> {
    const s = parseSettings(ctx.with ?? {}, ctx.manifestDir);
    const now = new Date();
    const db = await loadOsvDb(s.db);
    const age = dbAgeMs(db, now);
    const problems: string[] = [];
    ctx.log(`database ${s.db}: ${db.records.size} advisories, newest ${db.newest ?? 'none'}${age !== undefined ? ` (${formatAge(age)} old)` : ''}`);
    const skipped = Object.entries(db.skippedEcosystems).sort(([a], [b]) => (a < b ? -1 : 1));
    if (skipped.length) ctx.log(`skipped ecosystems without a comparator: ${skipped.map(([e, n]) => `${e} (${n})`).join(', ')}`);
    // each skipped record named (up to 10 here: the log is a staging log); notes are counted, the first shown
    for (const i of db.skipped.slice(0, 10)) ctx.log(`warning: ${i.path}: ${i.message}`);
    if (db.skipped.length > 10) ctx.log(`... and ${db.skipped.length - 10} more database records skipped (bpx scan --list-skipped lists them all)`);
    if (db.notes.length) ctx.log(`${db.notes.length} note${db.notes.length === 1 ? '' : 's'} on records loaded all the same (first: ${db.notes[0]!.path}: ${db.notes[0]!.message})`);
    if (db.records.size === 0) {
      const msg = `0 advisories loaded from ${s.db}: an empty or wrong database checks nothing`;
      if (!s.allowEmptyDb) return { metadata: { advisories: 0, newest: null }, verdict: 'fail', message: `${msg} (allowEmptyDb: true to run anyway)` };
      ctx.log(`warning: ${msg}`);
    }
    if (s.maxAgeMs !== undefined && (age === undefined || age > s.maxAgeMs)) {
      const msg = `database is older than maxAge ${s.maxAge}${age !== undefined ? ` (${formatAge(age)})` : ' (empty)'}`;
      ctx.log(`${s.onStale === 'fail' ? 'error' : 'warning'}: ${msg}`);
      if (s.onStale === 'fail') problems.push(msg);
    }
    const cap = await ctx.capture();
    const components = s.includeDev ? cap.components : cap.components.filter((c) => c.scope !== 'dev');
    // a database with nothing for any ecosystem the app uses checks nothing: a wrong db, not a clean result
    const used = [...new Set(components.map((c) => OSV_ECOSYSTEM[c.ecosystem]).filter((e): e is string => !!e))].sort();
    if (db.records.size > 0 && used.length && !used.some((e) => db.ecosystems.has(ecosystemKey(e)))) {
      const msg = `database ${s.db} has no advisories for ${used.join(', ')} (the ecosystems of the captured components)`;
      if (!s.allowEmptyDb) return { metadata: { advisories: db.records.size, newest: db.newest ?? null }, verdict: 'fail', message: `${msg} (allowEmptyDb: true to run anyway)` };
      ctx.log(`warning: ${msg}`);
    }
    const checked = checkComponents(components, db);
    for (const [reason, n] of countBy(checked.unchecked.map((u) => (/^version '/.test(u.reason) ? 'a version no scheme parses' : u.reason)))) {
      const some = checked.unchecked.filter((u) => u.reason === reason || (reason === 'a version no scheme parses' && /^version '/.test(u.reason)));
      ctx.log(`warning: ${n} component${n === 1 ? '' : 's'} not checked (${reason}): ${some.slice(0, 5).map((u) => `${u.name}@${u.version || '?'}`).join(', ')}${n > 5 ? ', ...' : ''}`);
    }
    const applied = applyIgnores(checked.findings, s.ignore, now);
    for (const e of applied.expired) ctx.log(`warning: ignore of ${e.id} expired on ${e.until} (${e.reason})`);
    for (const { finding, ignore } of applied.ignored) ctx.log(`ignored ${finding.id} in ${finding.name}@${finding.version}: ${ignore.reason}`);
    const findings = applied.kept.map(toFinding);
    // the findings themselves are logged by the runner, once each (from the result)
    ctx.log(`${checked.checked} of ${components.length} components checked: ${applied.kept.length} finding${applied.kept.length === 1 ? '' : 's'}, ${applied.ignored.length} ignored${checked.unchecked.length ? `, ${checked.unchecked.length} not checked` : ''}`);
    const blocked = blocking(applied.kept, s.failOn);
    if (blocked.length) problems.push(`${blocked.length} finding${blocked.length === 1 ? '' : 's'} at or above ${s.failOn}: ${blocked.map((f) => `${f.id} in ${f.name}@${f.version}`).join(', ')}`);
    const metadata = { advisories: db.records.size, newest: db.newest ?? null, findings: applied.kept.length, ignored: applied.ignored.length, unchecked: checked.unchecked.length };
    if (problems.length) return { findings, metadata, verdict: 'fail', message: problems.join('; ') };
    return { findings, metadata };
  },
};

function countBy(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

export default osv;
