// Runs one buildpack script as the Cloud Foundry builder does (runner.go `run`): real path, argv, env; stderr to the log.
import { spawn } from 'node:child_process';
import { killGroup } from '../hooks/kill-tree.ts';

export interface ScriptRun {
  /** null when the script ran and exited 0. Otherwise the Go error text the builder prints: "exit status 4". */
  error: string | null;
  /** captured stdout (only when `capture` was asked). */
  stdout: string;
}

export interface RunScriptOptions {
  script: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** where stderr (and stdout unless captured) goes: the staging log. */
  log: (text: string) => void;
  /** detect and release: stdout is the script's answer, not log text. */
  capture?: boolean;
  /** aborting kills the script's whole process group (SIGTERM, then SIGKILL after `graceMs`). */
  signal?: AbortSignal;
  graceMs?: number;
}

const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGHUP: 'hangup',
  SIGPIPE: 'broken pipe',
};

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
};

export function runScript(opts: RunScriptOptions): Promise<ScriptRun> {
  return new Promise((resolve) => {
    let stdout = '';
    let settled = false;
    const done = (r: ScriptRun) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    // Its own process group, so that an interrupted staging can stop everything the script started.
    const child = spawn(opts.script, opts.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), opts.graceMs ?? 2000);
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (opts.capture) stdout += d;
      else opts.log(d);
    });
    child.stderr.on('data', (d: string) => opts.log(d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      // Go's exec reports a script it cannot start as "fork/exec <path>: <errno text>".
      const why = (err.code && ERRNO_TEXT[err.code]) || err.message;
      done({ error: `fork/exec ${opts.script}: ${why}`, stdout });
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (opts.signal?.aborted) killGroup(child.pid, 'SIGKILL');
      if (signal) done({ error: `signal: ${SIGNAL_TEXT[signal] ?? signal.toLowerCase()}`, stdout });
      else if (code !== 0) done({ error: `exit status ${code}`, stdout });
      else done({ error: null, stdout });
    });
  });
}
