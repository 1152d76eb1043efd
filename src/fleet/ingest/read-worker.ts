// The thread `fleet add` reads targets in: a target (an SBOM file, a droplet) read and parsed into a packed record
// beside the thread that writes to the database. Started by read-pool.ts as a worker running this very module.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Target } from '../../vuln/scan/targets.ts';
import { type PackedDroplet, packDroplet } from './pack.ts';
import { type ReadBytes, type ReadOptions, readTarget } from './read-target.ts';

/** What a reading thread loads (this module, or in the bundle the chunk holding it). */
export const READ_WORKER_URL = import.meta.url;

export interface PackedRead {
  record: PackedDroplet;
  notes: string[];
  problems: string[];
}

export interface ReadRequest {
  id: number;
  target: Target;
  digest: string;
  /** an SBOM file's bytes as identify() read them (transferred, not copied), with its modification time */
  bytes?: Uint8Array;
  mtime?: Date;
}

export type ReadReply = ({ id: number } & PackedRead) | { id: number; error: string };

/** readTarget, its components packed as the store writes them. */
export async function readPacked(t: Target, digest: string, opts: ReadOptions, file?: ReadBytes): Promise<PackedRead> {
  const { record, notes, problems } = await readTarget(t, digest, opts, file);
  return { record: packDroplet(record), notes, problems };
}

/** The options a reading thread is started with (workerData): ReadOptions without the listing cache, which is per thread. */
export interface WorkerOptions {
  bpxFleetRead: Omit<ReadOptions, 'listings'>;
}

// runs only as a reading thread: importing this module anywhere else does nothing
if (!isMainThread && parentPort && (workerData as Partial<WorkerOptions> | undefined)?.bpxFleetRead) {
  const port = parentPort;
  const given = (workerData as WorkerOptions).bpxFleetRead;
  const opts: ReadOptions = {
    ...given,
    // a Buffer arrives as a Uint8Array
    ...(given.publicKey ? { publicKey: Buffer.from(given.publicKey) } : {}),
    listings: new Map(),
  };
  port.on('message', (m: ReadRequest) => {
    const file =
      m.bytes && m.mtime ? { bytes: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength), mtime: m.mtime } : undefined;
    readPacked(m.target, m.digest, opts, file).then(
      (r) => port.postMessage({ id: m.id, ...r } satisfies ReadReply),
      (e: unknown) => port.postMessage({ id: m.id, error: (e as Error).message ?? String(e) } satisfies ReadReply),
    );
  });
}
