// `fleet add`: every target (droplets, folders of them, unpacked droplets, SBOM files) into the store, a batch of droplets at a time.
import { availableParallelism } from 'node:os';
import { expandTargets, type Target } from '../../vuln/scan/targets.ts';
import type { DropletDescription, FleetStore } from '../store.ts';
import type { AppIdentity } from '../types.ts';
import type { PackedDroplet } from './pack.ts';
import { type Reader, startReader } from './read-pool.ts';
import { type ReadOptions, identify } from './read-target.ts';

export interface AddEvent {
  /** the target's path as given or found */
  target: string;
  status: 'added' | 'unchanged' | 'failed';
  /** failed: why (also stored in ingest_failures) */
  reason?: string;
  dropletId?: number;
  app?: AppIdentity;
  /** the droplet is now its app's current one */
  current?: boolean;
  sbomSource?: string;
  signature?: string;
  components?: number;
  /** checks the droplet failed though it was stored (an invalid signature: its content was captured instead) */
  problems: string[];
  notes: string[];
}

export interface AddOptions extends ReadOptions {
  /** a folder directly inside a searched one that held nothing, or could not be searched */
  onSkipped?: (dir: string, why: string) => void;
  /** before each target is read (progress) */
  onStart?: (index: number, total: number, target: string) => void;
  /** how many droplets one transaction stores at most (default 500); 1 stores each in its own */
  batchSize?: number;
  /**
   * worker threads reading targets beside the one writing to the database; 0 reads in this thread. Default, when
   * there are at least WINDOW targets (else 0: a thread costs its start): SQLite one per CPU core, at least 2 and at
   * most 4 (parsing costs twice what storing does); PostgreSQL 1 (its server needs a core).
   */
  readThreads?: number;
}

// Targets are identified (digest) a window at a time, files read in parallel, and the window's known droplets looked
// up in one query; the new ones are then read (parsed, in the reading threads) while the previous window is stored.
// Read droplets are stored in batches, one transaction each: a batch is written once it holds BATCH_LINKS component
// rows, batchSize droplets, or has waited BATCH_MS (slow droplet tarballs still commit often). One batch is written
// while the next fills: PostgreSQL stores one while this process reads the next.
const WINDOW = 64;
const READ_PARALLEL = 8;
const BATCH_LINKS = 20_000;
const BATCH_MS = 2_000;
// a first add into SQLite of at least this many targets, more than the inventory holds, builds the component index
// of droplet_components once at the end (FleetStore.deferLinkIndex)
const BULK_TARGETS = 2_000;

interface Pending {
  index: number;
  target: Target;
  record: PackedDroplet;
  notes: string[];
  problems: string[];
}

function unchangedEvent(target: string, dropletId: number, d: DropletDescription | undefined): AddEvent {
  return {
    target,
    status: 'unchanged',
    dropletId,
    ...(d ? { app: d.app, current: d.current, sbomSource: d.sbomSource, signature: d.signature, components: d.components } : {}),
    problems: [],
    notes: [],
  };
}

/** fn over items with at most `n` running at once; results in input order. */
async function pool<T, R>(items: readonly T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** One thing at a time on the store (one connection): each call runs after the ones before it have settled. */
function serialiser(): <T>(fn: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>) => {
    const p = chain.then(fn);
    chain = p.catch(() => {});
    return p;
  };
}

/**
 * Adds every target; a target that cannot be read is recorded as failed (with its reason) and the run goes on.
 * A droplet already in the store is recognised by its digest before it is read. Each droplet is stored whole or not
 * at all (a batch of them per transaction), so an interrupted run leaves no part of one.
 */
export async function addTargets(store: FleetStore, paths: readonly string[], opts: AddOptions): Promise<AddEvent[]> {
  const targets = await expandTargets(paths, opts.onSkipped);
  const events: AddEvent[] = new Array(targets.length);
  const maxDroplets = Math.max(1, opts.batchSize ?? 500);
  const { onSkipped: _s, onStart: _o, batchSize: _b, readThreads, ...readOpts } = opts;
  const threads =
    readThreads ??
    (targets.length < WINDOW
      ? 0
      : // PostgreSQL's server stores (the most CPU of an add): one reading thread leaves it the other core
        store.db.dialect === 'postgres'
        ? 1
        : Math.min(4, Math.max(2, availableParallelism())));
  const reader = await startReader(threads, readOpts);
  const deferred = targets.length >= BULK_TARGETS && (await store.deferLinkIndex(targets.length));
  try {
    return await addAll(store, targets, events, maxDroplets, reader, opts.onStart);
  } finally {
    await reader.close();
    if (deferred) await store.ensureIndexes();
  }
}

