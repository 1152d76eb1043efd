// Cloud Foundry builder failure messages (buildpackapplifecycle errors.go) and failure kinds (exit codes).
import { BUILDER_EXIT } from '../../platform/exit-codes.ts';

export const DETECT_FAIL_MSG = 'None of the buildpacks detected a compatible application';
export const COMPILE_FAIL_MSG = 'Failed to compile droplet';
export const RELEASE_FAIL_MSG = 'Failed to build droplet release';
export const SUPPLY_FAIL_MSG = 'Failed to run all supply scripts';
export const NO_SUPPLY_SCRIPT_FAIL_MSG = 'Error: one of the buildpacks chosen to supply dependencies does not support multi-buildpack apps';
export const MISSING_FINALIZE_WARN_MSG =
  'Warning: the last buildpack is not compatible with multi-buildpack apps and cannot make use of any dependencies supplied by the buildpacks specified before it';
export const FINALIZE_FAIL_MSG = 'Failed to run finalize script';

/** Wraps an inner failure the way the builder's descriptiveError does: "outer: inner". */
export function wrap(outer: string, inner?: string): string {
  return inner ? `${outer}: ${inner}` : outer;
}

/** What failed: each kind has the builder's exit code (src/platform/exit-codes.ts). */
export type FailureKind = keyof typeof BUILDER_EXIT;

/** The builder's exit code for a failure kind: 222 detect, 223 compile (also finalize or the last supply), 224 release, 225 supply. */
export function exitCodeOf(kind: FailureKind): number {
  return BUILDER_EXIT[kind];
}
