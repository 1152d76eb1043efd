// bpx fleet sync --api URL: the inventory filled from a foundation through the Cloud Controller v3 API.
import { readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows, where, publicKeyFile } from './common.ts';

export const DEFAULT_SECRET_ENV = 'BPX_CF_CLIENT_SECRET';

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
function eta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export async function sync(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      api: { type: 'string' },
      'token-env': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret-env': { type: 'string' },
      org: { type: 'string', multiple: true },
      space: { type: 'string', multiple: true },
      'label-selector': { type: 'string' },
      concurrency: { type: 'string' },
      key: { type: 'string' },
      cacert: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'progress-every': { type: 'string' },
      insecure: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (!values.api) throw new CliError('fleet sync: --api URL is required (the Cloud Controller, e.g. https://api.sys.example.com)');
  const { checkHookUrl } = await import('../../http/url-policy.ts');
  let api: URL;
  try {
    api = checkHookUrl(values.api, values.insecure === true);
  } catch (e) {
    throw new CliError(`fleet sync: --api ${(e as Error).message.replace('mark the extension insecure: true', 'or give --insecure')}`);
  }
  api = new URL(api.origin);
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new CliError(`fleet sync: --concurrency ${values.concurrency}: give a whole number from 1 to 64`);
  const every = values['progress-every'] === undefined ? 25 : Number(values['progress-every']);
  if (!Number.isInteger(every) || every < 1)
    throw new CliError(`fleet sync: --progress-every ${values['progress-every']}: give a whole number of droplets`);
  if (values['client-secret-env'] && !values['client-id']) throw new CliError('fleet sync: --client-secret-env goes with --client-id');
  const key = values.key ? await publicKeyFile(path.resolve(io.cwd, values.key)) : undefined;
  const ca = values.cacert
    ? await readFile(path.resolve(io.cwd, values.cacert), 'utf8').catch(() => {
        throw new CliError(`fleet sync: --cacert ${values.cacert}: cannot read it`);
      })
    : undefined;
  const say = (line: string) => io.stderr.write(`bpx fleet sync: ${line}\n`);

  const { CcClient } = await import('../../fleet/sync/cc-client.ts');
  const { AuthError, cfConfigToken, clientCredentials, givenToken } = await import('../../fleet/sync/auth.ts');
  const http = { env: io.env, ...(ca ? { ca } : {}), timeoutMs: 60_000, idleMs: 120_000 };

  // the UAA comes from the API root (links.uaa, else links.login), asked once and only when a token must be fetched
  let client: InstanceType<typeof CcClient>;
  let uaa: URL | undefined;
  const locateUaa = async () => {
    if (uaa) return uaa;
    const root = await client.root();
    const href = root.links?.uaa?.href ?? root.links?.login?.href;
    if (!href) throw new AuthError(`${api.origin}/ names no UAA (links.uaa, links.login): cannot fetch a token`);
    uaa = new URL(href);
    return uaa;
  };

  let auth;
  if (values['token-env']) {
    const t = io.env[values['token-env']];
    if (!t)
      throw new CliError(
        `fleet sync: the environment variable ${values['token-env']} holds no token (--token-env names the variable; cf oauth-token prints one)`,
      );
    auth = givenToken(t, `--token-env ${values['token-env']}`);
  } else if (values['client-id']) {
    const envName = values['client-secret-env'] ?? DEFAULT_SECRET_ENV;
    const secret = io.env[envName];
    if (!secret)
      throw new CliError(`fleet sync: the environment variable ${envName} holds no client secret (--client-secret-env names the variable)`);
    auth = clientCredentials(values['client-id'], secret, locateUaa, http);
  } else {
    const file = path.join(io.env.CF_HOME || io.env.HOME || homedir(), '.cf', 'config.json');
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined)
      throw new CliError(
        `fleet sync: no credentials: give --token-env NAME, or --client-id ID with --client-secret-env NAME, or log in with cf login (${file} is missing)`,
      );
    let config;
    try {
      config = JSON.parse(text);
    } catch {
      throw new CliError(`fleet sync: ${file} is not JSON`);
    }
    const target = typeof config.Target === 'string' && config.Target ? new URL(config.Target).origin : undefined;
    if (target && target !== api.origin)
      throw new CliError(
        `fleet sync: the cf CLI is logged in to ${target}, not ${api.origin}: its token is not sent elsewhere (cf login -a ${api.origin}, or --token-env / --client-id)`,
      );
    auth = cfConfigToken(config, locateUaa, http);
  }
  client = new CcClient({ api, auth, http, log: (l) => say(l) });
  const safe = (s: string) => client.safe(s);

  const store = await openStore(values.db, io);
  const bar = io.isTTY && !values.json;
  try {
    const { syncFoundation } = await import('../../fleet/sync/sync.ts');
    let lastLine = -1;
    const result = await syncFoundation({
      client,
      store,
      filters: {
        orgs: values.org ?? [],
        spaces: values.space ?? [],
        ...(values['label-selector'] ? { labelSelector: values['label-selector'] } : {}),
      },
      concurrency,
      dryRun: values['dry-run'] === true,
      tmpDir: tmpdir(),
      ...(key ? { publicKey: key } : {}),
      onProgress: (p) => {
        if (!p.total) return;
        const rate = p.elapsedMs > 0 ? (p.done / p.elapsedMs) * 1000 : 0;
        const left = rate > 0 ? ((p.total - p.done) / rate) * 1000 : 0;
        if (bar) {
          const width = 24;
          const fill = Math.round((p.done / p.total) * width);
          io.stderr.write(
            `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${p.done}/${p.total} droplets, ${p.failed} failed, ${mb(p.bytes)}, ${rate.toFixed(1)}/s, ETA ${eta(left)}\x1b[K`,
          );
          if (p.done === p.total) io.stderr.write('\r\x1b[K');
        } else if (p.done > lastLine && (p.done % every === 0 || p.done === p.total) && p.done > 0) {
          lastLine = p.done;
          say(`${p.done}/${p.total} droplets (${p.failed} failed), ${mb(p.bytes)}, ${rate.toFixed(1)}/s, ETA ${eta(left)}`);
        }
      },
    });
    const s = result.summary;
    if (values.json) {
      json(io, {
        api: result.api,
        dryRun: result.dryRun,
        apps: result.apps,
        summary: s,
        calls: result.calls,
        buildpacks: result.buildpacks,
        stacks: result.stacks,
      });
    } else if (!result.apps.length) io.stdout.write('the API lists no app (with these filters)\n');
    else {
      printRows(
        io,
        ['ORG/SPACE/APP', 'STATUS', 'DROPLET', 'SBOM', 'COMPONENTS', 'SIGNATURE / REASON'],
        result.apps.map((a) => [
          where(a),
          a.status,
          a.droplet ?? '',
          a.sbom ?? '',
          a.components !== undefined ? String(a.components) : '',
          a.status === 'failed' || a.status === 'no-droplet' || a.status === 'docker'
            ? (a.reason ?? '') + (a.image ? ` (${a.image})` : '')
            : (a.signature ?? ''),
        ]),
      );
    }
    for (const a of result.apps) {
      if (a.status === 'failed') say(`${where(a)}: ${a.reason}`);
      for (const p of a.problems) say(`${where(a)}: ${p}`);
      for (const n of a.notes) say(`${where(a)}: note: ${n}`);
    }
    const calls = `${s.apiCalls} API calls (${s.appPages} app pages, ${s.currentLookups} current-droplet look-ups, ${s.dropletBatches} droplet batches)`;
    if (result.dryRun)
      say(
        `dry run: ${s.wouldDownload} droplets would be downloaded, ${s.unchanged} unchanged, ${s.noDroplet} apps without a droplet, ${s.docker} docker apps; ${calls}`,
      );
    else
      say(
        `${s.apps} apps: ${s.downloaded} droplets downloaded (${mb(s.bytes)}), ${s.unchanged} unchanged, ${s.failed} failed, ${s.noDroplet} without a droplet, ${s.docker} docker; ${calls}`,
      );
    return s.failed || s.failedChecks ? 1 : 0;
  } catch (e) {
    if (bar) io.stderr.write('\r\x1b[K');
    if (e instanceof CliError) throw e;
    const { ApiError } = await import('../../fleet/sync/cc-client.ts');
    if (e instanceof AuthError || e instanceof ApiError) throw new CliError(safe(e.message), 1);
    throw e;
  } finally {
    await store.close();
  }
}
