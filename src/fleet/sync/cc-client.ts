// A Cloud Controller v3 API client for `fleet sync`: bearer auth (one refresh on 401), 429 and 5xx retried with backoff
// honouring Retry-After, paginated lists followed through pagination.next.href, and droplet downloads whose redirect
// to the blobstore is followed without the Authorization header (as presigned S3 URLs require).
import { setTimeout as delay } from 'node:timers/promises';
import { AttemptError } from '../../http/request.ts';
import { displayUrl, redact } from '../../http/redact.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter } from '../../http/retry.ts';
import { AuthError, type TokenSource } from './auth.ts';
import { fetchBuffered, type HttpSettings, openStream, smallText, type StreamedResponse } from './http.ts';

/** A request that failed for good; `status` when the server answered. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  /** the API's base URL (https://api.sys.example.com) */
  api: URL;
  auth: TokenSource;
  http: HttpSettings;
  /** attempts after the first for 429, 5xx and network failures */
  retries?: number;
  /** the longest Retry-After honoured; a longer one is cut to this */
  maxWaitMs?: number;
  log?: (line: string) => void;
  /** tests: randomness of the backoff and the sleep */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A v3 list page: `pagination.next.href` and the resources; `included` when the request asked for it. */
export interface Page<T> {
  pagination?: { total_results?: number; next?: { href?: string } | null };
  resources?: T[];
  included?: Record<string, unknown[]>;
}

export class CcClient {
  /** API requests made (JSON and download requests to the Cloud Controller; blobstore requests not counted), by kind */
  readonly calls = new Map<string, number>();
  private readonly retries: number;
  private readonly maxWait: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(readonly o: ClientOptions) {
    this.retries = o.retries ?? 5;
    this.maxWait = o.maxWaitMs ?? 120_000;
    this.sleep = o.sleep ?? ((ms) => delay(ms));
    this.random = o.random ?? Math.random;
  }

  get totalCalls(): number {
    let n = 0;
    for (const v of this.calls.values()) n += v;
    return n;
  }

  private count(kind: string): void {
    this.calls.set(kind, (this.calls.get(kind) ?? 0) + 1);
  }

  /** Messages never carry a token, a secret or a query string (presigned URLs hold signatures there). */
  safe(text: string): string {
    return redact(text, this.o.auth.secrets());
  }

  /** `/v3/apps?x=1` or an absolute href the API gave; an absolute URL elsewhere than the API is refused (the token stays home). */
  private resolve(pathOrHref: string): URL {
    const u = new URL(pathOrHref, this.o.api);
    if (u.origin !== this.o.api.origin)
      throw new ApiError(`the API pointed at ${u.origin}, not ${this.o.api.origin}: not followed with the token`);
    return u;
  }

  private async wait(n: number, retryAfter: number | undefined, what: string, last: string): Promise<void> {
    const ms = retryAfter !== undefined ? Math.min(retryAfter, this.maxWait) : backoffMs(n, this.random, 500, 30_000);
    this.o.log?.(this.safe(`${what}: ${last}; retrying in ${(ms / 1000).toFixed(1)} s (attempt ${n + 2} of ${this.retries + 1})`));
    await this.sleep(ms);
  }

  /** The API root (`GET /`): links to the v3 API, UAA and the login server. No token is sent. */
  async root(): Promise<{ links: Record<string, { href?: string } | undefined> }> {
    return (await this.json('/', 'root', false)) as { links: Record<string, { href?: string } | undefined> };
  }

  /** One JSON document; `kind` names the endpoint in the call counts. */
  async get<T>(pathOrHref: string, kind: string): Promise<T> {
    return (await this.json(pathOrHref, kind, true)) as T;
  }

  private async json(pathOrHref: string, kind: string, auth: boolean): Promise<unknown> {
    const url = this.resolve(pathOrHref);
    const where = displayUrl(url);
    let refreshed = false;
    let last = '';
    for (let n = 0; ; n++) {
      const used = auth ? await this.o.auth.token() : '';
      const headers: Record<string, string> = auth ? { Authorization: `bearer ${used}` } : {};
      this.count(kind);
      let retryAfter: number | undefined;
      try {
        const res = await fetchBuffered(url, headers, this.o.http);
        if (res.status === 200) {
          try {
            return JSON.parse(res.body.toString('utf8'));
          } catch {
            throw new ApiError(`${where} answered 200 with a body that is not JSON`);
          }
        }
        const text = res.body.toString('utf8', 0, Math.min(res.body.length, 300)).replace(/\s+/g, ' ').trim();
        if (res.status === 401 && auth) {
          if (refreshed)
            throw new AuthError(
              this.safe(
                `${where} answered 401 again after a token refresh (${this.o.auth.describe}): the token is not accepted${text ? `: ${text}` : ''}`,
              ),
            );
          refreshed = true;
          await this.o.auth.refresh(used);
          n--;
          continue;
        }
        if (res.status === 403)
          throw new AuthError(
            this.safe(
              `${where} answered 403: ${this.o.auth.describe} may not read this (the sync needs admin read-only or global auditor)`,
            ),
          );
        if (!isRetryableStatus(res.status))
          throw new ApiError(this.safe(`${where} answered HTTP ${res.status}${text ? `: ${text}` : ''}`), res.status);
        last = `HTTP ${res.status}`;
        const ra = res.headers['retry-after'];
        retryAfter = parseRetryAfter(Array.isArray(ra) ? ra[0] : ra, Date.now());
      } catch (e) {
        if (e instanceof ApiError || e instanceof AuthError) throw e;
        if (!(e instanceof AttemptError) || !e.retryable) throw new ApiError(this.safe(`${where}: ${(e as Error).message}`));
        last = e.message;
      }
      if (n >= this.retries) throw new ApiError(this.safe(`${where}: gave up after ${n + 1} attempts; last: ${last}`));
      await this.wait(n, retryAfter, where, last);
    }
  }

