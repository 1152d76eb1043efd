// bpx verify: checks a droplet's signed SBOM attestation (DSSE/in-toto) against its content and a public key.
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { type FailureCode, verifyDroplet } from '../../sbom/verify.ts';
import { readPublicKey } from '../public-key.ts';

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

type Code = FailureCode | 'not-found' | 'bad-key' | 'usage';

/** The --json document for an outcome that never reached the signature checks. */
function failed(code: Code, message: string): string {
  return `${JSON.stringify({ ok: false, envelopes: [], subjects: [], failures: [{ code, message }], issues: [] }, null, 2)}\n`;
}

const command: Command = {
  summary: 'verify a droplet against its signed SBOM attestation',
  help,
  async run(argv, io) {
    // whether to answer in JSON is known before the options are fully read: a bad option is answered in JSON too
    let json = argv.includes('--json');
    let stage: Code = 'usage';
    try {
      const { values, positionals } = parseCommandArgs('verify', {
        args: argv,
        options: { key: { type: 'string' }, json: { type: 'boolean', default: false } },
        allowPositionals: true,
      });
      json = values.json;
      if (positionals.length !== 1) throw new CliError('give one droplet tarball or directory');
      if (!values.key) throw new CliError('--key PUB.pem is required');
      const target = path.resolve(io.cwd, positionals[0]);
      stage = 'bad-key';
      const pem = await readPublicKey(path.resolve(io.cwd, values.key), values.key);
      stage = 'not-found';
      if (
        !(await stat(target).then(
          () => true,
          () => false,
        ))
      )
        throw new CliError(`${positionals[0]}: no such file or directory`);
      stage = 'unreadable';
      let result;
      try {
        result = await verifyDroplet(target, pem);
      } catch (err) {
        throw new CliError((err as Error).message, 1);
      }
      if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.ok) {
        io.stdout.write(
          `verified: ${result.envelopes.join(', ')}\n${result.subjects.map((s) => `  ${s.name} sha256:${s.signed}`).join('\n')}\n`,
        );
      }
      if (!json) for (const f of result.failures) io.stderr.write(`FAIL ${f.code}: ${f.message}\n`);
      for (const i of result.issues) if (i.severity !== 'error' && !json) io.stderr.write(`warning: ${i.path}: ${i.message}\n`);
      return result.ok ? 0 : 1;
    } catch (err) {
      // the one-line message still goes to stderr (main prints it); stdout stays one JSON document
      if (json && err instanceof CliError) io.stdout.write(failed(stage, err.message.split('\n')[0]!));
      throw err;
    }
  },
};
export default command;
