// One HTTP/1.1 request attempt with node:http(s): direct, through an HTTP forward proxy, or an HTTPS CONNECT tunnel (RFC 9110 §9.3.6).
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ClientRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { isIP, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type AttemptErrorKind = 'connect' | 'timeout' | 'tls' | 'too-large' | 'proxy' | 'aborted';

/** A failed attempt; `retryable` tells the client whether another attempt may help. */
export class AttemptError extends Error {
  constructor(
    message: string,
    readonly kind: AttemptErrorKind,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'AttemptError';
  }
}

export interface AttemptOptions {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer;
  /** PEM CA bundle that replaces the system CAs (as curl --cacert does). */
  ca?: string;
  proxy?: URL;
  /** the whole attempt: connect, send, and read the full answer. */
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

// OpenSSL verify codes and Node's hostname check: a wrong or unknown certificate will not fix itself by retrying.
const TLS_VERIFY = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME/;

function classify(err: NodeJS.ErrnoException): AttemptError {
  const code = err.code ?? '';
  if (TLS_VERIFY.test(code)) return new AttemptError(`TLS certificate not accepted (${code}): ${err.message}`, 'tls', false);
  return new AttemptError(`connection failed: ${err.message}`, 'connect', true);
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const cred = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(cred).toString('base64')}` };
}

function targetPort(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/**
 * Every TLS connection bpx makes: the server's certificate is checked against Node's CAs plus `ca`, always. Node skips
 * the check when NODE_TLS_REJECT_UNAUTHORIZED=0 is in the environment unless told otherwise, and during a staging that
 * environment is the app's (`cf set-env`): an app must not turn off the check of an operator's compliance service.
 */
export function tlsOptions(
  host: string,
  ca: string | undefined,
): { ca: string | undefined; servername: string | undefined; rejectUnauthorized: true } {
  return { ca, servername: isIP(host) ? undefined : host, rejectUnauthorized: true };
}

/** Opens a CONNECT tunnel to url's host:port through an HTTP proxy. */
function openTunnel(url: URL, proxy: URL, onRequest: (r: ClientRequest) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = `${url.hostname}:${targetPort(url)}`;
    const req = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...proxyAuth(proxy) },
      agent: false,
    });
    onRequest(req);
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        const status = res.statusCode ?? 0;
        reject(new AttemptError(`proxy ${proxy.host} refused the tunnel: HTTP ${status}`, 'proxy', status >= 500));
        return;
      }
      resolve(socket);
    });
    req.once('error', (e) => reject(new AttemptError(`proxy ${proxy.host} unreachable: ${e.message}`, 'connect', true)));
    req.end();
  });
}

export function attempt(o: AttemptOptions): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    let done = false;
    const live: Array<{ destroy(): void }> = [];
    const finish = (err: AttemptError | null, res?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      if (err) {
        for (const x of live) x.destroy();
        reject(err);
      } else resolve(res!);
    };
    const timer = setTimeout(() => finish(new AttemptError(`no complete answer within ${o.timeoutMs} ms`, 'timeout', true)), o.timeoutMs);
    const onAbort = () => finish(new AttemptError('aborted', 'aborted', false));
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const onResponse = (res: IncomingMessage) => {
      live.push(res);
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > o.maxResponseBytes) {
        return finish(
          new AttemptError(`answer of ${declared} bytes is larger than the limit of ${o.maxResponseBytes} bytes`, 'too-large', false),
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Streaming cut-off: stop reading as soon as the bound is passed, whatever Content-Length said.
        if (size > o.maxResponseBytes) {
          finish(new AttemptError(`answer is larger than the limit of ${o.maxResponseBytes} bytes`, 'too-large', false));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(classify(e)));
      res.on('close', () => {
        if (!res.complete) finish(new AttemptError('connection closed before the answer was complete', 'connect', true));
      });
      res.on('end', () =>
        finish(null, {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks),
        }),
      );
    };

    const send = (options: RequestOptions, secure: boolean) => {
      const req = (secure ? httpsRequest : httpRequest)(options, onResponse);
      live.push(req);
      req.on('error', (e: NodeJS.ErrnoException) => finish(e instanceof AttemptError ? e : classify(e)));
      req.end(o.body);
    };

    const { url, proxy } = o;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const base: RequestOptions = {
      method: o.method,
      path: `${url.pathname}${url.search}`,
      headers: { ...o.headers, 'Content-Length': String(o.body.length) },
    };
    const secure = url.protocol === 'https:';
    if (!proxy) {
      send({ ...base, host, port: targetPort(url), agent: false, ...(secure ? tlsOptions(host, o.ca) : {}) }, secure);
    } else if (!secure) {
      // Forward proxy: absolute-form request target, never the URL's own credentials.
      send(
        {
          ...base,
          host: proxy.hostname.replace(/^\[|\]$/g, ''),
          port: Number(proxy.port || 80),
          path: `${url.protocol}//${url.host}${url.pathname}${url.search}`,
          headers: { ...base.headers, Host: url.host, ...proxyAuth(proxy) },
          agent: false,
        },
        false,
      );
    } else {
      openTunnel(url, proxy, (r) => live.push(r)).then(
        (socket) => {
          live.push(socket);
          if (done) return socket.destroy();
          send(
            {
              ...base,
              host,
              port: targetPort(url),
              createConnection: () => {
                const tls = tlsConnect({ socket, host, ...tlsOptions(host, o.ca) });
                live.push(tls);
                return tls;
              },
            },
            true,
          );
        },
        (e: AttemptError) => finish(e),
      );
    }
  });
}
