// bpx scan's work (src/cli/commands/scan.ts holds its help): targets read on worker threads while the databases load,
// each matched, one report printed.
import { CLI_EXIT } from '../../platform/exit-codes.ts';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, withoutPath, type Io } from '../io.ts';
import { TOOL } from '../../sbom/tool.ts';
import { readPublicKey } from '../public-key.ts';
import { type OsvDb, dbAgeMs } from '../../vuln/osv/source.ts';
import { THRESHOLDS, type Threshold, blocking, formatAge } from '../../vuln/osv/policy.ts';
import { CorruptIndex, indexNotUsed, openOsvDb } from '../../vuln/osv/db-index.ts';
import type { NvdDb } from '../../vuln/nvd/load.ts';
import { checkAgainst } from '../../vuln/check.ts';
import { OSV_ECOSYSTEM, ecosystemKey } from '../../vuln/osv/names.ts';
import { type LoadedTarget, expandTargets } from '../../vuln/scan/targets.ts';
import { type Reading, readTargets } from '../../vuln/scan/pool.ts';
import { type TargetReport, toJson, toSarif, toText } from '../../vuln/scan/report.ts';

function progress(io: Io, total: number) {
  const on = io.isTTY && total > 3;
  return {
    tick(done: number, name: string) {
      if (!on) return;
      const width = 24;
      const fill = Math.round((done / total) * width);
      const label = path.basename(name).slice(0, 40);
      io.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} ${label}\x1b[K`);
    },
    end() {
      if (on) io.stderr.write('\r\x1b[K');
    },
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
// how many skipped records are named without --list-skipped
const NAMED = 10;

/** bpx scan TARGET...: the exit code (0, 1 findings or failed checks, 2 unreadable targets); usage errors throw CliError. */
export async function runScan(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('scan', {
    args: argv,
    options: {
      db: { type: 'string' },
      nvd: { type: 'string', multiple: true },
      key: { type: 'string' },
      'require-signature': { type: 'boolean', default: false },
      'fail-on': { type: 'string' },
      'allow-empty-db': { type: 'boolean', default: false },
      'list-skipped': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      sarif: { type: 'boolean', default: false },
      jobs: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (!positionals.length) throw new CliError('give at least one TARGET (droplet, directory or SBOM)');
  const nvdPaths = (values.nvd ?? []) as string[];
  if (!values.db && !nvdPaths.length) throw new CliError('--db DB (OSV) or --nvd DIR (NVD) is required');
  if (values.json && values.sarif) throw new CliError('--json and --sarif are exclusive');
  if (values['require-signature'] && !values.key) throw new CliError('--require-signature needs --key PUB.pem to check signatures with');
  const failOn = values['fail-on'] as Threshold | undefined;
  if (failOn !== undefined && !THRESHOLDS.includes(failOn)) throw new CliError(`--fail-on must be one of ${THRESHOLDS.join(', ')}`);
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new CliError(`--jobs must be a whole number of 1 or more, got ${values.jobs}`);
  const allowEmpty = values['allow-empty-db'] === true;
  const publicKey = values.key ? await readPublicKey(path.resolve(io.cwd, values.key), values.key) : undefined;
  const say = (line: string) => io.stderr.write(`bpx scan: ${line}\n`);

  // The targets are read (on worker threads) while this thread loads the databases; their messages wait their turn.
  const rel = (p: string) => path.relative(io.cwd, p) || '.';
  const notScanned: string[] = [];
  const targets = await expandTargets(
    positionals.map((p) => path.resolve(io.cwd, p)),
    (dir, why) => notScanned.push(`warning: ${rel(dir)}: ${why}: not scanned`),
  );
  const bar = progress(io, targets.length);
  let barOn = false;
  let done = 0;
  // every temporary folder of this run is below one, removed at the end and on Ctrl-C
  const runTmp = await mkdtemp(path.join(tmpdir(), 'bpx-scan-'));
  const heavy = targets.filter((t) => t.kind !== 'sbom' && t.kind !== 'unreadable').length;
  let reading: Reading | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // the workers first: one still extracting would create the folder again (mkdir -p) after it was removed
    void Promise.race([reading?.stop(), new Promise((r) => setTimeout(r, 2000))]).finally(() => {
      rmSync(runTmp, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? CLI_EXIT.interrupted : CLI_EXIT.terminated);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    reading = readTargets(
      targets,
      { ...(publicKey ? { publicKey, requireSignature: values['require-signature'] === true } : {}), tmpDir: runTmp },
      {
        jobs: heavy >= 2 ? jobs : 1,
        onDone: (n, t) => {
          done = n;
          if (barOn) bar.tick(n, t.path);
        },
      },
    );
    return await scanWith(reading);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await reading?.stop();
    rmSync(runTmp, { recursive: true, force: true });
  }

  async function scanWith(reading: Reading): Promise<number> {
    let db: OsvDb | undefined;
    if (values.db) {
      try {
        const opened = await openOsvDb(path.resolve(io.cwd, values.db));
        db = opened.db;
        if (opened.index && !opened.index.used) say(indexNotUsed(opened.index, rel(opened.index.file)));
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const age = dbAgeMs(db, new Date());
      say(
        `${db.records.size} ${db.records.size === 1 ? 'advisory' : 'advisories'} from ${values.db}${db.newest ? `, newest ${db.newest} (${formatAge(age!)} old)` : ''}`,
      );
      reportDb(db, values['list-skipped'] === true, say);
      if (db.records.size === 0) {
        const why = `0 advisories loaded from ${values.db}: an empty or wrong database checks nothing (give a folder of OSV records or of <Ecosystem>/all.zip files)`;
        if (!allowEmpty) throw new CliError(`${why}; --allow-empty-db scans anyway`);
        say(`warning: ${why}`);
      }
    }
    let nvd: NvdDb | undefined;
    if (nvdPaths.length) {
      const started = process.hrtime.bigint();
      const abs = nvdPaths.map((p) => path.resolve(io.cwd, p));
      // the NVD reader is loaded only when NVD data is given
      const { loadNvdDb, nvdAgeMs } = await import('../../vuln/nvd/load.ts');
      try {
        nvd = await loadNvdDb(abs);
      } catch (err) {
        // named as given on the command line
        const msg = (err as Error).message;
        const i = abs.findIndex((a) => msg.startsWith(`${a}: `));
        throw new CliError(i >= 0 ? `--nvd ${nvdPaths[i]}: ${withoutPath(abs[i]!, msg)}` : msg);
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      reportNvd(nvd, nvdAgeMs(nvd, new Date()), nvdPaths.join(', '), ms, values['list-skipped'] === true, say);
      if (nvd.advisories.size === 0 && nvd.node.length === 0) {
        const why = `nothing to match in ${nvdPaths.join(', ')}: no NVD record with configurations and no Node.js Security WG advisory`;
        if (!allowEmpty) throw new CliError(`${why}; --allow-empty-db scans anyway`);
        say(`warning: ${why}`);
      }
    }

    for (const line of notScanned) say(line);
    barOn = true;
    if (targets.length) bar.tick(done, targets[Math.min(done, targets.length - 1)]!.path);
    const loaded: Array<{ target: string; error: string } | { target: string; t: LoadedTarget }> = (await reading.results()).map((l, i) => {
      const t = targets[i]!;
      return 'error' in l ? { target: rel(t.path), error: withoutPath(t.path, l.error) } : { target: rel(t.path), t: l.t };
    });
    bar.end();

    // a database with nothing for any ecosystem the components use checks nothing: a wrong --db, not a clean result
    const used = new Set<string>();
    for (const l of loaded)
      if ('t' in l) for (const c of l.t.components) if (OSV_ECOSYSTEM[c.ecosystem]) used.add(OSV_ECOSYSTEM[c.ecosystem]!);
    const covered = [...used].filter((e) => db?.ecosystems.has(ecosystemKey(e)));
    if (db && db.records.size > 0 && used.size && !covered.length) {
      const why = `${values.db} has no advisories for ${[...used].sort().join(', ')} (the ecosystems of the scanned components)`;
      if (!allowEmpty) throw new CliError(`${why}: a wrong --db? --allow-empty-db scans anyway`);
      say(`warning: ${why}`);
    }

    const reports: TargetReport[] = [];
    // warnings: entries refused inside a readable target
    const warnings: string[] = [];
    for (const l of loaded) {
      if ('error' in l) {
        reports.push({
          target: l.target,
          error: l.error,
          components: 0,
          checked: 0,
          findings: [],
          unchecked: [],
          problems: [],
          notes: [],
        });
        continue;
      }
      let matched;
      try {
        matched = checkAgainst(l.t.components, { ...(db ? { osv: db } : {}), ...(nvd ? { nvd } : {}) });
      } catch (err) {
        // a record of the index read as it is looked up, and found damaged: no report, rather than one that misses it
        if (err instanceof CorruptIndex) throw new CliError(err.message);
        throw err;
      }
      const { findings, unchecked, checked } = matched;
      reports.push({
        target: l.target,
        sbom: { source: l.t.source, signature: l.t.signature },
        components: l.t.components.length,
        checked,
        findings,
        unchecked,
        problems: l.t.problems,
        notes: l.t.notes,
      });
      for (const i of l.t.issues.filter((x) => x.severity === 'error')) warnings.push(`${l.target}: ${i.message}`);
    }
    if (values.json) io.stdout.write(toJson(reports));
    else if (values.sarif) io.stdout.write(toSarif(reports, TOOL));
    else io.stdout.write(toText(reports));
    for (const w of warnings) say(`warning: ${w}`);
    for (const r of reports) {
      if (r.error !== undefined) say(`${r.target}: ${r.error}`);
      for (const p of r.problems) say(`${r.target}: ${p.message}`);
    }
    const blocked = reports.flatMap((r) => blocking(r.findings, failOn));
    if (blocked.length) say(`${plural(blocked.length, 'finding')} at or above ${failOn}`);
    const failedChecks = reports.filter((r) => r.problems.length);
    if (failedChecks.length)
      say(
        `${plural(failedChecks.length, 'target')} failed a check: ${failedChecks.map((r) => `${r.target} (${[...new Set(r.problems.map((p) => p.kind))].join(', ')})`).join(', ')}`,
      );
    return reports.some((r) => r.error !== undefined) ? 2 : blocked.length || failedChecks.length ? 1 : 0;
  }
}

/** What the NVD data holds: records with and without configurations, rejected ones, Security WG advisories, load time, skipped files. */
function reportNvd(nvd: NvdDb, age: number | undefined, from: string, ms: number, all: boolean, say: (line: string) => void): void {
  const parts = [
    `${plural(nvd.advisories.size + nvd.unanalysed, 'NVD CVE record')} (${nvd.advisories.size} with configurations, ${nvd.unanalysed} not analysed by NVD: nothing to match)`,
    ...(nvd.rejected ? [`${nvd.rejected} rejected and dropped`] : []),
    ...(nvd.node.length ? [`${nvd.node.length} Node.js Security WG ${nvd.node.length === 1 ? 'advisory' : 'advisories'}`] : []),
  ];
  say(
    `${parts.join(', ')} from ${from}${nvd.newest ? `, newest ${nvd.newest}${age !== undefined ? ` (${formatAge(age)} old)` : ''}` : ''}; loaded in ${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}`,
  );
  if (nvd.skipped.length) {
    say(`${plural(nvd.skipped.length, 'NVD file or record')} skipped:`);
    const shown = all ? nvd.skipped : nvd.skipped.slice(0, NAMED);
    for (const i of shown) say(`  ${i.path}: ${i.message}`);
    if (shown.length < nvd.skipped.length) say(`  ... and ${nvd.skipped.length - shown.length} more (--list-skipped lists them all)`);
  }
}

/** The database's skipped records (each named, up to a bound unless --list-skipped), notes, and ecosystems it cannot compare. */
function reportDb(db: OsvDb, all: boolean, say: (line: string) => void): void {
  if (db.skipped.length) {
    say(
      `${plural(db.skipped.length, 'database record')} skipped (nothing in ${db.skipped.length === 1 ? 'it' : 'them'} can be matched, or unreadable):`,
    );
    const shown = all ? db.skipped : db.skipped.slice(0, NAMED);
    for (const i of shown) say(`  ${i.path}${i.line ? `:${i.line}` : ''}: ${i.message}`);
    if (shown.length < db.skipped.length) say(`  ... and ${db.skipped.length - shown.length} more (--list-skipped lists them all)`);
  }
  if (db.notes.length) {
    const shown = all ? db.notes : db.notes.slice(0, 1);
    say(
      `${plural(db.notes.length, 'note')} on records loaded all the same${all ? ':' : ` (first: ${shown[0]!.path}: ${shown[0]!.message}${db.notes.length > 1 ? '; --list-skipped lists them all' : ''})`}`,
    );
    if (all) for (const i of shown) say(`  ${i.path}: ${i.message}`);
  }
  const skipped = Object.keys(db.skippedEcosystems).sort();
  if (skipped.length) say(`ecosystems without a comparator skipped: ${skipped.join(', ')}`);
}
