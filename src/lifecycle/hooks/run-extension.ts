// Runs one resolved extension of any kind (script, builtin, http) and turns every failure into an outcome, never a throw.
import type { ResolvedExtension } from '../../manifest/types.ts';
import { formatMs, msSince } from './format.ts';
import type { BuiltinContext, BuiltinExtension, HookContext, HookResult, StagingState } from './types.ts';
import type { Capture } from '../../model/index.ts';

export type BuiltinRegistry = Record<string, () => Promise<{ default: BuiltinExtension }>>;

export interface ExtensionRunEnv {
  context: HookContext;
  /** environment for child processes: builder env without BPX_* wrapper vars and without operator secrets. */
  childEnv: Record<string, string>;
  /** the full builder environment (operator built-in and http extensions may read their secrets from it). */
  fullEnv: Readonly<Record<string, string | undefined>>;
  /** BPX_PHASE, BPX_WHEN, BPX_*_DIR for scripts. */
  bpxEnv: Record<string, string>;
  state: StagingState;
  builtins: BuiltinRegistry;
  tmpDir: string;
  graceMs: number;
  capture(): Promise<Capture>;
  log(line: string): void;
  /** the inner buildpack's real folder (VERSION, manifest.yml), for built-ins that read it. */
  buildpackDir?: string;
  /** at detect:after, the inner bin/detect's stdout (held back by the wrapper). */
  innerDetectOutput?: string;
}

export interface ExtensionOutcome {
  ok: boolean;
  /** why it failed */
  message?: string;
  result?: HookResult;
  /**
   * The extension's own time, ms: a script from its spawn to its exit, a built-in from loading its code to its end, an
   * HTTP extension its request; the rest of the phase is bpx's (npm run bench tells the two apart with it).
   */
  workMs?: number;
}

export async function runExtension(ext: ResolvedExtension, run: ExtensionRunEnv): Promise<ExtensionOutcome> {
  const { spec } = ext;
  let workMs: number | undefined;
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const t0 = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      workMs = msSince(t0);
    }
  };
  try {
    let result: HookResult;
    if (spec.run !== undefined) {
      const { runScriptHook } = await import('./script.ts');
      result = await runScriptHook({
        run: spec.run,
        manifestDir: ext.manifestDir,
        context: run.context,
        env: { ...run.childEnv, ...(spec.env ?? {}), ...run.bpxEnv },
        timeoutMs: ext.timeoutMs,
        graceMs: run.graceMs,
        tmpDir: run.tmpDir,
        log: run.log,
        ran: (ms) => (workMs = ms),
      });
    } else if (spec.uses !== undefined) {
      result = await timed(() => runBuiltin(ext, run));
    } else if (spec.http !== undefined) {
      result = await timed(() => runHttp(ext, run));
    } else {
      throw new Error('has none of run, uses, http');
    }
    const time = workMs === undefined ? {} : { workMs };
    if (result.verdict === 'fail')
      return { ok: false, result, message: `verdict fail${result.message ? `: ${result.message}` : ''}`, ...time };
    return { ok: true, result, ...time };
  } catch (err) {
    const e = err as Error & { result?: HookResult };
    return { ok: false, message: e?.message ?? String(err), result: e?.result, ...(workMs === undefined ? {} : { workMs }) };
  }
}

/** Runs `promise`-producing work with an AbortSignal and a deadline; the deadline rejects even if the work ignores the signal. */
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort(new Error(`timed out after ${formatMs(ms)}`));
      reject(new Error(`timed out after ${formatMs(ms)}`));
    }, ms);
  });
  const running = work(ac.signal);
  // a built-in that rejects after its deadline must not become an unhandled rejection (which would end the process)
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runBuiltin(ext: ResolvedExtension, run: ExtensionRunEnv): Promise<HookResult> {
  const name = ext.spec.uses!.replace(/^builtin:/, '');
  const load = Object.prototype.hasOwnProperty.call(run.builtins, name) ? run.builtins[name] : undefined;
  if (!load) throw new Error(`unknown built-in '${name}'`);
  const builtin = (await load()).default;
  return withDeadline(ext.timeoutMs, async (signal) => {
    const ctx: BuiltinContext = {
      hook: run.context,
      with: ext.spec.with ?? {},
      manifestDir: ext.manifestDir,
      operator: ext.operator,
      // app built-ins see the same scrubbed environment as child processes: never the operator's secrets
      env: ext.operator ? run.fullEnv : { ...run.childEnv, ...(ext.spec.env ?? {}) },
      state: run.state,
      capture: run.capture,
      log: run.log,
      signal,
      ...(run.buildpackDir
        ? { buildpack: { dir: run.buildpackDir, ...(run.innerDetectOutput !== undefined ? { detectOutput: run.innerDetectOutput } : {}) } }
        : {}),
    };
    const result = await builtin.run(ctx);
    return result ?? {};
  });
}

async function runHttp(ext: ResolvedExtension, run: ExtensionRunEnv): Promise<HookResult> {
  let mod: typeof import('./http.ts');
  try {
    mod = await import('./http.ts');
  } catch (err) {
    throw new Error(`HTTP extensions are not available in this build: ${(err as Error).message}`);
  }
  // `with: {send: [components]}` sends the capture: make it here when no extension before this one did.
  const send = (ext.spec.with as { send?: unknown } | undefined)?.send;
  if (Array.isArray(send) && send.includes('components') && !run.state.capture) await run.capture();
  return withDeadline(ext.timeoutMs + 1000, (signal) =>
    mod.runHttpHook(run.context, {
      url: ext.spec.http!,
      with: ext.spec.with ?? {},
      insecure: ext.spec.insecure ?? false,
      timeoutMs: ext.timeoutMs,
      env: ext.operator ? { ...run.fullEnv } : { ...run.childEnv, ...(ext.spec.env ?? {}) },
      manifestDir: ext.manifestDir,
      log: run.log,
      signal,
      state: run.state,
    }),
  );
}
