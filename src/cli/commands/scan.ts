// bpx scan: droplets, droplet dirs or SBOM files against an offline OSV database and/or NVD data, without restaging.
// The help is all this file holds: `bpx scan --help` loads neither the scanner nor the databases (src/cli/scan/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

const help = `Usage: bpx scan TARGET... [--db DB] [--nvd DIR]... [--key PUB.pem [--require-signature]]
                [--fail-on SEVERITY] [--allow-empty-db] [--list-skipped] [--json|--sarif] [--jobs N]

Checks droplets that are already staged against today's OSV database and/or NVD data, without restaging
them: packages against OSV, the runtimes the buildpacks installed (node, python, ruby, JDK, go, .NET, php,
httpd, nginx) by their CPE names against NVD and, for node, the Node.js Security WG's own list.

TARGET is any of:
  a droplet tarball (.tgz)      streamed; the SBOM bpx wrote at staging (app/.bpx/sbom.cdx.json, else
                                deps/<idx>/bpx/sbom.cdx.json) is read from it. A droplet without an SBOM
                                is captured instead (only the files package managers read are extracted,
                                to a temporary folder that is removed afterwards).
  an unpacked droplet directory (has staging_info.yml, or app/ and deps/) read the same way
  a folder of apps              searched recursively: every *.tgz / *.droplet, unpacked droplet and
                                *.cdx.json / *.spdx.json file below it is one target (node_modules and
                                .git are not searched)
  an SBOM file                  CycloneDX JSON or SPDX 2.3 JSON (components by purl)
  an app directory              a folder with none of the above is captured; when that finds no package
                                either, the target fails ("no droplet, SBOM or package found")

Options:
  --db DB              OSV database: a directory of OSV JSON/YAML records, or osv.dev exports laid out as
                       DB/<Ecosystem>/all.zip. A database that loads 0 advisories, or none for any
                       ecosystem of the scanned components, is an error. The prebuilt index bpx db build
                       writes (DB/bpx-osv.index, or an index file given as DB) is read instead of the
                       records while the files it was built from are unchanged; a stale one is passed
                       over with a warning, a damaged index file given as DB is an error.
  --nvd DIR            NVD data, offline (repeatable; a file or a folder searched recursively): CVE API 2.0
                       JSON (response pages, one record per file as fkie-cad/nvd-json-data-feeds keeps them),
                       the NIST 2.0 feeds nvdcve-2.0-<year>.json[.gz], and Node.js Security WG core advisories
                       (vuln/core/<N>.json, index.json). Rejected CVEs are dropped; CVEs NVD has not analysed
                       (Deferred: no configurations) match nothing. Runtimes are matched by CPE with each
                       runtime's own version order; a configuration that needs a Windows platform does not
                       match a droplet (it runs on Linux). At least one of --db and --nvd is required; the
                       same CVE from both is one finding naming both sources.
  --allow-empty-db     scan with an empty (or, for --db, unfitting) database anyway (the report says what
                       was not checked)
  --list-skipped       list every database record that was skipped (nothing in it can be matched) and
                       every note on records loaded despite a convention problem (a private id prefix)
  --key PUB.pem        check each droplet's signed SBOM attestation with this public key; the report says
                       verified, missing or invalid: <why> (without --key: not-checked). Only a verified
                       SBOM is trusted: otherwise the droplet's content is captured and scanned instead,
                       and an invalid signature fails the target.
  --require-signature  with --key: a target without a verified signature (an unsigned droplet, an SBOM
                       file, an app directory) fails too
  --fail-on SEV        exit 1 when a finding is at or above SEV: low, medium, high or critical
                       (an advisory without a severity counts as medium)
  --json               print {"targets": [{"target", "sbom": {"source", "signature"} | "error", "components",
                       "checked", "problems", "notes", "unchecked", "findings": [{..., "sources"}]}]}
                       (schemas/scan-report.schema.json); every target is listed, unreadable ones too
  --sarif              print SARIF 2.1.0; unreadable and failed targets are toolExecutionNotifications
  --jobs N             read at most N targets at once, on worker threads (default: the number of CPUs;
                       1: one after another). Output is the same whatever N: targets are reported in
                       order. SBOM files alone are always read in one thread.
  -h, --help           this text

Exit codes (the other targets are still reported when one fails):
${exitCodeHelp([0, 1, 2], {
  0: 'no blocking finding and no failed target',
  1: 'a finding reached --fail-on, or a target failed a check (signature, nothing found)',
  2: 'usage error, an empty or wrong database, or a target that could not be read',
})}
`;

const command: Command = {
  summary: 'scan droplets or SBOMs against an offline OSV database and/or NVD data',
  help,
  run: async (argv, io) => (await import('../scan/run.ts')).runScan(argv, io),
};
export default command;
