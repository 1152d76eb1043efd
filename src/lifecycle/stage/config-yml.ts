// deps/<idx>/config.yml as the Cloud Foundry builder reads it (runner.go buildpacksMetadata): name, version, config.
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';

/** One entry of result.json `lifecycle_metadata.buildpacks`. */
export interface BuildpackMetadata {
  key: string;
  name: string;
  /** omitted when empty, as the builder's `version,omitempty`. */
  version?: string;
  /** present only when config.yml has a `config` map. */
  config?: Record<string, unknown>;
}

/**
 * Reads the metadata of one buildpack. A missing or unparsable config.yml leaves name empty, as the builder does
 * (it ignores the error). Scalars are read as text (failsafe schema) because Go's yaml.v2 decodes
 * `version: 1.10` into a string field as "1.10", not 1.1.
 */
export async function readBuildpackMetadata(key: string, configPath: string): Promise<BuildpackMetadata> {
  const meta: BuildpackMetadata = { key, name: '' };
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    return meta;
  }
  try {
    const raw = YAML.parse(text, { schema: 'failsafe' }) as unknown;
    if (isMap(raw)) {
      if (typeof raw.name === 'string') meta.name = raw.name;
      if (typeof raw.version === 'string' && raw.version !== '') meta.version = raw.version;
    }
    const typed = YAML.parse(text) as unknown;
    if (isMap(typed) && isMap(typed.config)) meta.config = typed.config;
  } catch {
    // The builder drops a config.yml it cannot parse; so do we.
  }
  return meta;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
