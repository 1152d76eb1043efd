// The BPX_* folder variables of a phase; the folders themselves come from the builder's argv (src/platform/phases.ts).
import type { PhaseDirs } from '../../platform/phases.ts';

export { dirsFromArgv, type PhaseDirs } from '../../platform/phases.ts';

/** The BPX_* directory variables a script extension receives (only those the phase has). */
export function dirEnv(dirs: PhaseDirs): Record<string, string> {
  const out: Record<string, string> = { BPX_BUILD_DIR: dirs.build };
  if (dirs.cache !== undefined) out.BPX_CACHE_DIR = dirs.cache;
  if (dirs.deps !== undefined) out.BPX_DEPS_DIR = dirs.deps;
  if (dirs.depsIdx !== undefined) out.BPX_DEPS_IDX = dirs.depsIdx;
  if (dirs.profile !== undefined) out.BPX_PROFILE_DIR = dirs.profile;
  return out;
}
