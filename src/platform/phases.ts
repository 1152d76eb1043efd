// The buildpack scripts the CF builder runs and the argv it gives each (DESIGN.md §1, buildpackrunner/runner.go).

export type Phase = 'detect' | 'supply' | 'finalize' | 'compile' | 'release';

/** In the order a staging runs them. */
export const PHASES: readonly Phase[] = ['detect', 'supply', 'finalize', 'compile', 'release'];

/** The folders a phase's argv names. */
export interface PhaseDirs {
  build: string;
  cache?: string;
  deps?: string;
  depsIdx?: string;
  profile?: string;
}

/** detect/release: BUILD_DIR; supply: + CACHE_DIR DEPS_DIR DEPS_IDX; finalize: + PROFILE_DIR; compile: BUILD_DIR CACHE_DIR [ENV_DIR]. */
export function dirsFromArgv(phase: Phase, argv: readonly string[]): PhaseDirs {
  const [build = '', cache, deps, depsIdx, profile] = argv;
  switch (phase) {
    case 'detect':
    case 'release':
      return { build };
    case 'compile':
      return { build, cache };
    case 'supply':
      return { build, cache, deps, depsIdx };
    case 'finalize':
      return { build, cache, deps, depsIdx, profile };
  }
}

/** The argv the builder passes a phase's script (the inverse of dirsFromArgv). */
export function argvFor(phase: Phase, dirs: PhaseDirs): string[] {
  const { build, cache = '', deps = '', depsIdx = '', profile = '' } = dirs;
  switch (phase) {
    case 'detect':
    case 'release':
      return [build];
    case 'compile':
      return [build, cache];
    case 'supply':
      return [build, cache, deps, depsIdx];
    case 'finalize':
      return [build, cache, deps, depsIdx, profile];
  }
}

/** The builder's DEPS_IDX for buildpack `i` of `count`: `%0Nd`, N the digit count of count (1 → "0"; 11 → "00".."10"). */
export function depsIndex(i: number, count: number): string {
  const digits = Math.floor(Math.log10(Math.max(1, count))) + 1;
  return String(i).padStart(digits, '0');
}
