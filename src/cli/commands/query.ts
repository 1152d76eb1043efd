// bpx query: which droplets contain a package in a version range; which were staged with a buildpack version in a range.
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { expandTargets, loadTarget } from '../../vuln/scan/targets.ts';
import { type PackageQuery, type QueryMatch, packageQuery, queryBuildpack, queryPackage } from '../../vuln/scan/query.ts';

const help = `Usage: bpx query TARGET... (--package PURL [--range RANGE] | --buildpack NAME [--range RANGE]) [--json]

Answers fleet questions from the SBOMs inside droplets (a droplet without one is captured), without restaging:
  bpx query droplets/ --package pkg:npm/bcrypt --range "<5.0.0"
  bpx query droplets/ --buildpack nodejs_buildpack --range "<1.9.4"

TARGET: droplet tarballs, directories of droplets, unpacked droplet directories or SBOM files (as bpx scan).

Options:
  --package PURL     a package URL without version (pkg:npm/bcrypt, pkg:pypi/django,
                     pkg:maven/com.fasterxml.jackson.core/jackson-databind); a version in it means that version
  --buildpack NAME   the buildpack's key as cf buildpacks lists it (nodejs_buildpack) or its config.yml
                     name (nodejs); buildpacks come from the SBOM, else from deps/<idx>/config.yml
  --range RANGE      in the ecosystem's own syntax: npm/Cargo/Go semver ranges ("<5.0.0", "^1.2 || >=3"),
                     PEP 440 specifiers (">=1.9,<2.0"), RubyGems requirements ("~> 2.2"), Maven and NuGet
                     intervals ("[2.13.0,2.13.4.1)"), Composer constraints ("^4.1"); buildpack versions
                     use semver ranges. Without --range every version matches.
  --json             print {"matches": [{"target", "purl" | "buildpack", "version"}]}
                     (schemas/query-report.schema.json)
  -h, --help         this text

Exit status: 0 (matches or not); 2 usage error or a target that could not be read.
`;

const command: Command = {
  summary: 'find droplets with a package or buildpack version in a range',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('query', {
      args: argv,
      options: { package: { type: 'string' }, buildpack: { type: 'string' }, range: { type: 'string' }, json: { type: 'boolean', default: false } },
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
        queryBuildpack({ target: '', source: 'file', signature: '', components: [], buildpacks: [], issues: [] }, values.buildpack!, values.range);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
    }
    const { targets, errors } = await expandTargets(positionals.map((p) => path.resolve(io.cwd, p)));
    const rel = (p: string) => path.relative(io.cwd, p) || '.';
    const matches: QueryMatch[] = [];
    for (const t of targets) {
      try {
        const loaded = await loadTarget(t, { tmpDir: tmpdir() });
        const withRel = { ...loaded, target: rel(loaded.target) };
        matches.push(...(pq ? queryPackage(withRel, pq) : queryBuildpack(withRel, values.buildpack!, values.range)));
      } catch (err) {
        errors.push(`${rel(t.path)}: ${(err as Error).message}`);
      }
    }
    if (values.json) io.stdout.write(`${JSON.stringify({ matches }, null, 2)}\n`);
    else if (!matches.length) io.stdout.write('no matches\n');
    else {
      const rows = matches.map((m) => [m.target, 'purl' in m ? m.purl : m.buildpack, m.version]);
      const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i === 0 ? 6 : 7));
      io.stdout.write(`${'TARGET'.padEnd(w[0]!)}  ${(pq ? 'PACKAGE' : 'BUILDPACK').padEnd(w[1]!)}  VERSION\n`);
      for (const r of rows) io.stdout.write(`${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]}\n`);
    }
    for (const e of errors) io.stderr.write(`bpx query: ${e}\n`);
    return errors.length ? 2 : 0;
  },
};
export default command;
