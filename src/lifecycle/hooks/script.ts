// Runs one script extension (the contract in docs/extensions.md): own process group, context on stdin, result file.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

import { formatMs, msSince } from './format.ts';
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
  /** told the script's own time, ms from its spawn to its exit (whatever the outcome) */
  ran?(ms: number): void;
}

/** The command line: `run: hooks/x.sh` is a path relative to the manifest; `[cmd, args...]` looks cmd up in PATH unless it has a slash. */
export function commandOf(run: string | string[], manifestDir: string): [string, string[]] {
  if (typeof run === 'string') return [isAbsolute(run) ? run : resolve(manifestDir, run), []];
  const [cmd, ...args] = run;
  return [cmd.includes('/') && !isAbsolute(cmd) ? resolve(manifestDir, cmd) : cmd, args];
}

/**
 * Resolves with the result (empty when the script wrote none); throws on non-zero exit, timeout or an invalid result.
 * Its own files (the folder, the context, the result) are written and read synchronously: small, and nothing else
 * waits meanwhile, where each trip through libuv's thread pool costs more than the file work itself.
 */
export async function runScriptHook(opts: ScriptRunOptions): Promise<HookResult> {
  const work = mkdtempSync(join(opts.tmpDir, 'bpx-hook-'));
  let stdin: number | undefined;
  try {
    const contextFile = join(work, 'context.json');
    const resultFile = join(work, 'result.json');
    const contextJson = `${JSON.stringify(opts.context, null, 2)}\n`;
    writeFileSync(contextFile, contextJson, { mode: 0o600 });
    const [cmd, args] = commandOf(opts.run, opts.manifestDir);
    // stdin is the context file itself, not a pipe: a script that never reads it must not fail with EPIPE.
    stdin = openSync(contextFile, 'r');
    // node:child_process rather than execa: a phase starts no more code than one spawn needs (execa and what it loads
    // cost every phase with a script extension about 20 ms)
    const spawned = process.hrtime.bigint();
    const sub = spawn(cmd, args, {
      cwd: opts.manifestDir,
      env: { ...opts.env, BPX_CONTEXT: contextFile, BPX_RESULT: resultFile },
      // its own process group, so that a timeout can kill everything it started
      detached: true,
      stdio: [stdin, 'pipe', 'pipe'],
    });
    if (sub.pid) liveGroups.add(sub.pid);
    for (const stream of [sub.stdout, sub.stderr]) if (stream) eachLine(stream, opts.log);
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
    const res = await ended(sub);
    opts.ran?.(msSince(spawned));
    clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    killGroup(sub.pid, 'SIGKILL');
    if (sub.pid) liveGroups.delete(sub.pid);
    if (timedOut) throw new Error(`timed out after ${formatMs(opts.timeoutMs)}; its process tree was killed`);
    if (res.code === 'ENOENT' || res.code === 'EACCES') {
      throw new Error(`cannot run ${cmd}: ${res.code === 'ENOENT' ? 'not found' : 'permission denied'}`);
    }
    let result: HookResult = {};
    let text: string | undefined;
    try {
      text = readFileSync(resultFile, 'utf8');
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
    if (stdin !== undefined) closeSync(stdin);
    rmSync(work, { recursive: true, force: true });
  }
}

interface Ended {
  /** undefined when the script could not be started or was killed by a signal */
  exitCode?: number;
  signal?: NodeJS.Signals;
  /** why it could not be started (ENOENT, EACCES, ...) */
  code?: string;
}

/** Resolves when the script has exited and its stdout and stderr are drained, or it could not be started. */
function ended(sub: import('node:child_process').ChildProcess): Promise<Ended> {
  return new Promise((done) => {
    let error: NodeJS.ErrnoException | undefined;
    sub.once('error', (err: NodeJS.ErrnoException) => {
      error = err;
      // a spawn that failed has no process to wait for: 'close' may never come
      if (sub.pid === undefined) done({ code: err.code ?? 'ERROR' });
    });
    sub.once('close', (code, signal) => {
      if (error) done({ code: error.code ?? 'ERROR' });
      else done({ ...(code === null ? {} : { exitCode: code }), ...(signal ? { signal } : {}) });
    });
  });
}

/**
 * Each line of a stream as node:readline gives it (crlfDelay Infinity): ends are \n, \r\n or a lone \r (also when
 * the \n of a \r\n comes in the next chunk), UTF-8 decoded across chunks, a last unterminated line at the end.
 * `a\r\nb\rc\n\nd` → `a`, `b`, `c`, ``, `d`.
 */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  stream.setEncoding('utf8');
  let rest = '';
  let sawReturn = false;
  stream.on('data', (chunk: string) => {
    const s = sawReturn && chunk.charCodeAt(0) === 10 ? chunk.slice(1) : chunk;
    sawReturn = false;
    if (!s) return;
    const parts = (rest + s).split(LINE_END);
    rest = parts.pop()!;
    sawReturn = s.endsWith('\r');
    for (const line of parts) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}

const LINE_END = /\r?\n|\r(?!\n)/;
