// What `bpx keygen` runs: its help and summary are in src/cli/commands/keygen.ts, so that `bpx keygen --help` loads
// none of this.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, type Io } from '../io.ts';
import { generateKeyPair, type KeyType } from '../../sbom/sign/keys.ts';
import { describeFsError } from '../../platform/fs-error.ts';
import { AtomicWriteError, writeFilesAtomic } from '../../fs/atomic-write.ts';

export async function runKeygen(argv: string[], io: Io): Promise<number> {
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
}
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
