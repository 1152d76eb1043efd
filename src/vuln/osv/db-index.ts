// bpx's prebuilt OSV index (docs/vulnerabilities-and-licenses.md, "The prebuilt index"): one file holding a loaded
// database, checked against the identity of the files it was built from, and read lazily: a scan parses only the
// advisories of the packages it looks up.
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Issue } from '../../model/index.ts';
import { VERSION } from '../../version.ts';
import { schemeFor } from '../versions/index.ts';
import type { KeptRecord } from './load.ts';
import { type IndexEntry, type OsvDb, type SourceFiles, listSource, parseText } from './source.ts';
import { ZipEntry } from './read-zip.ts';
import { type VulnSeverity, advisorySeverity, rated } from './severity.ts';
import type { OsvAdvisory, OsvRecord } from './types.ts';

// The full load (the record checker, YAML): imported only to build an index or when none can be used, so that a scan
// reading the index loads neither.
const loadOsvDb = async (db: string): Promise<OsvDb> => (await import('./load.ts')).loadOsvDb(db);
const loadSources = async (...a: Parameters<typeof import('./load.ts').loadSources>) => (await import('./load.ts')).loadSources(...a);

// Layout: MAGIC; five little-endian u32s [header bytes, records, keys bytes, ids bytes, CRC-32 of what follows up to the
// body]; the header and the ids (UTF-8 JSON each) with the keys between them (binary, below); `records` pairs of u32
// [end of the record's blob in the body, CRC-32 of the blob]; the body. A scan reads the part before the body at once
// (a few MB for 50,000 records), and each blob with one positioned read when a lookup first needs it, checking its hash
// then: a damaged index fails loudly.
// Each blob is the JSON `[advisory, path, file, zip, text, ratings]`: the compact advisory the match reads, the record's
// path in messages, the index of the file it came from, how to read the full record again (`[start, compSize, size,
// method]` in a zip, or its text when the zip could only be read entry by entry), so that `records.get` gives the full
// record, and the severity of each affected entry as the load rated it (format 3): a scan of the index never scores a
// CVSS vector, so it never sets up the CVSS calculator.
const FORMAT = 3;
const MAGIC = Buffer.from(`bpx-osv-index ${FORMAT}\n`);
// any format's magic line: an index of another format is stale (rebuilt by this bpx), not a database of records
const ANY_MAGIC = /^bpx-osv-index (\d)\n$/;
/** The format the magic line at the start of `b` names, or undefined when `b` does not start with one. */
const formatOf = (b: Buffer): number | undefined => {
  const m = ANY_MAGIC.exec(b.toString('latin1', 0, MAGIC.length));
  return m ? Number(m[1]) : undefined;
};
const FIXED = MAGIC.length + 20;
/** how many keys' parsed advisories a lazily read index keeps (lazyDb's lookup) */
const RECENT_KEYS = 256;
/** the name `bpx db build` writes inside a database folder, and `bpx scan --db DIR` looks for */
export const INDEX_NAME = 'bpx-osv.index';

interface FileId {
  /** relative to the source (empty for a source that is one file) */
  rel: string;
  size: number;
  mtimeMs: number;
}

interface Header {
  /** the bpx that wrote it: another version may check records differently, so its index is stale */
  bpx: string;
  /** each source relative to the index's folder, with the identity of every file read from it */
  sources: Array<{ path: string; files: Array<[string, number, number]> }>;
  skipped: Issue[];
  notes: Issue[];
  ecosystems: string[];
  skippedEcosystems: Record<string, number>;
  withdrawn: number;
  duplicates: number;
  newest?: string;
}

/** record ids, sorted: a record's ordinal is its position here */
type Ids = string[];
/** index key → [ordinal, affected position, ordinal, affected position, ...] in the order the full load gives */
type Keys = Map<string, number[]>;

type Blob = [OsvAdvisory, string, number, [number, number, number, number] | 0, string | 0, VulnSeverity[]];

