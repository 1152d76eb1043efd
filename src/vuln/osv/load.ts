// Loads an OSV database from disk: a directory of OSV JSON/YAML records and/or osv.dev `<Ecosystem>/all.zip` exports.
import { closeSync, fstatSync, openSync, read } from 'node:fs';
import { relative } from 'node:path';
import type { Issue } from '../../model/index.ts';
import { schemeFor } from '../versions/index.ts';
import { ecosystemKey, indexKey } from './names.ts';
import { readZip } from './read-zip.ts';
import type { OsvAdvisory, OsvAdvisoryAffected, OsvRange, OsvRecord } from './types.ts';
import { type Checked, checkRecord } from './validate.ts';
import { type IndexEntry, type OsvDb, type SourceFiles, listSource, parseText, parserFor } from './source.ts';

export { type IndexEntry, type OsvDb, type SourceFiles, dbAgeMs, listSource, parseText } from './source.ts';

export interface RawRecord {
  /** file (or `zip!entry`) the record came from */
  path: string;
  data: unknown;
}

/** Builds the database from already-parsed records (never mutates them). Later duplicates lose unless newer. */
export function buildDb(source: string, raws: readonly RawRecord[], skipped: Issue[] = []): OsvDb {
  return buildChecked(
    source,
    raws.map((raw) => keep(raw.path, checkRecord(raw.data), raw)),
    skipped,
  );
}

// What the load keeps of each record once it is checked: its compact form, and how to get the full record again.
// Why not the parsed records: 50,000 of them (details, references, credits...) kept alive through the load made every
// scavenge copy them (GC was a third of the load); dropped right after the check, they die young and cost nothing.
// The way back is data, not a closure per record (50,000 closures weigh on every GC too).
type Kept = KeptRecord | { path: string; ok: false; id?: string; error: string };
export interface KeptRecord {
  path: string;
  ok: true;
  advisory: OsvAdvisory;
  notes: readonly string[];
  /** the caller's own record (buildDb), or its bytes to parse again */
  source: { data: unknown } | { read(): Buffer };
  /** loaded from files: the position of its file among all the files read (the prebuilt index re-reads it there) */
  file?: number;
}

const NONE: readonly string[] = [];

function keep(path: string, checked: Checked, source: KeptRecord['source']): Kept {
  if (!checked.ok) return { path, ok: false, ...(checked.id ? { id: checked.id } : {}), error: checked.error };
  return { path, ok: true, advisory: compact(checked.record), notes: checked.notes.length ? checked.notes : NONE, source };
}

function fullRecord(k: KeptRecord): OsvRecord {
  return ('data' in k.source ? k.source.data : parseText(k.path, k.source.read())) as OsvRecord;
}

const matchable = (r: OsvRange) => r.type === 'SEMVER' || r.type === 'ECOSYSTEM';

/** The record's fields that matching and findings read; sub-objects are shared with the record, never copied or changed. */
function compact(r: OsvRecord): OsvAdvisory {
  const all = r.affected ?? [];
  // map over an exact list: arrays grown by push keep spare capacity, times 50,000 records
  const affected = (all.every((a) => a.package) ? all : all.filter((a) => a.package)).map((a): OsvAdvisoryAffected => {
    const ranges = !a.ranges || a.ranges.every(matchable) ? a.ranges : a.ranges.filter(matchable);
    const versions = a.versions?.length ? `\0${a.versions.join('\0')}\0` : undefined;
    return { package: a.package!, severity: a.severity, ranges, versions, dbSeverity: a.database_specific?.['severity'] };
  });
  return {
    id: r.id,
    modified: r.modified,
    withdrawn: r.withdrawn,
    aliases: r.aliases,
    title: titleOf(r),
    severity: r.severity,
    dbSeverity: r.database_specific?.['severity'],
    affected,
  };
}

function titleOf(r: OsvRecord): string {
  if (r.summary?.trim()) return r.summary.trim();
  const first = (r.details ?? '').trim().split(/\n/)[0] ?? '';
  // a copy, not V8's slice of `details`, which would keep the whole text alive
  return flat(first.length > 200 ? `${first.slice(0, 197)}...` : first);
}

// concatenation then slice: V8 flattens the concatenation into a new string, and the slice points into that copy
const flat = (s: string): string => (s.length > 12 ? ` ${s}`.slice(1) : s);

