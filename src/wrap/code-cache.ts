// The V8 code caches of the phase runtime's scripts (src/cli/phase-boot.cts): written by the Node the wrapper ships, once,
// at wrap time, so that no phase of any staging parses those scripts or compiles what the caches hold again.
import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CODE_CACHE_SUFFIX, PHASE_BOOT, PHASE_DIR } from './runtime-layout.ts';

export type CodeCache = { bytes: number } | { error: string };

/**
 * Runs `runtime/node runtime/phase/boot.cjs --write-code-cache`, then checks that the same Node accepts what it wrote.
 * Both run with an empty environment: V8 takes a cache only under the flags it was made with, and the shims start the
 * phase runtime without NODE_OPTIONS (src/platform/node-env.ts). A failure leaves no cache (the runtime works without
 * one, only slower) and says why.
 */
export async function writePhaseCodeCache(runtimeDir: string): Promise<CodeCache> {
  const node = join(runtimeDir, 'node');
  const boot = join(runtimeDir, PHASE_BOOT);
  try {
    const bytes = Number((await run(node, [boot, '--write-code-cache'])).trim());
    const check = (await run(node, [boot, '--check-code-cache'])).trim();
    if (check !== 'accepted') throw new Error(`the Node that wrote it says ${JSON.stringify(check)}`);
    return { bytes };
  } catch (e) {
    const dir = join(runtimeDir, PHASE_DIR);
    for (const f of await readdir(dir).catch(() => [] as string[]))
      if (f.endsWith(CODE_CACHE_SUFFIX)) await rm(join(dir, f), { force: true });
    return { error: (e as Error).message };
  }
}

function run(node: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(node, args, { env: {}, timeout: 60_000, maxBuffer: 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${String(stderr).trim().split('\n').slice(-3).join(' ') || err.message}`));
      else resolve(String(stdout));
    }),
  );
}
