// bpx serve-hooks: run the reference receiver for `http:` extensions (src/serve/hooks-server.ts).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, type Command, type Io } from '../io.ts';
import { startHooksServer, parsePolicy, type HooksPolicy } from '../../serve/index.ts';
import type { RunningServer } from '../../serve/index.ts';
import { isLoopbackHost } from '../../http/url-policy.ts';

// Also used by serve-signer: secrets from env names, optional TLS files, run until SIGINT/SIGTERM.
export function secretFromEnv(io: Io, flag: string, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const v = io.env[name];
  if (!v) throw new CliError(`${flag} ${name}: that environment variable is not set or empty`);
  return v;
}

export async function readTls(io: Io, cert: string | undefined, key: string | undefined): Promise<{ cert: string; key: string } | undefined> {
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new CliError('--tls-cert and --tls-key go together');
  const read = async (flag: string, p: string) => {
    try {
      return await readFile(resolve(io.cwd, p), 'utf8');
    } catch (e) {
      throw new CliError(`${flag} ${p}: ${(e as NodeJS.ErrnoException).code ?? 'cannot read'}`);
    }
  };
  return { cert: await read('--tls-cert', cert), key: await read('--tls-key', key) };
}

export function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new CliError(`--port ${raw}: not a port number (0-65535)`);
  return n;
}

export function warnIfOpen(io: Io, name: string, host: string, authed: boolean): void {
  if (!authed && !isLoopbackHost(host)) {
    io.stderr.write(`bpx ${name}: warning: listening on ${host} without --token-env or --hmac-key-env: anyone who can reach it may call it\n`);
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

const help = `Usage: bpx serve-hooks [--port N] [--host ADDR] [--policy FILE] [--token-env NAME] [--hmac-key-env NAME]
                       [--tls-cert FILE --tls-key FILE]

Runs a reference receiver for http: extensions. It logs every request it gets as one JSON
line on stdout (extension, phase, app, component and finding counts, status, verdict; never
the token or signature) and answers from a small policy:

  deny:                       # any component whose purl starts with one of these → verdict fail
    - purl: pkg:npm/event-stream@3.3.6
      reason: compromised release
  warn:                       # → verdict warn
    - purl: pkg:npm/request
  failOnSeverity: high        # a finding sent along at or above this severity → verdict fail

A purl prefix matches on a boundary: pkg:npm/request matches pkg:npm/request@2.88.2 but not
pkg:npm/request-promise@4.2.6. Without --policy every request passes. Ask the stager for
components with  with: {send: [components, findings]}.

Options:
  --port N             port to listen on (default 8787; 0 picks a free one)
  --host ADDR          address to bind (default 127.0.0.1)
  --policy FILE        the policy, YAML or JSON
  --token-env NAME     require "Authorization: Bearer <value of NAME>"
  --hmac-key-env NAME  require a valid X-Bpx-Signature made with the value of NAME, and an
                       X-Bpx-Timestamp within 5 minutes; otherwise answer 401
  --tls-cert FILE      serve HTTPS with this PEM certificate (chain) ...
  --tls-key FILE       ... and this PEM private key
  -h, --help           this text

Prints the URL it listens on, and stops on SIGINT or SIGTERM.
`;

const command: Command = {
  summary: 'run a reference receiver for http: extensions (logs requests, answers from a policy)',
  help,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          port: { type: 'string' },
          host: { type: 'string' },
          policy: { type: 'string' },
          'token-env': { type: 'string' },
          'hmac-key-env': { type: 'string' },
          'tls-cert': { type: 'string' },
          'tls-key': { type: 'string' },
        },
        allowPositionals: false,
      }));
    } catch (e) {
      throw new CliError(`${(e as Error).message}\nRun bpx serve-hooks --help for usage.`);
    }
    let policy: HooksPolicy | undefined;
    if (values.policy) {
      const file = resolve(io.cwd, values.policy);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new CliError(`--policy ${values.policy}: ${(e as NodeJS.ErrnoException).code ?? 'cannot read'}`);
      }
      try {
        policy = parsePolicy(text, values.policy);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
    }
    const token = secretFromEnv(io, '--token-env', values['token-env']);
    const hmacKey = secretFromEnv(io, '--hmac-key-env', values['hmac-key-env']);
    const host = values.host ?? '127.0.0.1';
    warnIfOpen(io, 'serve-hooks', host, Boolean(token || hmacKey));
    let server;
    try {
      server = await startHooksServer({
        host,
        port: parsePort(values.port, 8787),
        policy,
        token,
        hmacKey,
        tls: await readTls(io, values['tls-cert'], values['tls-key']),
        log: (line) => io.stdout.write(`${line}\n`),
      });
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot listen on ${host}: ${(e as Error).message}`, 1);
    }
    return untilSignal(io, 'serve-hooks', server);
  },
};
export default command;
