// Digests from lockfiles: Subresource Integrity strings (https://www.w3.org/TR/SRI/) and `<alg>:<hex>` forms, as CycloneDX hashes.
import type { Hash, HashAlg } from './component.ts';

const ALGS: Record<string, HashAlg> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  'sha-1': 'SHA-1',
  sha256: 'SHA-256',
  'sha-256': 'SHA-256',
  sha384: 'SHA-384',
  'sha-384': 'SHA-384',
  sha512: 'SHA-512',
  'sha-512': 'SHA-512',
};

/** 'sha512-z4Pz...==' (npm integrity, may hold several space-separated) → [{alg: 'SHA-512', value: hex}]. */
export function fromIntegrity(integrity: string | undefined): Hash[] {
  if (!integrity) return [];
  const out: Hash[] = [];
  for (const part of integrity.trim().split(/\s+/)) {
    const m = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)$/.exec(part);
    if (!m) continue;
    out.push({ alg: ALGS[m[1]], value: Buffer.from(m[2], 'base64').toString('hex') });
  }
  return out;
}

/** 'sha256:abcd…' or ('sha256', 'abcd…') → {alg: 'SHA-256', value: 'abcd…'}; undefined for unknown algorithms or non-hex values. */
export function fromHex(algOrPrefixed: string, hex?: string): Hash | undefined {
  let alg = algOrPrefixed;
  let value = hex;
  if (value === undefined) {
    const i = algOrPrefixed.search(/[:=]/);
    if (i < 0) return undefined;
    alg = algOrPrefixed.slice(0, i);
    value = algOrPrefixed.slice(i + 1);
  }
  const a = ALGS[alg.toLowerCase()];
  if (!a || !/^[0-9a-fA-F]+$/.test(value)) return undefined;
  return { alg: a, value: value.toLowerCase() };
}