/**
 * The keys, binary, so that a scan looks up a few without parsing them all (as a JSON object, the 17,000 keys of
 * 50,000 advisories took 23 ms to parse and as much again in garbage collection: a third of a scan's fixed cost):
 * u32 n; n u32 ends of each key in the key text, in the full load's order; n u32 ends of each key's pairs (counted
 * in u32s); n u32 positions, sorted by the keys' UTF-8 bytes (the binary search); the key text (UTF-8); the pairs.
 */
function encodeKeys(keys: Keys): Buffer {
  const list = [...keys];
  const texts = list.map(([k]) => Buffer.from(k, 'utf8'));
  const sorted = list.map((_, i) => i).sort((a, b) => Buffer.compare(texts[a]!, texts[b]!));
  const textBytes = texts.reduce((t, b) => t + b.length, 0);
  const pairs = list.reduce((t, [, p]) => t + p.length, 0);
  const out = Buffer.alloc(4 + 12 * list.length + textBytes + 4 * pairs);
  let o = out.writeUInt32LE(list.length, 0);
  let end = 0;
  for (const t of texts) o = out.writeUInt32LE((end += t.length), o);
  end = 0;
  for (const [, p] of list) o = out.writeUInt32LE((end += p.length), o);
  for (const i of sorted) o = out.writeUInt32LE(i, o);
  for (const t of texts) o += t.copy(out, o);
  for (const [, p] of list) for (const v of p) o = out.writeUInt32LE(v, o);
  return out;
}

/** The keys of an index read where they lie in its prefix (encodeKeys): a lookup is a binary search, nothing parsed. */
class KeyTable {
  readonly size: number;
  private readonly keyEnds: number;
  private readonly pairEnds: number;
  private readonly sorted: number;
  private readonly text: number;
  private readonly pairs: number;

  constructor(
    private readonly b: Buffer,
    from: number,
    to: number,
    bad: (why: string) => Error,
  ) {
    const n = to - from >= 4 ? b.readUInt32LE(from) : -1;
    const last = (at: number) => (n > 0 ? b.readUInt32LE(at + 4 * (n - 1)) : 0);
    this.size = n;
    this.keyEnds = from + 4;
    this.pairEnds = this.keyEnds + 4 * n;
    this.sorted = this.pairEnds + 4 * n;
    this.text = this.sorted + 4 * n;
    this.pairs = n < 0 || this.text > to ? to + 1 : this.text + last(this.keyEnds);
    if (n < 0 || this.pairs > to || this.pairs + 4 * last(this.pairEnds) !== to) throw bad('keys: their sizes do not add up');
  }

  private end(table: number, i: number): number {
    return i < 0 ? 0 : this.b.readUInt32LE(table + 4 * i);
  }

  key(i: number): string {
    return this.b.toString('utf8', this.text + this.end(this.keyEnds, i - 1), this.text + this.end(this.keyEnds, i));
  }