/** `OsvDb.records`: the full records, produced on demand from what the load kept. */
class RecordMap implements ReadonlyMap<string, OsvRecord> {
  constructor(private readonly full: ReadonlyMap<string, KeptRecord>) {}
  get size(): number {
    return this.full.size;
  }
  has(id: string): boolean {
    return this.full.has(id);
  }
  get(id: string): OsvRecord | undefined {
    const k = this.full.get(id);
    return k && fullRecord(k);
  }
  keys(): MapIterator<string> {
    return this.full.keys();
  }
  *values(): MapIterator<OsvRecord> {
    for (const k of this.full.values()) yield fullRecord(k);
  }
  *entries(): MapIterator<[string, OsvRecord]> {
    for (const [id, k] of this.full) yield [id, fullRecord(k)];
  }
  [Symbol.iterator](): MapIterator<[string, OsvRecord]> {
    return this.entries();
  }
  forEach(fn: (value: OsvRecord, key: string, map: ReadonlyMap<string, OsvRecord>) => void, thisArg?: unknown): void {
    for (const [id, k] of this.full) fn.call(thisArg, fullRecord(k), id, this);
  }
}

function buildChecked(source: string, raws: readonly Kept[], skipped: Issue[]): OsvDb {
  return assemble(source, raws, skipped).db;
}

/** The database and, by id, what the load kept of each record it holds (the prebuilt index stores these). */
function assemble(source: string, raws: readonly Kept[], skipped: Issue[]): { db: OsvDb; kept: ReadonlyMap<string, KeptRecord> } {
  const notes: Issue[] = [];
  // `modified` is parsed once per record (not again for every comparison against the newest or a duplicate)
  const byId = new Map<string, { kept: KeptRecord; modifiedMs: number }>();
  let withdrawn = 0;
  let duplicates = 0;
  let newest: string | undefined;
  let newestMs = NaN;
  for (const k of raws) {
    if (!k.ok) {
      skipped.push({ path: k.path, severity: 'warning', message: `OSV record ${k.id ? `${k.id} ` : ''}skipped: ${k.error}` });
      continue;
    }
    const r = k.advisory;
    for (const w of k.notes) notes.push({ path: k.path, severity: 'warning', message: `OSV record ${r.id}: ${w}` });
    // a record without a readable `modified` (noted) loses to any dated duplicate and does not date the database
    const modifiedMs = Date.parse(r.modified);
    if (!Number.isNaN(modifiedMs) && (!newest || modifiedMs > newestMs)) ((newest = r.modified), (newestMs = modifiedMs));
    const prev = byId.get(r.id);
    if (prev) {
      duplicates++;
      if (!(modifiedMs > prev.modifiedMs || (Number.isNaN(prev.modifiedMs) && !Number.isNaN(modifiedMs)))) continue;
    }
    byId.set(r.id, { kept: k, modifiedMs });
  }
  const records = new Map<string, KeptRecord>();
  const index = new Map<string, IndexEntry[]>();
  const skippedEcosystems: Record<string, number> = {};
  const ecosystems = new Set<string>();
  for (const id of [...byId.keys()].sort()) {
    const kept = byId.get(id)!.kept;
    const r = kept.advisory;
    if (r.withdrawn) {
      withdrawn++;
      continue;
    }
    records.set(id, kept);
    for (const affected of r.affected) {
      const scheme = schemeFor(affected.package.ecosystem);
      if (!scheme) {
        const eco = ecosystemKey(affected.package.ecosystem);
        skippedEcosystems[eco] = (skippedEcosystems[eco] ?? 0) + 1;
        continue;
      }
      ecosystems.add(ecosystemKey(affected.package.ecosystem));
      const key = indexKey(affected.package.ecosystem, affected.package.name);
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      list.push({ record: r, affected, scheme });
    }
  }
  const db: OsvDb = {
    source,
    records: new RecordMap(records),
    index,
    skipped,
    notes,
    ecosystems,
    skippedEcosystems,
    withdrawn,
    duplicates,
    ...(newest ? { newest } : {}),
  };
  return { db, kept: records };
}

