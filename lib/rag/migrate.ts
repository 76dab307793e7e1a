// Schema migrations: migrations/NNNN_name.sql applied in order, each in its own transaction and
// recorded in scai_migrations with a checksum. Several processes may start at once: a session-level
// advisory lock serialises them on a PostgreSQL server, and each migration re-checks inside its
// transaction whether another runner applied it meanwhile (pglite-socket shares one session, where
// the advisory lock cannot exclude anyone).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable, Session } from './db.js';
import { migrationsDir } from './paths.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

/** Arbitrary but fixed: every scai process contends on the same key. */
export const MIGRATION_LOCK_KEY = 0x5ca1_0a9;
const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.sql')) continue;
    const m = FILE.exec(f);
    if (!m) throw new Error(`migration file ${join(dir, f)}: name must be NNNN_lower_snake.sql`);
    const sql = readFileSync(join(dir, f), 'utf8');
    const version = Number(m[1]);
    if (out.some((o) => o.version === version)) throw new Error(`migration version ${m[1]} appears twice in ${dir}`);
    out.push({ version, name: m[2] as string, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

const TABLE = `CREATE TABLE IF NOT EXISTS scai_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function appliedChecksum(q: Queryable, version: number): Promise<string | undefined> {
  const r = await q.query<{ checksum: string }>('SELECT checksum FROM scai_migrations WHERE version = $1', [version]);
  return r.rows[0]?.checksum;
}

export class MigrationChecksumError extends Error {}

/**
 * Applies pending migrations; returns the versions this call applied (empty when up to date).
 * `then` runs while the lock is still held: one-time setup that must not race (the embedding model).
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations(), then?: (s: Session) => Promise<void>): Promise<number[]> {
  return db.session(async (s) => {
    await s.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await s.exec(TABLE);
      const applied: number[] = [];
      for (const m of migrations) {
        const done = await s.transaction(async (tx) => {
          const existing = await appliedChecksum(tx, m.version);
          if (existing !== undefined) {
            if (existing !== m.checksum) {
              throw new MigrationChecksumError(
                `migration ${m.version} (${m.name}) was changed after it was applied to ${db.location}; add a new migration instead`,
              );
            }
            return false;
          }
          await tx.exec(m.sql);
          await tx.query('INSERT INTO scai_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
          return true;
        });
        if (done) applied.push(m.version);
      }
      if (then) await then(s);
      return applied;
    } finally {
      await s.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  });
}
