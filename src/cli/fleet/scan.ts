// bpx fleet scan --osv DIR [--nvd DIR]... [--fail-on SEV] [--new]: the whole inventory against an OSV database and/or NVD
// data (runtimes by CPE), findings kept per run.
import path from 'node:path';
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows, where } from './common.ts';
import type { StoredFinding } from '../../fleet/types.ts';
import { findingJson } from '../../vuln/scan/report.ts';

export async function scan(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      osv: { type: 'string' },
      nvd: { type: 'string', multiple: true },
      'fail-on': { type: 'string' },
      new: { type: 'boolean', default: false },
      'allow-empty-db': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const nvdPaths = (values.nvd ?? []) as string[];
  if (!values.osv && !nvdPaths.length)
    throw new CliError(
      'fleet scan: --osv DIR (a folder of OSV records or of <Ecosystem>/all.zip files) or --nvd DIR (NVD data) is required',
    );
  const { THRESHOLDS, blocking, buildDb } = await import('../../vuln/osv/index.ts');
  const failOn = values['fail-on'] as (typeof THRESHOLDS)[number] | undefined;
  if (failOn !== undefined && !THRESHOLDS.includes(failOn))
    throw new CliError(`fleet scan: --fail-on must be one of ${THRESHOLDS.join(', ')}`);
  const say = (line: string) => io.stderr.write(`bpx fleet scan: ${line}\n`);
  let db;
  try {
    // NVD alone: an empty OSV database named after the NVD data (the run records where its advisories came from)
    if (values.osv) {
      // the prebuilt index (bpx db build) while it is fresh, as bpx scan --db reads it; else the records themselves
      const { indexNotUsed, openOsvDb } = await import('../../vuln/osv/db-index.ts');
      const opened = await openOsvDb(path.resolve(io.cwd, values.osv));
      db = opened.db;
      if (opened.index && !opened.index.used) say(indexNotUsed(opened.index, path.relative(io.cwd, opened.index.file) || '.'));
    } else db = buildDb(`nvd:${nvdPaths.join(',')}`, []);
  } catch (e) {
    throw new CliError(`fleet scan: ${(e as Error).message}`);
  }
  if (values.osv && db.records.size === 0) {
    const why = `0 advisories loaded from ${values.osv}: an empty or wrong database checks nothing`;
    if (!values['allow-empty-db']) throw new CliError(`fleet scan: ${why}; --allow-empty-db scans anyway`);
    say(`warning: ${why}`);
  }
  if (values.osv) say(`${db.records.size} advisories from ${values.osv}${db.newest ? `, newest ${db.newest}` : ''}`);
  const more = nvdPaths.length
    ? await nvdFindings(
        nvdPaths.map((p) => path.resolve(io.cwd, p)),
        nvdPaths.join(', '),
        values['allow-empty-db'] === true,
        say,
      )
    : undefined;
  const store = await openStore(values.db, io);
  try {
    const { scanInventory } = await import('../../fleet/scan.ts');
    let r;
    try {
      r = await scanInventory(store, db, undefined, more);
    } catch (e) {
      // a record of the index read as it is looked up, and found damaged: no run stored, rather than one that misses it
      const { CorruptIndex } = await import('../../vuln/osv/db-index.ts');
      if (e instanceof CorruptIndex) throw new CliError(`fleet scan: ${e.message}`);
      throw e;
    }
    const shown = values.new ? r.findings.filter((f) => f.isNew) : r.findings;
    const byApp = new Map<
      string,
      { org: string | null; space: string | null; app: string; appGuid: string | null; droplet: number; findings: StoredFinding[] }
    >();
    for (const f of shown) {
      const k = `${f.dropletId}`;
      if (!byApp.has(k)) byApp.set(k, { org: f.org, space: f.space, app: f.app, appGuid: f.appGuid, droplet: f.dropletId, findings: [] });
      byApp.get(k)!.findings.push(f);
    }
    if (values.json) {
      json(io, {
        run: {
          id: r.run.id,
          startedAt: r.run.startedAt,
          finishedAt: r.run.finishedAt,
          advisories: r.run.advisories,
          previous: r.previous ? { id: r.previous.id, startedAt: r.previous.startedAt } : null,
        },
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
          findings: a.findings.map((f) => ({
            ...findingJson(f),
            firstSeen: f.firstSeen,
            lastSeen: f.lastSeen,
            new: f.isNew,
          })),
        })),
      });
    } else if (!shown.length) io.stdout.write(values.new ? 'no new findings since the previous scan\n' : 'no findings\n');
    else {
      printRows(
        io,
        ['ORG/SPACE/APP', 'SEVERITY', 'ADVISORY', 'SOURCE', 'PACKAGE', 'VERSION', 'FIXED', 'FIRST SEEN', 'SUMMARY'],
        shown.map((f) => [
          where(f),
          f.severity,
          f.id,
          f.sources.join(',') || '-',
          f.name,
          f.version,
          f.fixed.join(', '),
          `${f.firstSeen.slice(0, 10)}${f.isNew && !values.new ? ' (new)' : ''}`,
          f.summary.length > 80 ? `${f.summary.slice(0, 77)}...` : f.summary,
        ]),
      );
    }
    const newCount = r.findings.filter((f) => f.isNew).length;
    say(
      `scan run ${r.run.id}: ${r.components} components (${r.checked} checked, ${r.unchecked} not checkable), ${r.findings.length} findings in apps' current droplets, ${newCount} new${r.previous ? ` since run ${r.previous.id} (${r.previous.startedAt})` : ' (first scan)'}`,
    );
    const blocked = blocking(
      shown.map((f) => ({ ...f, ecosystem: '' })),
      failOn,
    );
    if (blocked.length) say(`${blocked.length} ${values.new ? 'new ' : ''}finding${blocked.length === 1 ? '' : 's'} at or above ${failOn}`);
    return blocked.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

/** NVD data as fleet scan's second database: the runtimes of the inventory matched by CPE (src/vuln/nvd). */
async function nvdFindings(
  paths: string[],
  shown: string,
  allowEmpty: boolean,
  say: (line: string) => void,
): Promise<import('../../fleet/scan.ts').MoreFindings> {
  const { cpeTargetOf, loadNvdDb, matchNvd, nvdUncheckable } = await import('../../vuln/nvd/index.ts');
  let nvd;
  try {
    nvd = await loadNvdDb(paths);
  } catch (e) {
    throw new CliError(`fleet scan: ${(e as Error).message}`);
  }
  say(
    `${nvd.advisories.size + nvd.unanalysed} NVD CVE records (${nvd.advisories.size} with configurations), ${nvd.node.length} Node.js Security WG advisories from ${shown}${nvd.newest ? `, newest ${nvd.newest}` : ''}`,
  );
  for (const i of nvd.skipped.slice(0, 10)) say(`warning: ${i.path}: ${i.message}`);
  if (nvd.advisories.size === 0 && nvd.node.length === 0) {
    const why = `nothing to match in ${shown}: no NVD record with configurations and no Node.js Security WG advisory`;
    if (!allowEmpty) throw new CliError(`fleet scan: ${why}; --allow-empty-db scans anyway`);
    say(`warning: ${why}`);
  }
  const db = nvd;
  return { match: (c) => (cpeTargetOf(c) && !nvdUncheckable(c) ? matchNvd(c, db) : undefined) };
}
