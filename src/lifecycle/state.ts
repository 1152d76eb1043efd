// StagingState persisted between the phase processes of one staging, in a temp dir outside every CF directory.
// Its small reads and writes are synchronous: a wrapped phase waits on nothing else meanwhile, and each trip through
// libuv's thread pool (the first starts its threads) costs more than the read or write itself.
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Manifest } from '../manifest/types.ts';
import { operatorRunsAt } from '../wrap/shim.ts';
import type { Phase, StagingState } from './hooks/types.ts';
import type { PhaseDirs } from './phases/args.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';

export function emptyState(): StagingState {
  return { findings: [], detect: [], installs: [], metadata: {} };
}

/**
 * Keyed by BUILD_DIR, the one directory every phase receives (argv[1]); never inside BUILD_DIR, DEPS_DIR or
 * CACHE_DIR, so the droplet and the cache stay byte-identical to an unwrapped staging. The shims compute the same
 * folder in sh for the phases they run without Node (src/wrap/shim.ts): `cd -P BUILD_DIR && pwd -P | cksum`.
 */
export function statePath(tmpDir: string, buildDir: string): string {
  let dir = resolve(buildDir);
  try {
    dir = realpathSync.native(dir);
  } catch {
    // a build dir that is gone: its state is never found again, which is what a new staging wants
  }
  return join(tmpDir, `bpx-state-${pathKey(dir)}`, 'state.json');
}

/**
 * 16 hex digits naming a folder per BUILD_DIR: POSIX `cksum`'s CRC and byte length of the path (`printf %s /tmp/app |
 * cksum` → `3197131194 8` → `be9059ba00000008`), so that a shim can name it without Node. Not a security boundary
 * (the folder is the staging user's own), and it spares every phase the load of node:crypto. The CRC-32 (polynomial
 * 0x04C11DB7, most significant bit first) goes bit by bit, in 32-bit integers whose sign is the top bit: a path is
 * short, and a table of 256 entries took longer to build at each phase's start (about 1 ms) than the whole CRC.
 */
export function pathKey(path: string): string {
  const bytes = Buffer.from(path, 'utf8');
  let crc = 0;
  const step = (b: number): void => {
    crc ^= b << 24;
    for (let k = 0; k < 8; k++) crc = crc < 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  };
  for (const b of bytes) step(b);
  // then the length, least significant byte first, as many bytes as it takes
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) step(n & 0xff);
  return (~crc >>> 0).toString(16).padStart(8, '0') + bytes.length.toString(16).padStart(8, '0');
}

/** The state an earlier phase of this staging saved, or an empty one. */
export async function loadState(file: string): Promise<StagingState> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<StagingState>;
    return {
      findings: Array.isArray(data.findings) ? data.findings : [],
      detect: Array.isArray(data.detect) ? data.detect : [],
      installs: Array.isArray(data.installs) ? data.installs : [],
      metadata: data.metadata && typeof data.metadata === 'object' ? data.metadata : {},
      ...(Array.isArray(data.notices) ? { notices: data.notices.filter((n) => typeof n === 'string') } : {}),
      ...(Array.isArray(data.steps) ? { steps: data.steps.filter((n) => typeof n === 'string') } : {}),
    };
  } catch {
    return emptyState();
  }
}

/** The capture is not persisted: it is per phase (the app changes between phases) and can be large. */
export async function saveState(file: string, state: StagingState): Promise<void> {
  const { capture: _drop, ...rest } = state;
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileAtomicSync(file, `${JSON.stringify(rest)}\n`, 0o600);
}

/** Removes the state folder of a build dir (the staging is over). */
export async function removeState(file: string): Promise<void> {
  rmSync(dirname(file), { recursive: true, force: true });
}

/** detect 0, supply 1, finalize and compile 2, release 3: the builder's order within one staging (DESIGN.md §1). */
const RANK: Record<Phase, number> = { detect: 0, supply: 1, finalize: 2, compile: 2, release: 3 };

