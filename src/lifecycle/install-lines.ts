// The inner buildpack's stdout that a shim kept without Node (src/wrap/shim.ts): its `-----> Installing` lines, for the
// extensions of a later phase (builtin:detect-versions names what was installed).
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseInstallLine } from './buildpack/run-inner.ts';
import type { Phase, StagingState } from './hooks/types.ts';
import { comesAfter } from './state.ts';

/**
 * The file a recording shim writes in the staging state folder: `supply-<DEPS_IDX>.out`, `finalize.out`, `compile.out`.
 * The shim spells the same names (src/wrap/shim.ts).
 */
const SIDE_FILE = /^(supply|finalize|compile)(?:-(\d+))?\.out$/;

/**
 * Moves the install lines that shims kept into `state.installs`, in the builder's order (supply by DEPS_IDX, then
 * finalize or compile), each name and version once as the Node path records them; then removes every such file.
 * Only the phases before this one are this staging's: a file of this phase or a later one, or any file when the
 * staging begins anew, is left over from an earlier staging and dropped. Returns whether `state` changed. Synchronous
 * reads, as the rest of the state's (src/lifecycle/state.ts).
 */
export async function takeInstallLines(
  stateDir: string,
  state: StagingState,
  phase: Phase,
  depsIdx: string | undefined,
  anew: boolean,
): Promise<boolean> {
  let names: string[];
  try {
    names = readdirSync(stateDir);
  } catch {
    names = [];
  }
  const idx = depsIdx === undefined ? 0 : Number.parseInt(depsIdx, 10) || 0;
  const found: Array<{ name: string; phase: Phase; idx: number }> = [];
  for (const name of names) {
    const m = SIDE_FILE.exec(name);
    if (m) found.push({ name, phase: m[1] as Phase, idx: m[2] === undefined ? 0 : Number.parseInt(m[2], 10) });
  }
  const before = (a: { phase: Phase; idx: number }, b: { phase: Phase; idx: number }): number =>
    comesAfter(a, b.phase, b.idx) ? -1 : comesAfter(b, a.phase, a.idx) ? 1 : 0;
  let changed = false;
  for (const f of found.sort(before)) {
    const file = join(stateDir, f.name);
    if (!anew && comesAfter(f, phase, idx)) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // gone or unreadable: no lines
      }
      for (const line of text.split('\n')) {
        const inst = parseInstallLine(line);
        if (inst && !state.installs.some((i) => i.name === inst.name && i.version === inst.version)) {
          state.installs.push(inst);
          changed = true;
        }
      }
    }
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return changed;
}
