// bpx sbom: captures an app directory or droplet and writes its CycloneDX 1.6 or SPDX 2.3 SBOM.
// The help is all this file holds: `bpx sbom --help` loads none of what the command runs (src/cli/sbom/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

const help = `Usage: bpx sbom DIR|DROPLET.tgz [--format cyclonedx|spdx] [-o FILE] [--include-dev] [--max-file-bytes SIZE]

Captures the dependencies of an app directory, an extracted droplet, or a droplet tarball downloaded from
Cloud Controller, and writes one SBOM: CycloneDX 1.6 JSON (default) or SPDX 2.3 JSON.

A droplet is always captured fresh (an SBOM already inside it is neither trusted nor copied; use bpx verify for
that). Its buildpacks come from deps/<idx>/config.yml. The app name and ids come from VCAP_APPLICATION, the stack
from CF_STACK, when set.

Time: SOURCE_DATE_EPOCH (seconds) when set; otherwise the document carries no wall-clock time (CycloneDX omits
metadata.timestamp; SPDX, where it is required, says 1970-01-01T00:00:00Z). Same input, same bytes.

Complete or not: anything a package manager would have read and was not (a file over the size bound, a link out of
the folder, an unreadable file or directory, a package.json whose dependencies nothing pins) is listed on stderr and
in the document, which then says the capture is incomplete. So does a folder with nothing to capture.

Options:
  --format F     cyclonedx (default) or spdx
  -o, --output FILE  write to FILE atomically (default: stdout); missing folders are created
  --include-dev  keep dev-scoped packages (scope "excluded" in CycloneDX)
  --max-file-bytes SIZE  read lockfiles and manifests up to SIZE bytes (a number, or with k, m or g; default 64m)
  -h, --help     this text
Exit codes:
${exitCodeHelp([0, 1, 2], { 0: 'written (an incomplete capture is said inside the document and warned about on stderr)', 1: 'unreadable input' })}
`;

const command: Command = {
  summary: 'write the CycloneDX or SPDX SBOM of an app directory or droplet',
  help,
  run: async (argv, io) => (await import('../sbom/run.ts')).runSbom(argv, io),
};
export default command;