  /** the key's position (in the full load's order), or -1 */
  find(key: string): number {
    const want = Buffer.from(key, 'utf8');
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = this.b.readUInt32LE(this.sorted + 4 * mid);
      const c = this.b.compare(want, 0, want.length, this.text + this.end(this.keyEnds, i - 1), this.text + this.end(this.keyEnds, i));
      if (c === 0) return i;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** [ordinal, affected position, ...] of the key at position i */
  pairsOf(i: number): number[] {
    const out: number[] = [];
    for (let at = this.end(this.pairEnds, i - 1), to = this.end(this.pairEnds, i); at < to; at++)
      out.push(this.b.readUInt32LE(this.pairs + 4 * at));
    return out;
  }
}

/** What the last step of `bpx db build` reports. */
export interface BuiltIndex {
  file: string;
  db: OsvDb;
  files: number;
  bytes: number;
}

// CRC-32 (zlib's, native and synchronous): it is to catch a damaged or truncated file, not an attacker, who can
// write a whole index anyway

const idOf = (abs: string, base: string): FileId => {
  const st = statSync(abs);
  return { rel: path.relative(base, abs), size: st.size, mtimeMs: st.mtimeMs };
};

/**
 * Loads the sources (folders or files of OSV records and all.zip exports) as `bpx scan --db` would, and returns the
 * index file's bytes for `indexFile` (sources are recorded relative to its folder). Files are identified before they
 * are read, so a file changed during the build makes the index stale rather than silently wrong.
 */
export async function buildIndex(sources: readonly string[], indexFile: string): Promise<{ bytes: Buffer; db: OsvDb; files: number }> {
  const listed: SourceFiles[] = [];
  for (const s of sources) listed.push(await listSource(s));
  const ids = listed.map((s) => s.files.map((f) => idOf(f, s.path)));
  const { db, kept, sources: read } = await loadSources(sources);
  // the lists read must be the lists identified (a file added between the two walks)
  for (const [i, s] of read.entries())
    if (s.files.join('\0') !== listed[i]!.files.join('\0')) throw new Error(`${s.path}: changed while the index was built; build again`);
  const fileIndex = new Map<string, number>();
  let n = 0;
  for (const s of read) for (const f of s.files) fileIndex.set(f, n++);
  const flat = read.flatMap((s) => s.files);
  const order = [...kept.keys()];
  const ordinal = new Map(order.map((id, i) => [id, i]));
  const keys: Keys = new Map();
  for (const [key, entries] of db.index) {
    const list: number[] = [];
    for (const e of entries) list.push(ordinal.get(e.record.id)!, e.record.affected.indexOf(e.affected));
    keys.set(key, list);
  }
  const header: Header = {
    bpx: VERSION,
    sources: read.map((s, i) => ({
      path: path.relative(path.dirname(path.resolve(indexFile)), path.resolve(s.path)) || '.',
      files: ids[i]!.map((f) => [f.rel, f.size, f.mtimeMs]),
    })),
    skipped: db.skipped,
    notes: db.notes,
    ecosystems: [...db.ecosystems],
    skippedEcosystems: db.skippedEcosystems,
    withdrawn: db.withdrawn,
    duplicates: db.duplicates,
    ...(db.newest ? { newest: db.newest } : {}),
  };
  const blobs: Buffer[] = [];
  const table = Buffer.alloc(8 * order.length);
  let at = 0;
  for (const [i, id] of order.entries()) {
    const k = kept.get(id)!;
    const adv = k.advisory;
    const ratings = adv.affected.map((a) => advisorySeverity(adv, a));
    const blob: Blob = [adv, k.path, k.file === undefined ? -1 : k.file, 0, 0, ratings];
    if ('read' in k.source) {
      if (k.source instanceof ZipEntry) blob[3] = [k.source.start, k.source.compSize, k.source.size, k.source.method];
      else if (/\.zip$/i.test(flat[k.file ?? -1] ?? '')) blob[4] = k.source.read().toString('utf8');
    }
    const b = Buffer.from(JSON.stringify(blob), 'utf8');
    blobs.push(b);
    at += b.length;
    if (at > 0xffffffff) throw new Error('the database is too large for one index file (4 GiB of records)');
    table.writeUInt32LE(at, 8 * i);
    table.writeUInt32LE(crc32(b), 8 * i + 4);
  }
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const keysBin = encodeKeys(keys);
  const idsJson = Buffer.from(JSON.stringify(order), 'utf8');
  const prefix = Buffer.concat([head, keysBin, idsJson, table]);
  const sizes = Buffer.alloc(20);
  sizes.writeUInt32LE(head.length, 0);
  sizes.writeUInt32LE(order.length, 4);
  sizes.writeUInt32LE(keysBin.length, 8);
  sizes.writeUInt32LE(idsJson.length, 12);
  sizes.writeUInt32LE(crc32(prefix), 16);
  return { bytes: Buffer.concat([MAGIC, sizes, prefix, ...blobs]), db, files: fileIndex.size };
}

/** Whether a file starts as an index does (a database folder or record file does not). */
export function isIndexFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) return false;
    const b = Buffer.alloc(MAGIC.length);
    return readSync(fd, b, 0, b.length, 0) === b.length && formatOf(b) !== undefined;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An index that cannot be read: damaged, truncated, or not an index. The message names the file and says what to do. */
