// Checks of the files, keys and URLs a manifest's settings name, run by `bpx validate`, `bpx wrap` and the loader, so
// that a missing key or database fails before staging rather than turning a gate off at staging.
import { opendir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';

/** A problem with one setting: path below the setting (e.g. `['signingKey', 'file']`), message without the path. */
export interface SettingIssue {
  path: Array<string | number>;
  message: string;
  severity?: 'error' | 'warning';
}

/** What the file and key checks need to know. */
export interface CheckContext {
  /** relative paths in settings resolve here */
  manifestDir: string;
}

export function resolveIn(ctx: CheckContext, p: string): string {
  return isAbsolute(p) ? p : resolve(ctx.manifestDir, p);
}

/** A PEM private key bpx can sign with (Ed25519 or ECDSA P-256); undefined when it is one, else why not. Never quotes the key. */
export async function privateKeyProblem(file: string, shown = file): Promise<string | undefined> {
  let pem: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) return `${shown} is not a file`;
    if (st.size > 64 * 1024) return `${shown} is ${st.size} bytes: not a PEM key`;
    pem = await readFile(file);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT'
      ? `${shown} not found`
      : `${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const { createPrivateKey, createPublicKey } = await import('node:crypto');
  const text = pem.toString('latin1');
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(text) && !/PRIVATE KEY-----/.test(text)) {
    return `${shown} is a public key: signingKey needs the private key (the public one is for bpx verify --key)`;
  }
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (/PASSPHRASE/.test(code) || /ENCRYPTED/.test(text)) return `${shown} is passphrase-protected: bpx signs with an unencrypted PEM key`;
    try {
      createPublicKey(pem);
      return `${shown} is a public key or certificate: signingKey needs the private key`;
    } catch {
      return `${shown} is not a PEM private key`;
    }
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type === 'ed25519' || (type === 'ec' && curve === 'prime256v1')) return undefined;
  return `${shown} is ${type === 'ec' ? `an EC key on ${curve}` : `an ${String(type).toUpperCase()} key`}: bpx signs with Ed25519 or ECDSA P-256 (bpx keygen makes one)`;
}

/** A file that must exist (a CA bundle, a database file). */
export async function fileProblem(file: string, what: string, shown = file): Promise<string | undefined> {
  try {
    const st = await stat(file);
    return st.isFile() ? undefined : `${what} ${shown} is not a file`;
  } catch {
    return `${what} ${shown} not found`;
  }
}

const RECORD_FILE = /\.(json|ya?ml|zip)$/i;

/**
 * An OSV database: a record file, an `<Ecosystem>/all.zip`, or a folder holding at least one of them. Only the first
 * record file is looked for (a full dump holds hundreds of thousands), and at most 20,000 entries are read.
 */
export async function osvDbProblem(path: string, shown = path): Promise<string | undefined> {
  let st;
  try {
    st = await stat(path);
  } catch {
    return `${shown} not found (a folder of OSV JSON/YAML files or <Ecosystem>/all.zip files)`;
  }
  if (st.isFile()) return RECORD_FILE.test(path) ? undefined : `${shown} is not an OSV record file (.json, .yaml or .zip)`;
  if (!st.isDirectory()) return `${shown} is neither a folder nor a file`;
  const queue = [path];
  let seen = 0;
  while (queue.length && seen < 20_000) {
    const dir = queue.shift()!;
    let d;
    try {
      d = await opendir(dir);
    } catch {
      continue;
    }
    for await (const e of d) {
      seen++;
      // leaving the loop closes the folder
      if (e.isFile() && RECORD_FILE.test(e.name)) return undefined;
      if (e.isDirectory()) queue.push(resolve(dir, e.name));
      if (seen >= 20_000) break;
    }
  }
  if (seen >= 20_000) return undefined; // too big to look through here: the staging load says if it is empty
  return `${shown} holds no OSV records (no .json, .yaml or .zip file): an empty database finds nothing`;
}

/** The URL rule of src/http/url-policy.ts, as a message: https, or http to a loopback host, or http marked insecure. */
export async function urlProblem(raw: string, insecure: boolean): Promise<string | undefined> {
  const { checkHookUrl } = await import('../http/url-policy.ts');
  try {
    checkHookUrl(raw, insecure);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
