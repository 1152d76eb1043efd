// Test helpers for the HTTP extension tests: a hook context, a staging state, scripted loopback servers.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HookContext, StagingState } from '../../src/lifecycle/hooks/types.ts';
import type { Component } from '../../src/model/component.ts';

export function context(): HookContext {
  return {
    version: 1,
    extension: 'gate',
    phase: 'supply',
    when: 'after',
    app: { name: 'my-app', id: 'a1b2', spaceName: 'dev', orgName: 'acme' },
    stack: 'cflinuxfs4',
    buildpacks: [{ name: 'nodejs_buildpack', version: '1.8.30', index: '0', wrapped: true }],
    dirs: { build: '/tmp/app', deps: '/tmp/deps', depsIdx: '0' },
  };
}

function comp(name: string, version: string): Component {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: `pkg:npm/${name}@${version}`,
    kind: 'library',
    scope: 'required',
    licenses: [{ raw: 'MIT', spdx: 'MIT' }],
    hashes: [],
    locations: [{ path: 'package-lock.json', source: 'lockfile' }],
    dependsOn: [],
  };
}

export function state(
  names: Array<[string, string]> = [
    ['express', '4.21.2'],
    ['request', '2.88.2'],
  ],
): StagingState {
  return {
    capture: { components: names.map(([n, v]) => comp(n, v)), issues: [], complete: true },
    findings: [{ severity: 'low', message: 'an earlier finding', package: 'pkg:npm/express@4.21.2', extension: 'osv' }],
    detect: [],
    installs: [],
    metadata: {},
  };
}

export interface Seen {
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** A loopback server whose n-th request (0-based) is answered by script(n, req, res); records every request. */
export async function scripted(script: (n: number, req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ headers: req.headers, body, at: Date.now() });
      script(seen.length - 1, req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
