// The one interface both back ends implement, so every SQL statement in the RAG store is written once
// and runs unchanged on embedded PGlite and on a PostgreSQL server through `pg`.

export interface Queryable {
  /** One statement with $n parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** One or more statements without parameters (migration files). */
  exec(sql: string): Promise<void>;
}

export interface Session extends Queryable {
  /** Runs fn inside BEGIN … COMMIT on this session; ROLLBACK and rethrow when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export type BackendKind = 'pglite' | 'pg';

export interface Db extends Session {
  readonly kind: BackendKind;
  /** Where the data lives, for messages: a directory, "memory" or the server URL without password. */
  readonly location: string;
  /**
   * Runs fn on one dedicated session. Session-scoped state (advisory locks, SET) needs it: a pool
   * would hand each query to any connection.
   */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Statements every session runs first: filtered HNSW scans must keep scanning until k rows pass. */
export function sessionSettings(): string[] {
  return [
    // Without iterative scan a filtered HNSW query returns fewer than LIMIT rows (pgvector ≥ 0.8).
    'SET hnsw.iterative_scan = relaxed_order',
    'SET hnsw.ef_search = 100',
  ];
}
