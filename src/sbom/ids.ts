// Content-derived identifiers (RFC 4122 UUID layout over SHA-256) and RFC 3339 timestamps for reproducible documents.
import { createHash } from 'node:crypto';

/**
 * A UUID whose 122 free bits are the first bits of SHA-256(text); version nibble 5, variant 10xx (CycloneDX requires
 * version 1-5). The text may come in parts (hashed one after the other, as if joined).
 */
export function contentUuid(text: string | readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of typeof text === 'string' ? [text] : text) hash.update(part, 'utf8');
  const h = hash.digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Seconds since the epoch → `2024-01-02T03:04:05Z` (no fractional seconds). */
export function isoSeconds(epoch: number): string {
  return new Date(Math.floor(epoch) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** JSON as bpx writes every document: two-space indent, trailing newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
