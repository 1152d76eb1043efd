// Validates manifest data against schemas/manifest.schema.json with ajv and turns ajv's errors into plain sentences.
import { Ajv, type ValidateFunction } from 'ajv';
import schema from '../../schemas/manifest.schema.json' with { type: 'json' };


export interface SchemaError {
  path: Array<string | number>;
  /** true when the position should point at the key (unknown keys). */
  atKey: boolean;
  message: string;
}

let validate: ValidateFunction | undefined;

const KINDS = ['run', 'uses', 'http'];

export function validateManifestSchema(data: unknown): SchemaError[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (validate(data)) return [];
  const raw = validate.errors ?? [];
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  const oneOfAt = new Set(raw.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const e of raw) {
    const path = e.instancePath.split('/').slice(1).map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    const last = path[path.length - 1];
    let message = e.message ?? 'invalid';
    let atKey = false;
    let p = path;
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      p = [...path, key];
      atKey = true;
      message = `unknown key '${key}'${suggest(key, path)}`;
    } else if (e.keyword === 'required' && oneOfAt.has(e.instancePath) && KINDS.includes(String((e.params as { missingProperty: string }).missingProperty))) {
      continue; // reported once by the oneOf below
    } else if (e.keyword === 'oneOf' && last === 'run') {
      message = 'must be a script path (string) or a [command, arg, ...] list of strings';
    } else if (e.keyword === 'oneOf') {
      const ext = getAt(data, path) as Record<string, unknown> | undefined;
      const found = KINDS.filter((k) => ext && typeof ext === 'object' && k in ext);
      message = found.length ? `needs exactly one of run, uses, http (found ${found.join(' and ')})` : 'needs exactly one of run, uses, http';
    } else if (e.keyword === 'type' && last === 'run') {
      continue; // the oneOf message above says it better
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      message = `must be one of: ${allowed.join(', ')} (got ${JSON.stringify(getAt(data, path))})`;
    } else if (e.keyword === 'const') {
      message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    } else if (e.keyword === 'pattern') {
      message = patternMessage(path, getAt(data, path));
    } else if (e.keyword === 'type') {
      message = `${message} (got ${JSON.stringify(getAt(data, path))})`;
    } else if (e.keyword === 'required') {
      message = `missing required key '${(e.params as { missingProperty: string }).missingProperty}'`;
    }
    const k = `${p.join('/')}|${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ path: p, atKey, message });
  }
  return out;
}

function patternMessage(path: Array<string | number>, value: unknown): string {
  const field = path.filter((s) => typeof s === 'string').pop();
  const v = JSON.stringify(value);
  switch (field) {
    case 'name': return `must match [a-z0-9-]+ (got ${v})`;
    case 'uses': return `must be builtin:<name> (got ${v})`;
    case 'http': return `must be an http:// or https:// URL (got ${v})`;
    case 'timeout': return `must be a duration such as 30s, 2m, 1h or 1m30s (got ${v})`;
    default: return `has an invalid value ${v}`;
  }
}

const KNOWN: Record<string, string[]> = {
  root: ['version', 'extensions', 'app'],
  app: ['allowExtensions', 'allowedAt'],
  extension: ['name', 'at', 'run', 'uses', 'http', 'timeout', 'onFailure', 'env', 'with', 'insecure'],
};

/** A close known key, for typos: `onFailur` → ` (did you mean 'onFailure'?)`. */
function suggest(key: string, parent: Array<string | number>): string {
  const list = parent[0] === 'extensions' ? KNOWN.extension : parent[0] === 'app' ? KNOWN.app : KNOWN.root;
  let best: string | undefined;
  let bestD = 3;
  for (const k of list) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean '${best}'?)` : '';
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

function getAt(data: unknown, path: Array<string | number>): unknown {
  let cur = data as Record<string | number, unknown> | undefined;
  for (const s of path) cur = cur && typeof cur === 'object' ? (cur[s] as Record<string | number, unknown>) : undefined;
  return cur;
}
