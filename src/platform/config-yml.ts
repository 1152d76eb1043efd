// deps/<idx>/config.yml, the one file a buildpack writes that the Cloud Foundry builder reads back (runner.go
// buildpacksMetadata, gopkg.in/yaml.v2): `key`, `name`, `version`, `config`, and since Feb 2026 `output_metadata`.
import { isMap as isMapNode, isNode, isScalar, parseDocument, parse as parseYaml, type Document, type Tags } from 'yaml';

/** One entry of result.json `lifecycle_metadata.buildpacks`, as the builder fills it from config.yml. */
export interface BuildpackMetadata {
  key: string;
  name: string;
  /** omitted when empty, as the builder's `version,omitempty`. */
  version?: string;
  /** present only when config.yml has a `config` map. */
  config?: Record<string, unknown>;
  /** config.yml `output_metadata` as yaml.v2 decodes it into `map[string]interface{}` (current builder only). */
  output_metadata?: Record<string, unknown>;
}

/** A value the current builder can copy into result.json: a scalar or a list of scalars (DESIGN.md §1). */
export type FlatValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/** YAML 1.1 as yaml.v2 reads it (yes/no are booleans), timestamps kept as text (yaml.v2 does so into interface{}). */
const yaml11 = {
  version: '1.1' as const,
  customTags: (tags: Tags) => tags.filter((t) => (typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp')),
};

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads config.yml over `{key}` as yaml.v2 does into the builder's struct: a `key:` in the file replaces the key,
 * unreadable YAML leaves the name empty (the builder ignores the error), and scalars of `name`/`version` are taken as
 * written (yaml.v2 decodes `version: 1.10` into a string field as "1.10", not 1.1).
 */
export function parseBuildpackMetadata(key: string, text: string | undefined, opts: { outputMetadata: boolean }): BuildpackMetadata {
  const meta: BuildpackMetadata = { key, name: '' };
  if (text === undefined) return meta;
  const p = parsed(text);
  const raw = p.failsafe;
  const typed = p.yaml11;
  if ('error' in raw || 'error' in typed) return meta;
  if (isMap(raw.value)) {
    if (typeof raw.value.key === 'string') meta.key = raw.value.key;
    if (typeof raw.value.name === 'string') meta.name = raw.value.name;
    if (typeof raw.value.version === 'string' && raw.value.version !== '') meta.version = raw.value.version;
  }
  // copies: the parses are shared by every call over the same text, and a caller may change what it gets
  if (isMap(typed.value) && isMap(typed.value.config)) meta.config = structuredClone(typed.value.config);
  if (opts.outputMetadata && isMap(typed.value) && isMap(typed.value.output_metadata)) {
    p.outputMetadata ??= { value: outputMetadataOf(text) };
    const om = p.outputMetadata.value;
    if (om && Object.keys(om).length > 0) meta.output_metadata = structuredClone(om);
  }
  return meta;
}

type Outcome = { value: unknown } | { error: Error };
interface Parsed {
  /** every scalar a string: what yaml.v2 decodes into the builder's string fields */
  failsafe: Outcome;
  /** YAML 1.1 types: what yaml.v2 decodes into interface{} */
  yaml11: Outcome;
  outputMetadata?: { value: Record<string, unknown> | undefined };
}

// A phase reads the same config.yml several times over (detect-versions, the SBOM's buildpack facts, the staging
// record): each text is parsed once. A handful of texts at most; cleared when full.
const PARSED = new Map<string, Parsed>();

function attempt(parse: () => unknown): Outcome {
  try {
    return { value: parse() };
  } catch (e) {
    return { error: e as Error };
  }
}

function parsed(text: string): Parsed {
  let p = PARSED.get(text);
  if (p === undefined) {
    p = {
      failsafe: attempt(() => parseYaml(text, { schema: 'failsafe', maxAliasCount: 100 })),
      yaml11: attempt(() => parseYaml(text, { ...yaml11, maxAliasCount: 100 })),
    };
    if (PARSED.size >= 16) PARSED.clear();
    PARSED.set(text, p);
  }
  return p;
}

/** Why config.yml text is not YAML the builder can read (it then ignores the file), or undefined. */
export function configYmlProblem(text: string): string | undefined {
  const { failsafe } = parsed(text);
  return 'error' in failsafe ? failsafe.error.message.split('\n')[0] : undefined;
}

/**
 * `output_metadata` as map[string]interface{}: keys as written (yaml.v2 decodes the key `n` into a string field as
 * "n", though as a value it is YAML 1.1's false), values typed as YAML 1.1.
 */
function outputMetadataOf(text: string): Record<string, unknown> | undefined {
  const doc = parseDocument(text, yaml11);
  const node = doc.get('output_metadata', true);
  if (!isMapNode(node)) return undefined;
  const out: Record<string, unknown> = {};
  for (const pair of node.items) {
    const k = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : String(pair.key);
    out[k] = isNode(pair.value) ? pair.value.toJS(doc, { maxAliasCount: 100 }) : null;
  }
  return out;
}

/**
 * Why Go's encoding/json would refuse this output_metadata, as the builder prints it, or undefined when it can be
 * serialised. yaml.v2 decodes every nested mapping into map[interface{}]interface{}, which encoding/json rejects
 * (`json: unsupported type: map[interface {}]interface {}`); .inf and .nan are rejected as values.
 */
export function goJsonProblem(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = goJsonProblem(v);
      if (p) return p;
    }
    return undefined;
  }
  if (isMap(value)) return 'json: unsupported type: map[interface {}]interface {}';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `json: unsupported value: ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}`;
  }
  return undefined;
}

