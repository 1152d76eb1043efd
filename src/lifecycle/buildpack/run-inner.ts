// Runs the inner buildpack's script by its real path with the builder's argv, env, stdin and cwd; streams stdout untouched.
import { constants } from 'node:os';

export interface InnerRunOptions {
  script: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** called with each complete stdout line (supply/finalize/compile), after the bytes were passed on. */
  onLine?: (line: string) => void;
}

/** `-----> Installing node 22.23.1` → {name: 'node', version: '22.23.1'} */
export function parseInstallLine(line: string): { name: string; version: string } | undefined {
  const m = /^-----> Installing (\S+) v?(\S+)\s*$/.exec(line.replace(/\r$/, ''));
  return m ? { name: m[1], version: m[2] } : undefined;
}

/**
 * Resolves with the exit code the builder would see (128+n when killed by signal n). node:child_process loads here, not
 * with the phase runtime: a phase whose shim ran the inner script itself (src/wrap/shim.ts InnerFirst) never needs it.
 */
export async function runInner(opts: InnerRunOptions): Promise<number> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolvePromise) => {
    const child = spawn(opts.script, opts.argv, {
      cwd: opts.cwd,
      env: opts.env,
      // stdin is the builder's (inherited); stdout/stderr are copied byte for byte
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      opts.stdout.write(chunk);
      if (!opts.onLine) return;
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        opts.onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => opts.stderr.write(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => {
      opts.stderr.write(`bpx: cannot run ${opts.script}: ${err.code ?? err.message}\n`);
      resolvePromise(err.code === 'ENOENT' ? 127 : 126);
    });
    child.on('close', (code, signal) => {
      if (pending && opts.onLine) opts.onLine(pending);
      if (signal) resolvePromise(128 + ((constants.signals as Record<string, number>)[signal] ?? 1));
      else resolvePromise(code ?? 1);
    });
  });
}
