// Where a buildpack's bin/ lives, by the CF builder's rule (buildpackapplifecycle buildpackrunner/runner.go buildpackPath).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exists } from '../fs/exists.ts';

/** Thrown with the builder's own messages, so that `bpx stage` prints what the builder prints. */
export class BuildpackRootError extends Error {
  constructor(
    message: string,
    readonly reason: 'unreadable' | 'no-bin',
  ) {
    super(message);
    this.name = 'BuildpackRootError';
  }
}

/**
 * The folder itself when it has `bin/`, else its single entry when that has `bin/` (a zip or folder that holds
 * everything under one top folder). `bin/` counts when it exists at all (os.Stat, links followed), as in runner.go.
 * Throws BuildpackRootError with the builder's messages otherwise.
 */
export async function buildpackRoot(dir: string, key: string): Promise<string> {
  if (await exists(join(dir, 'bin'))) return dir;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new BuildpackRootError(`Failed to read buildpack directory '${dir}' for buildpack '${key}'`, 'unreadable');
  }
  if (names.length === 1 && (await exists(join(dir, names[0], 'bin')))) return join(dir, names[0]);
  throw new BuildpackRootError(`malformed buildpack does not contain a /bin dir: ${key}`, 'no-bin');
}
