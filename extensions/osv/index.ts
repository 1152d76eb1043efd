// builtin:osv (also builtin:vulnerabilities): matches the captured components against an offline OSV database and the
// runtimes against NVD data (osv: and/or nvd:), and gates on severity (see README.md).
import { isAbsolute, resolve } from 'node:path';
import type { BuiltinExtension, Finding, HookResult } from '../../src/lifecycle/hooks/types.ts';
import {
  type OsvDb,
  THRESHOLDS,
  type Threshold,
  type VulnFinding,
  applyIgnores,
  blocking,
  dbAgeMs,
  formatAge,
  parseAge,
  parseIgnores,
} from '../../src/vuln/osv/index.ts';
import { indexNotUsed, openOsvDb } from '../../src/vuln/osv/db-index.ts';
import { type NvdDb, loadNvdDb, nvdAgeMs } from '../../src/vuln/nvd/index.ts';
import { checkAgainst } from '../../src/vuln/check.ts';
import { OSV_ECOSYSTEM, ecosystemKey } from '../../src/vuln/osv/names.ts';

export interface OsvSettings {
  /** the OSV database (`osv:`, or `db:` as builtin:osv always called it), resolved */
  db?: string;
  /** NVD data and Node.js Security WG advisories (`nvd:`, one path or a list), resolved */
  nvd: string[];
  failOn?: Threshold;
  ignore: ReturnType<typeof parseIgnores>['ignores'];
  maxAgeMs?: number;
  maxAge?: string;
  onStale: 'warn' | 'fail';
  includeDev: boolean;
  /** scan with a database that loads 0 advisories, or none for the captured ecosystems (else that fails the hook) */
  allowEmptyDb: boolean;
}

const SETTINGS = ['db', 'osv', 'nvd', 'failOn', 'ignore', 'maxAge', 'onStale', 'includeDev', 'allowEmptyDb'];
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && !!v.trim();

