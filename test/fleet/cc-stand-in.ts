// Loopback stand-ins for `fleet sync` tests: a Cloud Controller serving exactly the v3 endpoints the sync reads (bodies
// shaped as the v3 API documentation's examples: pagination, include=space.organization, the droplet object with
// checksum and buildpacks), a UAA token endpoint (client_credentials and refresh_token grants, JWT-shaped tokens with
// exp), and a blobstore that answers the download redirect and refuses requests carrying Authorization, as S3
// presigned URLs do.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Org {
  guid: string;
  name: string;
}
export interface Space {
  guid: string;
  name: string;
  orgGuid: string;
}
export interface App {
  guid: string;
  name: string;
  spaceGuid: string;
  lifecycle: 'buildpack' | 'cnb' | 'docker';
  state: 'STARTED' | 'STOPPED';
  updatedAt: string;
  labels?: Record<string, string>;
  /** the current droplet (null: none) */
  dropletGuid: string | null;
}
export interface Droplet {
  guid: string;
  appGuid: string;
  state: string;
  lifecycle: 'buildpack' | 'cnb' | 'docker';
  /** sha256 of `bits` unless `wrongChecksum` */
  checksum?: { type: 'sha256' | 'sha1'; value: string };
  buildpacks: Array<{ name: string; buildpack_name: string | null; detect_output: string | null; version: string | null }>;
  stack: string | null;
  image: string | null;
  createdAt: string;
  /** the tarball; undefined: the bits are gone (the download endpoint answers 404) */
  bits?: Buffer;
}
export interface Buildpack {
  guid: string;
  name: string;
  stack: string | null;
  position: number;
  filename: string | null;
  lifecycle: 'buildpack' | 'cnb';
  updatedAt: string;
}
export interface Stack {
  guid: string;
  name: string;
  description: string;
}

export interface Foundation {
  orgs: Org[];
  spaces: Space[];
  apps: App[];
  droplets: Map<string, Droplet>;
  buildpacks: Buildpack[];
  stacks: Stack[];
}

