// The public key given to `--key` (bpx verify, bpx scan): read and checked once, refused with one line naming the file
// when it is unreadable, a private key (it would verify nothing it should), another algorithm, or not a key at all.
import { readFile, stat } from 'node:fs/promises';
import { CliError } from './io.ts';
import { loadPublicKey } from '../sbom/sign/keys.ts';
import { describeFsError } from '../platform/fs-error.ts';

/** Bytes of a PEM public key bpx can verify with; a CliError (usage, exit 2) otherwise. `shown` is the path as given. */
export async function readPublicKey(file: string, shown = file): Promise<Buffer> {
  const st = await stat(file).catch((err: unknown) => {
    throw new CliError(`--key ${shown}: cannot read the public key (${describeFsError(err)})`);
  });
  if (st.isDirectory()) throw new CliError(`--key ${shown}: is a folder, not a public key file`);
  if (st.size > 64 * 1024) throw new CliError(`--key ${shown}: ${st.size} bytes is not a PEM public key`);
  const pem = await readFile(file).catch((err: unknown) => {
    throw new CliError(`--key ${shown}: cannot read the public key (${describeFsError(err)})`);
  });
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem.toString('latin1'))) {
    throw new CliError(`--key ${shown}: a private key; give the public key (bpx keygen writes both, PREFIX.pub is the public one)`);
  }
  try {
    loadPublicKey(pem);
  } catch (e) {
    throw new CliError(`--key ${shown}: ${(e as Error).message}`);
  }
  return pem;
}
