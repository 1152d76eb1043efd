// What `bpx serve-signer` runs: its help and summary are in src/cli/commands/serve-signer.ts, so that `bpx serve-signer --help` loads
// none of this.
import { CliError, type Io } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { startSignerServer, loadSigningKey, type SigningKey } from '../../serve/index.ts';
import { SERVE_OPTIONS, readOptionFile, serve } from '../serve-options.ts';

export async function runServeSigner(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('serve-signer', {
    args: argv,
    options: { ...SERVE_OPTIONS, key: { type: 'string' } },
    allowPositionals: false,
  });
  if (!values.key) throw new CliError('--key KEY.pem is required (run bpx serve-signer --help)');
  const pem = await readOptionFile(io, '--key', values.key);
  if (/-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY-----/.test(pem)) {
    throw new CliError(`--key ${values.key}: a public key; the signer needs the private key (bpx keygen writes PREFIX.key)`);
  }
  let key: SigningKey;
  try {
    key = loadSigningKey(pem, values.key);
  } catch (e) {
    throw new CliError(`--key ${(e as Error).message}`);
  }
  return serve(
    io,
    'serve-signer',
    values,
    8788,
    (common) => startSignerServer({ ...common, key }),
    `bpx serve-signer: ${key.algorithm} keyid ${key.keyid}\n`,
  );
}
