// Runs one `http: URL` extension: POST the hook context (schemas/http-request.schema.json), read the result (schemas/http-response.schema.json).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import responseSchema from '../../../schemas/http-response.schema.json' with { type: 'json' };
import type { HookContext, HookResult, StagingState } from './types.ts';
import { parseHttpSettings } from './http-settings.ts';
import { formatAjvErrors } from '../../http/schema-errors.ts';
import { checkHookUrl } from '../../http/url-policy.ts';
import { postWithRetries } from '../../http/client.ts';
import { displayUrl, redact } from '../../http/redact.ts';

export interface HttpHookOptions {
  url: string;
  with: Record<string, unknown>;
  insecure: boolean;
  /** total deadline (the extension's `timeout`). */
  timeoutMs: number;
  env: Record<string, string | undefined>;
  manifestDir: string;
  log(line: string): void;
  signal: AbortSignal;
  state: StagingState;
  /** injected clock (tests); default Date.now. */
  now?: () => number;
}

let validateResponse: ReturnType<Ajv['compile']> | undefined;

function secretFromEnv(env: Record<string, string | undefined>, name: string | undefined, field: string): string | undefined {
  if (!name) return undefined;
  const v = env[name];
  if (!v) throw new Error(`with.${field}.env names ${name}, which is not set in the staging environment`);
  return v;
}

/** The request body: the context without components/findings unless `send` asks for them. Never mutates `context`. */
export function requestBody(context: HookContext, send: readonly string[], state: StagingState): HookContext {
  const { components: _c, findings: _f, ...rest } = context;
  const body: HookContext = { ...rest };
  if (send.includes('components')) body.components = state.capture?.components ?? [];
  if (send.includes('findings')) body.findings = state.findings;
  return body;
}

export async function runHttpHook(context: HookContext, opts: HttpHookOptions): Promise<HookResult> {
  const settings = parseHttpSettings(opts.with);
  let url: URL;
  try {
    url = checkHookUrl(opts.url, opts.insecure);
  } catch (e) {
    throw new Error(`http: URL ${(e as Error).message}`);
  }
  const token = secretFromEnv(opts.env, settings.tokenEnv, 'token');
  const hmacKey = secretFromEnv(opts.env, settings.hmacKeyEnv, 'hmacKey');
  const secrets = [token, hmacKey];
  let ca: string | undefined;
  if (settings.caFile) {
    const path = resolve(opts.manifestDir, settings.caFile);
    try {
      ca = await readFile(path, 'utf8');
    } catch (e) {
      throw new Error(`with.caFile: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`with.caFile: ${path} holds no PEM certificate`);
  }

  const body = Buffer.from(JSON.stringify(requestBody(context, settings.send, opts.state)));
  const { response, attempts } = await postWithRetries({
    url,
    body,
    token,
    hmacKey,
    ca,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    retries: settings.retries,
    maxResponseBytes: settings.maxResponseBytes,
    signal: opts.signal,
    log: (line) => opts.log(redact(line, secrets)),
    now: opts.now,
  });

  const where = displayUrl(url);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch (e) {
    throw new Error(redact(`${where} answered HTTP ${response.status} with a body that is not JSON (${(e as Error).message})`, secrets));
  }
  validateResponse ??= new Ajv({ allErrors: true, strict: false }).compile(responseSchema);
  if (!validateResponse(parsed)) {
    throw new Error(
      redact(
        `${where}: answer does not match schemas/http-response.schema.json: ${formatAjvErrors('answer', validateResponse.errors)}`,
        secrets,
      ),
    );
  }
  const result = structuredClone(parsed) as HookResult;
  const message = result.message ? redact(result.message, secrets) : undefined;
  if (result.verdict === 'fail') {
    // the result rides along so the runner still logs and keeps its findings (why the service said no)
    throw Object.assign(new Error(`verdict fail from ${where}${message ? `: ${message}` : ''}`), { result });
  }
  if (message) opts.log(`${result.verdict}: ${message}`);
  else if (result.verdict === 'warn') opts.log(`warn (no message) from ${where}`);
  if (attempts > 1) opts.log(`answered after ${attempts} attempts`);
  return { ...result, ...(message !== undefined ? { message } : {}) };
}
