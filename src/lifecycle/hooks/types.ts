// The extension contract shared by script, HTTP and built-in extensions (schemas/hook-context.schema.json, schemas/hook-result.schema.json).
import type { Capture } from '../../model/index.ts';

import type { Phase } from '../../platform/phases.ts';

export type { Phase } from '../../platform/phases.ts';
export type When = 'before' | 'after';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** A finding an extension reports (license violation, vulnerability, lint message...). */
export interface Finding {
  severity: Severity;
  message: string;
  /** purl or name@version of the package concerned. */
  package?: string;
  /** advisory or rule id. */
  id?: string;
  /** the extension that reported it (filled by bpx). */
  extension?: string;
}

/** The JSON result an extension may return (script: the file named by BPX_RESULT; HTTP: the response body). */
export interface HookResult {
  findings?: Finding[];
  /** name=version pairs for the detect line, e.g. {"node": "20.11.1"}. */
  detect?: Record<string, string>;
  metadata?: Record<string, unknown>;
  /** HTTP extensions only. */
  verdict?: 'pass' | 'warn' | 'fail';
  /**
   * Built-ins only (builtin:detect-versions): the whole detect line to print instead of the inner buildpack's
   * detect stdout, when the inner detect succeeded. Tags from other extensions' `detect` are appended by the runner.
   */
  detectLine?: string;
  message?: string;
}

/** One buildpack of the staging as the context shows it. */
export interface BuildpackInfo {
  name?: string;
  version?: string;
  key?: string;
  index?: string;
  wrapped?: boolean;
}

/** The JSON context every extension gets (BPX_CONTEXT file for scripts; POST body for HTTP). */
export interface HookContext {
  version: 1;
  extension: string;
  phase: Phase;
  when: When;
  app: { name?: string; id?: string; spaceId?: string; spaceName?: string; orgId?: string; orgName?: string };
  stack?: string;
  buildpacks: BuildpackInfo[];
  dirs: { build: string; cache?: string; deps?: string; depsIdx?: string; profile?: string };
  /** Only when an HTTP extension asks for them with `with: {send: [components, findings]}`. */
  components?: Capture['components'];
  findings?: Finding[];
}

/** State shared by the extensions of one staging, persisted between phase processes. */
export interface StagingState {
  capture?: Capture;
  findings: Finding[];
  /** detect tags contributed by extensions, in manifest order (operator first). */
  detect: Array<{ name: string; value: string; extension: string }>;
  /** `-----> Installing <name> <version>` lines seen in the inner buildpack's supply output. */
  installs: Array<{ name: string; version: string }>;
  metadata: Record<string, unknown>;
  /** staging-log notices already printed (bpx says each refusal once per staging, not once per phase). */
  notices?: string[];
  /** the phases of this staging so far (`detect`, `supply:<DEPS_IDX>`, …): src/lifecycle/state.ts tells a new staging by them. */
  steps?: string[];
}

/** What a built-in extension receives. */
export interface BuiltinContext {
  hook: HookContext;
  /** the extension's `with:` settings (validated by the built-in itself). */
  with: Record<string, unknown>;
  /** directory of the manifest that declared the extension (relative paths in `with:` resolve here). */
  manifestDir: string;
  /** true when the extension comes from the operator's manifest, false for the app's. */
  operator: boolean;
  /** Environment of the staging (read-only view; the CLI passes it in, libraries never read process.env). */
  env: Readonly<Record<string, string | undefined>>;
  state: StagingState;
  /** Captures the build dir and deps dir once per phase (cached in state.capture). */
  capture(): Promise<Capture>;
  /** A line to the staging log (stderr during detect/release), prefixed with the extension name by bpx. */
  log(line: string): void;
  signal: AbortSignal;
  /** The wrapped (inner) buildpack: its real folder, where VERSION and manifest.yml live; at detect:after, what its bin/detect printed. */
  buildpack?: { dir: string; detectOutput?: string };
  /** true when this phase is the final one of the staging (finalize, or compile of the last buildpack). */
  final?: boolean;
}

export interface BuiltinExtension {
  /** the part after `builtin:` */
  name: string;
  description: string;
  run(ctx: BuiltinContext): Promise<HookResult>;
}
