// POST with bearer token, HMAC signature, per-request timeout, total deadline and retries (the bpx HTTP client, docs/http-extensions.md).
import { setTimeout as sleep } from 'node:timers/promises';
import { attempt, AttemptError, type RawResponse } from './request.ts';
import { proxyFor } from './proxy.ts';
import { signBody, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './hmac.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter } from './retry.ts';
import { displayUrl, redact } from './redact.ts';
import { USER_AGENT } from './user-agent.ts';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_RETRIES = 3;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface PostOptions {
  /** already checked by checkHookUrl (https, loopback or insecure). */
  url: URL;
  body: Buffer;
  contentType?: string;
  token?: string;
  hmacKey?: string;
  /** PEM bundle replacing the system CAs. */
  ca?: string;
  /** the environment proxies are read from (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  env?: Readonly<Record<string, string | undefined>>;
  /** total deadline over all attempts and waits. */
  timeoutMs: number;
  requestTimeoutMs?: number;
  /** attempts after the first one. */
  retries?: number;
  maxResponseBytes?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** injected clock and randomness (tests); default Date.now / Math.random. */
  now?: () => number;
  random?: () => number;
}

export interface PostResult {
  response: RawResponse;
  attempts: number;
}

/** The client's failure: the message is safe to log (no token, key, URL credentials or query). */
export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

function snippet(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ').trim();
  return text ? `: ${text}${body.length > 200 ? '…' : ''}` : '';
}

export async function postWithRetries(o: PostOptions): Promise<PostResult> {
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const secrets = [o.token, o.hmacKey, o.url.password, o.url.username ? decodeURIComponent(o.url.username) : undefined];
  const safe = (s: string) => redact(s, secrets);
  const where = displayUrl(o.url);
  const retries = o.retries ?? DEFAULT_RETRIES;
  const perRequest = o.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxBytes = o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const deadline = now() + o.timeoutMs;
  let proxy: URL | undefined;
  try {
    proxy = proxyFor(o.url, o.env ?? {});
  } catch (e) {
    throw new HttpFailure((e as Error).message);
  }

  let last = '';
  for (let n = 0; ; n++) {
    const remaining = deadline - now();
    if (remaining <= 0)
      throw new HttpFailure(safe(`${where}: deadline of ${o.timeoutMs} ms passed after ${n} attempt(s)${last ? `; last: ${last}` : ''}`));
    // Sign each attempt afresh: the timestamp must be current for the receiver's replay window.
    const headers: Record<string, string> = {
      'Content-Type': o.contentType ?? 'application/json',
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (o.hmacKey) {
      const ts = String(Math.floor(now() / 1000));
      headers[TIMESTAMP_HEADER] = ts;
      headers[SIGNATURE_HEADER] = signBody(o.hmacKey, ts, o.body);
    }
    let retryAfter: number | undefined;
    try {
      const response = await attempt({
        url: o.url,
        method: 'POST',
        headers,
        body: o.body,
        ca: o.ca,
        proxy,
        timeoutMs: Math.max(1, Math.min(perRequest, remaining)),
        maxResponseBytes: maxBytes,
        signal: o.signal,
      });
      const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      if (response.status >= 200 && response.status < 300) return { response, attempts: n + 1 };
      if (!isRetryableStatus(response.status)) {
        throw new HttpFailure(safe(`${where} answered ${status} (not retried)${snippet(response.body)}`), response.status);
      }
      last = `${status}${snippet(response.body)}`;
      const ra = response.headers['retry-after'];
      retryAfter = parseRetryAfter(Array.isArray(ra) ? ra[0] : ra, now());
    } catch (e) {
      if (e instanceof HttpFailure) throw e;
      if (!(e instanceof AttemptError)) throw new HttpFailure(safe(`${where}: ${(e as Error).message}`));
      if (!e.retryable) throw new HttpFailure(safe(`${where}: ${e.message}`));
      last = e.message;
    }
    if (n >= retries) throw new HttpFailure(safe(`${where}: gave up after ${n + 1} attempt(s); last: ${last}`));
    const wait = retryAfter ?? backoffMs(n, random);
    const left = deadline - now();
    if (wait >= left) {
      const why = retryAfter !== undefined ? `Retry-After asks for ${Math.ceil(wait / 1000)} s` : `next retry is due in ${wait} ms`;
      throw new HttpFailure(safe(`${where}: ${why} but the deadline of ${o.timeoutMs} ms leaves ${Math.max(0, left)} ms; last: ${last}`));
    }
    o.log?.(safe(`attempt ${n + 1} failed (${last.slice(0, 120)}); retrying in ${(wait / 1000).toFixed(1)} s`));
    try {
      await sleep(wait, undefined, { signal: o.signal });
    } catch {
      throw new HttpFailure(`${where}: aborted`);
    }
  }
}
