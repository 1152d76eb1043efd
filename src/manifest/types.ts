// The bpx manifest (bpx.yml, schemas/manifest.schema.json) as the runner sees it after validation.
import type { Phase, When } from '../lifecycle/hooks/types.ts';

export type Point = `${Phase}:${When}`;

export interface ExtensionSpec {
  name: string;
  at: Point[];
  run?: string | string[];
  uses?: string;
  http?: string;
  /** as written, e.g. `2m`; see timeoutMs. */
  timeout?: string;
  onFailure?: 'warn' | 'fail';
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  insecure?: boolean;
}

export interface Manifest {
  version: 1;
  extensions?: ExtensionSpec[];
  app?: { allowExtensions?: boolean; allowedAt?: Point[] };
}

/** A located problem in a manifest. line/column are 1-based; path like `extensions[1].onFailure`. */
export interface ManifestError {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

/** One extension ready to run: its spec plus where it came from. */
export interface ResolvedExtension {
  spec: ExtensionSpec;
  /** directory of the manifest that declared it (relative paths resolve here). */
  manifestDir: string;
  operator: boolean;
  timeoutMs: number;
  onFailure: 'warn' | 'fail';
}
