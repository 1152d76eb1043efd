// OWASP Dependency-Track's BOM upload (PUT /api/v1/bom, JSON body with the BOM in base64; BOM_UPLOAD permission, and
// PROJECT_CREATION_UPLOAD for autoCreate). It answers a token for the asynchronous processing.
import { setTimeout as sleep } from 'node:timers/promises';
import { attempt, AttemptError } from '../../http/request.ts';
import { proxyFor } from '../../http/proxy.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter } from '../../http/retry.ts';
import { displayUrl, redact } from '../../http/redact.ts';
import { USER_AGENT } from '../../http/user-agent.ts';

/** Dependency-Track refuses a `bom` value longer than this on PUT (its API documentation); POST multipart has no such limit. */
export const DT_PUT_MAX_BOM_CHARS = 20_000_000;

/** `https://dt.example.com` or `https://dt.example.com/api` → `.../api/v1/bom`; a URL already ending in /api/v1/bom stays. */
export function bomEndpoint(base: URL): URL {
  const u = new URL(base.toString());
  const p = u.pathname.replace(/\/+$/, '');
  u.pathname = /\/api\/v1\/bom$/.test(p) ? p : /\/api$/.test(p) ? `${p}/v1/bom` : `${p}/api/v1/bom`;
  return u;
}

export interface UploadOptions {
  endpoint: URL;
  apiKey: string;
  projectName: string;
  projectVersion: string;
  /** the CycloneDX JSON text */
  bom: string;
  env?: Readonly<Record<string, string | undefined>>;
  ca?: string;
  timeoutMs?: number;
  retries?: number;
  /** tests: no waiting between attempts */
  random?: () => number;
}

export interface Uploaded {
  /** the processing token Dependency-Track answered (absent when it answered none) */
  token?: string;
  status: number;
  attempts: number;
}

/** Why an upload failed; `fatal` when no later upload can succeed either (the key is refused). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly fatal = false,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

function snippet(body: Buffer): string {
  const t = body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ').trim();
  return t ? `: ${t}${body.length > 200 ? '…' : ''}` : '';
}

/** PUTs one BOM with autoCreate; retries 429 and 5xx (honouring Retry-After) and connection failures. */
export async function uploadBom(o: UploadOptions): Promise<Uploaded> {
  const bom = Buffer.from(o.bom, 'utf8').toString('base64');
  const body = Buffer.from(JSON.stringify({ projectName: o.projectName, projectVersion: o.projectVersion, autoCreate: true, bom }));
  const where = displayUrl(o.endpoint);
  const safe = (s: string) => redact(s, [o.apiKey]);
  const retries = o.retries ?? 3;
  const random = o.random ?? Math.random;
  const proxy = proxyFor(o.endpoint, o.env ?? {});
  let last = '';
  for (let n = 0; ; n++) {
    let retryAfter: number | undefined;
    try {
      const res = await attempt({
        url: o.endpoint,
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': USER_AGENT, 'X-Api-Key': o.apiKey },
        body,
        ...(o.ca ? { ca: o.ca } : {}),
        ...(proxy ? { proxy } : {}),
        timeoutMs: o.timeoutMs ?? 60_000,
        maxResponseBytes: 1024 * 1024,
      });
      if (res.status >= 200 && res.status < 300) {
        let token: string | undefined;
        try {
          const j = JSON.parse(res.body.toString('utf8')) as { token?: unknown };
          if (typeof j.token === 'string') token = j.token;
        } catch {
          // a 2xx without JSON: uploaded, no token to follow
        }
        return { ...(token ? { token } : {}), status: res.status, attempts: n + 1 };
      }
      const text = snippet(res.body);
      switch (res.status) {
        case 401:
          throw new UploadError(safe(`${where} answered 401 Unauthorized: the API key was refused${text}`), 401, true);
        case 403:
          throw new UploadError(
            safe(
              `${where} answered 403 Forbidden: the key lacks BOM_UPLOAD on this project (or PROJECT_CREATION_UPLOAD to create it)${text}`,
            ),
            403,
          );
        case 404:
          throw new UploadError(safe(`${where} answered 404: the project does not exist and was not created${text}`), 404);
        case 413:
          throw new UploadError(
            safe(
              `${where} answered 413 Payload Too Large: the request (${body.length} bytes, the BOM ${bom.length} base64 characters) is over the server's limit${text}`,
            ),
            413,
          );
      }
      if (!isRetryableStatus(res.status)) throw new UploadError(safe(`${where} answered HTTP ${res.status}${text}`), res.status);
      last = `HTTP ${res.status}${text}`;
      const ra = res.headers['retry-after'];
      retryAfter = parseRetryAfter(Array.isArray(ra) ? ra[0] : ra, Date.now());
    } catch (e) {
      if (e instanceof UploadError) throw e;
      if (!(e instanceof AttemptError) || !e.retryable) throw new UploadError(safe(`${where}: ${(e as Error).message}`));
      last = e.message;
    }
    if (n >= retries) throw new UploadError(safe(`${where}: gave up after ${n + 1} attempts; last: ${last}`));
    await sleep(Math.min(retryAfter ?? backoffMs(n, random), 30_000));
  }
}
