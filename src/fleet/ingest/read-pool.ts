// Reading threads for `fleet add`: targets parsed in worker threads (a bounded pool, requests answered in any order and
// matched by id), so the thread writing to the database spends its time on the database. In-thread when given 0.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Target } from '../../vuln/scan/targets.ts';
import type { ReadBytes, ReadOptions } from './read-target.ts';
import type { PackedRead, ReadReply, ReadRequest, WorkerOptions } from './read-worker.ts';

export interface Reader {
  read(t: Target, digest: string, file?: ReadBytes): Promise<PackedRead>;
  close(): Promise<void>;
  /** the reading threads at work: 0 when reading in this thread (asked so, or the threads died) */
  threads(): number;
}

interface Pending {
  resolve: (r: PackedRead) => void;
  reject: (e: Error) => void;
  t: Target;
  digest: string;
}

/** tsx's ESM registration API (its package's `./esm/api` export), for reading threads started from the TypeScript source. */
function tsxApi(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!;
  return pathToFileURL(path.join(path.dirname(pkg), api.import.default)).href;
}

/**
 * A reader with `threads` worker threads (0: this thread). A thread that dies takes no target with it: what it was
 * reading is read again in this thread, and so is everything after.
 */
export async function startReader(threads: number, opts: ReadOptions): Promise<Reader> {
  // loaded on demand: in the bundle this module is a chunk of its own, the one each thread loads
  const { READ_WORKER_URL, readPacked } = await import('./read-worker.ts');
  const local = { ...opts, listings: opts.listings ?? new Map() };
  const inThread: Reader = { read: (t, digest, file) => readPacked(t, digest, local, file), close: async () => {}, threads: () => 0 };
  if (threads <= 0) return inThread;

  const { listings: _, ...given } = opts;
  const workerData: WorkerOptions = { bpxFleetRead: given };
  const workers: Array<{ worker: Worker; pending: Map<number, Pending> }> = [];
  let nextId = 0;
  let broken = false;
  const retryHere = (pending: Map<number, Pending>) => {
    for (const p of pending.values()) readPacked(p.t, p.digest, local).then(p.resolve, p.reject);
    pending.clear();
  };
  for (let i = 0; i < threads; i++) {
    const worker = READ_WORKER_URL.endsWith('.ts')
      ? // run from the TypeScript source (tests, tsx): a worker thread does not inherit tsx's loader, so it registers it
        new Worker(`import(${JSON.stringify(tsxApi())}).then((t) => t.register()).then(() => import(${JSON.stringify(READ_WORKER_URL)}))`, {
          eval: true,
          workerData,
        })
      : new Worker(new URL(READ_WORKER_URL), { workerData });
    const w = { worker, pending: new Map<number, Pending>() };
    worker.on('message', (m: ReadReply) => {
      const p = w.pending.get(m.id);
      if (!p) return;
      w.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve({ record: m.record, notes: m.notes, problems: m.problems });
    });
    const lost = () => {
      broken = true;
      retryHere(w.pending);
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    workers.push(w);
  }
  return {
    read(t, digest, file) {
      if (broken) return inThread.read(t, digest, file);
      // the thread with the fewest requests waiting
      const w = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<PackedRead>((resolve, reject) => {
        w.pending.set(id, { resolve, reject, t, digest });
        const req: ReadRequest = { id, target: t, digest };
        const transfer: ArrayBuffer[] = [];
        if (file) {
          // handed over without a copy when the Buffer owns its memory (readFile's does), else copied
          const owns = file.bytes.byteOffset === 0 && file.bytes.byteLength === file.bytes.buffer.byteLength;
          req.bytes = owns ? file.bytes : new Uint8Array(file.bytes);
          req.mtime = file.mtime;
          if (req.bytes.buffer instanceof ArrayBuffer) transfer.push(req.bytes.buffer);
        }
        w.worker.postMessage(req, transfer);
      });
    },
    threads: () => (broken ? 0 : workers.length),
    async close() {
      for (const w of workers) w.worker.removeAllListeners('exit');
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
