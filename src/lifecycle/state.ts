// StagingState persisted between the phase processes of one staging, in a temp dir outside every CF directory.
import { createHash } from 'node:crypto';
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
  const key = createHash('sha256').update(resolve(buildDir)).digest('hex').slice(0, 16);
  return join(tmpDir, `bpx-state-${key}`, 'state.json');
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
