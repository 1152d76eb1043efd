// bpx scan: droplets, droplet dirs or SBOM files against an offline OSV database, without restaging.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { TOOL } from '../../sbom/tool.ts';
import { THRESHOLDS, type Threshold, blocking, dbAgeMs, formatAge, loadOsvDb, matchComponents } from '../../vuln/osv/index.ts';
import { expandTargets, loadTarget } from '../../vuln/scan/targets.ts';
import { type TargetReport, toJson, toSarif, toText } from '../../vuln/scan/report.ts';

const help = `Usage: bpx scan TARGET... --db DB [--key PUB.pem] [--fail-on SEVERITY] [--json|--sarif]

Checks droplets that are already staged against today's OSV database, without restaging them.

TARGET is any of:
  a droplet tarball (.tgz)      streamed; the SBOM bpx wrote at staging (app/.bpx/sbom.cdx.json, else
                                deps/<idx>/bpx/sbom.cdx.json) is read from it. A droplet without an SBOM
                                is captured instead (only the files package managers read are extracted,
                                to a temporary folder that is removed afterwards).
  a directory of droplets       every *.tgz / *.droplet and *.cdx.json / *.spdx.json file in it
  an unpacked droplet directory (has app/ or staging_info.yml) read the same way
  an SBOM file                  CycloneDX JSON or SPDX 2.3 JSON (components by purl)
  an app directory              captured

Options:
  --db DB            OSV database: a directory of OSV JSON/YAML records, or osv.dev exports laid out as
                     DB/<Ecosystem>/all.zip (required)
  --key PUB.pem      check each droplet's signed SBOM attestation with this public key; the report says
                     verified, missing or invalid: <why> (without --key: not-checked)
  --fail-on SEV      exit 1 when a finding is at or above SEV: low, medium, high or critical
                     (an advisory without a severity counts as medium)
  --json             print {"targets": [{"target", "sbom": {"source", "signature"}, "findings": [...]}]}
                     (schemas/scan-report.schema.json)
  --sarif            print SARIF 2.1.0
  -h, --help         this text

Exit status: 0 no blocking finding; 1 a finding reached --fail-on; 2 usage error or a target that
could not be read (the other targets are still reported).
`;

function progress(io: Parameters<Command['run']>[1], total: number) {
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

const command: Command = {
  summary: 'scan droplets or SBOMs against an offline OSV database',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('scan', {
      args: argv,
      options: {
        db: { type: 'string' },
        key: { type: 'string' },
        'fail-on': { type: 'string' },
        json: { type: 'boolean', default: false },
        sarif: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
    if (!positionals.length) throw new CliError('give at least one TARGET (droplet, directory or SBOM)');
    if (!values.db) throw new CliError('--db DB is required');
    if (values.json && values.sarif) throw new CliError('--json and --sarif are exclusive');
    const failOn = values['fail-on'] as Threshold | undefined;
    if (failOn !== undefined && !THRESHOLDS.includes(failOn)) throw new CliError(`--fail-on must be one of ${THRESHOLDS.join(', ')}`);
    let publicKey: Buffer | undefined;
    if (values.key) {
      const keyFile = path.resolve(io.cwd, values.key);
      publicKey = await readFile(keyFile).catch(() => {
        throw new CliError(`${keyFile}: cannot read the public key`);
      });
    }
    const dbPath = path.resolve(io.cwd, values.db);
    let db;
    try {
      db = await loadOsvDb(dbPath);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const age = dbAgeMs(db, new Date());
    io.stderr.write(`bpx scan: ${db.records.size} advisories from ${values.db}${db.newest ? `, newest ${db.newest} (${formatAge(age!)} old)` : ''}\n`);
    if (db.issues.length) io.stderr.write(`bpx scan: ${db.issues.length} database record${db.issues.length === 1 ? '' : 's'} skipped or flagged (first: ${db.issues[0]!.path}: ${db.issues[0]!.message})\n`);
    const skipped = Object.keys(db.skippedEcosystems).sort();
    if (skipped.length) io.stderr.write(`bpx scan: ecosystems without a comparator skipped: ${skipped.join(', ')}\n`);

    const { targets, errors } = await expandTargets(positionals.map((p) => path.resolve(io.cwd, p)));
    const bar = progress(io, targets.length);
    const reports: TargetReport[] = [];
    // errors: targets that could not be read at all; warnings: entries refused inside a readable target
    const warnings: string[] = [];
    const rel = (p: string) => path.relative(io.cwd, p) || '.';
    let done = 0;
    for (const t of targets) {
      bar.tick(done, t.path);
      try {
        const loaded = await loadTarget(t, { ...(publicKey ? { publicKey } : {}), tmpDir: tmpdir() });
        const findings = matchComponents(loaded.components, db);
        reports.push({ target: rel(loaded.target), sbom: { source: loaded.source, signature: loaded.signature }, findings });
        for (const i of loaded.issues.filter((x) => x.severity === 'error')) warnings.push(`${rel(t.path)}: ${i.message}`);
      } catch (err) {
        errors.push(`${rel(t.path)}: ${(err as Error).message}`);
      }
      bar.tick(++done, t.path);
    }
    bar.end();
    if (values.json) io.stdout.write(toJson(reports));
    else if (values.sarif) io.stdout.write(toSarif(reports, TOOL));
    else io.stdout.write(toText(reports));
    for (const w of warnings) io.stderr.write(`bpx scan: warning: ${w}\n`);
    for (const e of errors) io.stderr.write(`bpx scan: ${e}\n`);
    const blocked = reports.flatMap((r) => blocking(r.findings, failOn));
    if (blocked.length) io.stderr.write(`bpx scan: ${blocked.length} finding${blocked.length === 1 ? '' : 's'} at or above ${failOn}\n`);
    return errors.length ? 2 : blocked.length ? 1 : 0;
  },
};
export default command;
