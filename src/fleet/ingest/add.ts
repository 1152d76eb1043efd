// `fleet add`: every target (droplets, folders of them, unpacked droplets, SBOM files) into the store, one droplet at a time.
import { expandTargets } from '../../vuln/scan/targets.ts';
import type { FleetStore } from '../store.ts';
import type { AppIdentity } from '../types.ts';
import { type ReadOptions, readTarget, targetDigest } from './read-target.ts';

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
}

/**
 * Adds every target; a target that cannot be read is recorded as failed (with its reason) and the run goes on.
 * A droplet already in the store is recognised by its digest before it is read.
 */
export async function addTargets(store: FleetStore, paths: readonly string[], opts: AddOptions): Promise<AddEvent[]> {
  const targets = await expandTargets(paths, opts.onSkipped);
  const events: AddEvent[] = [];
  for (const [i, t] of targets.entries()) {
    opts.onStart?.(i, targets.length, t.path);
    let digest: string | undefined;
    try {
      digest = await targetDigest(t);
      const known = await store.hasDroplet(digest);
      if (known !== undefined) {
        await store.clearFailure(t.path);
        const d = await store.describeDroplet(known);
        events.push({
          target: t.path,
          status: 'unchanged',
          dropletId: known,
          ...(d ? { app: d.app, current: d.current, sbomSource: d.sbomSource, signature: d.signature, components: d.components } : {}),
          problems: [],
          notes: [],
        });
        continue;
      }
      const { record, notes, problems } = await readTarget(t, digest, opts);
      const r = await store.addDroplet(record);
      await store.clearFailure(t.path);
      events.push({
        target: t.path,
        status: r.status,
        dropletId: r.dropletId,
        app: record.app,
        current: r.current,
        sbomSource: record.sbomSource,
        signature: record.signature,
        components: record.components.length,
        problems,
        notes,
      });
    } catch (e) {
      const reason = (e as Error).message;
      await store.recordFailure(t.path, digest, reason);
      events.push({ target: t.path, status: 'failed', reason, problems: [], notes: [] });
    }
  }
  return events;
}
