// Local PEM keys for DSSE: Ed25519 (raw signatures) and ECDSA P-256 (DER signatures over SHA-256), via node:crypto.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { Signer } from './signer.ts';

export type KeyType = 'ed25519' | 'ecdsa-p256';

/** keyid = lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo (`openssl pkey -pubin -outform DER | sha256sum`). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function keyTypeOf(key: KeyObject): KeyType {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  throw new Error(
    `unsupported key type ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}: use Ed25519 or ECDSA P-256`,
  );
}

/** `read(pem)`; when the PEM does not read, an Error saying `message` (never quoting the key). */
function readPem(read: (pem: string | Buffer) => KeyObject, pem: string | Buffer, message: string): KeyObject {
  try {
    return read(pem);
  } catch {
    throw new Error(message);
  }
}

/** A Signer from a PEM private key (PKCS#8 or SEC1). The error never quotes the key. */
export function createLocalSigner(pem: string | Buffer): Signer {
  const key = readPem(createPrivateKey, pem, 'the signing key is not a readable PEM private key');
  const type = keyTypeOf(key);
  const keyid = keyIdOf(createPublicKey(key));
  return {
    keyid,
    async sign(pae: Buffer): Promise<Buffer> {
      return type === 'ed25519' ? sign(null, pae, key) : sign('sha256', pae, { key, dsaEncoding: 'der' });
    },
  };
}

export interface PublicKeyInfo {
  key: KeyObject;
  type: KeyType;
  keyid: string;
}

export function loadPublicKey(pem: string | Buffer): PublicKeyInfo {
  const key = readPem(createPublicKey, pem, 'not a readable PEM public key');
  return { key, type: keyTypeOf(key), keyid: keyIdOf(key) };
}

export function verifySignature(pub: PublicKeyInfo, pae: Buffer, sig: Buffer): boolean {
  try {
    return pub.type === 'ed25519' ? verify(null, pae, pub.key, sig) : verify('sha256', pae, { key: pub.key, dsaEncoding: 'der' }, sig);
  } catch {
    return false;
  }
}

/** A new key pair as PEM: PKCS#8 private, SPKI public. */
export function generateKeyPair(type: KeyType): { privatePem: string; publicPem: string; keyid: string } {
  const { privateKey, publicKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    keyid: keyIdOf(publicKey),
  };
}
