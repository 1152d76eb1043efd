// bpx verify: checks a droplet's signed SBOM attestation (DSSE/in-toto) against its content and a public key.
// The help is all this file holds: `bpx verify --help` loads none of what the command runs (src/cli/verify/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

const help = `Usage: bpx verify DROPLET.tgz|DIR --key PUB.pem [--json]

Finds the attestation bpx wrote at staging (app/.bpx/sbom.intoto.jsonl, else deps/<idx>/bpx/sbom.intoto.jsonl),
checks its DSSE signature with the public key, recomputes the subject digests (app/ without app/.bpx/, and each
deps/<idx>/) from the droplet (a tarball is streamed, never extracted), and checks that sbom.cdx.json and
sbom.spdx.json beside the attestation equal the signed predicates.

Options:
  --key FILE   PEM public key (Ed25519 or ECDSA P-256), as bpx keygen writes it (required)
  --json       print the outcome as JSON on stdout, whatever it is:
               {"ok", "envelopes", "subjects": [{"name", "signed", "actual"}], "failures": [{"code", "message"}],
               "issues"}; besides the signature codes (no-signature, wrong-key, sbom-tampered, subject-changed, ...)
               a failure code is unreadable (the droplet cannot be read), not-found, bad-key or usage
  -h, --help   this text

Exit codes:
${exitCodeHelp([0, 1, 2], {
  0: 'verified: the signature, the SBOM files and every subject digest hold',
  1: 'not verified, one FAIL <code>: <message> line per failure on stderr: wrong key, tampered SBOM, files added,\n       removed or changed in app/ or deps/<idx>/, no signature, or a droplet that cannot be read (not a gzip tar,\n       truncated, hostile entries)',
  2: 'usage error: a bad option, no --key, a --key that is not an Ed25519 or ECDSA P-256 public key (a private key\n       included), or a DROPLET that does not exist',
})}
`;

const command: Command = {
  summary: 'verify a droplet against its signed SBOM attestation',
  help,
  run: async (argv, io) => (await import('../verify/run.ts')).runVerify(argv, io),
};
export default command;
