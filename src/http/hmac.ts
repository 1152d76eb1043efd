// The bpx request signature: X-Bpx-Signature = "sha256=" + hex(HMAC-SHA256(key, "<X-Bpx-Timestamp>.<raw body>")).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-bpx-timestamp';
export const SIGNATURE_HEADER = 'x-bpx-signature';
/** Receivers reject timestamps further than this from their clock (replay window). */
export const MAX_SKEW_SECONDS = 300;

/** "sha256=<64 hex>" for a timestamp (unix seconds, decimal string) and the exact body bytes sent. */
export function signBody(key: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', key);
  mac.update(`${timestamp}.`);
  mac.update(body);
  return `sha256=${mac.digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks the two headers against the body; `nowSeconds` is injected so tests can move the clock. */
export function verifySignature(
  key: string,
  headers: { timestamp?: string; signature?: string },
  body: Buffer,
  nowSeconds: number,
  maxSkewSeconds = MAX_SKEW_SECONDS,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing X-Bpx-Timestamp or X-Bpx-Signature header' };
  // Only plain decimal seconds: "1732406400"; no signs, no fractions, so "<ts>." cannot be ambiguous.
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'X-Bpx-Timestamp is not unix seconds' };
  if (Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) {
    return { ok: false, reason: `X-Bpx-Timestamp is more than ${maxSkewSeconds}s from the receiver's clock (stale or replayed)` };
  }
  const expected = Buffer.from(signBody(key, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'X-Bpx-Signature does not match the body' };
  }
  return { ok: true };
}
