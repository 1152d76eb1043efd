// bpx keygen: a new Ed25519 or ECDSA P-256 key pair as PEM (PKCS#8 private, mode 0600; SPKI public).
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { generateKeyPair, type KeyType } from '../../sbom/sign/keys.ts';
import { writeFileAtomic } from '../../sbom/write-file.ts';

const help = `Usage: bpx keygen --type ed25519|ecdsa-p256 -o PREFIX [--force]

Writes a new signing key pair for builtin:sbom and bpx verify:
  PREFIX.key   the private key, PEM PKCS#8, file mode 0600 (keep it off the droplet)
  PREFIX.pub   the public key, PEM SubjectPublicKeyInfo (give it to verifiers)
and prints the keyid (hex SHA-256 of the public key's DER SubjectPublicKeyInfo).

Options:
  --type TYPE     ed25519 (default) or ecdsa-p256
  -o, --out PREFIX  path prefix of the two files (required)
  --force         overwrite existing files
  -h, --help      this text
`;

const command: Command = {
  summary: 'create an Ed25519 or ECDSA P-256 signing key pair',
  help,
  async run(argv, io) {
    const { values } = parseCommandArgs('keygen', { args: argv, options: { type: { type: 'string', default: 'ed25519' }, out: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } }, allowPositionals: false });
    const type = values.type as string;
    if (type !== 'ed25519' && type !== 'ecdsa-p256') throw new CliError(`--type must be ed25519 or ecdsa-p256, got ${type}`);
    if (!values.out) throw new CliError('-o PREFIX is required');
    const prefix = path.resolve(io.cwd, values.out);
    const keyFile = `${prefix}.key`;
    const pubFile = `${prefix}.pub`;
    if (!values.force) {
      for (const f of [keyFile, pubFile]) {
        if (await stat(f).then(() => true, () => false)) throw new CliError(`${f} exists; use --force to overwrite`, 1);
      }
    }
    const pair = generateKeyPair(type as KeyType);
    try {
      await mkdir(path.dirname(prefix), { recursive: true });
      await writeFileAtomic(keyFile, pair.privatePem, 0o600);
      await writeFileAtomic(pubFile, pair.publicPem, 0o644);
    } catch (err) {
      throw new CliError(`cannot write ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 1);
    }
    io.stdout.write(`${keyFile}\n${pubFile}\nkeyid ${pair.keyid}\n`);
    return 0;
  },
};
export default command;
