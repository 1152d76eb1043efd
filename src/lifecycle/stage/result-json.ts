// The builder's result file (`-outputMetadata`) byte for byte: Go's json.Encoder over buildpackapplifecycle's structs.
import { goJsonProblem, type BuildpackMetadata } from '../../platform/config-yml.ts';

export interface Sidecar {
  name: string;
  process_types: string[];
  command: string;
  /** launch.yml `limits.memory` (MB), omitted when 0. */
  memory?: number;
}

/** result.json as the builder writes it with `-outputMetadata`. */
export interface StagingResultJson {
  lifecycle_metadata: {
    buildpack_key?: string;
    detected_buildpack: string;
    buildpacks: BuildpackMetadata[];
  };
  process_types: Record<string, string> | null;
  processes?: Array<{ type: string; command: string }>;
  sidecars?: Sidecar[];
  execution_metadata: string;
  lifecycle_type: 'buildpack';
}

/** What json.Encoder returned instead of writing: the builder prints it and exits 1; the file stays empty. */
export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoJsonError';
  }
}

/**
 * Compact JSON in the structs' field order, Go map keys sorted, `<>&` and U+2028/9 escaped as Go does, one trailing
 * newline. Throws GoJsonError where encoding/json would refuse a value (a nested map under output_metadata).
 */
export function encodeResult(r: StagingResultJson): string {
  const lm = r.lifecycle_metadata;
  const ordered = {
    lifecycle_metadata: {
      ...(lm.buildpack_key ? { buildpack_key: lm.buildpack_key } : {}),
      detected_buildpack: lm.detected_buildpack,
      buildpacks: lm.buildpacks.map((b) => ({
        key: b.key,
        name: b.name,
        ...(b.version ? { version: b.version } : {}),
        ...(b.config ? { config: sortedMap(b.config) } : {}),
        ...(b.output_metadata && Object.keys(b.output_metadata).length ? { output_metadata: goMap(b.output_metadata) } : {}),
      })),
    },
    process_types: r.process_types === null ? null : goMap(r.process_types),
    ...(r.processes?.length ? { processes: r.processes.map((p) => ({ type: p.type, command: p.command })) } : {}),
    ...(r.sidecars?.length
      ? {
          sidecars: r.sidecars.map((s) => ({
            name: s.name,
            process_types: s.process_types,
            command: s.command,
            ...(s.memory ? { memory: s.memory } : {}),
          })),
        }
      : {}),
    execution_metadata: r.execution_metadata,
    lifecycle_type: r.lifecycle_type,
  };
  return `${goEscape(JSON.stringify(ordered))}\n`;
}

/** A Go map[string]interface{}: keys sorted; its values must be what encoding/json accepts. */
function goMap(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(m).sort()) {
    const problem = goJsonProblem(m[k]);
    if (problem) throw new GoJsonError(problem);
    out[k] = m[k];
  }
  return out;
}

/** `config` as it is, keys sorted (the builder's own struct: no nested-map check is known to apply). */
function sortedMap(m: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );
}

/** json.Encoder's default HTML escaping: "a<b" → "a\u003cb". */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
