// DSSE v1 envelopes (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md) and their PAE.
import type { Signer } from './signer.ts';

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  payloadType: string;
  /** base64 (standard alphabet, padded) of the payload bytes */
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN as ASCII decimal byte counts. */
export function preAuthEncoding(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type, Buffer.from(` ${body.length} `, 'ascii'), body]);
}

export async function signEnvelope(payloadType: string, body: Buffer, signer: Signer): Promise<DsseEnvelope> {
  const sig = await signer.sign(preAuthEncoding(payloadType, body));
  return { payloadType, payload: body.toString('base64'), signatures: [{ keyid: signer.keyid, sig: sig.toString('base64') }] };
}

/** Checks the envelope's shape; returns the problem or null. */
export function envelopeShapeError(e: unknown): string | null {
  if (!e || typeof e !== 'object') return 'not a JSON object';
  const o = e as Record<string, unknown>;
  if (typeof o.payloadType !== 'string') return 'payloadType missing';
  if (typeof o.payload !== 'string') return 'payload missing';
  if (!Array.isArray(o.signatures) || o.signatures.length === 0) return 'no signatures';
  for (const s of o.signatures) {
    if (!s || typeof s !== 'object' || typeof (s as Record<string, unknown>).sig !== 'string') return 'a signature has no sig';
  }
  return null;
}