export interface StandInOptions {
  /** the largest page the stand-in answers (the real API allows 5,000; small pages make pagination testable) */
  maxPerPage: number;
  /** the UAA client accepted for client_credentials */
  client?: { id: string; secret: string };
  /** refresh tokens accepted (client `cf`, empty secret, as the cf CLI sends) */
  refreshTokens?: Set<string>;
  /** lifetime of the access tokens UAA issues, in seconds */
  tokenTtl?: number;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A JWT-shaped token (header.claims.signature, base64url) with `exp`: what UAA issues and what bpx decodes. */
export function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ jti: randomUUID(), ...claims })}.${Buffer.from(randomUUID()).toString('base64url')}`;
}

export interface Recorded {
  method: string;
  path: string;
  authorization?: string;
  status: number;
}

/** A request as a log keeps it (its status set when answered), appended to the log. */
function recordIn(log: Recorded[], req: IncomingMessage, url: URL): Recorded {
  const rec: Recorded = {
    method: req.method ?? '',
    path: url.pathname,
    status: 0,
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  };
  log.push(rec);
  return rec;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'application/xml' : 'application/json', ...headers });
  res.end(text);
}

const v3error = (status: number, title: string, detail: string) => ({
  errors: [{ detail, title, code: status === 401 ? 1000 : status === 404 ? 10010 : 10008 }],
});

export class StandIn {
  cc!: { server: Server; url: string };
  uaa!: { server: Server; url: string };
  blob!: { server: Server; url: string };
  /** every request each server saw */
  readonly ccLog: Recorded[] = [];
  readonly uaaLog: Array<{ grant: string; client: string; status: number }> = [];
  readonly blobLog: Recorded[] = [];
  /** tokens CC accepts (issued by the UAA stand-in or given by the test) */
  readonly valid = new Set<string>();
  /** fault injection, set by the tests */
  faults = {
    /** answers 429 with this Retry-After (seconds) to the next N GET /v3/droplets?guids= */
    droplets429: 0,
    retryAfter: '1',
    /** after this many authenticated CC requests, every token issued so far is expired (401) */
    expireAfter: Infinity,
    /** droplets whose blob answers with these bytes instead (a corrupt tarball) */
    corrupt: new Set<string>(),
    /** ms the blobstore waits before each download */
    blobDelayMs: 0,
  };
  private authed = 0;

  constructor(
    readonly f: Foundation,
    readonly o: StandInOptions,
  ) {}

  static async start(f: Foundation, o: StandInOptions): Promise<StandIn> {
    const s = new StandIn(f, o);
    s.uaa = await listen((req, res) => s.onUaa(req, res));
    s.blob = await listen((req, res) => s.onBlob(req, res));
    s.cc = await listen((req, res) => s.onCc(req, res));
    return s;
  }

  async close(): Promise<void> {
    await Promise.all(
      [this.cc, this.uaa, this.blob].map(
        (x) =>
          new Promise<void>((r) => {
            x.server.closeAllConnections();
            x.server.close(() => r());
          }),
      ),
    );
  }

  /** Every token issued so far expires after `n` more authenticated requests to CC. */
  expireAfterNext(n: number): void {
    this.faults.expireAfter = this.authed + n;
  }

  /** A token CC accepts, valid for `ttl` seconds (negative: already expired). */
  issue(ttl = this.o.tokenTtl ?? 600): string {
    const t = jwt({ exp: Math.floor(Date.now() / 1000) + ttl, scope: ['cloud_controller.admin_read_only'] });
    if (ttl > 0) this.valid.add(t);
    return t;
  }

  /** Requests to CC by kind (the path without query): `/v3/apps`, `/v3/droplets`, `download`, `current_droplet`... */
  ccCalls(kind: string): number {
    return this.ccLog.filter((r) => kindOf(r.path) === kind).length;
  }

  private async onUaa(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const c of req) body += c;
    const form = new URLSearchParams(body);
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const [id, secret] = basic.split(':').map((x) => decodeURIComponent(x ?? ''));
    const grant = form.get('grant_type') ?? '';
    const ok = (status: number, doc: unknown) => {
      this.uaaLog.push({ grant, client: id ?? '', status });
      send(res, status, doc);
    };
    if (req.method !== 'POST' || !req.url?.startsWith('/oauth/token')) return ok(404, { error: 'not_found' });
    if (grant === 'client_credentials') {
      if (!this.o.client || id !== this.o.client.id || secret !== this.o.client.secret)
        return ok(401, { error: 'unauthorized', error_description: 'Bad credentials' });
      return ok(200, {
        access_token: this.issue(),
        token_type: 'bearer',
        expires_in: this.o.tokenTtl ?? 600,
        scope: 'cloud_controller.admin_read_only',
        jti: randomUUID(),
      });
    }
    if (grant === 'refresh_token') {
      if (id !== 'cf' || secret !== '') return ok(401, { error: 'unauthorized', error_description: 'Bad credentials' });
      const rt = form.get('refresh_token') ?? '';
      if (!this.o.refreshTokens?.has(rt)) return ok(401, { error: 'invalid_token', error_description: 'Invalid refresh token' });
      return ok(200, {
        access_token: this.issue(),
        token_type: 'bearer',
        refresh_token: rt,
        expires_in: this.o.tokenTtl ?? 600,
        jti: randomUUID(),
      });
    }
    return ok(400, { error: 'unsupported_grant_type' });
  }

  private async onBlob(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.blob.url);
    const rec = recordIn(this.blobLog, req, url);
    // S3 refuses a presigned URL sent with another authentication: "Only one auth mechanism allowed"
    if (req.headers.authorization) {
      rec.status = 400;
      return send(
        res,
        400,
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>',
      );
    }
    const guid = /^\/droplets\/([^/]+)$/.exec(url.pathname)?.[1] ?? '';
    const d = this.f.droplets.get(guid);
    if (!d?.bits || !url.searchParams.get('X-Amz-Signature')) {
      rec.status = 404;
      return send(res, 404, '<Error><Code>NoSuchKey</Code></Error>');
    }
    if (this.faults.blobDelayMs) await new Promise((r) => setTimeout(r, this.faults.blobDelayMs));
    const bits = this.faults.corrupt.has(guid)
      ? Buffer.concat([d.bits.subarray(0, 20), Buffer.from('this is no tar stream at all'.repeat(200))])
      : d.bits;
    rec.status = 200;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bits.length) });
    // in slices, so that a large droplet really streams
    for (let i = 0; i < bits.length; i += 64 * 1024) {
      if (!res.write(bits.subarray(i, i + 64 * 1024))) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }

  private page<T>(req: URL, items: T[], present: (x: T) => unknown, extra?: (items: T[]) => Record<string, unknown>) {
    const per = Math.min(Number(req.searchParams.get('per_page') ?? 50), this.o.maxPerPage);
    const page = Math.max(1, Number(req.searchParams.get('page') ?? 1));
    const pages = Math.max(1, Math.ceil(items.length / per));
    const at = (p: number) => {
      const u = new URL(req.toString());
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(per));
      return { href: `${this.cc.url}${u.pathname}${u.search}` };
    };
    const slice = items.slice((page - 1) * per, page * per);
    return {
      pagination: {
        total_results: items.length,
        total_pages: pages,
        first: at(1),
        last: at(pages),
        next: page < pages ? at(page + 1) : null,
        previous: page > 1 ? at(page - 1) : null,
      },
      resources: slice.map(present),
      ...(extra ? { included: extra(slice) } : {}),
    };
  }

  private onCc(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.cc.url);
    const rec = recordIn(this.ccLog, req, url);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      send(res, status, body, headers);
    };
    const base = this.cc.url;
    if (url.pathname === '/') {
      return reply(200, {
        links: {
          self: { href: base },
          cloud_controller_v2: { href: `${base}/v2`, meta: { version: '2.250.0' } },
          cloud_controller_v3: { href: `${base}/v3`, meta: { version: '3.185.0' } },
          network_policy_v0: { href: `${base}/networking/v0/external` },
          network_policy_v1: { href: `${base}/networking/v1/external` },
          login: { href: this.uaa.url },
          uaa: { href: this.uaa.url },
          credhub: null,
          routing: { href: `${base}/routing` },
          logging: { href: 'wss://doppler.example.local:443' },
          log_cache: { href: 'https://log-cache.example.local' },
          log_stream: { href: 'https://log-stream.example.local' },
          app_ssh: {
            href: 'ssh.example.local:2222',
            meta: { host_key_fingerprint: 'Y411oivJwZCUQnXHq83mdM5SKCK4ftyoSXI31RRe4Zs', oauth_client: 'ssh-proxy' },
          },
        },
      });
    }
    const token = (req.headers.authorization ?? '').replace(/^bearer\s+/i, '');
    this.authed++;
    if (this.authed > this.faults.expireAfter) {
      // the tokens issued so far expire now; the next ones are good
      this.valid.clear();
      this.faults.expireAfter = Infinity;
    }
    if (!token || !this.valid.has(token)) return reply(401, v3error(401, 'CF-InvalidAuthToken', 'Invalid Auth Token'));
    const f = this.f;
    const spaceOf = (g: string) => f.spaces.find((s) => s.guid === g);
    let m: RegExpExecArray | null;
    if (url.pathname === '/v3/apps') {
      let apps = [...f.apps];
      const sel = url.searchParams.get('label_selector');
      if (sel) {
        const reqs = sel.split(',').map((r) => r.split('='));
        apps = apps.filter((a) => reqs.every(([k, v]) => a.labels?.[k!] === v));
      }
      const include = url.searchParams.get('include');
      return reply(
        200,
        this.page(
          url,
          apps,
          (a) => presentApp(base, a),
          include === 'space.organization'
            ? (slice) => {
                const spaces = [...new Set(slice.map((a) => a.spaceGuid))].map((g) => spaceOf(g)!).filter(Boolean);
                const orgs = [...new Set(spaces.map((s) => s.orgGuid))].map((g) => f.orgs.find((o) => o.guid === g)!).filter(Boolean);
                return { spaces: spaces.map((s) => presentSpace(base, s)), organizations: orgs.map((o) => presentOrg(base, o)) };
              }
            : undefined,
        ),
      );
    }
    if ((m = /^\/v3\/apps\/([^/]+)\/relationships\/current_droplet$/.exec(url.pathname))) {
      const app = f.apps.find((a) => a.guid === m![1]);
      if (!app) return reply(404, v3error(404, 'CF-ResourceNotFound', 'App not found'));
      return reply(200, {
        data: app.dropletGuid ? { guid: app.dropletGuid } : null,
        links: {
          self: { href: `${base}/v3/apps/${app.guid}/relationships/current_droplet` },
          related: { href: `${base}/v3/apps/${app.guid}/droplets/current` },
        },
      });
    }
    if ((m = /^\/v3\/apps\/([^/]+)\/droplets\/current$/.exec(url.pathname))) {
      // what a one-call-per-app listing asks (`cf curl /v3/apps/GUID/droplets/current`): the bench compares with it
      const app = f.apps.find((a) => a.guid === m![1]);
      const d = app?.dropletGuid ? f.droplets.get(app.dropletGuid) : undefined;
      if (!d) return reply(404, v3error(404, 'CF-ResourceNotFound', 'Droplet not found'));
      return reply(200, presentDroplet(base, d));
    }
    if (url.pathname === '/v3/droplets') {
      if (this.faults.droplets429 > 0) {
        this.faults.droplets429--;
        return reply(429, v3error(429, 'CF-RateLimitExceeded', 'Rate Limit Exceeded'), { 'Retry-After': this.faults.retryAfter });
      }
      const guids = (url.searchParams.get('guids') ?? '').split(',').filter(Boolean);
      const list = guids.length ? guids.map((g) => f.droplets.get(g)).filter((d): d is Droplet => !!d) : [...f.droplets.values()];
      return reply(
        200,
        this.page(url, list, (d) => presentDroplet(base, d)),
      );
    }
    if ((m = /^\/v3\/droplets\/([^/]+)\/download$/.exec(url.pathname))) {
      const d = f.droplets.get(m[1]!);
      if (!d || !d.bits) return reply(404, v3error(404, 'CF-ResourceNotFound', 'Droplet not found'));
      // a presigned URL: the signature in the query, no header wanted
      const sig = createHash('sha256').update(`${d.guid}${Date.now()}`).digest('hex');
      rec.status = 302;
      res.writeHead(302, {
        Location: `${this.blob.url}/droplets/${d.guid}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=${sig}`,
        'Content-Type': 'application/json',
      });
      return void res.end();
    }
    if (url.pathname === '/v3/buildpacks')
      return reply(
        200,
        this.page(
          url,
          [...f.buildpacks].sort((a, b) => a.position - b.position),
          (b) => presentBuildpack(base, b),
        ),
      );
    if (url.pathname === '/v3/stacks')
      return reply(
        200,
        this.page(url, f.stacks, (s) => presentStack(base, s)),
      );
    return reply(404, v3error(404, 'CF-NotFound', 'Unknown request'));
  }
}

export function kindOf(p: string): string {
  if (/\/relationships\/current_droplet$/.test(p)) return 'current_droplet';
  if (/\/download$/.test(p)) return 'download';
  return p;
}

const T = '2026-01-01T00:00:00Z';

function presentApp(base: string, a: App) {
  return {
    guid: a.guid,
    created_at: T,
    updated_at: a.updatedAt,
    name: a.name,
    state: a.state,
    lifecycle:
      a.lifecycle === 'docker'
        ? { type: 'docker', data: {} }
        : {
            type: a.lifecycle,
            data: { buildpacks: a.lifecycle === 'cnb' ? ['docker://paketobuildpacks/nodejs'] : ['nodejs_buildpack'], stack: 'cflinuxfs4' },
          },
    relationships: { space: { data: { guid: a.spaceGuid } } },
    metadata: { labels: a.labels ?? {}, annotations: {} },
    links: {
      self: { href: `${base}/v3/apps/${a.guid}` },
      environment_variables: { href: `${base}/v3/apps/${a.guid}/environment_variables` },
      space: { href: `${base}/v3/spaces/${a.spaceGuid}` },
      processes: { href: `${base}/v3/apps/${a.guid}/processes` },
      packages: { href: `${base}/v3/apps/${a.guid}/packages` },
      current_droplet: { href: `${base}/v3/apps/${a.guid}/droplets/current` },
      droplets: { href: `${base}/v3/apps/${a.guid}/droplets` },
      tasks: { href: `${base}/v3/apps/${a.guid}/tasks` },
      start: { href: `${base}/v3/apps/${a.guid}/actions/start`, method: 'POST' },
      stop: { href: `${base}/v3/apps/${a.guid}/actions/stop`, method: 'POST' },
      revisions: { href: `${base}/v3/apps/${a.guid}/revisions` },
      deployed_revisions: { href: `${base}/v3/apps/${a.guid}/revisions/deployed` },
      features: { href: `${base}/v3/apps/${a.guid}/features` },
    },
  };
}

function presentSpace(base: string, s: Space) {
  return {
    guid: s.guid,
    created_at: T,
    updated_at: T,
    name: s.name,
    relationships: { organization: { data: { guid: s.orgGuid } }, quota: { data: null } },
    metadata: { labels: {}, annotations: {} },
    links: { self: { href: `${base}/v3/spaces/${s.guid}` }, organization: { href: `${base}/v3/organizations/${s.orgGuid}` } },
  };
}

function presentOrg(base: string, o: Org) {
  return {
    guid: o.guid,
    created_at: T,
    updated_at: T,
    name: o.name,
    suspended: false,
    relationships: { quota: { data: { guid: 'b7887f5c-34bb-40c5-9778-577572e4fb2d' } } },
    metadata: { labels: {}, annotations: {} },
    links: { self: { href: `${base}/v3/organizations/${o.guid}` }, domains: { href: `${base}/v3/organizations/${o.guid}/domains` } },
  };
}

function presentDroplet(base: string, d: Droplet) {
  const buildpackish = d.lifecycle !== 'docker';
  return {
    guid: d.guid,
    state: d.state,
    error: null,
    lifecycle: { type: d.lifecycle, data: {} },
    execution_metadata: '',
    process_types: { web: 'npm start' },
    checksum: buildpackish ? (d.checksum ?? null) : null,
    buildpacks: buildpackish ? d.buildpacks : null,
    stack: buildpackish ? d.stack : null,
    image: d.lifecycle === 'docker' ? d.image : null,
    created_at: d.createdAt,
    updated_at: d.createdAt,
    relationships: { app: { data: { guid: d.appGuid } } },
    links: {
      self: { href: `${base}/v3/droplets/${d.guid}` },
      package: { href: `${base}/v3/packages/8222f76a-9e09-4360-b3aa-1ed329945e92` },
      app: { href: `${base}/v3/apps/${d.appGuid}` },
      assign_current_droplet: { href: `${base}/v3/apps/${d.appGuid}/relationships/current_droplet`, method: 'PATCH' },
      download: { href: `${base}/v3/droplets/${d.guid}/download` },
    },
    metadata: { labels: {}, annotations: {} },
  };
}

function presentBuildpack(base: string, b: Buildpack) {
  return {
    guid: b.guid,
    created_at: T,
    updated_at: b.updatedAt,
    name: b.name,
    state: 'READY',
    filename: b.filename,
    stack: b.stack,
    position: b.position,
    lifecycle: b.lifecycle,
    enabled: true,
    locked: false,
    metadata: { labels: {}, annotations: {} },
    links: {
      self: { href: `${base}/v3/buildpacks/${b.guid}` },
      upload: { href: `${base}/v3/buildpacks/${b.guid}/upload`, method: 'POST' },
    },
  };
}

function presentStack(base: string, s: Stack) {
  return {
    guid: s.guid,
    created_at: T,
    updated_at: T,
    name: s.name,
    description: s.description,
    build_rootfs_image: s.name,
    run_rootfs_image: s.name,
    default: s.name === 'cflinuxfs4',
    metadata: { labels: {}, annotations: {} },
    links: { self: { href: `${base}/v3/stacks/${s.guid}` } },
  };
}