  /** Every resource of a list, page after page (pagination.next.href), with the `included` resources of all pages. */
  async list<T>(path: string, kind: string): Promise<{ resources: T[]; included: Record<string, unknown[]>; pages: number }> {
    const resources: T[] = [];
    const included: Record<string, unknown[]> = {};
    let next: string | undefined = path;
    let pages = 0;
    while (next) {
      const page: Page<T> = await this.get<Page<T>>(next, kind);
      pages++;
      resources.push(...(page.resources ?? []));
      for (const [k, v] of Object.entries(page.included ?? {})) (included[k] ??= []).push(...(Array.isArray(v) ? v : []));
      next = page.pagination?.next?.href ?? undefined;
    }
    return { resources, included, pages };
  }

  /**
   * `GET /v3/droplets/:guid/download`, following up to 5 redirects WITHOUT the Authorization header, and the answering
   * response with its body unread. 429 and 5xx (at the API or the blobstore) are retried, honouring Retry-After; a 401
   * from the API refreshes the token once. Anything else throws an ApiError saying what answered.
   */
  async download(guid: string): Promise<StreamedResponse> {
    const start = this.resolve(`/v3/droplets/${encodeURIComponent(guid)}/download`);
    let refreshed = false;
    let last = '';
    for (let n = 0; ; n++) {
      let url = start;
      let retryAfter: number | undefined;
      try {
        for (let hop = 0; ; hop++) {
          const toApi = url.origin === this.o.api.origin && hop === 0;
          if (toApi) this.count('droplet-download');
          const used = toApi ? await this.o.auth.token() : '';
          const headers: Record<string, string> = toApi ? { Authorization: `bearer ${used}` } : {};
          const res = await openStream(url, headers, this.o.http);
          const where = hop === 0 ? displayUrl(url) : `the blobstore (${displayUrl(url)})`;
          if (res.status >= 300 && res.status < 400 && res.headers.location) {
            res.body.resume();
            if (hop >= 5) throw new ApiError(`${displayUrl(start)}: more than 5 redirects`);
            url = new URL(res.headers.location, url);
            if (url.protocol !== 'https:' && url.protocol !== 'http:')
              throw new ApiError(`${displayUrl(start)}: redirected to a ${url.protocol} URL`);
            continue;
          }
          if (res.status === 200) return res;
          const text = (await smallText(res.body, 300)).replace(/\s+/g, ' ').trim();
          if (res.status === 401 && toApi) {
            if (refreshed) throw new AuthError(this.safe(`${where} answered 401 again after a token refresh (${this.o.auth.describe})`));
            refreshed = true;
            await this.o.auth.refresh(used);
            n--;
            break;
          }
          if (res.status === 404)
            throw new ApiError(this.safe(`${where} answered 404: the droplet's bits are gone (deleted or expired)`), 404);
          if (!isRetryableStatus(res.status))
            throw new ApiError(this.safe(`${where} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`), res.status);
          last = `${where} answered HTTP ${res.status}`;
          const ra = res.headers['retry-after'];
          retryAfter = parseRetryAfter(Array.isArray(ra) ? ra[0] : ra, Date.now());
          break;
        }
        if (!last) continue;
      } catch (e) {
        if (e instanceof ApiError || e instanceof AuthError) throw e;
        if (!(e instanceof AttemptError) || !e.retryable) throw new ApiError(this.safe(`${displayUrl(url)}: ${(e as Error).message}`));
        last = `${displayUrl(url)}: ${e.message}`;
      }
      if (n >= this.retries) throw new ApiError(this.safe(`droplet ${guid}: gave up after ${n + 1} attempts; last: ${last}`));
      await this.wait(n, retryAfter, `droplet ${guid}`, last);
      last = '';
    }
  }
}
