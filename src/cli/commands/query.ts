// bpx query: which droplets contain a package in a version range; which were staged with a buildpack version in a range.
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, withoutPath } from '../io.ts';
import { expandTargets, loadTarget } from '../../vuln/scan/targets.ts';
import { type PackageQuery, type QueryMatch, packageQuery, queryBuildpack, queryPackage } from '../../vuln/scan/query.ts';

const help = `Usage: bpx query TARGET... (--package PURL [--range RANGE] | --buildpack NAME [--range RANGE]) [--json]

Answers fleet questions from the SBOMs inside droplets (a droplet without one is captured), without restaging:
  bpx query droplets/ --package pkg:npm/bcrypt --range "<5.0.0"
  bpx query droplets/ --buildpack nodejs_buildpack --range "<1.9.4"

TARGET: droplet tarballs, folders searched recursively for droplets, unpacked droplet directories or SBOM
files (as bpx scan). A folder with no droplet, SBOM or package in it is an error.

Options:
  --package PURL     a package URL without version (pkg:npm/bcrypt, pkg:pypi/django,
                     pkg:maven/com.fasterxml.jackson.core/jackson-databind); a version in it means that version
  --buildpack NAME   the buildpack's key as cf buildpacks lists it (nodejs_buildpack) or its config.yml
                     name (nodejs); buildpacks come from the SBOM, else from deps/<idx>/config.yml
  --range RANGE      in the ecosystem's own syntax: npm/Cargo/Go semver ranges ("<5.0.0", "^1.2 || >=3"),
                     PEP 440 specifiers (">=1.9,<2.0"), RubyGems requirements ("~> 2.2"), Maven and NuGet
                     intervals ("[2.13.0,2.13.4.1)"), Composer constraints ("^4.1"); buildpack versions
                     use semver ranges. Without --range every version matches.
  --json             print {"matches": [{"target", "purl" | "buildpack", "version"}], "errors": [{"target",
                     "error"}]} (errors only when a target could not be read; schemas/query-report.schema.json)
  -h, --help         this text

Exit codes:
${exitCodeHelp([0, 2], { 0: 'answered (matches or not)', 2: 'usage error, a target that could not be read, or one with nothing in it' })}
`;

const command: Command = {
  summary: 'find droplets with a package or buildpack version in a range',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('query', {
      args: argv,
      options: {
        package: { type: 'string' },
        buildpack: { type: 'string' },
        range: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
    if (!positionals.length) throw new CliError('give at least one TARGET (droplet, directory or SBOM)');
    if (!values.package === !values.buildpack) throw new CliError('give exactly one of --package PURL or --buildpack NAME');
    let pq: PackageQuery | undefined;
    if (values.package) {
      try {
        pq = packageQuery(values.package, values.range);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    } else {
      try {
        queryBuildpack(
          { target: '', source: 'file', signature: '', components: [], buildpacks: [], issues: [], problems: [], notes: [] },
          values.buildpack!,
          values.range,
        );
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    }
    const rel = (p: string) => path.relative(io.cwd, p) || '.';
    const targets = await expandTargets(
      positionals.map((p) => path.resolve(io.cwd, p)),
      (dir, why) => io.stderr.write(`bpx query: warning: ${rel(dir)}: ${why}: not looked into\n`),
    );
    const matches: QueryMatch[] = [];
    const errors: Array<{ target: string; error: string }> = [];
    for (const t of targets) {
      try {
        const loaded = await loadTarget(t, { tmpDir: tmpdir() });
        // a folder with nothing to read is not "no matches": it was not looked into
        for (const p of loaded.problems) errors.push({ target: rel(t.path), error: p.message });
        const withRel = { ...loaded, target: rel(loaded.target) };
        matches.push(...(pq ? queryPackage(withRel, pq) : queryBuildpack(withRel, values.buildpack!, values.range)));
      } catch (err) {
        errors.push({ target: rel(t.path), error: withoutPath(t.path, (err as Error).message) });
      }
    }
    if (values.json) io.stdout.write(`${JSON.stringify({ matches, ...(errors.length ? { errors } : {}) }, null, 2)}\n`);
    else if (!matches.length) io.stdout.write(errors.length ? 'no matches in the targets that could be read\n' : 'no matches\n');
    else {
      const rows = matches.map((m) => [m.target, 'purl' in m ? m.purl : m.buildpack, m.version]);
      const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i === 0 ? 6 : 7));
      io.stdout.write(`${'TARGET'.padEnd(w[0]!)}  ${(pq ? 'PACKAGE' : 'BUILDPACK').padEnd(w[1]!)}  VERSION\n`);
      for (const r of rows) io.stdout.write(`${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]}\n`);
    }
    for (const e of errors) io.stderr.write(`bpx query: ${e.target}: ${e.error}\n`);
    return errors.length ? 2 : 0;
  },
};
export default command;
