// What the two reference servers (serve-hooks, serve-signer) share: auth secrets from env names, TLS files, the port,
// a warning when listening openly, and running until SIGINT/SIGTERM.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, type Io } from './io.ts';
import type { RunningServer } from '../serve/index.ts';
import { isLoopbackHost } from '../http/url-policy.ts';
import { describeFsError } from '../platform/fs-error.ts';

/** parseArgs options both servers take. */
export const SERVE_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'token-env': { type: 'string' },
  'hmac-key-env': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
} as const;

export interface ServeValues {
  port?: string;
  host?: string;
  'token-env'?: string;
  'hmac-key-env'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
}

export interface CommonServerOptions {
  host: string;
  port: number;
  token?: string;
  hmacKey?: string;
  tls?: { cert: string; key: string };
  log(line: string): void;
}

export function secretFromEnv(io: Io, flag: string, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const v = io.env[name];
  if (!v) throw new CliError(`${flag} ${name}: that environment variable is not set or empty`);
  return v;
}

export async function readTls(
  io: Io,
  cert: string | undefined,
  key: string | undefined,
): Promise<{ cert: string; key: string } | undefined> {
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new CliError('--tls-cert and --tls-key go together');
  const tls = { cert: await readOptionFile(io, '--tls-cert', cert), key: await readOptionFile(io, '--tls-key', key) };
  // checked here, so that a wrong file is named rather than reported as "cannot listen: PEM routines::no start line"
  const { X509Certificate, createPrivateKey } = await import('node:crypto');
  try {
    new X509Certificate(tls.cert);
  } catch {
    throw new CliError(`--tls-cert ${cert}: not a PEM certificate`);
  }
  try {
    createPrivateKey(tls.key);
  } catch {
    throw new CliError(`--tls-key ${key}: not an unencrypted PEM private key`);
  }
  return tls;
}

/** The text of a file an option names; a folder, a missing or unreadable file is one line naming the option. */
export async function readOptionFile(io: Io, flag: string, p: string): Promise<string> {
  const file = resolve(io.cwd, p);
  try {
    if ((await stat(file)).isDirectory()) throw new CliError(`${flag} ${p}: is a folder, not a file`);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${flag} ${p}: ${describeFsError(e)}`);
  }
}

export function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new CliError(`--port ${raw}: not a port number (0-65535)`);
  return n;
}

export function warnIfOpen(io: Io, name: string, host: string, authed: boolean): void {
  if (!authed && !isLoopbackHost(host)) {
    io.stderr.write(
      `bpx ${name}: warning: listening on ${host} without --token-env or --hmac-key-env: anyone who can reach it may call it\n`,
    );
  }
}

/** Runs until SIGINT or SIGTERM, then closes the server; resolves to exit code 0. */
export async function untilSignal(io: Io, name: string, server: RunningServer): Promise<number> {
  io.stdout.write(`bpx ${name}: listening on ${server.url}\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  io.stderr.write(`bpx ${name}: stopped\n`);
  return 0;
}

/** Resolves the shared options, starts the server (a listen error is exit 1), prints `banner`, runs until a signal. */
export async function serve(
  io: Io,
  name: string,
  values: ServeValues,
  defaultPort: number,
  start: (options: CommonServerOptions) => Promise<RunningServer>,
  banner?: string,
): Promise<number> {
  const token = secretFromEnv(io, '--token-env', values['token-env']);
  const hmacKey = secretFromEnv(io, '--hmac-key-env', values['hmac-key-env']);
  const host = values.host ?? '127.0.0.1';
  warnIfOpen(io, name, host, Boolean(token || hmacKey));
  let server: RunningServer;
  try {
    server = await start({
      host,
      port: parsePort(values.port, defaultPort),
      token,
      hmacKey,
      tls: await readTls(io, values['tls-cert'], values['tls-key']),
      log: (line) => io.stdout.write(`${line}\n`),
    });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot listen on ${host}: ${(e as Error).message}`, 1);
  }
  if (banner) io.stdout.write(banner);
  return untilSignal(io, name, server);
}