/** Validates `with:`; throws one Error listing every problem with its field. */
export function parseSettings(w: Record<string, unknown>, manifestDir: string): OsvSettings {
  const errors: string[] = [];
  if (w.db !== undefined && !nonEmpty(w.db)) errors.push('with.db: the path of the OSV database, relative to the manifest');
  if (w.osv !== undefined && !nonEmpty(w.osv)) errors.push('with.osv: the path of the OSV database, relative to the manifest');
  if (w.db !== undefined && w.osv !== undefined) errors.push('with.db and with.osv name the same database: give one (osv:)');
  const nvdList = w.nvd === undefined ? [] : Array.isArray(w.nvd) ? w.nvd : [w.nvd];
  if (w.nvd !== undefined && (!nvdList.length || !nvdList.every(nonEmpty)))
    errors.push('with.nvd: a path (or a list of paths) of NVD data, relative to the manifest');
  if (w.db === undefined && w.osv === undefined && w.nvd === undefined)
    errors.push('with.osv or with.nvd: required (path to the OSV database and/or NVD data, relative to the manifest)');
  if (w.failOn !== undefined && !THRESHOLDS.includes(w.failOn as Threshold))
    errors.push(`with.failOn: must be one of ${THRESHOLDS.join(', ')}`);
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
  for (const k of Object.keys(w)) if (!SETTINGS.includes(k)) errors.push(`with.${k}: unknown setting`);
  if (errors.length) throw new Error(errors.join('; '));
  const at = (p: string) => (isAbsolute(p) ? p : resolve(manifestDir, p));
  const db = (w.osv ?? w.db) as string | undefined;
  return {
    ...(db ? { db: at(db) } : {}),
    nvd: (nvdList as string[]).map(at),
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
  // which databases say so, when it is not OSV alone
  const from = f.sources.length === 1 && f.sources[0] === 'osv' ? '' : ` [${f.sources.join(', ')}]`;
  return `${f.id}${aliases} ${f.severity} in ${f.name}@${f.version}${f.summary ? `: ${f.summary}` : ''}${fixed}${from}`;
}

export function toFinding(f: VulnFinding): Finding {
  // Finding has no "unknown": an unscored advisory is reported (and gated) as medium
  return { severity: f.severity === 'unknown' ? 'medium' : f.severity, message: describe(f), package: f.purl, id: f.id };
}

const osv: BuiltinExtension = {
  name: 'osv',
  description:
    'Matches captured components against an offline OSV database and runtimes against NVD data; fails staging at a chosen severity.',
  async run(ctx): Promise<HookResult> {
    const s = parseSettings(ctx.with ?? {}, ctx.manifestDir);
    const now = new Date();
    const problems: string[] = [];
    const metadata: Record<string, unknown> = {};
    const stale = (what: string, age: number | undefined) => {
      if (s.maxAgeMs === undefined || (age !== undefined && age <= s.maxAgeMs)) return;
      const msg = `${what} is older than maxAge ${s.maxAge}${age !== undefined ? ` (${formatAge(age)})` : ' (empty)'}`;
      ctx.log(`${s.onStale === 'fail' ? 'error' : 'warning'}: ${msg}`);
      if (s.onStale === 'fail') problems.push(msg);
    };
    let db: OsvDb | undefined;
    if (s.db) {
      // the prebuilt index (bpx db build) while it is fresh, as bpx scan --db reads it; else the records themselves
      const opened = await openOsvDb(s.db);
      db = opened.db;
      if (opened.index && !opened.index.used) ctx.log(indexNotUsed(opened.index, opened.index.file));
      const age = dbAgeMs(db, now);
      Object.assign(metadata, { advisories: db.records.size, newest: db.newest ?? null });
      ctx.log(
        `database ${s.db}: ${db.records.size} advisories, newest ${db.newest ?? 'none'}${age !== undefined ? ` (${formatAge(age)} old)` : ''}`,
      );
      const skipped = Object.entries(db.skippedEcosystems).sort(([a], [b]) => (a < b ? -1 : 1));
      if (skipped.length) ctx.log(`skipped ecosystems without a comparator: ${skipped.map(([e, n]) => `${e} (${n})`).join(', ')}`);
      // each skipped record named (up to 10 here: the log is a staging log); notes are counted, the first shown
      for (const i of db.skipped.slice(0, 10)) ctx.log(`warning: ${i.path}: ${i.message}`);
      if (db.skipped.length > 10)
        ctx.log(`... and ${db.skipped.length - 10} more database records skipped (bpx scan --list-skipped lists them all)`);
      if (db.notes.length)
        ctx.log(
          `${db.notes.length} note${db.notes.length === 1 ? '' : 's'} on records loaded all the same (first: ${db.notes[0]!.path}: ${db.notes[0]!.message})`,
        );
      if (db.records.size === 0) {
        const msg = `0 advisories loaded from ${s.db}: an empty or wrong database checks nothing`;
        if (!s.allowEmptyDb) return { metadata, verdict: 'fail', message: `${msg} (allowEmptyDb: true to run anyway)` };
        ctx.log(`warning: ${msg}`);
      }
      stale('database', age);
    }
    let nvd: NvdDb | undefined;
    if (s.nvd.length) {
      nvd = await loadNvdDb(s.nvd);
      const age = nvdAgeMs(nvd, now);
      metadata.nvd = {
        records: nvd.advisories.size + nvd.unanalysed,
        withConfigurations: nvd.advisories.size,
        rejected: nvd.rejected,
        nodeAdvisories: nvd.node.length,
        newest: nvd.newest ?? null,
      };
      ctx.log(
        `NVD data ${s.nvd.join(', ')}: ${nvd.advisories.size + nvd.unanalysed} CVE records (${nvd.advisories.size} with configurations, ${nvd.unanalysed} not analysed, ${nvd.rejected} rejected), ${nvd.node.length} Node.js Security WG advisories, newest ${nvd.newest ?? 'none'}`,
      );
      for (const i of nvd.skipped.slice(0, 10)) ctx.log(`warning: ${i.path}: ${i.message}`);
      if (nvd.skipped.length > 10) ctx.log(`... and ${nvd.skipped.length - 10} more NVD files or records skipped`);
      if (nvd.advisories.size === 0 && nvd.node.length === 0) {
        const msg = `nothing to match in ${s.nvd.join(', ')}: no NVD record with configurations and no Node.js Security WG advisory`;
        if (!s.allowEmptyDb) return { metadata, verdict: 'fail', message: `${msg} (allowEmptyDb: true to run anyway)` };
        ctx.log(`warning: ${msg}`);
      }
      stale('NVD data', age);
    }
    const cap = await ctx.capture();
    const components = s.includeDev ? cap.components : cap.components.filter((c) => c.scope !== 'dev');
    // a database with nothing for any ecosystem the app uses checks nothing: a wrong db, not a clean result
    const used = [...new Set(components.map((c) => OSV_ECOSYSTEM[c.ecosystem]).filter((e): e is string => !!e))].sort();
    if (db && db.records.size > 0 && used.length && !used.some((e) => db.ecosystems.has(ecosystemKey(e)))) {
      const msg = `database ${s.db} has no advisories for ${used.join(', ')} (the ecosystems of the captured components)`;
      if (!s.allowEmptyDb) return { metadata, verdict: 'fail', message: `${msg} (allowEmptyDb: true to run anyway)` };
      ctx.log(`warning: ${msg}`);
    }
    const checked = checkAgainst(components, { ...(db ? { osv: db } : {}), ...(nvd ? { nvd } : {}) });
    for (const [reason, n] of countBy(
      checked.unchecked.map((u) => (/^version '/.test(u.reason) ? 'a version no scheme parses' : u.reason)),
    )) {
      const some = checked.unchecked.filter(
        (u) => u.reason === reason || (reason === 'a version no scheme parses' && /^version '/.test(u.reason)),
      );
      ctx.log(
        `warning: ${n} component${n === 1 ? '' : 's'} not checked (${reason}): ${some
          .slice(0, 5)
          .map((u) => `${u.name}@${u.version || '?'}`)
          .join(', ')}${n > 5 ? ', ...' : ''}`,
      );
    }
    const applied = applyIgnores(checked.findings, s.ignore, now);
    for (const e of applied.expired) ctx.log(`warning: ignore of ${e.id} expired on ${e.until} (${e.reason})`);
    for (const { finding, ignore } of applied.ignored)
      ctx.log(`ignored ${finding.id} in ${finding.name}@${finding.version}: ${ignore.reason}`);
    const findings = applied.kept.map(toFinding);
    // the findings themselves are logged by the runner, once each (from the result)
    ctx.log(
      `${checked.checked} of ${components.length} components checked: ${applied.kept.length} finding${applied.kept.length === 1 ? '' : 's'}, ${applied.ignored.length} ignored${checked.unchecked.length ? `, ${checked.unchecked.length} not checked` : ''}`,
    );
    const blocked = blocking(applied.kept, s.failOn);
    if (blocked.length)
      problems.push(
        `${blocked.length} finding${blocked.length === 1 ? '' : 's'} at or above ${s.failOn}: ${blocked.map((f) => `${f.id} in ${f.name}@${f.version}`).join(', ')}`,
      );
    Object.assign(metadata, { findings: applied.kept.length, ignored: applied.ignored.length, unchecked: checked.unchecked.length });
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
