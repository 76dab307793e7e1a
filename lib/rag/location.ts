// Where the store lives: SCAI_DATABASE_URL → a PostgreSQL server through `pg`; otherwise the
// embedded PGlite in SCAI_RAG_DIR (default ~/.scai/rag). Shared by the function's RagStore and the
// controller's RecordingStore, so both always open the same store from the same settings.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Db } from './db.js';

export type StoreLocation = { kind: 'pg'; url: string } | { kind: 'pglite'; dir: string };

export interface LocationOptions {
  databaseUrl?: string;
  ragDir?: string;
}

export function storeLocation(o: LocationOptions = {}, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const url = o.databaseUrl ?? env.SCAI_DATABASE_URL;
  if (url) return { kind: 'pg', url };
  return { kind: 'pglite', dir: o.ragDir ?? env.SCAI_RAG_DIR ?? join(homedir(), '.scai', 'rag') };
}

/** Back ends load on demand: a process using `pg` never loads PGlite's WASM, and the reverse. */
export async function openDb(where: StoreLocation): Promise<Db> {
  if (where.kind === 'pg') return (await import('./backends/pg.js')).openPg({ url: where.url });
  return (await import('./backends/pglite.js')).openPglite({ dir: where.dir });
}
