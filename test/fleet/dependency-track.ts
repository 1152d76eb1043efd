// A loopback stand-in for OWASP Dependency-Track's BOM upload as its API documents it: PUT /api/v1/bom with a JSON
// body (project UUID, or projectName + projectVersion; autoCreate; bom in base64) and X-Api-Key; 200 {"token": uuid}
// (or 202 when asked), 401 for a wrong key, 413 over a request size limit (a proxy's), 400 for a body it cannot read.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  projectName?: string;
  projectVersion?: string;
  project?: string;
  autoCreate?: boolean;
  /** the decoded BOM */
  bom: Record<string, any>;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
}

export interface DtServer {
  url: string;
  received: Received[];
  /** body sizes of every request, refused ones too */
  sizes: number[];
  close(): Promise<void>;
}

export async function dependencyTrack(opts: { apiKey: string; maxBodyBytes?: number; status?: 200 | 202 }): Promise<DtServer> {
  const received: Received[] = [];
  const sizes: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      sizes.push(body.length);
      const send = (status: number, payload?: unknown) => {
        res.writeHead(status, payload === undefined ? {} : { 'Content-Type': 'application/json' });
        res.end(payload === undefined ? undefined : JSON.stringify(payload));
      };
      if (req.method !== 'PUT' || req.url !== '/api/v1/bom') return send(405);
      if (opts.maxBodyBytes !== undefined && body.length > opts.maxBodyBytes) return send(413);
      if (req.headers['x-api-key'] !== opts.apiKey) return send(401);
      if (!/^application\/json/.test(String(req.headers['content-type']))) return send(415);
      let j: Record<string, any>;
      try {
        j = JSON.parse(body.toString('utf8'));
      } catch {
        return send(400, { title: 'invalid JSON' });
      }
      if (!j.project && !(j.projectName && j.projectVersion))
        return send(400, { title: 'project, or projectName and projectVersion, required' });
      let bom: Record<string, any>;
      try {
        bom = JSON.parse(Buffer.from(String(j.bom), 'base64').toString('utf8'));
      } catch {
        return send(400, { title: 'the bom is not base64 of a JSON document' });
      }
      if (bom.bomFormat !== 'CycloneDX') return send(400, { title: 'not CycloneDX' });
      received.push({
        projectName: j.projectName,
        projectVersion: j.projectVersion,
        project: j.project,
        autoCreate: j.autoCreate,
        bom,
        bytes: body.length,
        headers: req.headers,
      });
      send(opts.status ?? 200, { token: randomUUID() });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, sizes, close: () => new Promise((r) => server.close(() => r())) };
}
