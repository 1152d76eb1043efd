// Receiver side of bpx's request authentication: Bearer token (RFC 6750) and the X-Bpx-Signature HMAC (docs/http-extensions.md).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../http/hmac.ts';

export interface AuthConfig {
  /** expected bearer token; unset = no token required. */
  token?: string;
  /** shared HMAC key; unset = no signature required. */
  hmacKey?: string;
}

export type AuthResult = { ok: true } | { ok: false; reason: string };

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

// Compare digests so neither the length nor the content of the token leaks through timing.
function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export function checkAuth(cfg: AuthConfig, headers: IncomingHttpHeaders, body: Buffer, nowSeconds: number): AuthResult {
  if (cfg.token !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
    if (!m) return { ok: false, reason: 'missing Bearer token' };
    if (!sameSecret(m[1], cfg.token)) return { ok: false, reason: 'wrong Bearer token' };
  }
  if (cfg.hmacKey !== undefined) {
    const check = verifySignature(
      cfg.hmacKey,
      { timestamp: header(headers, TIMESTAMP_HEADER), signature: header(headers, SIGNATURE_HEADER) },
      body,
      nowSeconds,
    );
    if (!check.ok) return check;
  }
  return { ok: true };
}
