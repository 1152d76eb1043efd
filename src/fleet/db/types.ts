// The one small SQL surface the fleet store needs, implemented for SQLite (better-sqlite3) and PostgreSQL (pg).

/** A bound value; an array only in PostgreSQL SQL (`= ANY(?)`), see inList. */
export type Param = string | number | null | readonly string[] | readonly number[];
export type Row = Record<string, unknown>;

/** A column of a bulk insert; `pg` is the PostgreSQL array element type unnest() builds the rows from. */
export interface Column {
  name: string;
  pg: 'bigint' | 'integer' | 'text';
}

/** Columns of a bulk insert from `name` (text) and `name:bigint` / `name:integer`: columns('id:bigint', 'purl'). */
export function columns(...spec: string[]): Column[] {
  return spec.map((s) => {
    const [name, pg = 'text'] = s.split(':') as [string, Column['pg'] | undefined];
    return { name, pg };
  });
}

export type Dialect = 'sqlite' | 'postgres';

/**
 * SQL is written once with `?` placeholders (never inside string literals); PostgreSQL numbers them `$1, $2...`.
 * Both dialects take `ON CONFLICT ... DO NOTHING / DO UPDATE SET x = excluded.x` and `RETURNING`.
 */
export interface SqlDb {
  readonly dialect: Dialect;
  /** where the database is, for messages: a file path, or the URL without its password */
  readonly where: string;
  all<T = Row>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /** runs one statement; the number of rows it changed */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  /** several statements without parameters (DDL) */
  exec(sql: string): Promise<void>;
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back when it throws. SQLite takes the write lock at
   * the start (BEGIN IMMEDIATE), so two writers queue on the busy timeout instead of failing half-way.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * inserts rows (values in `columns` order) in as few statements as the dialect allows; `tail` follows (ON CONFLICT...).
   * Resolves to the number of rows inserted or updated (fewer than given when ON CONFLICT DO NOTHING skipped some).
   */
  insertMany(table: string, columns: readonly Column[], rows: readonly (readonly Param[])[], tail?: string): Promise<number>;
  close(): Promise<void>;
}

/** A failure another attempt of the same transaction may not meet (PostgreSQL deadlock or serialization failure, SQLite busy). */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** `col IN (...)` for a list of values: SQLite gets one placeholder per value, PostgreSQL one array (`col = ANY($1)`). */
export function inList(db: SqlDb, column: string, values: readonly (string | number)[]): [string, Param[]] {
  if (!values.length) return ['1 = 0', []];
  if (db.dialect === 'postgres') return [`${column} = ANY(?)`, [values as readonly string[]]];
  return [`${column} IN (${values.map(() => '?').join(',')})`, [...values]];
}
