// SQLite through better-sqlite3 (version 12: 13 needs Node 22): WAL, a busy timeout, statements prepared once.
import type BetterSqlite3 from 'better-sqlite3';
import type { Column, Param, SqlDb } from './types.ts';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 30_000;
// rows per bulk INSERT statement: 256 × 14 columns stays far below SQLite's 32,766 bound parameters
const ROWS_PER_INSERT = 256;

export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  /** bulk inserts by table, row count and tail: a few per table (insertMany) */
  private readonly inserts = new Map<string, Statement>();
  private depth = 0;

  constructor(
    private readonly db: Database,
    readonly where: string,
  ) {}

  /** Opens (creating) the file with WAL journaling, NORMAL sync (durable at checkpoints, never corrupt) and foreign keys. */
  static async open(file: string): Promise<SqliteDb> {
    const Driver = await loadDriver();
    const db = new Driver(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // a 32 MB page cache, and a checkpoint every 64 MB of WAL rather than every 4 MB: `fleet add` commits batches of
    // thousands of rows, and each checkpoint (with its fsyncs) cost a quarter of the time of storing them
    db.pragma('cache_size = -32768');
    db.pragma('wal_autocheckpoint = 16384');
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

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly Param[])[], tail = ''): Promise<number> {
    // multi-row VALUES statements: 256 rows each, then the rest in powers of two (at most 9 statements per table to
    // prepare, each once). A third less CPU than the rows as one JSON array unpacked by json_each (measured on the
    // bench's droplet_components), and one call into the driver per 256 rows rather than one per row.
    let changed = 0;
    const width = columns.length;
    for (let i = 0; i < rows.length;) {
      const left = rows.length - i;
      const n = left >= ROWS_PER_INSERT ? ROWS_PER_INSERT : 2 ** Math.floor(Math.log2(left));
      const key = `${table} ${n} ${tail}`;
      let stmt = this.inserts.get(key);
      if (!stmt) {
        const tuple = `(${columns.map(() => '?').join(',')})`;
        stmt = this.db.prepare(
          `INSERT INTO ${table} (${columns.map((c) => c.name).join(',')}) VALUES ${Array(n).fill(tuple).join(',')} ${tail}`,
        );
        this.inserts.set(key, stmt);
      }
      const params = new Array<unknown>(n * width);
      for (let r = 0; r < n; r++) {
        const row = rows[i + r]!;
        for (let c = 0; c < width; c++) params[r * width + c] = row[c] ?? null;
      }
      changed += stmt.run(params).changes;
      i += n;
    }
    return changed;
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.inserts.clear();
    this.db.close();
  }
}

async function loadDriver(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (e) {
    throw new Error(
      `cannot load better-sqlite3, the SQLite driver bpx fleet uses (${(e as Error).message.split('\n')[0]}): run bpx fleet from an installation with its node_modules (npm install)`,
    );
  }
}
