// A DSSE Signer backed by a remote signing service (schemas/sign-request.schema.json, schemas/sign-response.schema.json): the private key never enters staging.
import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { Ajv } from 'ajv';
import responseSchema from '../../../schemas/sign-response.schema.json' with { type: 'json' };
import type { Signer } from './signer.ts';
import { checkHookUrl } from '../../http/url-policy.ts';
import { postWithRetries } from '../../http/client.ts';
import { displayUrl } from '../../http/redact.ts';
import { formatAjvErrors } from '../../http/schema-errors.ts';

export interface RemoteSignerOptions {
  url: string;
  /** bearer token value (the caller resolves `token: {env: NAME}`). */
  token?: string;
  /** HMAC key value for X-Bpx-Signature. */
  hmacKey?: string;
  /** absolute path of a PEM CA bundle that replaces the system CAs. */
  caFile?: string;
  insecure?: boolean;
  /** total deadline for one signature, retries included (default 30 s). */
  timeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
  /** for HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  env?: Readonly<Record<string, string | undefined>>;
  /** SPKI PEM: when given, the returned signature is checked before it is used. */
  publicKeyPem?: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * The keyid is what the service answered for the last signature ('' before the first sign()): read it after sign(),
 * as DSSE envelopes are built (sign first, then write {keyid, sig}).
 */
export function createRemoteSigner(opts: RemoteSignerOptions): Signer {
  let url: URL;
  try {
    url = checkHookUrl(opts.url, opts.insecure ?? false);
  } catch (e) {
    throw new Error(`signingKey.http ${(e as Error).message}`);
  }
  let ca: string | undefined;
  if (opts.caFile) {
    try {
      ca = readFileSync(opts.caFile, 'utf8');
    } catch (e) {
      throw new Error(`signingKey caFile: cannot read ${opts.caFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const pub = opts.publicKeyPem ? createPublicKey(opts.publicKeyPem) : undefined;
  let keyid = '';
  let validate: ReturnType<Ajv['compile']> | undefined;
  const where = displayUrl(url);
  return {
    get keyid() {
      return keyid;
    },
    async sign(pae: Buffer): Promise<Buffer> {
      const { response } = await postWithRetries({
        url,
        body: Buffer.from(JSON.stringify({ version: 1, pae: pae.toString('base64') })),
        token: opts.token,
        hmacKey: opts.hmacKey,
        ca,
        env: opts.env,
        timeoutMs: opts.timeoutMs ?? 30_000,
        requestTimeoutMs: opts.requestTimeoutMs,
        retries: opts.retries,
        maxResponseBytes: 64 * 1024,
        signal: opts.signal,
        log: opts.log,
      });
      let json: unknown;
      try {
        json = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new Error(`signing service ${where} answered with a body that is not JSON`);
      }
      validate ??= new Ajv({ allErrors: true, strict: false }).compile(responseSchema);
      if (!validate(json)) throw new Error(`signing service ${where}: ${formatAjvErrors('answer', validate.errors)}`);
      const r = json as { keyid: string; sig: string };
      const sig = Buffer.from(r.sig, 'base64');
      if (pub) {
        const ok =
          pub.asymmetricKeyType === 'ed25519' ? verify(null, pae, pub, sig) : verify('sha256', pae, { key: pub, dsaEncoding: 'der' }, sig);
        if (!ok) throw new Error(`signing service ${where} returned a signature that does not verify with the configured public key`);
      }
      keyid = r.keyid;
      return sig;
    },
  };
}
