// The shared plumbing of bpx's reference servers: listen (HTTP or HTTPS), read a bounded JSON body, answer JSON, one log line per request.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkAuth, type AuthConfig } from './auth.ts';

export interface ServeOptions extends AuthConfig {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  tls?: { cert: string; key: string };
  /** one JSON line per request (no secrets). */
  log?: (line: string) => void;
  /** injected clock in milliseconds (tests); default Date.now. */
  now?: () => number;
  maxRequestBytes?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a route returns: the JSON answer and the fields it adds to the request's log line. */
export interface Answer {
  status: number;
  body: unknown;
  log?: Record<string, unknown>;
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new HttpProblem(413, `request body larger than ${max} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sorted(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Starts a server whose every request is: POST, authenticated, JSON body → handle(json) → JSON answer. */
export async function serveJson(opts: ServeOptions, handle: (json: unknown) => Promise<Answer> | Answer): Promise<RunningServer> {
  const now = opts.now ?? Date.now;
  const max = opts.maxRequestBytes ?? 64 * 1024 * 1024;
  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const started = now();
    let fields: Record<string, unknown> = {};
    let status = 500;
    let answer: unknown;
    try {
      if (req.method !== 'POST') throw new HttpProblem(405, 'only POST is supported');
      const body = await readBody(req, max);
      const auth = checkAuth(opts, req.headers, body, Math.floor(now() / 1000));
      if (!auth.ok) throw new HttpProblem(401, auth.reason);
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpProblem(400, 'request body is not JSON');
      }
      const a = await handle(json);
      status = a.status;
      answer = a.body;
      fields = a.log ?? {};
    } catch (e) {
      status = e instanceof HttpProblem ? e.status : 500;
      const error = e instanceof HttpProblem ? e.message : 'internal error';
      answer = { error };
      fields = { error };
    }
    const text = JSON.stringify(answer);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      ...(status === 405 ? { Allow: 'POST' } : {}),
    });
    res.end(text);
    // Headers are never logged whole: Authorization and the signature stay out of the log.
    opts.log?.(
      JSON.stringify(
        sorted({
          ...fields,
          method: req.method,
          ms: now() - started,
          path: req.url,
          remote: req.socket.remoteAddress,
          status,
          time: new Date(started).toISOString(),
          userAgent: req.headers['user-agent'],
        }),
      ),
    );
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res);
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
