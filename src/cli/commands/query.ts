// bpx query: which droplets contain a package in a version range; which were staged with a buildpack version in a range.
// The help is all this file holds: `bpx query --help` loads none of what the command runs (src/cli/query/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

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
  run: async (argv, io) => (await import('../query/run.ts')).runQuery(argv, io),
};
export default command;
