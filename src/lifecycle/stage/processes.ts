// Process types as the Cloud Foundry builder assembles them: launch.yml, bin/release YAML, Procfile (resources/launch.go).
import YAML from 'yaml';
import { isMap } from '../../platform/config-yml.ts';
import type { Sidecar } from './result-json.ts';

export interface Process {
  type: string;
  command: string;
  /** launch.yml `platforms.cloudfoundry.sidecar_for`: such a process becomes a sidecar, not a process type. */
  sidecarFor?: string[];
  /** launch.yml `limits.memory` in MB: a sidecar carries it into result.json. */
  memory?: number;
}

/** launch.yml: `processes: [{type, command, platforms: {cloudfoundry: {sidecar_for: [...]}}, limits: {memory}}]`. Throws on bad YAML. */
export function parseLaunchYml(text: string): Process[] {
  const doc = YAML.parse(text, { schema: 'failsafe' }) as unknown;
  if (!isMap(doc) || !Array.isArray(doc.processes)) return [];
  const out: Process[] = [];
  for (const p of doc.processes as unknown[]) {
    if (!isMap(p)) continue;
    const proc: Process = { type: str(p.type), command: str(p.command) };
    const cf = isMap(p.platforms) && isMap(p.platforms.cloudfoundry) ? p.platforms.cloudfoundry : undefined;
    if (cf && Array.isArray(cf.sidecar_for)) proc.sidecarFor = cf.sidecar_for.map(str);
    const memory = isMap(p.limits) ? Number(str(p.limits.memory)) : NaN;
    if (Number.isInteger(memory) && memory > 0) proc.memory = memory;
    out.push(proc);
  }
  return out;
}

/**
 * A `type: command` map (release's `default_process_types`, the Procfile). Throws on text that is not such a map.
 * Sorted by type: the builder iterates a Go map (random order); we want stable output.
 */
export function parseProcessMap(value: unknown): Process[] {
  if (value === null || value === undefined || value === '') return [];
  if (!isMap(value)) throw new Error('not a map of process types');
  return Object.keys(value)
    .sort()
    .map((type) => ({ type, command: str(value[type]) }));
}

/** bin/release stdout: `default_process_types: {web: cmd}`. Throws with the YAML error text when invalid. */
export function parseRelease(text: string): Process[] {
  const doc = YAML.parse(text, { schema: 'failsafe' }) as unknown;
  if (doc === null || doc === '') return [];
  if (!isMap(doc)) throw new Error('release output is not a YAML map');
  return parseProcessMap(doc.default_process_types);
}

/** MergeProcesses: every process of `b` replaces those of `a` with the same type, or is appended. Returns a new list. */
export function mergeProcesses(a: readonly Process[], b: readonly Process[]): Process[] {
  const result = [...a];
  for (const pb of b) {
    let replaced = false;
    for (let i = 0; i < a.length; i++) {
      if (a[i].type === pb.type) {
        result[i] = pb;
        replaced = true;
      }
    }
    if (!replaced) result.push(pb);
  }
  return result;
}

export interface ProcessResult {
  process_types: Record<string, string>;
  processes: Array<{ type: string; command: string }>;
  sidecars: Sidecar[];
}

/** ConvertToResult: sidecars apart, the rest into both `process_types` and `processes`. */
export function toResult(procs: readonly Process[]): ProcessResult {
  const out: ProcessResult = { process_types: {}, processes: [], sidecars: [] };
  for (const p of procs) {
    if (p.sidecarFor && p.sidecarFor.length > 0) {
      out.sidecars.push({ name: p.type, process_types: [...p.sidecarFor], command: p.command, ...(p.memory ? { memory: p.memory } : {}) });
    } else {
      out.processes.push({ type: p.type, command: p.command });
      out.process_types[p.type] = p.command;
    }
  }
  return out;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}
