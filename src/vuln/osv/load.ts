// Loads an OSV database from disk: a directory of OSV JSON/YAML records and/or osv.dev `<Ecosystem>/all.zip` exports.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import YAML from 'yaml';
import type { Issue } from '../../model/index.ts';
import { type VersionScheme, schemeFor } from '../versions/index.ts';
import { ecosystemKey, indexKey } from './names.ts';
import { readZip } from './read-zip.ts';
import type { OsvAffected, OsvRecord } from './types.ts';
import { type Checked, checkRecord } from './validate.ts';

export interface IndexEntry {
  record: OsvRecord;
  affected: OsvAffected;
  scheme: VersionScheme;
}

export interface OsvDb {
  /** where it was loaded from (for messages) */
  source: string;
  /** valid, non-withdrawn records by id (each id once) */
  records: ReadonlyMap<string, OsvRecord>;
  /** `ecosystem\0normalised-name` → the affected entries naming that package */
  index: ReadonlyMap<string, readonly IndexEntry[]>;
  /** files or records skipped or flagged, each naming its file */
  issues: Issue[];
  /** affected entries skipped because bpx has no comparator for their ecosystem: ecosystem → count */
  skippedEcosystems: Record<string, number>;
  withdrawn: number;
  duplicates: number;
  /** the newest `modified` timestamp of any record (ISO 8601); the database's age is measured from it */
  newest?: string;
}

export interface RawRecord {
  /** file (or `zip!entry`) the record came from */
  path: string;
  data: unknown;
}

/** Builds the database from already-parsed records (never mutates them). Later duplicates lose unless newer. */
export function buildDb(source: string, raws: readonly RawRecord[], issues: Issue[] = []): OsvDb {
  return buildChecked(
    source,
    raws.map((raw) => ({ path: raw.path, checked: checkRecord(raw.data) })),
    issues,
  );
}

// `checked` holds each record's schema check, which loadOsvDb runs right after parsing the record (while the fresh
// object is still in cache: a second pass over 50,000 records scattered through the heap is markedly slower).
function buildChecked(source: string, raws: ReadonlyArray<{ path: string; checked: Checked }>, issues: Issue[]): OsvDb {
  // `modified` is parsed once per record (not again for every comparison against the newest or a duplicate)
  const byId = new Map<string, { record: OsvRecord; path: string; modifiedMs: number }>();
  let withdrawn = 0;
  let duplicates = 0;
  let newest: string | undefined;
  let newestMs = NaN;
  const withdrawnIds = new Set<string>();
  for (const { path, checked } of raws) {
    if (!checked.ok) {
      issues.push({ path, severity: 'warning', message: `OSV record skipped: ${checked.error}` });
      continue;
    }
    for (const w of checked.warnings) issues.push({ path, severity: 'warning', message: `OSV record ${checked.record.id}: ${w}` });
    const r = checked.record;
    const modifiedMs = Date.parse(r.modified);
    if (!newest || modifiedMs > newestMs) (newest = r.modified), (newestMs = modifiedMs);
    const prev = byId.get(r.id);
    if (prev) {
      duplicates++;
      if (!(modifiedMs > prev.modifiedMs)) continue;
    }
    byId.set(r.id, { record: r, path, modifiedMs });
  }
  const records = new Map<string, OsvRecord>();
  const index = new Map<string, IndexEntry[]>();
  const skippedEcosystems: Record<string, number> = {};
  for (const id of [...byId.keys()].sort()) {
    const r = byId.get(id)!.record;
    if (r.withdrawn) {
      withdrawn++;
      withdrawnIds.add(id);
      continue;
    }
    records.set(id, r);
    for (const affected of r.affected ?? []) {
      if (!affected.package) continue;
      const scheme = schemeFor(affected.package.ecosystem);
      if (!scheme) {
        const eco = ecosystemKey(affected.package.ecosystem);
        skippedEcosystems[eco] = (skippedEcosystems[eco] ?? 0) + 1;
        continue;
      }
      const key = indexKey(affected.package.ecosystem, affected.package.name);
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      list.push({ record: r, affected, scheme });
    }
  }
  return { source, records, index, issues, skippedEcosystems, withdrawn, duplicates, ...(newest ? { newest } : {}) };
}

function parseRecord(path: string, body: Buffer, issues: Issue[]): RawRecord | undefined {
  const text = body.toString('utf8');
  try {
    // YAML 1.2 core schema: no timestamp type, so `modified: 2023-10-10T14:28:19Z` stays a string
    const data: unknown = /\.ya?ml$/i.test(path) ? YAML.parse(text, { schema: 'core', version: '1.2' }) : JSON.parse(text);
    return { path, data };
  } catch (e) {
    const m = /line (\d+)/.exec(String((e as Error).message));
    issues.push({ path, ...(m ? { line: Number(m[1]) } : {}), severity: 'warning', message: `not a readable OSV record: ${(e as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, d.name);
    if (d.isDirectory()) await walk(p, out);
    else if (d.isFile() && /\.(json|ya?ml|zip)$/i.test(d.name)) out.push(p);
  }
}

/**
 * Loads every `*.json`, `*.yaml`/`*.yml` and `*.zip` below `path` (or the single file `path`).
 * Unreadable or invalid records are skipped with a warning naming the file; the load itself fails only
 * when `path` does not exist.
 */
export async function loadOsvDb(path: string): Promise<OsvDb> {
  const st = await stat(path).catch(() => {
    throw new Error(`${path}: no such OSV database (a directory of OSV JSON files or <Ecosystem>/all.zip files)`);
  });
  const files: string[] = [];
  if (st.isDirectory()) await walk(path, files);
  else files.push(path);
  const issues: Issue[] = [];
  // checked per record as it is parsed; buildChecked still reports all parse issues first, then check issues
  const raws: Array<{ path: string; checked: Checked }> = [];
  const base = st.isDirectory() ? path : join(path, '..');
  for (const file of files) {
    const rel = relative(base, file) || file;
    if (/\.zip$/i.test(file)) {
      try {
        await readZip(file, (name, body) => {
          if (!/\.(json|ya?ml)$/i.test(name)) return;
          const r = parseRecord(`${rel}!${name}`, body, issues);
          if (r) raws.push({ path: r.path, checked: checkRecord(r.data) });
        });
      } catch (e) {
        issues.push({ path: rel, severity: 'warning', message: `unreadable zip: ${(e as Error).message}` });
      }
      continue;
    }
    const r = parseRecord(rel, await readFile(file), issues);
    if (r) raws.push({ path: r.path, checked: checkRecord(r.data) });
  }
  return buildChecked(path, raws, issues);
}

/** Age of the database in ms at `now`, from its newest record; undefined for an empty database. */
export function dbAgeMs(db: OsvDb, now: Date): number | undefined {
  return db.newest ? Math.max(0, now.getTime() - Date.parse(db.newest)) : undefined;
}
