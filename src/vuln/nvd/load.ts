// Loads NVD data offline: CVE API 2.0 response pages (`{"vulnerabilities":[{"cve":…}]}`), the NIST 2.0 JSON feeds
// (nvdcve-2.0-<year>.json[.gz], the same envelope), folders of one `cve` object per file (fkie-cad/nvd-json-data-feeds)
// and Node.js Security WG core advisories (vuln/core/<N>.json, index.json), from files and folders in any mix.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Issue } from '../../model/index.ts';
import { readCve } from './record.ts';
import { objectMembers, parseMembers, topLevelArrayItems } from './split.ts';
import { looksLikeNodeAdvisory, looksLikeNodeIndex, readNodeAdvisory } from './security-wg.ts';
import type { NodeAdvisory, NvdAdvisory } from './types.ts';

export interface NvdDb {
  /** what it was loaded from (for messages) */
  source: string;
  /** CVE records with configurations, by id (each id once: the newest `lastModified` wins), sorted by id */
  advisories: ReadonlyMap<string, NvdAdvisory>;
  /** `vendor:product` → the advisories with a vulnerable cpeMatch for it */
  index: ReadonlyMap<string, readonly NvdAdvisory[]>;
  /** Node.js Security WG core advisories, by id */
  node: readonly NodeAdvisory[];
  /** CVE records without configurations (Deferred, Awaiting Analysis, Received): loaded, nothing to match */
  unanalysed: number;
  /** Rejected CVE records: dropped */
  rejected: number;
  duplicates: number;
  /** files and records not loaded, each naming its file */
  skipped: Issue[];
  /** the newest `lastModified` of any record (the database's age) */
  newest?: string;
}

/** Where the records of one parsed file come from, for buildNvdDb. */
export interface NvdInput {
  /** the file (or `file#index`) */
  path: string;
  data: unknown;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

interface Building {
  byId: Map<string, { advisory?: NvdAdvisory; lastModified: number }>;
  node: Map<string, NodeAdvisory>;
  unanalysed: Set<string>;
  rejected: Set<string>;
  duplicates: number;
  skipped: Issue[];
  newest?: string;
  newestMs: number;
}

function addCve(b: Building, path: string, raw: unknown): void {
  const r = readCve(raw);
  if (r.kind === 'invalid') {
    b.skipped.push({ path, severity: 'warning', message: `NVD record ${r.id ? `${r.id} ` : ''}skipped: ${r.error}` });
    return;
  }
  if (r.kind === 'rejected') {
    b.rejected.add(r.id);
    b.byId.delete(r.id);
    b.unanalysed.delete(r.id);
    return;
  }
  const id = r.kind === 'advisory' ? r.advisory.id : r.id;
  if (b.rejected.has(id)) return;
  const lm = r.kind === 'advisory' ? r.advisory.lastModified : r.lastModified;
  const ms = lm ? Date.parse(lm) : NaN;
  if (lm && !Number.isNaN(ms) && (b.newest === undefined || ms > b.newestMs)) ((b.newest = lm), (b.newestMs = ms));
  const prev = b.byId.get(id);
  if (prev) {
    b.duplicates++;
    if (!(ms > prev.lastModified)) return;
  }
  if (r.kind === 'advisory') {
    b.byId.set(id, { advisory: r.advisory, lastModified: ms });
    b.unanalysed.delete(id);
  } else {
    b.byId.set(id, { lastModified: ms });
    b.unanalysed.add(id);
  }
}

function addNode(b: Building, path: string, raw: Record<string, unknown>, n: string): void {
  const a = readNodeAdvisory(raw, n);
  if (typeof a === 'string') {
    b.skipped.push({ path, severity: 'warning', message: `Node.js Security WG advisory skipped: ${a}` });
    return;
  }
  if (b.node.has(a.id)) b.duplicates++;
  else b.node.set(a.id, a);
}

/** Dispatches one parsed file by its shape. */
function addFile(b: Building, path: string, data: unknown): void {
  if (looksLikeNodeIndex(data)) {
    for (const [n, raw] of Object.entries(data)) addNode(b, `${path}#${n}`, raw, n);
    return;
  }
  if (looksLikeNodeAdvisory(data)) {
    addNode(b, path, data, /(\d+)\.json(\.gz)?$/i.exec(basename(path))?.[1] ?? basename(path).replace(/\.json(\.gz)?$/i, ''));
    return;
  }
  if (isObj(data) && Array.isArray(data.vulnerabilities)) {
    data.vulnerabilities.forEach((v: unknown, i) => addCve(b, `${path}#${i}`, isObj(v) && 'cve' in v ? v.cve : v));
    return;
  }
  if (isObj(data) && isObj(data.cve)) return addCve(b, path, data.cve);
  if (isObj(data) && Array.isArray(data.CVE_Items)) {
    b.skipped.push({
      path,
      severity: 'warning',
      message: 'an NVD 1.1 JSON feed (retired in 2023): give the CVE API 2.0 JSON or the 2.0 feeds (nvdcve-2.0-<year>.json.gz)',
    });
    return;
  }
  if (isObj(data) && typeof data.id === 'string') return addCve(b, path, data);
  b.skipped.push({
    path,
    severity: 'warning',
    message: 'not an NVD CVE API 2.0 record, response page or 2.0 feed, nor a Node.js Security WG advisory',
  });
}

function finish(source: string, b: Building): NvdDb {
  const advisories = new Map<string, NvdAdvisory>();
  const index = new Map<string, NvdAdvisory[]>();
  for (const id of [...b.byId.keys()].sort()) {
    const a = b.byId.get(id)!.advisory;
    if (!a) continue;
    advisories.set(id, a);
    const products = new Set<string>();
    for (const c of a.configurations) for (const n of c.nodes) for (const m of n.matches) if (m.vulnerable) products.add(m.product);
    for (const p of products) {
      let list = index.get(p);
      if (!list) index.set(p, (list = []));
      list.push(a);
    }
  }
  const node = [...b.node.values()].sort((x, y) => Number(x.id.slice(10)) - Number(y.id.slice(10)) || (x.id < y.id ? -1 : 1));
  return {
    source,
    advisories,
    index,
    node,
    unanalysed: b.unanalysed.size,
    rejected: b.rejected.size,
    duplicates: b.duplicates,
    skipped: b.skipped,
    ...(b.newest ? { newest: b.newest } : {}),
  };
}

const start = (): Building => ({
  byId: new Map(),
  node: new Map(),
  unanalysed: new Set(),
  rejected: new Set(),
  duplicates: 0,
  skipped: [],
  newestMs: NaN,
});

/** The database from already-parsed files (never changes them). */
export function buildNvdDb(source: string, inputs: readonly NvdInput[]): NvdDb {
  const b = start();
  for (const i of inputs) addFile(b, i.path, i.data);
  return finish(source, b);
}

const DATA_FILE = /\.json(\.gz)?$/i;
// gunzip on the thread pool
const gunzipAsync = promisify(gunzip);
/** the members of a `cve` object that matching and findings read (record.ts) */
const CVE_KEYS: ReadonlySet<string> = new Set([
  'id',
  'sourceIdentifier',
  'lastModified',
  'published',
  'vulnStatus',
  'descriptions',
  'metrics',
  'configurations',
]);
/** files larger than this that hold a `vulnerabilities` array are read record by record (smaller ones parse whole) */
const SPLIT_FROM = 4 * 1024 * 1024;

async function walk(dir: string, out: string[]): Promise<void> {
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, d.name);
    if (d.isDirectory()) {
      if (d.name !== '.git') await walk(p, out);
    } else if (d.isFile() && DATA_FILE.test(d.name)) out.push(p);
  }
}

