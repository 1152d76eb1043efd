// PostgreSQL through pg: one connection per process, `?` placeholders numbered, bulk inserts through unnest() arrays.
import type pg from 'pg';
import type { Column, Param, SqlDb } from './types.ts';

/** `?` → `$1, $2...` (the fleet's SQL never has `?` inside a string literal): "a = ? AND b = ?" -> "a = $1 AND b = $2". */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The URL as messages show it: no password. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export class PostgresDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, string>();
  private depth = 0;

  constructor(
    private readonly client: pg.Client,
    readonly where: string,
  ) {}

  static async open(url: string): Promise<PostgresDb> {
    const driver = await loadDriver();
    // int8 (counts, bigint ids) as numbers: the fleet's ids and counts stay far below 2^53
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === driver.types.builtins.INT8 ? (v: string) => Number(v) : driver.types.getTypeParser(oid, format as 'text'),
    };
    const client = new driver.Client({ connectionString: url, types, application_name: 'bpx fleet' });
    try {
      await client.connect();
    } catch (e) {
      throw new Error(`cannot connect to ${safeUrl(url)}: ${(e as Error).message}`);
    }
    // an idle connection dropped by the server must not crash the process: the next query reports it
    client.on('error', () => {});
    // a commit does not wait for its WAL flush (one per droplet would dominate ingestion): a server crash can lose the
    // last few droplets, never half of one, and the next run adds them again (droplets are recognised by digest)
    await client.query('SET synchronous_commit TO off');
    return new PostgresDb(client, safeUrl(url));
  }

  private text(sql: string): string {
    let t = this.texts.get(sql);
    if (t === undefined) {
      t = numberPlaceholders(sql);
      if (this.texts.size < 1000) this.texts.set(sql, t);
    }
    return t;
  }

  async all<T>(sql: string, params: readonly Param[] = []): Promise<T[]> {
    return (await this.client.query(this.text(sql), params as Param[])).rows as T[];
  }

  async get<T>(sql: string, params: readonly Param[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly Param[] = []): Promise<number> {
    return (await this.client.query(this.text(sql), params as Param[])).rowCount ?? 0;
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn();
    await this.client.query('BEGIN');
    this.depth++;
    try {
      const out = await fn();
      await this.client.query('COMMIT');
      return out;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      this.depth--;
    }
  }

  async insertMany(table: string, columns: readonly Column[], rows: readonly (readonly Param[])[], tail = ''): Promise<number> {
    if (!rows.length) return 0;
    // one statement whatever the number of rows: each column travels as one array parameter
    const arrays = columns.map((_, i) => rows.map((r) => r[i] ?? null));
    const sql = `INSERT INTO ${table} (${columns.map((c) => c.name).join(',')}) SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.pg}[]`).join(',')}) ${tail}`;
    return (await this.client.query(sql, arrays)).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

async function loadDriver(): Promise<typeof pg> {
  try {
    return (await import('pg')).default;
  } catch (e) {
    throw new Error(
      `cannot load pg, the PostgreSQL driver bpx fleet uses (${(e as Error).message.split('\n')[0]}): run bpx fleet from an installation with its node_modules (npm install)`,
    );
  }
}
