// Bearer tokens for the Cloud Controller: a token given as is, the cf CLI's config.json (AccessToken, RefreshToken,
// refreshed at UAA as the CLI does), or a UAA client's client_credentials grant (RFC 6749 §4.4, §6).
import { redact } from '../../http/redact.ts';
import { fetchBuffered, type HttpSettings } from './http.ts';

/** Authentication failed: no retry helps (the message names what to do, never a secret). */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

export interface TokenSource {
  /** where the token comes from, for messages: "--token-env CF_TOKEN", "~/.cf/config.json", "UAA client bpx-fleet" */
  readonly describe: string;
  /** a token believed valid (refreshed first when it expires within a minute and a refresh is possible) */
  token(): Promise<string>;
  /**
   * A new token after the Cloud Controller refused `rejected` (the token that request carried); when another request
   * already replaced that token, the newer one. Concurrent callers share one refresh. Throws AuthError when none can be had.
   */
  refresh(rejected?: string): Promise<string>;
  /** every secret this source holds, to keep out of logs and messages */
  secrets(): string[];
}

/** `bearer eyJ...` → `eyJ...` (the cf CLI stores the token with its type). */
const bare = (t: string) => t.replace(/^bearer\s+/i, '').trim();

/** The `exp` claim of a JWT in ms since the epoch; undefined when the token is not a JWT or has none. */
export function jwtExpiry(token: string): number | undefined {
  const part = bare(token).split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const EARLY_MS = 60_000;

/** fn, called by many at once, runs once: they all get its one result. */
function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () =>
    (running ??= fn().finally(() => {
      running = undefined;
    }));
}

export interface UaaTokenRequest {
  /** the UAA (or login server) base URL; `/oauth/token` is appended */
  uaa: URL;
  clientId: string;
  clientSecret: string;
  /** form fields besides the client's: grant_type and its parameters */
  form: Record<string, string>;
  http: HttpSettings;
}

/** POSTs a token request (client authenticated with HTTP Basic, as UAA wants) and returns access and refresh tokens. */
export async function requestToken(r: UaaTokenRequest): Promise<{ access: string; refresh?: string }> {
  const url = new URL(`${r.uaa.toString().replace(/\/+$/, '')}/oauth/token`);
  const secrets = [
    r.clientSecret,
    ...Object.entries(r.form)
      .filter(([k]) => k !== 'grant_type')
      .map(([, v]) => v),
  ];
  const safe = (s: string) => redact(s, secrets);
  const body = Buffer.from(new URLSearchParams(r.form).toString());
  const basic = Buffer.from(`${encodeURIComponent(r.clientId)}:${encodeURIComponent(r.clientSecret)}`).toString('base64');
  let res;
  try {
    res = await fetchBuffered(url, { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' }, r.http, {
      method: 'POST',
      body,
      maxBytes: 1024 * 1024,
    });
  } catch (e) {
    throw new AuthError(safe(`cannot reach UAA at ${url.origin}: ${(e as Error).message}`));
  }
  let doc: { access_token?: unknown; refresh_token?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    doc = JSON.parse(res.body.toString('utf8'));
  } catch {
    // an answer that is no JSON is reported by status below
  }
  if (res.status !== 200 || typeof doc.access_token !== 'string') {
    const why =
      typeof doc.error === 'string'
        ? `${doc.error}${typeof doc.error_description === 'string' ? `: ${doc.error_description}` : ''}`
        : `HTTP ${res.status}`;
    throw new AuthError(safe(`UAA at ${url.origin} refused the ${r.form.grant_type} grant for client ${r.clientId} (${why})`));
  }
  return { access: doc.access_token, ...(typeof doc.refresh_token === 'string' ? { refresh: doc.refresh_token } : {}) };
}

/** A token given as is (`--token-env NAME`, what `cf oauth-token` prints): it cannot be refreshed. */
export function givenToken(value: string, describe: string): TokenSource {
  const token = bare(value);
  return {
    describe,
    token: async () => token,
    refresh: async () => {
      throw new AuthError(
        `the Cloud Controller refused the token from ${describe} (expired or revoked): give a fresh one (cf oauth-token), or use a UAA client (--client-id, --client-secret-env)`,
      );
    },
    secrets: () => [token, value],
  };
}

/** The UAA URL is asked for only when a token must be fetched: the API root names it (links.uaa, links.login). */
export type UaaLocator = () => Promise<URL>;

/** A UAA client with the client_credentials grant (for nightly jobs): a token is fetched at start and when refused. */
export function clientCredentials(
  clientId: string,
  clientSecret: string,
  uaa: UaaLocator,
  http: HttpSettings,
  now: () => number = Date.now,
): TokenSource {
  let current: string | undefined;
  const fetch = singleFlight(async () => {
    current = (await requestToken({ uaa: await uaa(), clientId, clientSecret, form: { grant_type: 'client_credentials' }, http })).access;
    return current;
  });
  return {
    describe: `UAA client ${clientId}`,
    async token() {
      const exp = current ? jwtExpiry(current) : undefined;
      if (!current || (exp !== undefined && exp - now() < EARLY_MS)) return fetch();
      return current;
    },
    refresh: async (rejected) => (rejected && current && rejected !== current ? current : fetch()),
    secrets: () => [clientSecret, ...(current ? [current] : [])],
  };
}

/** What bpx reads of the cf CLI's `~/.cf/config.json` (its own field names). */
export interface CfConfig {
  AccessToken?: string;
  RefreshToken?: string;
  Target?: string;
  UAAEndpoint?: string;
  AuthorizationEndpoint?: string;
  UAAOAuthClient?: string;
  UAAOAuthClientSecret?: string;
}

/**
 * The cf CLI's login: its access token, refreshed with its refresh token (client `cf`, empty secret, as the CLI does)
 * when it has expired or the Cloud Controller refuses it. The refreshed token is kept in memory: config.json is not
 * rewritten.
 */
export function cfConfigToken(config: CfConfig, uaa: UaaLocator, http: HttpSettings, now: () => number = Date.now): TokenSource {
  let current = config.AccessToken ? bare(config.AccessToken) : undefined;
  let refreshToken = config.RefreshToken;
  const clientId = config.UAAOAuthClient || 'cf';
  const clientSecret = config.UAAOAuthClientSecret ?? '';
  const refresh = singleFlight(async () => {
    if (!refreshToken)
      throw new AuthError('the cf CLI login in ~/.cf/config.json has expired and holds no refresh token: run cf login again');
    let got;
    try {
      got = await requestToken({
        uaa: await uaa(),
        clientId,
        clientSecret,
        form: { grant_type: 'refresh_token', refresh_token: refreshToken },
        http,
      });
    } catch (e) {
      throw new AuthError(`${(e as Error).message}: the cf CLI login has expired, run cf login again`);
    }
    current = got.access;
    if (got.refresh) refreshToken = got.refresh;
    return current;
  });
  return {
    describe: '~/.cf/config.json',
    async token() {
      const exp = current ? jwtExpiry(current) : undefined;
      if (!current || (exp !== undefined && exp - now() < EARLY_MS)) return refresh();
      return current;
    },
    refresh: async (rejected) => (rejected && current && rejected !== current ? current : refresh()),
    secrets: () =>
      [current, refreshToken, config.RefreshToken, config.AccessToken ? bare(config.AccessToken) : undefined, clientSecret].filter(
        (s): s is string => !!s,
      ),
  };
}
