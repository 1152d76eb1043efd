// builtin:osv `with:` settings, declared as JSON Schema (schemas/settings/osv.schema.json), and the database they name.
import type { BuiltinSettings, SettingIssue } from '../../src/manifest/settings.ts';
import schema from '../../schemas/settings/osv.schema.json' with { type: 'json' };

export const settings: BuiltinSettings = {
  schema,
  async check(w, ctx) {
    const { osvDbProblem, resolveIn } = await import('../../src/manifest/checks.ts');
    const issues: SettingIssue[] = [];
    if (typeof w.db === 'string' && w.db.trim()) {
      const db = await osvDbProblem(resolveIn(ctx, w.db), w.db);
      // an empty database is refused at staging unless allowEmptyDb: say so now
      if (db && !(w.allowEmptyDb === true && / holds no OSV records /.test(db))) issues.push({ path: ['db'], message: `OSV database ${db}${/ holds no OSV records /.test(db) ? ' (allowEmptyDb: true accepts that)' : ''}` });
    }
    const ignore = Array.isArray(w.ignore) ? (w.ignore as unknown[]) : [];
    ignore.forEach((ig, i) => {
      const until = ig && typeof ig === 'object' ? (ig as { until?: unknown }).until : undefined;
      if (typeof until === 'string' && Number.isNaN(Date.parse(until))) issues.push({ path: ['ignore', i, 'until'], message: `is not a date (got ${JSON.stringify(until.slice(0, 40))})` });
    });
    return issues;
  },
};