export class CorruptIndex extends Error {}

interface Opened {
  file: string;
  /** the index format it was written in (FORMAT: readable; another: stale) */
  format: number;
  header: Header;
  /** the part before the body: header, keys, ids and table */
  prefix: Buffer;
  count: number;
  /** where the keys, the ids and the table start in `prefix` */
  keysAt: number;
  idsAt: number;
  table: number;
  /** where the body starts in the file */
  body: number;
}

const damaged = (file: string, why: string) =>
  new CorruptIndex(`${file}: not a readable bpx OSV index (${why}); rebuild it with bpx db build`);

async function open(file: string): Promise<Opened> {
  const bad = (why: string) => damaged(file, why);
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const fixed = Buffer.alloc(FIXED);
    // every format has this layout up to the header: another format's index is read that far, and is stale
    const format = size < FIXED || readSync(fd, fixed, 0, FIXED, 0) !== FIXED ? undefined : formatOf(fixed);
    if (format === undefined) throw bad('no bpx-osv-index header');
    const [headBytes, count, keysBytes, idsBytes] = [0, 4, 8, 12].map((o) => fixed.readUInt32LE(MAGIC.length + o)) as [
      number,
      number,
      number,
      number,
    ];
    const prefixBytes = headBytes + keysBytes + idsBytes + 8 * count;
    if (FIXED + prefixBytes > size) throw bad('truncated');
    const prefix = Buffer.allocUnsafe(prefixBytes);
    if (readSync(fd, prefix, 0, prefixBytes, FIXED) !== prefixBytes) throw bad('truncated');
    if (crc32(prefix) !== fixed.readUInt32LE(MAGIC.length + 16)) throw bad('checksum mismatch: damaged');
    const table = headBytes + keysBytes + idsBytes;
    const body = FIXED + prefixBytes;
    if (body + (count ? prefix.readUInt32LE(table + 8 * (count - 1)) : 0) !== size)
      throw bad('truncated or extended: its size does not match');
    let header: Header;
    try {
      header = JSON.parse(prefix.toString('utf8', 0, headBytes)) as Header;
    } catch (e) {
      throw bad(`header: ${(e as Error).message}`);
    }
    if (!Array.isArray(header.sources) || !Array.isArray(header.skipped)) throw bad('header fields missing');
    return { file, format, header, prefix, count, keysAt: headBytes, idsAt: headBytes + keysBytes, table, body };
  } finally {
    closeSync(fd);
  }
}

/** Why the index no longer describes its sources (undefined when it is fresh). */
async function staleness(file: string, format: number, header: Header): Promise<string | undefined> {
  if (format !== FORMAT) return `index format ${format}, this bpx reads format ${FORMAT}`;
  if (header.bpx !== VERSION) return `written by bpx ${header.bpx}, this is ${VERSION}`;
  const dir = path.dirname(file);
  for (const s of header.sources) {
    const abs = path.resolve(dir, s.path);
    let listed: SourceFiles;
    try {
      listed = await listSource(abs);
    } catch {
      return `${abs} is gone`;
    }
    const want = new Map(s.files.map(([rel, size, mtimeMs]) => [rel, { size, mtimeMs }]));
    for (const f of listed.files) {
      const rel = path.relative(abs, f);
      const w = want.get(rel);
      if (!w) return `${path.join(abs, rel)} was added`;
      want.delete(rel);
      const st = statSync(f);
      if (st.size !== w.size || st.mtimeMs !== w.mtimeMs) return `${f} changed`;
    }
    for (const rel of want.keys()) return `${path.join(abs, rel)} was removed`;
  }
  return undefined;
}

