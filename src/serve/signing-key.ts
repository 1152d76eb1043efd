// A PEM private key for the reference signing service, with the same types, signature formats and keyid as local signing (src/sbom/sign/keys.ts).
import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { keyIdOf, keyTypeOf, type KeyType } from '../sbom/sign/keys.ts';

export interface SigningKey {
  algorithm: KeyType;
  /** lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo (as keyIdOf). */
  keyid: string;
  /** SPKI PEM of the public half (for verifiers). */
  publicKeyPem: string;
  /** Ed25519: raw 64-byte signature; ECDSA P-256: DER signature over SHA-256(data). */
  sign(data: Buffer): Buffer;
}

/** Loads a PKCS#8 / SEC1 PEM private key; the error names the file, never the key material. */
export function loadSigningKey(pem: string, file: string, passphrase?: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (e) {
    throw new Error(`${file}: not a readable PEM private key (${(e as { code?: string }).code ?? 'parse error'})`);
  }
  let algorithm: KeyType;
  try {
    algorithm = keyTypeOf(key);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const pub = createPublicKey(key);
  return {
    algorithm,
    keyid: keyIdOf(pub),
    publicKeyPem: pub.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (d) => (algorithm === 'ed25519' ? sign(null, d, key) : sign('sha256', d, { key, dsaEncoding: 'der' })),
  };
}