/** The same check over a whole output_metadata map: its top level is a Go map[string]interface{}, which is fine. */
export function outputMetadataProblem(meta: Record<string, unknown> | undefined): { key: string; message: string } | undefined {
  if (!meta) return undefined;
  for (const k of Object.keys(meta).sort()) {
    const message = goJsonProblem(meta[k]);
    if (message) return { key: k, message };
  }
  return undefined;
}

/** True when `v` is a value the builder copies as it is (a scalar or a list of scalars). */
export function isFlatValue(v: unknown): v is FlatValue {
  const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
  return scalar(v) || (Array.isArray(v) && v.every(scalar));
}

export interface ConfigYmlEdit {
  /** replaces `name` (what `cf app` shows). */
  name?: string;
  /** merged into `output_metadata`, key by key; every value must be flat. */
  outputMetadata?: Readonly<Record<string, FlatValue>>;
}

/** A config.yml that cannot be edited safely: its text is left unchanged. */
export class ConfigYmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigYmlError';
  }
}

/**
 * Applies `edit` to config.yml text, keeping every other key and comment, never writing `key`. Refuses a nested value
 * (the current builder would fail the staging on it) and YAML it cannot parse. Returns the new text.
 */
export function editConfigYml(text: string, edit: ConfigYmlEdit): string {
  const doc: Document = parseDocument(text);
  if (doc.errors.length) throw new ConfigYmlError(`not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  if (doc.contents !== null && !isMap(doc.toJS({ maxAliasCount: 100 }))) throw new ConfigYmlError('not a YAML map');
  if (edit.name !== undefined) doc.set('name', edit.name);
  for (const [k, v] of Object.entries(edit.outputMetadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!isFlatValue(v)) throw new ConfigYmlError(`output_metadata.${k}: only strings, numbers, booleans and lists of them are allowed`);
    try {
      doc.setIn(['output_metadata', k], Array.isArray(v) ? doc.createNode([...v], { flow: true }) : v);
    } catch (e) {
      throw new ConfigYmlError(`output_metadata is not a map: ${(e as Error).message}`);
    }
  }
  return doc.toString();
}
