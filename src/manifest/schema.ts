// Validates manifest data (schemas/manifest.schema.json) and built-in settings (schemas/settings/*.schema.json) with
// ajv, and turns ajv's errors into plain sentences located by field path.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../schemas/manifest.schema.json' with { type: 'json' };

export interface SchemaError {
  path: Array<string | number>;
  /** true when the position should point at the key (unknown keys). */
  atKey: boolean;
  message: string;
}

let ajv: Ajv | undefined;
let validate: ValidateFunction | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

const KINDS = ['run', 'uses', 'http'];

/** One ajv for manifests and settings: offline (no remote refs), every error, with the failing schema at hand. */
function getAjv(): Ajv {
  return (ajv ??= new Ajv({ allErrors: true, strict: false, verbose: true }));
}

export function validateManifestSchema(data: unknown): SchemaError[] {
  validate ??= getAjv().compile(schema);
  return schemaErrors(validate, data);
}

/** Errors of `data` against a settings schema (compiled once per schema object). */
export function validateAgainst(settingsSchema: object, data: unknown): SchemaError[] {
  let v = compiled.get(settingsSchema);
  if (!v) {
    // a copy of a schema already compiled (same $id) reuses it: ajv refuses a second schema with one id
    const id = (settingsSchema as { $id?: unknown }).$id;
    v = (typeof id === 'string' ? getAjv().getSchema(id) : undefined) ?? getAjv().compile(settingsSchema);
    compiled.set(settingsSchema, v);
  }
  return schemaErrors(v, data);
}

/** `{"a": 1}` → `{"a":1}`; long values are cut so that a message never carries a whole file. */
export function got(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = typeof value;
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function schemaErrors(v: ValidateFunction, data: unknown): SchemaError[] {
  if (v(data)) return [];
  const raw = v.errors ?? [];
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  const oneOfAt = new Set(raw.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  // a oneOf/anyOf with its own sentence (`x-bpx-message`) replaces every error at or below it
  const worded = raw
    .filter((e) => (e.keyword === 'oneOf' || e.keyword === 'anyOf') && typeof wording(e) === 'string')
    .map((e) => e.instancePath);
  for (const e of raw) {
    const path = toPath(e.instancePath);
    const last = path[path.length - 1];
    let message = e.message ?? 'invalid';
    let atKey = false;
    let p = path;
    if (worded.some((w) => e.instancePath === w || e.instancePath.startsWith(`${w}/`))) {
      const w = wording(e);
      if (typeof w !== 'string') continue;
      message = `${w} (got ${got(getAt(data, path))})`;
    } else if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      p = [...path, key];
      atKey = true;
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const shown = key.length > 40 ? `${key.slice(0, 37)}...` : key;
      message = known.length ? `unknown key '${shown}'${suggest(key, known)}` : `unknown key '${shown}' (this takes no settings)`;
    } else if (
      e.keyword === 'required' &&
      oneOfAt.has(e.instancePath) &&
      KINDS.includes(String((e.params as { missingProperty: string }).missingProperty))
    ) {
      continue; // reported once by the oneOf below
    } else if (e.keyword === 'oneOf' && last === 'run') {
      message = 'must be a script path (string) or a [command, arg, ...] list of strings';
    } else if (e.keyword === 'oneOf' && isExtensionPath(path)) {
      const ext = getAt(data, path) as Record<string, unknown> | undefined;
      if (!ext || typeof ext !== 'object' || Array.isArray(ext)) continue; // the type error says it
      const found = KINDS.filter((k) => ext && typeof ext === 'object' && k in ext);
      message = found.length
        ? `needs exactly one of run, uses, http (found ${found.join(' and ')})`
        : 'needs exactly one of run, uses, http';
    } else if (e.keyword === 'type' && last === 'run') {
      continue; // the oneOf message above says it better
    } else if (e.keyword === 'type' && last === 'at' && isExtensionPath(path.slice(0, -1))) {
      message = `must be a point such as finalize:after, or a list of points (got ${got(getAt(data, path))})`;
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      message = `must be one of: ${allowed.join(', ')} (got ${got(getAt(data, path))})`;
    } else if (e.keyword === 'const') {
      message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    } else if (e.keyword === 'pattern') {
      message = patternMessage(e, path, getAt(data, path));
    } else if (e.keyword === 'type') {
      message = `${message} (got ${got(getAt(data, path))})`;
    } else if (e.keyword === 'required') {
      message = `missing required key '${(e.params as { missingProperty: string }).missingProperty}'`;
    } else if (e.keyword === 'minItems' && (e.params as { limit: number }).limit === 1) {
      message = 'must not be empty';
    } else if (e.keyword === 'if') {
      continue; // the `then` error beside it says what is wrong
    }
    const k = `${p.join('/')}|${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ path: p, atKey, message });
  }
  return out;
}

function wording(e: ErrorObject): unknown {
  return (e.parentSchema as Record<string, unknown> | undefined)?.['x-bpx-message'];
}

function toPath(instancePath: string): Array<string | number> {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** `['extensions', 2]` */
function isExtensionPath(path: Array<string | number>): boolean {
  return path.length === 2 && path[0] === 'extensions' && typeof path[1] === 'number';
}

function patternMessage(e: ErrorObject, path: Array<string | number>, value: unknown): string {
  const own = (e.parentSchema as Record<string, unknown> | undefined)?.['x-bpx-message'];
  const v = got(value);
  if (typeof own === 'string') return `${own} (got ${v})`;
  const field = path.filter((s) => typeof s === 'string').pop();
  switch (field) {
    case 'name':
      return `must match [a-z0-9-]+ (got ${v})`;
    case 'uses':
      return `must be builtin:<name> (got ${v})`;
    case 'http':
      return `must be an http:// or https:// URL (got ${v})`;
    case 'timeout':
      return `must be a duration such as 30s, 2m, 1h or 1m30s (got ${v})`;
    default:
      return `has an invalid value ${v}`;
  }
}

/** A close known key, for typos: `onFailur` → ` (did you mean 'onFailure'?)`. */
function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
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
