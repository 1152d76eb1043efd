// bpx keygen: a new Ed25519 or ECDSA P-256 key pair as PEM (PKCS#8 private, mode 0600; SPKI public).
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { generateKeyPair, type KeyType } from '../../sbom/sign/keys.ts';
import { describeFsError } from '../../platform/fs-error.ts';
import { AtomicWriteError, writeFilesAtomic } from '../../fs/atomic-write.ts';

const help = `Usage: bpx keygen --type ed25519|ecdsa-p256 -o PREFIX [--force]

Writes a new signing key pair for builtin:sbom and bpx verify:
  PREFIX.key   the private key, PEM PKCS#8, file mode 0600 (keep it off the droplet)
  PREFIX.pub   the public key, PEM SubjectPublicKeyInfo (give it to verifiers)
and prints the keyid (hex SHA-256 of the public key's DER SubjectPublicKeyInfo).
A PREFIX that ends in / or names a folder writes bpx.key and bpx.pub in that folder; missing folders
are created. Both files are written, or neither.

ECDSA P-256 signatures are randomised (a fresh nonce each time, as OpenSSL and cosign make them):
signing the same SBOM twice gives two different valid signatures. Ed25519 signatures are
deterministic; use Ed25519 when signed droplets must be byte-identical.

Options:
  --type TYPE          ed25519 (default) or ecdsa-p256
  -o, --output PREFIX  path prefix of the two files (required)
  --force              overwrite existing files
  -h, --help           this text
`;

const command: Command = {
  summary: 'create an Ed25519 or ECDSA P-256 signing key pair',
  help,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      'keygen',
      {
        args: argv,
        // --out: the spelling before -o/--output became every command's, still accepted
        options: {
          type: { type: 'string', default: 'ed25519' },
          output: { type: 'string', short: 'o' },
          out: { type: 'string' },
          force: { type: 'boolean', default: false },
        },
        allowPositionals: false,
      },
      ['out'],
    );
    const type = values.type as string;
    if (type !== 'ed25519' && type !== 'ecdsa-p256') throw new CliError(`--type must be ed25519 or ecdsa-p256, got ${type}`);
    const given = values.output ?? values.out;
    if (!given) throw new CliError('-o PREFIX is required (for example -o keys/bpx)');
    const asked = path.resolve(io.cwd, given);
    const folder =
      /[/\\]$/.test(given) ||
      (await stat(asked).then(
        (s) => s.isDirectory(),
        () => false,
      ));
    const prefix = folder ? path.join(asked, 'bpx') : asked;
    const keyFile = `${prefix}.key`;
    const pubFile = `${prefix}.pub`;
    for (const f of [keyFile, pubFile]) {
      const st = await stat(f).catch(() => undefined);
      if (st?.isDirectory()) throw new CliError(`${f} is a folder; choose another -o PREFIX`, 1);
      if (st && !values.force) throw new CliError(`${f} exists; use --force to overwrite`, 1);
    }
    const dir = path.dirname(prefix);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      // EEXIST: a file sits where a folder must be
      const why = (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'not a directory' : describeFsError(err);
      throw new CliError(`cannot create the folder ${dir}: ${why}`, 1);
    }
    const pair = generateKeyPair(type as KeyType);
    await writePair(keyFile, pair.privatePem, pubFile, pair.publicPem);
    io.stdout.write(`${keyFile}\n${pubFile}\nkeyid ${pair.keyid}\n`);
    return 0;
  },
};
export default command;

/** Both files or neither (src/fs/atomic-write.ts): a private key without its public key, or beside an old one, is no use. */
async function writePair(keyFile: string, keyPem: string, pubFile: string, pubPem: string): Promise<void> {
  try {
    await writeFilesAtomic([
      { path: keyFile, data: keyPem, mode: 0o600 },
      { path: pubFile, data: pubPem, mode: 0o644 },
    ]);
  } catch (err) {
    if (!(err instanceof AtomicWriteError)) throw err;
    const removed = err.removed.length ? ` (${err.removed.join(', ')} removed again)` : '';
    throw new CliError(`cannot write ${err.file}: ${describeFsError(err.cause)}${removed}; no key pair written`, 1);
  }
}
