// Which database a fleet URL names: postgres:// or postgresql:// is PostgreSQL; sqlite:PATH, file:PATH or a plain path is SQLite.
import path from 'node:path';
import type { SqlDb } from './types.ts';

export const DEFAULT_DB = 'bpx-fleet.db';

export type DbLocation = { kind: 'postgres'; url: string } | { kind: 'sqlite'; file: string };

/** `postgres://u@h/db` → postgres; `sqlite:x.db`, `file:x.db`, `x.db` → the file, resolved against cwd. */
export function parseDbLocation(spec: string, cwd: string): DbLocation {
  if (/^postgres(ql)?:\/\//i.test(spec)) return { kind: 'postgres', url: spec };
  const m = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(spec);
  const file = m ? m[1]! : spec;
  if (!file) throw new Error(`${spec}: no file named`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file))
    throw new Error(`${spec}: not a database URL bpx knows (postgres://..., sqlite:FILE or a file path)`);
  return { kind: 'sqlite', file: path.resolve(cwd, file) };
}

/** Opens the database; the driver (native module or pg) is loaded only now. */
export async function openDb(loc: DbLocation): Promise<SqlDb> {
  if (loc.kind === 'postgres') return (await import('./postgres.ts')).PostgresDb.open(loc.url);
  return (await import('./sqlite.ts')).SqliteDb.open(loc.file);
}
