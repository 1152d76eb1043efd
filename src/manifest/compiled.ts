// The operator manifest as `bpx wrap` validated it, stored as JSON beside bpx.yml so that a phase starts without YAML or ajv.
import { readFileSync } from 'node:fs';
import type { Manifest } from './types.ts';

export const COMPILED_NAME = 'bpx.json';

interface Compiled {
  /**
   * The bpx.yml text it was made from: an edited bpx.yml is loaded and validated again. Compared as text rather than
   * by digest so that a phase need not load node:crypto (about 10 ms of every wrapped phase's start).
   */
  source: string;
  manifest: Manifest;
}

export function compileManifest(yamlBytes: Buffer, manifest: Manifest): string {
  const c: Compiled = { source: yamlBytes.toString('utf8'), manifest };
  return `${JSON.stringify(c)}\n`;
}

/**
 * The stored manifest, or undefined when absent, unreadable or made from other bytes than yamlFile holds. Read
 * synchronously: two small files at the start of a phase, where a trip through libuv's thread pool costs more than
 * the read (a wrapped phase waits on nothing else then).
 */
export async function readCompiled(yamlFile: string, jsonFile: string): Promise<Manifest | undefined> {
  try {
    const [yml, json] = [readFileSync(yamlFile, 'utf8'), readFileSync(jsonFile, 'utf8')];
    const c = JSON.parse(json) as Compiled;
    if (typeof c.source !== 'string' || c.source !== yml) return undefined;
    return c.manifest;
  } catch {
    return undefined;
  }
}
