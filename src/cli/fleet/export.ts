// bpx fleet export --dependency-track URL: each app's current SBOM to OWASP Dependency-Track (PUT /api/v1/bom).
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows } from './common.ts';

export const DEFAULT_KEY_ENV = 'BPX_DT_API_KEY';

export async function exportCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      'dependency-track': { type: 'string' },
      'api-key-env': { type: 'string' },
      'project-version': { type: 'string' },
      insecure: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (!values['dependency-track']) throw new CliError('fleet export: --dependency-track URL is required (the Dependency-Track API server)');
  const { checkHookUrl } = await import('../../http/url-policy.ts');
  let base: URL;
  try {
    base = checkHookUrl(values['dependency-track'], values.insecure === true);
  } catch (e) {
    throw new CliError(
      `fleet export: --dependency-track ${(e as Error).message.replace('mark the extension insecure: true', 'or give --insecure')}`,
    );
  }
  const keyEnv = values['api-key-env'] ?? DEFAULT_KEY_ENV;
  const apiKey = io.env[keyEnv];
  if (!apiKey) throw new CliError(`fleet export: the environment variable ${keyEnv} holds no API key (--api-key-env names the variable)`);
  const version = values['project-version'] ?? 'current';
  const { uploadBom, bomEndpoint, UploadError } = await import('../../fleet/export/dependency-track.ts');
  const { inventorySbom, projectName } = await import('../../fleet/export/sbom.ts');
  const endpoint = bomEndpoint(base);
  const say = (line: string) => io.stderr.write(`bpx fleet export: ${line}\n`);
  const store = await openStore(values.db, io);
  const results: Array<{
    project: string;
    droplet: number;
    status: 'uploaded' | 'failed' | 'not-attempted';
    token?: string;
    error?: string;
  }> = [];
  try {
    let stop: string | undefined;
    for await (const d of store.currentDroplets()) {
      const project = projectName(d);
      if (stop) {
        results.push({ project, droplet: d.dropletId, status: 'not-attempted', error: stop });
        continue;
      }
      try {
        const up = await uploadBom({ endpoint, apiKey, projectName: project, projectVersion: version, bom: inventorySbom(d), env: io.env });
        results.push({ project, droplet: d.dropletId, status: 'uploaded', ...(up.token ? { token: up.token } : {}) });
      } catch (e) {
        const msg = (e as Error).message;
        results.push({ project, droplet: d.dropletId, status: 'failed', error: msg });
        // a refused key refuses every upload: the rest are not tried
        if (e instanceof UploadError && e.fatal) stop = `not attempted: ${msg}`;
      }
    }
  } finally {
    await store.close();
  }
  if (values.json) json(io, { endpoint: `${endpoint.origin}${endpoint.pathname}`, projectVersion: version, projects: results });
  else if (!results.length) io.stdout.write('the inventory holds no droplets: nothing to export\n');
  else
    printRows(
      io,
      ['PROJECT', 'VERSION', 'STATUS', 'TOKEN / ERROR'],
      results.map((r) => [r.project, version, r.status, r.token ?? r.error ?? '']),
    );
  const failed = results.filter((r) => r.status !== 'uploaded');
  for (const r of failed) if (r.status === 'failed') say(`${r.project}: ${r.error}`);
  say(`${results.length - failed.length} of ${results.length} SBOMs uploaded to ${endpoint.origin}${endpoint.pathname}`);
  return failed.length ? 1 : 0;
}
