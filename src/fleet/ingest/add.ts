// `fleet add`: every target (droplets, folders of them, unpacked droplets, SBOM files) into the store, a batch of droplets at a time.
import { expandTargets, type Target } from '../../vuln/scan/targets.ts';
import type { DropletDescription, FleetStore } from '../store.ts';
import type { AppIdentity, DropletRecord } from '../types.ts';
import { type ReadOptions, identify, readTarget } from './read-target.ts';

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
}

// Targets are identified (digest) a window at a time, files read in parallel, and the window's known droplets looked
// up in one query. Read droplets are stored in batches, one transaction each: a batch is written at the end of a
// window once it holds BATCH_LINKS component rows, batchSize droplets, or has waited BATCH_MS, and within a window
// when it is four times that large or has waited that long (slow droplet tarballs still commit often).
const WINDOW = 64;
const READ_PARALLEL = 8;
const BATCH_LINKS = 10_000;
const BATCH_MS = 2_000;

interface Pending {
  index: number;
  target: Target;
  record: DropletRecord;
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

/**
 * Adds every target; a target that cannot be read is recorded as failed (with its reason) and the run goes on.
 * A droplet already in the store is recognised by its digest before it is read. Each droplet is stored whole or not
 * at all (a batch of them per transaction), so an interrupted run leaves no part of one.
 */
export async function addTargets(store: FleetStore, paths: readonly string[], opts: AddOptions): Promise<AddEvent[]> {
  const targets = await expandTargets(paths, opts.onSkipped);
  const events: AddEvent[] = new Array(targets.length);
  const maxDroplets = Math.max(1, opts.batchSize ?? 500);
  const readOpts = { ...opts, listings: opts.listings ?? new Map() };
  let batch: Pending[] = [];
  let links = 0;
  let since = Date.now();

  // the database does one thing at a time: the batch being written finishes before anything else is asked of it
  let writing: Promise<void> = Promise.resolve();
  const fail = async (index: number, t: Target, digest: string | undefined, e: unknown) => {
    const reason = (e as Error).message;
    await writing;
    await store.recordFailure(t.path, digest, reason);
    events[index] = { target: t.path, status: 'failed', reason, problems: [], notes: [] };
  };
  const stored = (p: Pending, r: { status: 'added' | 'unchanged'; dropletId: number; current: boolean }): AddEvent => ({
    target: p.target.path,
    status: r.status,
    dropletId: r.dropletId,
    app: p.record.app,
    current: r.current,
    sbomSource: p.record.sbomSource,
    signature: p.record.signature,
    components: p.record.components.length,
    problems: p.problems,
    notes: p.notes,
  });
  const flush = async () => {
    const todo = batch;
    batch = [];
    links = 0;
    if (!todo.length) return;
    let results;
    try {
      results = await store.addDroplets(todo.map((p) => p.record));
    } catch {
      // one droplet the database refuses must not take the batch with it: each alone, failures recorded one by one
      for (const p of todo) {
        try {
          events[p.index] = stored(p, await store.addDroplet(p.record));
          await store.clearFailure(p.target.path);
        } catch (e) {
          await fail(p.index, p.target, p.record.digest, e);
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

  // which targets of a window are stored already (their digests first: files read in parallel), with how to tell them
  const look = async (w: number) => {
    const window = targets.slice(w, w + WINDOW);
    const ids = await pool(window, READ_PARALLEL, (t) =>
      identify(t).then(
        (x) => ({ ...x, error: undefined }),
        (error: unknown) => ({ digest: undefined, file: undefined, error }),
      ),
    );
    await writing;
    const known = await store.knownDroplets(ids.flatMap((x) => (x.digest ? [x.digest] : [])));
    const described = await store.describeDroplets([
      ...new Set(ids.flatMap((x) => (x.digest && known.has(x.digest) ? [known.get(x.digest)!] : []))),
    ]);
    return { window, ids, known, described };
  };

  let next = targets.length ? await look(0) : undefined;
  for (let w = 0; next; w += WINDOW) {
    const { window, ids, known, described } = next;
    const unchanged: string[] = [];
    for (const [j, t] of window.entries()) {
      const index = w + j;
      opts.onStart?.(index, targets.length, t.path);
      const { digest, file, error } = ids[j]!;
      if (!digest) {
        await fail(index, t, undefined, error);
        continue;
      }
      const id = known.get(digest);
      if (id !== undefined) {
        unchanged.push(t.path);
        events[index] = unchangedEvent(t.path, id, described.get(id));
        continue;
      }
      try {
        const { record, notes, problems } = await readTarget(t, digest, readOpts, file);
        if (!batch.length) since = Date.now();
        batch.push({ index, target: t, record, notes, problems });
        links += record.components.length;
      } catch (e) {
        await fail(index, t, digest, e);
        continue;
      }
      if (batch.length >= maxDroplets || links >= 4 * BATCH_LINKS || Date.now() - since >= BATCH_MS) {
        await writing;
        await (writing = flush());
      }
    }
    await writing;
    await store.clearFailures(unchanged);
    // the next window is looked up first, then this batch is written while the next window is read: PostgreSQL stores
    // one batch while this process parses the next (SQLite writes in this thread: there it is written at once)
    next = w + WINDOW < targets.length ? await look(w + WINDOW) : undefined;
    if (batch.length >= maxDroplets || links >= BATCH_LINKS || Date.now() - since >= BATCH_MS) {
      writing = flush();
      // awaited before the database is asked anything else (that await throws): not an unhandled rejection meanwhile
      writing.catch(() => {});
    }
  }
  await writing;
  await flush();
  return events;
}