/** `supply:01` → { phase: supply, rank 1, idx 1 }; the DEPS_IDX orders the supply scripts of several buildpacks. */
function parseStep(step: string): { phase: Phase; idx: number } | undefined {
  const [phase, idx] = step.split(':');
  if (!(phase in RANK)) return undefined;
  return { phase: phase as Phase, idx: idx === undefined ? 0 : Number.parseInt(idx, 10) || 0 };
}

/** Whether `phase` (with this DEPS_IDX) comes after `done` in one staging: the builder's order (RANK, then DEPS_IDX). */
export function comesAfter(done: { phase: Phase; idx: number }, phase: Phase, idx: number): boolean {
  if (RANK[done.phase] !== RANK[phase]) return RANK[done.phase] < RANK[phase];
  // supply scripts of several buildpacks follow each other with rising DEPS_IDX
  return phase === 'supply' && done.idx < idx;
}

/** Whether this phase begins a new staging of the build dir: one at or before it is already recorded (see beginStep). */
export function startsAnew(state: StagingState, phase: Phase, depsIdx?: string): boolean {
  const idx = depsIdx === undefined ? 0 : Number.parseInt(depsIdx, 10) || 0;
  return (state.steps ?? []).some((s) => {
    const done = parseStep(s);
    return done !== undefined && !comesAfter(done, phase, idx);
  });
}

/**
 * The state this phase works on. Within one staging the builder runs detect, the supply scripts in DEPS_IDX order,
 * finalize or compile, then release: a phase at or before one already recorded (a second detect, supply 0 after
 * supply 0 or after finalize, …) begins a new staging of the same build dir, so nothing of the last one carries over
 * (shims run by hand, an interrupted staging). Returns a new record with this phase's step appended.
 */
export function beginStep(state: StagingState, phase: Phase, depsIdx?: string): StagingState {
  const idx = depsIdx === undefined ? 0 : Number.parseInt(depsIdx, 10) || 0;
  const fresh = startsAnew(state, phase, depsIdx);
  const step = depsIdx === undefined ? phase : `${phase}:${idx}`;
  const base = fresh ? emptyState() : state;
  return { ...base, steps: [...(fresh ? [] : (state.steps ?? [])), step] };
}

export interface PhaseEnd {
  phase: Phase;
  /** the phase's exit code */
  code: number;
  wrapperDir: string;
  /** the operator's manifest */
  manifest: Manifest;
  dirs: PhaseDirs;
}

/**
 * Whether this phase ends the staging for bpx, so that its state is removed: any failure (the builder stops, or moves
 * on to another buildpack's detect, which starts afresh), release, and a successful detect, finalize or compile after
 * which no phase of this wrapper starts bpx (the shims of later phases take the fast path, or release will not run
 * because the buildpack wrote launch.yml). A successful supply never ends it: a later buildpack of the same staging
 * may be wrapped too and read what this one recorded.
 */
export async function stagingEnds(end: PhaseEnd): Promise<boolean> {
  const { phase, dirs } = end;
  if (end.code !== 0 || phase === 'release') return true;
  if (phase === 'supply') return false;
  if (phase === 'finalize' && dirs.deps && dirs.depsIdx !== undefined) {
    if (statQuietly(join(dirs.deps, dirs.depsIdx, 'launch.yml'))) return true;
  }
  const later: Phase[] = phase === 'detect' ? ['supply', 'finalize', 'compile', 'release'] : ['release'];
  const shims = new Set(readNames(join(end.wrapperDir, 'bin')));
  const points = new Set<string>(end.manifest.extensions?.flatMap((e) => e.at) ?? []);
  const appAt = new Set<string>(end.manifest.app?.allowExtensions ? (end.manifest.app.allowedAt ?? []) : []);
  // the shims' own test: an app's bpx.yml counts when it is a file in BUILD_DIR
  const appFile = dirs.build ? (statQuietly(join(dirs.build, 'bpx.yml'))?.isFile() ?? false) : false;
  return !later.some(
    (p) => shims.has(p) && (operatorRunsAt(p, points) || (appFile && (appAt.has(`${p}:before`) || appAt.has(`${p}:after`)))),
  );
}

/** What stat says of a path, undefined when it cannot (absent, unreadable). */
function statQuietly(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The names in a folder, none when it cannot be read. */
function readNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
