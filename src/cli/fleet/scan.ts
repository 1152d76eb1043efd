// bpx fleet scan --osv DIR [--fail-on SEV] [--new]: the whole inventory against an OSV database, findings kept per run.
import path from 'node:path';
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows, where } from './common.ts';
import type { StoredFinding } from '../../fleet/types.ts';

export async function scan(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      osv: { type: 'string' },
      'fail-on': { type: 'string' },
      new: { type: 'boolean', default: false },
      'allow-empty-db': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (!values.osv) throw new CliError('fleet scan: --osv DIR is required (a folder of OSV records or of <Ecosystem>/all.zip files)');
  const { THRESHOLDS, blocking, loadOsvDb } = await import('../../vuln/osv/index.ts');
  const failOn = values['fail-on'] as (typeof THRESHOLDS)[number] | undefined;
  if (failOn !== undefined && !THRESHOLDS.includes(failOn)) throw new CliError(`fleet scan: --fail-on must be one of ${THRESHOLDS.join(', ')}`);
  const say = (line: string) => io.stderr.write(`bpx fleet scan: ${line}\n`);
  let db;
  try {
    db = await loadOsvDb(path.resolve(io.cwd, values.osv));
  } catch (e) {
    throw new CliError(`fleet scan: ${(e as Error).message}`);
  }
  if (db.records.size === 0) {
    const why = `0 advisories loaded from ${values.osv}: an empty or wrong database checks nothing`;
    if (!values['allow-empty-db']) throw new CliError(`fleet scan: ${why}; --allow-empty-db scans anyway`);
    say(`warning: ${why}`);
  }
  say(`${db.records.size} advisories from ${values.osv}${db.newest ? `, newest ${db.newest}` : ''}`);
  const store = await openStore(values.db, io);
  try {
    const { scanInventory } = await import('../../fleet/scan.ts');
    const r = await scanInventory(store, db);
    const shown = values.new ? r.findings.filter((f) => f.isNew) : r.findings;
    const byApp = new Map<string, { org: string | null; space: string | null; app: string; appGuid: string | null; droplet: number; findings: StoredFinding[] }>();
    for (const f of shown) {
      const k = `${f.dropletId}`;
      if (!byApp.has(k)) byApp.set(k, { org: f.org, space: f.space, app: f.app, appGuid: f.appGuid, droplet: f.dropletId, findings: [] });
      byApp.get(k)!.findings.push(f);
    }
    if (values.json) {
      json(io, {
        run: { id: r.run.id, startedAt: r.run.startedAt, finishedAt: r.run.finishedAt, advisories: r.run.advisories, previous: r.previous ? { id: r.previous.id, startedAt: r.previous.startedAt } : null },
        components: r.components,
        checked: r.checked,
        unchecked: r.unchecked,
        onlyNew: values.new === true,
        apps: [...byApp.values()].map((a) => ({
          org: a.org,
          space: a.space,
          app: a.app,
          appGuid: a.appGuid,
          droplet: a.droplet,
          findings: a.findings.map((f) => ({ id: f.id, aliases: f.aliases, purl: f.purl, name: f.name, version: f.version, severity: f.severity, fixed: f.fixed, summary: f.summary, firstSeen: f.firstSeen, lastSeen: f.lastSeen, new: f.isNew })),
        })),
      });
    } else if (!shown.length) io.stdout.write(values.new ? 'no new findings since the previous scan\n' : 'no findings\n');
    else {
      printRows(io, ['ORG/SPACE/APP', 'SEVERITY', 'ADVISORY', 'PACKAGE', 'VERSION', 'FIXED', 'FIRST SEEN', 'SUMMARY'], shown.map((f) => [
        where(f),
        f.severity,
        f.id,
        f.name,
        f.version,
        f.fixed.join(', '),
        `${f.firstSeen.slice(0, 10)}${f.isNew && !values.new ? ' (new)' : ''}`,
        f.summary.length > 80 ? `${f.summary.slice(0, 77)}...` : f.summary,
      ]));
    }
    const newCount = r.findings.filter((f) => f.isNew).length;
    say(`scan run ${r.run.id}: ${r.components} components (${r.checked} checked, ${r.unchecked} not checkable), ${r.findings.length} findings in apps' current droplets, ${newCount} new${r.previous ? ` since run ${r.previous.id} (${r.previous.startedAt})` : ' (first scan)'}`);
    const blocked = blocking(shown.map((f) => ({ ...f, ecosystem: '' })), failOn);
    if (blocked.length) say(`${blocked.length} ${values.new ? 'new ' : ''}finding${blocked.length === 1 ? '' : 's'} at or above ${failOn}`);
    return blocked.length ? 1 : 0;
  } finally {
    await store.close();
  }
}
