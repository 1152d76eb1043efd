// builtin:osv (builtin:vulnerabilities) `with:` settings, declared as JSON Schema (schemas/settings/osv.schema.json), and
// the databases they name: the OSV database (`osv:`, or `db:` as it was first called) and NVD data (`nvd:`).
import type { BuiltinSettings, SettingIssue } from '../../src/manifest/settings.ts';
import schema from '../../schemas/settings/osv.schema.json' with { type: 'json' };

export const settings: BuiltinSettings = {
  schema,
  async check(w, ctx) {
    const { osvDbProblem, resolveIn } = await import('../../src/manifest/checks.ts');
    const issues: SettingIssue[] = [];
    // the schema cannot say this without hiding every other error of with: (src/manifest/schema.ts words a whole anyOf)
    if (w.db === undefined && w.osv === undefined && w.nvd === undefined)
      issues.push({ path: [], message: 'needs osv: (the OSV database) and/or nvd: (NVD data)' });
    if (w.db !== undefined && w.osv !== undefined)
      issues.push({ path: ['db'], message: 'and osv: name the same database: give one of them (osv:)' });
    for (const key of ['osv', 'db'] as const) {
      const value = w[key];
      if (typeof value !== 'string' || !value.trim()) continue;
      const db = await osvDbProblem(resolveIn(ctx, value), value);
      // an empty database is refused at staging unless allowEmptyDb: say so now
      if (db && !(w.allowEmptyDb === true && / holds no OSV records /.test(db)))
        issues.push({
          path: [key],
          message: `OSV database ${db}${/ holds no OSV records /.test(db) ? ' (allowEmptyDb: true accepts that)' : ''}`,
        });
    }
    const nvd = typeof w.nvd === 'string' ? [w.nvd] : Array.isArray(w.nvd) ? (w.nvd as unknown[]) : [];
    if (nvd.length) {
      const { stat } = await import('node:fs/promises');
      for (const [i, p] of nvd.entries()) {
        if (typeof p !== 'string' || !p.trim()) continue;
        if (
          !(await stat(resolveIn(ctx, p)).then(
            () => true,
            () => false,
          ))
        ) {
          issues.push({
            path: typeof w.nvd === 'string' ? ['nvd'] : ['nvd', i],
            message: `NVD data ${p} not found (NVD CVE API 2.0 JSON, nvdcve-2.0-*.json.gz feeds or Node.js Security WG vuln/core files)`,
          });
        }
      }
    }
    const ignore = Array.isArray(w.ignore) ? (w.ignore as unknown[]) : [];
    ignore.forEach((ig, i) => {
      const until = ig && typeof ig === 'object' ? (ig as { until?: unknown }).until : undefined;
      if (typeof until === 'string' && Number.isNaN(Date.parse(until)))
        issues.push({ path: ['ignore', i, 'until'], message: `is not a date (got ${JSON.stringify(until.slice(0, 40))})` });
    });
    return issues;
  },
};
