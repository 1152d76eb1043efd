// HTTP for `fleet sync`: JSON GETs (buffered, through the bpx request attempt) and streamed GETs that follow redirects
// by hand, so that a 302 to the blobstore never carries the Cloud Controller's Authorization header (RFC 9110 §15.4).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AttemptError, attempt, tlsOptions, type RawResponse } from '../../http/request.ts';
import { proxyFor } from '../../http/proxy.ts';
import { USER_AGENT } from '../../http/user-agent.ts';

export interface HttpSettings {
  /** the environment proxies are read from (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); JSON requests only */
  env: Readonly<Record<string, string | undefined>>;
  /** PEM bundle replacing the system CAs */
  ca?: string;
  /** one JSON request, connect to last byte */
  timeoutMs: number;
  /** a download may take as long as it needs, but not stall for longer than this between two chunks */
  idleMs: number;
}

/** One buffered GET (or form POST) answer; network failures throw AttemptError (retryable or not). */
export function fetchBuffered(
  url: URL,
  headers: Record<string, string>,
  s: HttpSettings,
  opts: { method?: 'GET' | 'POST'; body?: Buffer; maxBytes?: number } = {},
): Promise<RawResponse> {
  const proxy = proxyFor(url, s.env);
  return attempt({
    url,
    method: opts.method ?? 'GET',
    headers: { 'User-Agent': USER_AGENT, Accept: 'application/json', ...headers },
    body: opts.body ?? Buffer.alloc(0),
    ...(s.ca ? { ca: s.ca } : {}),
    ...(proxy ? { proxy } : {}),
    timeoutMs: s.timeoutMs,
    maxResponseBytes: opts.maxBytes ?? 64 * 1024 * 1024,
  });
}

export interface StreamedResponse {
  status: number;
  headers: IncomingMessage['headers'];
  /** the body, not yet read; destroy it when it is not wanted */
  body: IncomingMessage;
  /** the URL that answered (after redirects) */
  url: URL;
}

/**
 * One GET whose body is handed over unread. No redirect is followed here: the caller decides which headers go to the
 * next location. A stall of `idleMs` without a byte destroys the response with an AttemptError (retryable).
 */
export function openStream(url: URL, headers: Record<string, string>, s: HttpSettings): Promise<StreamedResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const req = (secure ? httpsRequest : httpRequest)(
      {
        method: 'GET',
        host,
        port: Number(url.port || (secure ? 443 : 80)),
        path: `${url.pathname}${url.search}`,
        headers: { 'User-Agent': USER_AGENT, ...headers },
        agent: false,
        ...(secure ? tlsOptions(host, s.ca) : {}),
      },
      (res) => {
        res.setTimeout(s.idleMs, () => res.destroy(new AttemptError(`no data for ${s.idleMs} ms`, 'timeout', true)));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
      },
    );
    req.setTimeout(s.idleMs, () => req.destroy(new AttemptError(`no answer within ${s.idleMs} ms`, 'timeout', true)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof AttemptError) return reject(e);
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(e.code ?? '');
      reject(
        new AttemptError(
          tls ? `TLS certificate not accepted (${e.code})` : `connection failed: ${e.message}`,
          tls ? 'tls' : 'connect',
          !tls,
        ),
      );
    });
    req.end();
  });
}

/** Reads a small body (an error answer) to text, at most `max` bytes. */
export async function smallText(body: IncomingMessage, max = 4096): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of body) {
      n += (c as Buffer).length;
      if (n <= max) chunks.push(c as Buffer);
    }
  } catch {
    // what arrived is enough for a message
  }
  return Buffer.concat(chunks).toString('utf8');
}
