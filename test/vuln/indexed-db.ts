// A one-advisory OSV database folder with its prebuilt index (bpx db build), and the two ways of changing the record
// under it that tell whether a reader used the index: the same size and time (the index stays fresh, and still holds
// the old record) or a new time (the index is stale, and the record is read again).
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_NAME, buildIndex } from '../../src/vuln/osv/db-index.ts';

// every write of the record gets this modification time, so that a rewrite of the same size is invisible to the index
const WHEN = new Date('2026-01-02T03:04:05Z');

export interface IndexedDb {
  /** the record's file */
  file: string;
  /** rewrites the record with another `fixed` version of the same length, size and time kept: the index stays fresh */
  swap(fixed: string): void;
  /** a newer modification time: the index is stale */
  touch(): void;
}

/** `dir` holding one npm advisory `id` for `pkg` (introduced 0, fixed `fixed`) and `dir/bpx-osv.index` built from it. */
export async function indexedDb(dir: string, id: string, pkg: string, fixed: string): Promise<IndexedDb> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${id}.json`);
  const write = (v: string) => {
    writeFileSync(
      file,
      JSON.stringify({
        schema_version: '1.6.0',
        id,
        modified: '2026-01-02T03:04:05Z',
        summary: `${pkg} test advisory`,
        affected: [
          { package: { ecosystem: 'npm', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: v }] }] },
        ],
        database_specific: { severity: 'HIGH' },
      }),
    );
    utimesSync(file, WHEN, WHEN);
  };
  write(fixed);
  const index = join(dir, INDEX_NAME);
  writeFileSync(index, (await buildIndex([dir], index)).bytes);
  return {
    file,
    swap(v) {
      if (v.length !== fixed.length) throw new Error(`${v}: not the length of ${fixed}`);
      write(v);
    },
    touch: () => utimesSync(file, WHEN, new Date(WHEN.getTime() + 5000)),
  };
}
