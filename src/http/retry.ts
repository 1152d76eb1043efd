// Retry policy of the bpx HTTP client: exponential backoff with full jitter; Retry-After (RFC 9110 §10.2.3) honoured.

/** Which HTTP statuses are worth another attempt: 429 and every 5xx; never other 4xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After as milliseconds from now: "120" (seconds) or an HTTP-date; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Delay before attempt `attempt + 1` (attempt counts from 0): random in [base·2^attempt / 2, base·2^attempt], capped. */
export function backoffMs(attempt: number, random: () => number, baseMs = 250, capMs = 8000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
