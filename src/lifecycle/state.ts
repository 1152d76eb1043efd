// StagingState persisted between the phase processes of one staging, in a temp dir outside every CF directory.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StagingState } from './hooks/types.ts';

export function emptyState(): StagingState {
  return { findings: [], detect: [], installs: [], metadata: {} };
}

/**
 * Keyed by BUILD_DIR, the one directory every phase receives (argv[1]); never inside BUILD_DIR, DEPS_DIR or
 * CACHE_DIR, so the droplet and the cache stay byte-identical to an unwrapped staging.
 */
export function statePath(tmpDir: string, buildDir: string): string {
  const key = pathKey(resolve(buildDir));
  return join(tmpDir, `bpx-state-${key}`, 'state.json');
}

/**
 * 16 hex digits naming a folder per BUILD_DIR: two FNV-1a 32-bit hashes with different offsets. Not a security
 * boundary (the folder is the staging user's own), and it spares every phase the load of node:crypto.
 */
function pathKey(path: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
    b = (b ^ (b >>> 13)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export async function loadState(file: string): Promise<StagingState> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<StagingState>;
    return {
      findings: Array.isArray(data.findings) ? data.findings : [],
      detect: Array.isArray(data.detect) ? data.detect : [],
      installs: Array.isArray(data.installs) ? data.installs : [],
      metadata: data.metadata && typeof data.metadata === 'object' ? data.metadata : {},
      ...(Array.isArray(data.notices) ? { notices: data.notices.filter((n) => typeof n === 'string') } : {}),
    };
  } catch {
    return emptyState();
  }
}

/** The capture is not persisted: it is per phase (the app changes between phases) and can be large. */
export async function saveState(file: string, state: StagingState): Promise<void> {
  const { capture: _drop, ...rest } = state;
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(rest)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
