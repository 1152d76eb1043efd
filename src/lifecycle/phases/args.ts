// The builder's argv per script (DESIGN.md §1, cloudfoundry/buildpackapplifecycle buildpackrunner/runner.go).
import type { HookContext, Phase } from '../hooks/types.ts';

export type PhaseDirs = HookContext['dirs'];

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

/** The BPX_* directory variables a script extension receives (only those the phase has). */
export function dirEnv(dirs: PhaseDirs): Record<string, string> {
  const out: Record<string, string> = { BPX_BUILD_DIR: dirs.build };
  if (dirs.cache !== undefined) out.BPX_CACHE_DIR = dirs.cache;
  if (dirs.deps !== undefined) out.BPX_DEPS_DIR = dirs.deps;
  if (dirs.depsIdx !== undefined) out.BPX_DEPS_IDX = dirs.depsIdx;
  if (dirs.profile !== undefined) out.BPX_PROFILE_DIR = dirs.profile;
  return out;
}
