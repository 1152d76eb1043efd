// bpx verify: checks a droplet's signed SBOM attestation (DSSE/in-toto) against its content and a public key.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { verifyDroplet } from '../../sbom/verify.ts';

const help = `Usage: bpx verify DROPLET.tgz|DIR --key PUB.pem [--json]

Finds the attestation bpx wrote at staging (app/.bpx/sbom.intoto.jsonl, else deps/<idx>/bpx/sbom.intoto.jsonl),
checks its DSSE signature with the public key, recomputes the subject digests (app/ without app/.bpx/, and each
deps/<idx>/) from the droplet (a tarball is streamed, never extracted), and checks that sbom.cdx.json and
sbom.spdx.json beside the attestation equal the signed predicates.

Exit 0 only when all of that holds; 1 with one line per failure (wrong key, tampered SBOM, files added, removed
or changed in app/ or deps/<idx>/, no signature); 2 for usage errors.

Options:
  --key FILE   PEM public key (Ed25519 or ECDSA P-256), as bpx keygen writes it (required)
  --json       print the result as JSON on stdout
  -h, --help   this text
`;

const command: Command = {
  summary: 'verify a droplet against its signed SBOM attestation',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('verify', { args: argv, options: { key: { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new CliError('give one droplet tarball or directory');
    if (!values.key) throw new CliError('--key PUB.pem is required');
    const target = path.resolve(io.cwd, positionals[0]);
    const keyFile = path.resolve(io.cwd, values.key);
    const pem = await readFile(keyFile).catch(() => null);
    if (!pem) throw new CliError(`${keyFile}: cannot read the public key`);
    if (!(await stat(target).then(() => true, () => false))) throw new CliError(`${target}: no such file or directory`);
    let result;
    try {
      result = await verifyDroplet(target, pem);
    } catch (err) {
      const msg = (err as Error).message;
      throw new CliError(msg.includes('public key') ? `${keyFile}: ${msg}` : msg, 1);
    }
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.ok) {
      io.stdout.write(`verified: ${result.envelopes.join(', ')}\n${result.subjects.map((s) => `  ${s.name} sha256:${s.signed}`).join('\n')}\n`);
    }
    if (!values.json) for (const f of result.failures) io.stderr.write(`FAIL ${f.code}: ${f.message}\n`);
    for (const i of result.issues) if (i.severity !== 'error' && !values.json) io.stderr.write(`warning: ${i.path}: ${i.message}\n`);
    return result.ok ? 0 : 1;
  },
};
export default command;