/** Parses, checks and compacts one record; `again` gives its bytes again when the full record is asked for. */
function loadRecord(path: string, body: Buffer, again: { read(): Buffer }, skipped: Issue[]): Kept | undefined {
  let data: unknown;
  // outside the try: a parser that cannot load fails the load, it does not skip the record
  const parse = parserFor(path);
  try {
    data = parse(body.toString('utf8'));
  } catch (e) {
    const m = /line (\d+)/.exec(String((e as Error).message));
    skipped.push({
      path,
      ...(m ? { line: Number(m[1]) } : {}),
      severity: 'warning',
      message: `not a readable OSV record: ${(e as Error).message.split('\n')[0]}`,
    });
    return undefined;
  }
  return keep(path, checkRecord(data), again);
}

/**
 * Loads every `*.json`, `*.yaml`/`*.yml` and `*.zip` below `path` (or the single file `path`).
 * Unreadable records, and records nothing in which can be matched, are skipped (each named in `skipped`); records that
 * break a convention only are loaded with `notes`. The load itself fails only when `path` does not exist: an empty
 * result is the caller's to refuse (`records.size === 0`).
 */
export async function loadOsvDb(path: string): Promise<OsvDb> {
  return (await loadSources([path])).db;
}

/**
 * loadOsvDb over several sources as one database (a later duplicate id loses unless newer), with what `bpx db build`
 * writes into the prebuilt index: the files read and, by id, what the load kept of each record.
 */
export async function loadSources(
  paths: readonly string[],
  source = paths.join(', '),
): Promise<{ db: OsvDb; kept: ReadonlyMap<string, KeptRecord>; sources: SourceFiles[] }> {
  const sources: SourceFiles[] = [];
  for (const p of paths) sources.push(await listSource(p));
  const skipped: Issue[] = [];
  // checked per record as it is parsed; buildChecked still reports all parse failures first, then records skipped
  const raws: Kept[] = [];
  let first = 0;
  for (const s of sources) {
    await readSource(s, first, raws, skipped);
    first += s.files.length;
  }
  const { db, kept } = assemble(source, raws, skipped);
  return { db, kept, sources };
}

/** Reads one source's files into `raws` (each record noting its file's position: `first` + its own). */
async function readSource({ base, files }: SourceFiles, first: number, raws: Kept[], skipped: Issue[]): Promise<void> {
  // the next file is read while this one is parsed (settled, so a failed read is reported in its turn, not unhandled)
  const readNext = (file: string) =>
    readWhole(file).then(
      (buf) => ({ buf }),
      (error: Error) => ({ error }),
    );
  let next = files.length ? readNext(files[0]!) : undefined;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const got = await next!;
    next = i + 1 < files.length ? readNext(files[i + 1]!) : undefined;
    const rel = relative(base, file) || file;
    if (/\.zip$/i.test(file)) {
      try {
        if ('error' in got) throw got.error;
        await readZip(file, got.buf, (name, body, again) => {
          if (!/\.(json|ya?ml)$/i.test(name)) return;
          const k = loadRecord(`${rel}!${name}`, body, again, skipped);
          if (k?.ok) k.file = first + i;
          if (k) raws.push(k);
        });
      } catch (e) {
        skipped.push({ path: rel, severity: 'warning', message: `unreadable zip: ${(e as Error).message}` });
      }
      continue;
    }
    if ('error' in got) throw got.error;
    const body = got.buf;
    const k = loadRecord(rel, body, { read: () => body }, skipped);
    if (k?.ok) k.file = first + i;
    if (k) raws.push(k);
  }
}

// One read of the whole file, in flight on the thread pool while the caller parses the previous one. readFile reads
// in 512 KiB steps, each waiting for the main thread to ask for the next, so it cannot progress during a parse (~0.3 s
// idle over 50 MB of all.zip files). Opening and sizing are synchronous for the same reason: two cheap system calls.
function readWhole(file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const fd = openSync(file, 'r');
    let size: number;
    let buf: Buffer;
    try {
      size = fstatSync(fd).size;
      buf = Buffer.allocUnsafe(size);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    const step = (n: number): void => {
      if (n >= size) return void (closeSync(fd), resolve(buf));
      read(fd, buf, n, size - n, n, (err, got) => {
        if (err || !got) {
          closeSync(fd);
          return err ? reject(err) : resolve(buf.subarray(0, n));
        }
        step(n + got);
      });
    };
    step(0);
  });
}
