// The operator manifest as `bpx wrap` validated it, stored as JSON beside bpx.yml so that a phase starts without YAML or ajv.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Manifest } from './types.ts';

export const COMPILED_NAME = 'bpx.json';

interface Compiled {
  /** sha256 of the bpx.yml bytes it was made from: an edited bpx.yml is loaded and validated again. */
  sha256: string;
  manifest: Manifest;
}

export function compileManifest(yamlBytes: Buffer, manifest: Manifest): string {
  const c: Compiled = { sha256: createHash('sha256').update(yamlBytes).digest('hex'), manifest };
  return `${JSON.stringify(c)}\n`;
}

/** The stored manifest, or undefined when absent, unreadable or made from other bytes than yamlFile holds. */
export async function readCompiled(yamlFile: string, jsonFile: string): Promise<Manifest | undefined> {
  try {
    const [yml, json] = await Promise.all([readFile(yamlFile), readFile(jsonFile, 'utf8')]);
    const c = JSON.parse(json) as Compiled;
    if (c.sha256 !== createHash('sha256').update(yml).digest('hex')) return undefined;
    return c.manifest;
  } catch {
    return undefined;
  }
}
