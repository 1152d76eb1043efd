// Cloud Foundry builder DEPS_IDX: `%0Nd` where N is the digit count of the number of buildpacks that get a deps dir.

/**
 * The deps index the builder passes for buildpack `i` of `count` (count = supply buildpacks + the final one).
 * 1 buildpack → "0"; 11 buildpacks → "00".."10" (lifecycle_builder_config.go DepsIndex).
 */
export function depsIndex(i: number, count: number): string {
  const digits = Math.floor(Math.log10(Math.max(1, count))) + 1;
  return String(i).padStart(digits, '0');
}
