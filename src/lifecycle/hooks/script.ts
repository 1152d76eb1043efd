// Runs one script extension (the contract in docs/extensions.md): execa, own process group, context on stdin, result file.
import { mkdtemp, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { formatMs } from './format.ts';
import { killGroup, liveGroups } from './kill-tree.ts';
import { parseHookResult } from './result.ts';
import type { HookContext, HookResult } from './types.ts';

export interface ScriptRunOptions {
  run: string | string[];
  manifestDir: string;
  context: HookContext;
  /** complete environment of the child (inherited CF env already scrubbed, extension env and BPX_* added by the caller). */
  env: Record<string, string>;
  timeoutMs: number;
  /** time between SIGTERM and SIGKILL at the timeout. */
  graceMs: number;
  tmpDir: string;
  log(line: string): void;
}

/** The command line: `run: hooks/x.sh` is a path relative to the manifest; `[cmd, args...]` looks cmd up in PATH unless it has a slash. */
export function commandOf(run: string | string[], manifestDir: string): [string, string[]] {
  if (typeof run === 'string') return [isAbsolute(run) ? run : resolve(manifestDir, run), []];
  const [cmd, ...args] = run;
  return [cmd.includes('/') && !isAbsolute(cmd) ? resolve(manifestDir, cmd) : cmd, args];
}

/** Resolves with the result (empty when the script wrote none); throws on non-zero exit, timeout or an invalid result. */
export async function runScriptHook(opts: ScriptRunOptions): Promise<HookResult> {
  const work = await mkdtemp(join(opts.tmpDir, 'bpx-hook-'));
  let stdin: FileHandle | undefined;
  try {
    const contextFile = join(work, 'context.json');
    const resultFile = join(work, 'result.json');
    const contextJson = `${JSON.stringify(opts.context, null, 2)}\n`;
    await writeFile(contextFile, contextJson, { mode: 0o600 });
    const [cmd, args] = commandOf(opts.run, opts.manifestDir);
    const { execa } = await import('execa');
    // stdin is the context file itself, not a pipe: a script that never reads it must not fail with EPIPE (execa 8 rejects on it).
    stdin = await open(contextFile, 'r');
    const sub = execa(cmd, args, {
      cwd: opts.manifestDir,
      env: { ...opts.env, BPX_CONTEXT: contextFile, BPX_RESULT: resultFile },
      extendEnv: false,
      // its own process group, so that a timeout can kill everything it started
      detached: true,
      cleanup: false,
      stdin: stdin.fd,
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      reject: false,
      stripFinalNewline: false,
    });
    if (sub.pid) liveGroups.add(sub.pid);
    for (const stream of [sub.stdout, sub.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (l) => opts.log(l));
    }
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(sub.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(sub.pid, 'SIGKILL'), opts.graceMs);
    }, opts.timeoutMs);
    // When the script itself exits, whatever it left running in its group is killed too (it would hold the pipes open).
    sub.once('exit', () => {
      if (!timedOut) killGroup(sub.pid, 'SIGKILL');
    });
    const res = await sub;
    clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    killGroup(sub.pid, 'SIGKILL');
    if (sub.pid) liveGroups.delete(sub.pid);
    if (timedOut) throw new Error(`timed out after ${formatMs(opts.timeoutMs)}; its process tree was killed`);
    if ((res as { code?: string }).code === 'ENOENT' || (res as { code?: string }).code === 'EACCES') {
      throw new Error(`cannot run ${cmd}: ${(res as { code?: string }).code === 'ENOENT' ? 'not found' : 'permission denied'}`);
    }
    let result: HookResult = {};
    let text: string | undefined;
    try {
      text = await readFile(resultFile, 'utf8');
    } catch {
      text = undefined;
    }
    const failedExit = res.exitCode !== 0 || res.signal;
    let resultError: Error | undefined;
    if (text !== undefined && text.trim() !== '') {
      try {
        result = await parseHookResult(text, 'result file (BPX_RESULT)');
      } catch (err) {
        resultError = err as Error;
      }
    }
    if (failedExit) {
      const why = res.signal ? `was killed by ${res.signal}` : `exited with code ${res.exitCode ?? 'unknown'}`;
      throw Object.assign(new Error(why), { result });
    }
    if (resultError) throw resultError;
    return result;
  } finally {
    await stdin?.close();
    await rm(work, { recursive: true, force: true });
  }
}
