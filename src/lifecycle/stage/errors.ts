// Cloud Foundry builder failure messages and exit codes (buildpackapplifecycle errors.go, builder/main.go).

export const DETECT_FAIL_MSG = 'None of the buildpacks detected a compatible application';
export const COMPILE_FAIL_MSG = 'Failed to compile droplet';
export const RELEASE_FAIL_MSG = 'Failed to build droplet release';
export const SUPPLY_FAIL_MSG = 'Failed to run all supply scripts';
export const NO_SUPPLY_SCRIPT_FAIL_MSG =
  'Error: one of the buildpacks chosen to supply dependencies does not support multi-buildpack apps';
export const MISSING_FINALIZE_WARN_MSG =
  'Warning: the last buildpack is not compatible with multi-buildpack apps and cannot make use of any dependencies supplied by the buildpacks specified before it';
export const FINALIZE_FAIL_MSG = 'Failed to run finalize script';

/** Wraps an inner failure the way the builder's descriptiveError does: "outer: inner". */
export function wrap(outer: string, inner?: string): string {
  return inner ? `${outer}: ${inner}` : outer;
}

/**
 * The builder derives its exit code from the message text, first match wins (ExitCodeFromError):
 * "Failed to compile droplet: Failed to run all supply scripts: exit status 3" → 223, not 225.
 */
export function exitCodeFromMessage(message: string): number {
  if (message.includes(DETECT_FAIL_MSG)) return 222;
  if (message.includes(COMPILE_FAIL_MSG)) return 223;
  if (message.includes(RELEASE_FAIL_MSG)) return 224;
  if (message.includes(SUPPLY_FAIL_MSG)) return 225;
  if (message.includes(NO_SUPPLY_SCRIPT_FAIL_MSG)) return 225;
  if (message.includes(FINALIZE_FAIL_MSG)) return 226;
  return 1;
}