async function addAll(
  store: FleetStore,
  targets: readonly Target[],
  events: AddEvent[],
  maxDroplets: number,
  reader: Reader,
  onStart: AddOptions['onStart'],
): Promise<AddEvent[]> {
  const serial = serialiser();
  // store calls not waited for where they are made (clearing failures): waited for, and their errors thrown, at the end
  const later: Array<Promise<unknown>> = [];
  let batch: Pending[] = [];
  let links = 0;
  let since = Date.now();

  const failed = (index: number, t: Target, e: unknown) => {
    const reason = (e as Error).message;
    events[index] = { target: t.path, status: 'failed', reason, problems: [], notes: [] };
    return reason;
  };
  const stored = (p: Pending, r: { status: 'added' | 'unchanged'; dropletId: number; current: boolean }): AddEvent => ({
    target: p.target.path,
    status: r.status,
    dropletId: r.dropletId,
    app: p.record.app,
    current: r.current,
    sbomSource: p.record.sbomSource,
    signature: p.record.signature,
    components: p.record.componentCount,
    problems: p.problems,
    notes: p.notes,
  });
  // one batch in one transaction (called through serial)
  const write = async (todo: Pending[]) => {
    let results;
    try {
      results = await store.addPacked(todo.map((p) => p.record));
    } catch {
      // one droplet the database refuses must not take the batch with it: each alone, failures recorded one by one
      for (const p of todo) {
        try {
          events[p.index] = stored(p, (await store.addPacked([p.record]))[0]!);
          await store.clearFailure(p.target.path);
        } catch (e) {
          await store.recordFailure(p.target.path, p.record.digest, failed(p.index, p.target, e));
        }
      }
      return;
    }
    // stored already (another writer, or the same bytes twice in this run): told as a droplet found unchanged is
    const described = await store.describeDroplets(results.filter((r) => r.status === 'unchanged').map((r) => r.dropletId));
    todo.forEach((p, i) => {
      const r = results[i]!;
      events[p.index] = r.status === 'added' ? stored(p, r) : unchangedEvent(p.target.path, r.dropletId, described.get(r.dropletId));
    });
    await store.clearFailures(todo.map((p) => p.target.path));
  };
  let writing: Promise<void> = Promise.resolve();
  // the batch is written after what is being written; the next one fills meanwhile (at most one waits: memory stays flat)
  const flush = async () => {
    await writing;
    const todo = batch;
    batch = [];
    links = 0;
    if (!todo.length) return;
    writing = serial(() => write(todo));
    // awaited before the next batch is queued (that await throws): not an unhandled rejection meanwhile
    writing.catch(() => {});
  };

  // which targets of a window are stored already (their digests first: files read in parallel), with how to tell them;
  // the new ones are handed to the reader at once
  const look = async (w: number) => {
    const window = targets.slice(w, w + WINDOW);
    const ids = await pool(window, READ_PARALLEL, (t) =>
      identify(t).then(
        (x) => ({ ...x, error: undefined }),
        (error: unknown) => ({ digest: undefined, file: undefined, error }),
      ),
    );
    const { known, described } = await serial(async () => {
      const known = await store.knownDroplets(ids.flatMap((x) => (x.digest ? [x.digest] : [])));
      const described = await store.describeDroplets([
        ...new Set(ids.flatMap((x) => (x.digest && known.has(x.digest) ? [known.get(x.digest)!] : []))),
      ]);
      return { known, described };
    });
    const reads = ids.map(({ digest, file }, j) => {
      if (!digest || known.has(digest)) return undefined;
      const r = reader.read(window[j]!, digest, file);
      r.catch(() => {});
      return r;
    });
    return { window, ids, known, described, reads };
  };

  let next = targets.length ? look(0) : undefined;
  for (let w = 0; next; w += WINDOW) {
    const { window, ids, known, described, reads } = await next;
    // the next window is identified (and its reading begun) while this one is stored
    next = w + WINDOW < targets.length ? look(w + WINDOW) : undefined;
    next?.catch(() => {});
    const unchanged: string[] = [];
    for (const [j, t] of window.entries()) {
      const index = w + j;
      onStart?.(index, targets.length, t.path);
      const { digest, error } = ids[j]!;
      if (!digest) {
        const reason = failed(index, t, error);
        await serial(() => store.recordFailure(t.path, undefined, reason));
        continue;
      }
      const id = known.get(digest);
      if (id !== undefined) {
        unchanged.push(t.path);
        events[index] = unchangedEvent(t.path, id, described.get(id));
        continue;
      }
      try {
        const { record, notes, problems } = await reads[j]!;
        if (!batch.length) since = Date.now();
        batch.push({ index, target: t, record, notes, problems });
        links += record.packed.purls.length;
      } catch (e) {
        const reason = failed(index, t, e);
        await serial(() => store.recordFailure(t.path, digest, reason));
        continue;
      }
      if (batch.length >= maxDroplets || links >= BATCH_LINKS || Date.now() - since >= BATCH_MS) await flush();
    }
    if (unchanged.length) {
      const cleared = serial(() => store.clearFailures(unchanged));
      cleared.catch(() => {});
      later.push(cleared);
    }
  }
  await flush();
  await writing;
  await Promise.all(later);
  return events;
}
