// Server back end: PostgreSQL with pgvector reached through `pg`, when SCAI_DATABASE_URL is set.
import pg from 'pg';
import { sessionSettings, type Db, type Queryable, type Session } from '../db.js';

export interface PgOptions {
  url: string;
  /** Pool size; the function serves renders concurrently, but retrieval is one short query. */
  max?: number;
  /** Fail fast instead of waiting for a server that is not there. */
  connectTimeoutMs?: number;
}

/** The URL as it may appear in messages and logs: without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

function wrap(c: pg.Pool | pg.PoolClient): Queryable {
  return {
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await c.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as T[] };
    },
    exec: async (sql: string) => {
      await c.query(sql); // no parameters: the simple protocol accepts several statements
    },
  };
}

async function inTransaction<T>(c: pg.PoolClient, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const out = await fn(wrap(c));
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export async function openPg(opts: PgOptions): Promise<Db> {
  const location = redactUrl(opts.url);
  // min 1: one connection outlives the idle timeout (10 s), so a retrieval after a quiet spell does not
  // pay for a new connection (and a new server backend's cold caches) inside its 300 ms budget.
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 4, min: 1, connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000 });
  // Errors of idle clients (server restart) must not crash the function; the next query reconnects.
  pool.on('error', () => undefined);
  const settings = sessionSettings().join('; ');
  // pg queues a client's queries, so this runs before anything the pool hands the client out for.
  pool.on('connect', (client) => void client.query(settings).catch(() => undefined));
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to the RAG database ${location}: ${(e as Error).message}`, { cause: e });
  }
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    // A checked-out client whose server goes away between two queries emits 'error'; the pool only
    // listens while it is idle, and an unheard 'error' event would crash the process (found by the
    // fault suite: PostgreSQL stopped under a retrieving function). The next query fails instead.
    let broken = false;
    const onError = () => (broken = true);
    c.on('error', onError);
    try {
      return await fn(c);
    } finally {
      c.off('error', onError);
      c.release(broken);
    }
  };
  return {
    kind: 'pg',
    location,
    ...wrap(pool),
    transaction: (fn) => withClient((c) => inTransaction(c, fn)),
    session: (fn) =>
      withClient((c) => {
        const s: Session = { ...wrap(c), transaction: (f) => inTransaction(c, f) };
        return fn(s);
      }),
    close: () => pool.end(),
  };
}