/** The database an index holds, read lazily: the header at once, each advisory when a lookup first needs it. */
function lazyDb(source: string, o: Opened): OsvDb {
  const { file, header, prefix, table, body } = o;
  let ids: Ids | undefined;
  const section = <T>(from: number, to: number, what: string): T => {
    try {
      return JSON.parse(prefix.toString('utf8', from, to)) as T;
    } catch (e) {
      throw damaged(file, `${what}: ${(e as Error).message}`);
    }
  };
  const idList = () => (ids ??= section<Ids>(o.idsAt, table, 'ids'));
  let keys: KeyTable | undefined;
  const keyTable = () => (keys ??= new KeyTable(prefix, o.keysAt, o.idsAt, (why) => damaged(file, why)));
  let fd: number | undefined;
  /** Record i's blob, read, checked and parsed anew (parsed records are not kept: see lookup). */
  const blob = (i: number): Blob => {
    const from = i ? prefix.readUInt32LE(table + 8 * (i - 1)) : 0;
    const to = prefix.readUInt32LE(table + 8 * i);
    const bytes = Buffer.allocUnsafe(to - from);
    // opened on the first lookup and kept for the others (closed with the process)
    fd ??= openSync(file, 'r');
    if (readSync(fd, bytes, 0, bytes.length, body + from) !== bytes.length || crc32(bytes) !== prefix.readUInt32LE(table + 8 * i + 4))
      throw damaged(file, `record ${i + 1} does not match its checksum`);
    try {
      return JSON.parse(bytes.toString('utf8')) as Blob;
    } catch (e) {
      throw damaged(file, `record ${i + 1}: ${(e as Error).message}`);
    }
  };
  const files = header.sources.flatMap((src) => src.files.map(([rel]) => path.resolve(path.dirname(file), src.path, rel)));
  let zip: { file: string; buf: Buffer } | undefined;
  const full = (i: number): OsvRecord => {
    const [, recordPath, f, at, text] = blob(i);
    if (text !== 0) return parseText(recordPath, Buffer.from(text, 'utf8')) as OsvRecord;
    const src = files[f]!;
    if (at === 0) return parseText(recordPath, readFileSync(src)) as OsvRecord;
    if (zip?.file !== src) zip = { file: src, buf: readFileSync(src) };
    return parseText(recordPath, new ZipEntry(recordPath, zip.buf, ...at).read()) as OsvRecord;
  };
  const ordinalOf = (id: string): number => {
    let lo = 0;
    const list = idList();
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = list[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  // Parsed records are not kept for the database's lifetime: kept, the 35,000 records 10,000 components need (100 MB
  // of heap) were copied again by every scavenge; dropped, that match took 1.19 s instead of 1.34 s and 178 MB instead
  // of 209. A lookup parses each record it needs once, and the lists of the last RECENT_KEYS keys are kept, so that a
  // package looked up again soon (its next version: components mostly come sorted by purl) is not parsed again; the
  // matcher itself remembers each component's answer.
  const recent = new Map<string, IndexEntry[]>();
  const lookup = (key: string): IndexEntry[] | undefined => {
    let list = recent.get(key);
    if (list) {
      recent.delete(key);
      recent.set(key, list);
      return list;
    }
    const kt = keyTable();
    const at = kt.find(key);
    if (at < 0) return undefined;
    const pairs = kt.pairsOf(at);
    list = [];
    const parsed = new Map<number, Blob>();
    for (let i = 0; i < pairs.length; i += 2) {
      let b = parsed.get(pairs[i]!);
      if (!b) parsed.set(pairs[i]!, (b = blob(pairs[i]!)));
      const record = b[0];
      const pos = pairs[i + 1]!;
      const affected = record.affected[pos]!;
      rated(record, affected, b[5][pos]!);
      list.push({ record, affected, scheme: schemeFor(affected.package.ecosystem)! });
    }
    recent.set(key, list);
    if (recent.size > RECENT_KEYS) recent.delete(recent.keys().next().value!);
    return list;
  };
  const records: ReadonlyMap<string, OsvRecord> = {
    size: o.count,
    has: (id) => ordinalOf(id) >= 0,
    get: (id) => {
      const i = ordinalOf(id);
      return i < 0 ? undefined : full(i);
    },
    keys: () => idList().values(),
    values: () =>
      idList()
        .map((_, i) => full(i))
        .values(),
    entries: () =>
      idList()
        .map((id, i): [string, OsvRecord] => [id, full(i)])
        .values(),
    [Symbol.iterator]: () =>
      idList()
        .map((id, i): [string, OsvRecord] => [id, full(i)])
        .values(),
    forEach(fn, thisArg) {
      idList().forEach((id, i) => fn.call(thisArg, full(i), id, records));
    },
  };
  const allKeys = () => {
    const kt = keyTable();
    return Array.from({ length: kt.size }, (_, i) => kt.key(i));
  };
  const index: ReadonlyMap<string, readonly IndexEntry[]> = {
    get size() {
      return keyTable().size;
    },
    has: (key) => keyTable().find(key) >= 0,
    get: lookup,
    keys: () => allKeys().values(),
    values: () =>
      allKeys()
        .map((k) => lookup(k)!)
        .values(),
    entries: () =>
      allKeys()
        .map((k): [string, IndexEntry[]] => [k, lookup(k)!])
        .values(),
    [Symbol.iterator]: () =>
      allKeys()
        .map((k): [string, IndexEntry[]] => [k, lookup(k)!])
        .values(),
    forEach(fn, thisArg) {
      for (const k of allKeys()) fn.call(thisArg, lookup(k)!, k, index);
    },
  };
  return {
    source,
    records,
    index,
    skipped: header.skipped,
    notes: header.notes,
    ecosystems: new Set(header.ecosystems),
    skippedEcosystems: header.skippedEcosystems,
    withdrawn: header.withdrawn,
    duplicates: header.duplicates,
    ...(header.newest ? { newest: header.newest } : {}),
  };
}

/** How `openOsvDb` read the database. */
export interface IndexUse {
  /** the index file looked at */
  file: string;
  /** true: the database came from the index; false: it was stale (or damaged, beside a folder) and the sources were loaded */
  used: boolean;
  /** why it was not used */
  why?: string;
}

/** The warning a command gives for an index passed over, the index named as `shown` (relative to where it runs). */
export const indexNotUsed = (index: IndexUse, shown: string): string =>
  `warning: ${shown} not used (${index.why}): the database itself was loaded (bpx db build refreshes the index)`;

/**
 * The database at `db`, from its prebuilt index when there is a fresh one: `db` is an index file (`bpx db build -o`),
 * or a database folder with `bpx-osv.index` in it. A stale index is passed over for a full load of its sources (of the
 * folder), and said so in `index.why`. A damaged index file given as `db` is an error (CorruptIndex), never an empty
 * database; a damaged one inside a folder is passed over like a stale one. Anything else loads as loadOsvDb does.
 */
export async function openOsvDb(db: string): Promise<{ db: OsvDb; index?: IndexUse }> {
  let isDir = false;
  try {
    isDir = statSync(db).isDirectory();
  } catch {
    return { db: await loadOsvDb(db) };
  }
  const file = isDir ? path.join(db, INDEX_NAME) : db;
  if (isDir && !isIndexFile(file)) {
    let exists = true;
    try {
      statSync(file);
    } catch {
      exists = false;
    }
    if (!exists) return { db: await loadOsvDb(db) };
  } else if (!isDir && !isIndexFile(file)) return { db: await loadOsvDb(db) };
  let opened: Opened;
  try {
    opened = await open(file);
  } catch (e) {
    if (!isDir || !(e instanceof CorruptIndex)) throw e;
    return { db: await loadOsvDb(db), index: { file, used: false, why: (e as Error).message } };
  }
  const own = opened.header.sources;
  const why =
    isDir && (own.length !== 1 || own[0]!.path !== '.')
      ? `built from ${own.map((s) => s.path).join(', ')}, not from this folder alone`
      : await staleness(file, opened.format, opened.header);
  if (!why) return { db: lazyDb(db, opened), index: { file, used: true } };
  if (isDir) return { db: await loadOsvDb(db), index: { file, used: false, why } };
  const dir = path.dirname(file);
  const sources = opened.header.sources.map((s) => path.resolve(dir, s.path));
  return { db: (await loadSources(sources, db)).db, index: { file, used: false, why } };
}