/**
 * Loads every `*.json` and `*.json.gz` below each path (or the file itself). A file that is not NVD or Node.js Security
 * WG data, or does not parse, is skipped and named in `skipped`; Rejected CVEs are dropped, CVEs without configurations
 * counted. Fails only when a path does not exist: an empty result is the caller's to refuse.
 */
export async function loadNvdDb(paths: string | readonly string[]): Promise<NvdDb> {
  const list = typeof paths === 'string' ? [paths] : paths;
  const b = start();
  for (const root of list) {
    const st = await stat(root).catch(() => {
      throw new Error(
        `${root}: no such NVD database (NVD CVE API 2.0 JSON files, nvdcve-2.0-*.json.gz feeds, or Node.js Security WG vuln/core files)`,
      );
    });
    const files: string[] = [];
    if (st.isDirectory()) await walk(root, files);
    else files.push(root);
    const base = st.isDirectory() ? root : join(root, '..');
    for (const file of files) {
      const rel = relative(base, file) || file;
      let buf: Buffer;
      try {
        buf = await readFile(file);
        if (buf[0] === 0x1f && buf[1] === 0x8b) buf = await gunzipAsync(buf);
      } catch (e) {
        b.skipped.push({ path: rel, severity: 'warning', message: `not readable: ${(e as Error).message.split('\n')[0]}` });
        continue;
      }
      // a response page or feed: its records one by one (split.ts); anything else parsed whole
      const items = buf.length > SPLIT_FROM ? topLevelArrayItems(buf, 'vulnerabilities') : undefined;
      if (items) {
        items.forEach(([from, to], i) => {
          let v: unknown;
          try {
            // {"cve": {…}}: only the members matching reads are parsed
            const cve = objectMembers(buf, from, to)?.get('cve');
            v = (cve && parseMembers(buf, cve[0], cve[1], CVE_KEYS)) ?? JSON.parse(buf.toString('utf8', from, to));
          } catch (e) {
            b.skipped.push({
              path: `${rel}#${i}`,
              severity: 'warning',
              message: `not readable JSON: ${(e as Error).message.split('\n')[0]}`,
            });
            return;
          }
          addCve(b, `${rel}#${i}`, isObj(v) && isObj(v.cve) ? v.cve : v);
        });
        continue;
      }
      let data: unknown;
      try {
        data = JSON.parse(buf.toString('utf8'));
      } catch (e) {
        b.skipped.push({ path: rel, severity: 'warning', message: `not readable JSON: ${(e as Error).message.split('\n')[0]}` });
        continue;
      }
      addFile(b, rel, data);
    }
  }
  return finish(list.join(', '), b);
}

/** Age of the database in ms at `now`, from its newest record (NVD's `lastModified` has no zone: UTC). */
export function nvdAgeMs(db: NvdDb, now: Date): number | undefined {
  if (!db.newest) return undefined;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(db.newest) ? db.newest : `${db.newest}Z`);
  return Number.isNaN(t) ? undefined : Math.max(0, now.getTime() - t);
}
