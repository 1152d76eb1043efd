// SQLite through better-sqlite3 (version 12: 13 needs Node 22): WAL, a busy timeout, statements prepared once.
import type BetterSqlite3 from 'better-sqlite3';
import type { Column, Param, SqlDb } from './types.ts';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 30_000;
// SQLite allows 32,766 bound values per statement; rows are inserted in chunks well below that
const CHUNK_VALUES = 30_000;

export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private depth = 0;

  constructor(private readonly db: Database, readonly where: string) {}

  /** Opens (creating) the file with WAL journaling, NORMAL sync (durable at checkpoints, never corrupt) and foreign keys. */
  static async open(file: string): Promise<SqliteDb> {
    const Driver = await loadDriver();
    const db = new Driver(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return new SqliteDb(db, file);
  }

  private prepare(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      // IN lists of every length are distinct statements: keep the cache bounded
      if (this.statements.size >= 500) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return this.prepare(sql).all(...(params as unknown[])) as T[];
  }

  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return this.prepare(sql).get(...(params as unknown[])) as T | undefined;
  }

  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return this.prepare(sql).run(...(params as unknown[])).changes;
  }

  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    // nested calls join the outer transaction
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const out = await fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    } finally {
      this.depth--;
    }
  }

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly Param[])[], tail = ''): Promise<void> {
    if (!rows.length) return;
    // full chunks through one multi-row statement, the rest row by row: two statements per table, whatever the sizes
    const per = Math.max(1, Math.min(100, Math.floor(CHUNK_VALUES / columns.length)));
    const one = `(${columns.map(() => '?').join(',')})`;
    const head = `INSERT INTO ${table} (${columns.map((c) => c.name).join(',')}) VALUES `;
    let i = 0;
    if (rows.length >= per) {
      const many = this.prepare(`${head}${Array(per).fill(one).join(',')} ${tail}`);
      for (; i + per <= rows.length; i += per) many.run(...rows.slice(i, i + per).flat());
    }
    const single = this.prepare(`${head}${one} ${tail}`);
    for (; i < rows.length; i++) single.run(...rows[i]!);
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }
}

async function loadDriver(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (e) {
    throw new Error(`cannot load better-sqlite3, the SQLite driver bpx fleet uses (${(e as Error).message.split('\n')[0]}): run bpx fleet from an installation with its node_modules (npm install)`);
  }
}
