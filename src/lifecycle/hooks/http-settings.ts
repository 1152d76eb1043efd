// The `with:` settings of an `http:` extension (docs/http-extensions.md), validated with ajv.
import { Ajv } from 'ajv';
import { formatAjvErrors } from '../../http/schema-errors.ts';

export interface HttpSettings {
  send: Array<'components' | 'findings'>;
  tokenEnv?: string;
  hmacKeyEnv?: string;
  caFile?: string;
  requestTimeoutMs?: number;
  retries?: number;
  maxResponseBytes?: number;
}

const envRef = {
  type: 'object',
  required: ['env'],
  additionalProperties: false,
  properties: { env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
};

export const httpWithSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    send: { type: 'array', uniqueItems: true, items: { enum: ['components', 'findings'] } },
    token: envRef,
    hmacKey: envRef,
    caFile: { type: 'string', minLength: 1 },
    // "10s", "500ms", "2m", or a number of seconds.
    requestTimeout: {
      anyOf: [
        { type: 'string', pattern: '^\\d+(\\.\\d+)?(ms|s|m)$' },
        { type: 'number', exclusiveMinimum: 0 },
      ],
    },
    retries: { type: 'integer', minimum: 0, maximum: 10 },
    maxResponseBytes: { type: 'integer', minimum: 1, maximum: 64 * 1024 * 1024 },
  },
} as const;

let validate: ReturnType<Ajv['compile']> | undefined;

/** "10s" → 10000, "250ms" → 250, "2m" → 120000, 3 → 3000. */
export function parseDuration(v: string | number): number {
  if (typeof v === 'number') return Math.round(v * 1000);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(v)!;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

export function parseHttpSettings(raw: Record<string, unknown> | undefined): HttpSettings {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(httpWithSchema);
  const input = raw ?? {};
  if (!validate(input)) throw new Error(`invalid settings: ${formatAjvErrors('with', validate.errors)}`);
  const w = input as {
    send?: HttpSettings['send'];
    token?: { env: string };
    hmacKey?: { env: string };
    caFile?: string;
    requestTimeout?: string | number;
    retries?: number;
    maxResponseBytes?: number;
  };
  return {
    send: [...(w.send ?? [])],
    tokenEnv: w.token?.env,
    hmacKeyEnv: w.hmacKey?.env,
    caFile: w.caFile,
    requestTimeoutMs: w.requestTimeout === undefined ? undefined : parseDuration(w.requestTimeout),
    retries: w.retries,
    maxResponseBytes: w.maxResponseBytes,
  };
}
