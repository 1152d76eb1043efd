// What a scan needs of an OSV database without loading one (src/vuln/osv/load.ts loads it): the database's shape, the
// files a source is read from, a record's text parsed, the database's age. Light on purpose: a scan that reads the
// prebuilt index (db-index.ts) loads neither the record checker nor the zip reader, and the YAML parser only for a
// YAML record asked for whole.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue } from '../../model/index.ts';
import type { VersionScheme } from '../versions/index.ts';
import type { OsvAdvisory, OsvAdvisoryAffected, OsvRecord } from './types.ts';
import { yamlModule } from './yaml-lazy.cts';

export interface IndexEntry {
  record: OsvAdvisory;
  affected: OsvAdvisoryAffected;
  scheme: VersionScheme;
}

export interface OsvDb {
  /** where it was loaded from (for messages) */
  source: string;
  /**
   * valid, non-withdrawn records by id (each id once), sorted by id. A loaded database re-reads a record from the
   * bytes it came from on each `get` (a fresh object each time); a database built from records returns those objects.
   */
  records: ReadonlyMap<string, OsvRecord>;
  /** `ecosystem\0normalised-name` → the affected entries naming that package */
  index: ReadonlyMap<string, readonly IndexEntry[]>;
  /** files and records not loaded because nothing in them can be matched (or they cannot be read), each naming its file */
  skipped: Issue[];
  /** convention problems in records that were loaded all the same (a private id prefix, one bad range), each naming its file */
  notes: Issue[];
  /** ecosystems (ecosystemKey: `npm`, `pypi`, `crates.io`...) with at least one indexed affected entry */
  ecosystems: ReadonlySet<string>;
  /** affected entries skipped because bpx has no comparator for their ecosystem: ecosystem → count */
  skippedEcosystems: Record<string, number>;
  withdrawn: number;
  duplicates: number;
  /** the newest `modified` timestamp of any record (ISO 8601); the database's age is measured from it */
  newest?: string;
}

/**
 * The parser of a record's text by its path: YAML for `.yaml`/`.yml`, else JSON. Loading the YAML parser happens here,
 * not in the parse: a parser that cannot load is bpx's failure, never a record skipped as unreadable.
 */
export function parserFor(path: string): (text: string) => unknown {
  if (!/\.ya?ml$/i.test(path)) return JSON.parse;
  const yaml = yamlModule();
  // YAML 1.2 core schema: no timestamp type, so `modified: 2023-10-10T14:28:19Z` stays a string
  return (text) => yaml.parse(text, { schema: 'core', version: '1.2' });
}

export function parseText(path: string, body: Buffer): unknown {
  return parserFor(path)(body.toString('utf8'));
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, d.name);
    if (d.isDirectory()) await walk(p, out);
    else if (d.isFile() && /\.(json|ya?ml|zip)$/i.test(d.name)) out.push(p);
  }
}

/** The files a database source is read from, in load order, and the folder its messages name them from. */
export interface SourceFiles {
  /** the source as given (a folder, or one file) */
  path: string;
  /** what record paths in messages are relative to: the folder, or a single file's folder */
  base: string;
  files: string[];
}

/** Lists a source: every `*.json`, `*.yaml`/`*.yml` and `*.zip` below a folder (sorted), or the single file. */
export async function listSource(path: string): Promise<SourceFiles> {
  const st = await stat(path).catch(() => {
    throw new Error(`${path}: no such OSV database (a directory of OSV JSON files or <Ecosystem>/all.zip files)`);
  });
  const files: string[] = [];
  if (st.isDirectory()) await walk(path, files);
  else files.push(path);
  return { path, base: st.isDirectory() ? path : join(path, '..'), files };
}

/** Age of the database in ms at `now`, from its newest record; undefined for an empty database. */
export function dbAgeMs(db: OsvDb, now: Date): number | undefined {
  return db.newest ? Math.max(0, now.getTime() - Date.parse(db.newest)) : undefined;
}
