// Embedded back end: PostgreSQL compiled to WASM (PGlite) with pgvector, in a data directory that one
// process owns (a kernel lock, lockfile.ts), or in memory for tests and benchmarks.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { sessionSettings, type Db, type Queryable } from '../db.js';
import { lockDirectory, type DirLock } from '../lockfile.js';

function wrap(q: PGlite | Transaction): Queryable {
  return {
    query: async <T>(sql: string, params?: unknown[]) => {
      const r = await q.query<T>(sql, params);
      return { rows: r.rows };
    },
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  };
}

export interface PgliteOptions {
  /** A data directory, created when missing; omit for an in-memory database. */
  dir?: string;
}

/** The underlying PGlite instance, for serving it over the wire protocol in tests. */
export interface PgliteDb extends Db {
  readonly pglite: PGlite;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for a path under /proc
 * (mkdir there fails with ENOENT and it retries forever), so `--rag-dir /proc/x` hung.
 */
export function makeDataDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  try {
    for (const d of missing) mkdirSync(d);
  } catch (e) {
    throw new Error(`cannot create the RAG data directory ${dir}: ${(e as Error).message}`, { cause: e });
  }
  if (!statSync(dir).isDirectory()) throw new Error(`the RAG data directory ${dir} is not a directory`);
}

export async function openPglite(opts: PgliteOptions = {}): Promise<PgliteDb> {
  let lock: DirLock | undefined;
  let pglite: PGlite;
  const dir = opts.dir ? resolve(opts.dir) : undefined;
  if (dir) {
    makeDataDir(dir);
    lock = await lockDirectory(dir);
  }
  try {
    pglite = await PGlite.create(dir, { extensions: { vector } });
    for (const s of sessionSettings()) await pglite.exec(s);
  } catch (e) {
    await lock?.release();
    throw new Error(`cannot open the embedded RAG store${dir ? ` in ${dir}` : ''}: ${(e as Error).message}`, { cause: e });
  }
  const base = wrap(pglite);
  const db: PgliteDb = {
    kind: 'pglite',
    location: dir ?? 'memory',
    pglite,
    ...base,
    // PGlite.transaction holds the instance's mutex for the whole transaction, so concurrent callers in
    // this process cannot interleave statements into it.
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    // PGlite has exactly one session.
    session: (fn) => fn(db),
    close: async () => {
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        await lock?.release();
      }
    },
  };
  return db;
}
