// Reading many scan targets at once: worker threads (node:worker_threads), bounded, each taking the next target from a
// shared counter until none is left; results come back in target order whatever order they finish in.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { type LoadOptions, type LoadedTarget, type Target, loadTarget } from './targets.ts';

// droplets up to this size are read and inflated in one go by a worker (larger ones stream, in 1 MiB reads)
const WHOLE_BELOW = 16 * 1024 * 1024;

/** One target read: its components and the rest, or why it could not be read (the Error's message). */
export type Loaded = { t: LoadedTarget } | { error: string };

export interface PoolOptions {
  /** at most this many targets are read at once; 1 reads them one after another in this thread */
  jobs: number;
  /** told as each target is done (in the order they finish) */
  onDone?: (done: number, target: Target) => void;
  /** each worker's heap limits: a worker that runs out is stopped, its target fails and a new worker goes on */
  resourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number };
}

/**
 * A read of targets: `results()` settles when every target is read; `stop` ends the workers (Ctrl-C, or the caller
 * gave up). Workers start at once; reading in this thread (jobs 1) starts when `results()` is first called.
 */
export interface Reading {
  results(): Promise<Loaded[]>;
  stop(): Promise<void>;
}

// What a worker is started with, and tells back: `start` before it reads target i, then `done` (or it dies).
interface Job {
  role: 'bpx-scan-worker';
  targets: Target[];
  opts: LoadOptions;
  next: SharedArrayBuffer;
}
type Said = { ready: true } | { start: number } | { done: number; loaded: Loaded };

// Why threads, and not the one thread with more promises: inflating, tar parsing, SBOM parsing and capture are CPU
// work; one thread scanned 200 droplets at one core's pace while `xargs -P2 gzip -dc` used both.
async function readOne(t: Target, opts: LoadOptions): Promise<Loaded> {
  try {
    return { t: await loadTarget(t, opts) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * Reads every target with at most `jobs` at once. With jobs > 1 and more than one target the reads run on worker
 * threads; a worker that dies (out of memory, a crash in a native module) fails only the target it was reading, and a
 * new worker goes on with the rest; workers that cannot start at all leave their targets to this thread.
 */
export function readTargets(targets: readonly Target[], opts: LoadOptions, pool: PoolOptions): Reading {
  const out: Loaded[] = new Array(targets.length);
  let done = 0;
  const finish = (i: number, l: Loaded) => {
    out[i] = l;
    pool.onDone?.(++done, targets[i]!);
  };
  const lanes = Math.max(1, Math.min(Math.floor(pool.jobs) || 1, targets.length));
  if (lanes === 1) {
    let stopped = false;
    let results: Promise<Loaded[]> | undefined;
    const run = async () => {
      for (const [i, t] of targets.entries()) if (!stopped) finish(i, await readOne(t, opts));
      return out;
    };
    return {
      results: () => (results ??= run()),
      stop: async () => void (stopped = true),
    };
  }
  // the next target to take, shared by every worker: none waits for this thread (busy loading the database) to hand out work
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  const job: Job = { role: 'bpx-scan-worker', targets: [...targets], opts, next };
  const live = new Set<Worker>();
  let stopped = false;
  const lane = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const w = spawnWorker(job, pool.resourceLimits);
      live.add(w);
      let ready = false;
      let current = -1;
      let ended = false;
      const end = async (why?: string) => {
        if (ended) return;
        ended = true;
        live.delete(w);
        if (stopped) return resolve();
        // a worker that could not start leaves its targets to this thread (below); one that died reading a target fails it
        if (!ready) return resolve();
        if (current >= 0 && out[current] === undefined) finish(current, { error: `the worker reading it stopped: ${why ?? 'exited'}` });
        // another worker takes over while targets remain
        if (Atomics.load(counter, 0) < targets.length) await lane();
        resolve();
      };
      w.on('message', (m: Said) => {
        if ('ready' in m) ready = true;
        else if ('start' in m) current = m.start;
        else {
          finish(m.done, m.loaded);
          current = -1;
        }
      });
      w.on('error', (e) => void end(e.message));
      w.on('exit', (code) => void end(code === 0 ? undefined : `exit code ${code}`));
    });
  const results = (async () => {
    await Promise.all(Array.from({ length: lanes }, lane));
    // what no worker read (none could start, or one was taken by a worker that died before it began)
    for (const [i, t] of targets.entries()) if (out[i] === undefined && !stopped) finish(i, await readOne(t, opts));
    return out;
  })();
  return {
    results: () => results,
    async stop() {
      stopped = true;
      Atomics.store(counter, 0, targets.length);
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}

function spawnWorker(job: Job, resourceLimits: PoolOptions['resourceLimits']): Worker {
  const self = import.meta.url;
  const options = { workerData: job, ...(resourceLimits ? { resourceLimits } : {}) };
  // run from TypeScript sources (tests, benches under tsx): the worker registers tsx before loading this module
  if (self.endsWith('.ts')) {
    const boot = `import(${JSON.stringify('tsx/esm/api')}).then((m) => m.register()).then(() => import(${JSON.stringify(self)}))`;
    return new Worker(boot, { ...options, eval: true });
  }
  return new Worker(new URL(self), options);
}

/** The worker's side: take the next target until none is left, telling the pool before and after each. */
async function serve(job: Job, port: NonNullable<typeof parentPort>): Promise<void> {
  const counter = new Int32Array(job.next);
  // a public key arrives as a Uint8Array (structured clone): loadTarget wants a Buffer
  const opts: LoadOptions = { ...job.opts, ...(job.opts.publicKey ? { publicKey: Buffer.from(job.opts.publicKey) } : {}) };
  // small droplets are inflated in one go in this thread: it has nothing else to do meanwhile
  (await import('../../droplet/read.ts')).inflateWholeBelow(WHOLE_BELOW);
  port.postMessage({ ready: true } satisfies Said);
  for (let i; (i = Atomics.add(counter, 0, 1)) < job.targets.length;) {
    port.postMessage({ start: i } satisfies Said);
    port.postMessage({ done: i, loaded: await readOne(job.targets[i]!, opts) } satisfies Said);
  }
  port.close();
}

// This module is also the workers' entry (the bundle has no separate worker file): started by readTargets, it serves.
if (!isMainThread && parentPort && (workerData as Job | undefined)?.role === 'bpx-scan-worker') void serve(workerData as Job, parentPort);
