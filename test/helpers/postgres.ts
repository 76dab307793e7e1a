// A throwaway PostgreSQL server (Debian's postgresql-15 with pgvector built by
// scripts/install-postgres.sh) on a free loopback port, its data in a temporary directory. PostgreSQL
// refuses to run as root, so under root the server runs as the `postgres` user the package creates.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPg } from '../../lib/rag/backends/pg.js';
import type { Db } from '../../lib/rag/db.js';
import { freePort, waitFor } from './kube.js';

const PG_BIN = process.env.SCAI_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresPresent(): string | undefined {
  for (const f of [join(PG_BIN, 'postgres'), join(PG_BIN, 'initdb'), '/usr/share/postgresql/15/extension/vector.control']) {
    if (!existsSync(f)) return `${f} is missing: run bash scripts/install-postgres.sh`;
  }
  return undefined;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root and there is no postgres user to run the server as (install postgresql-15)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface PostgresServer {
  url: string;
  port: number;
  output(): string;
  /** Fast shutdown, data kept: the database is unreachable until up(). */
  down(): Promise<void>;
  /** Starts again on the same port and data. */
  up(): Promise<void>;
  /** Shuts down and removes the data. */
  stop(): Promise<void>;
}

export async function startPostgres(o: { settings?: Record<string, string> } = {}): Promise<PostgresServer> {
  const missing = postgresPresent();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'scai-pg-'));
  const user = runAs();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const init = spawnSync(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], { ...(user ?? {}), encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}):\n${init.stdout}\n${init.stderr}`);
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: dir, fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '50', ...o.settings };
  const log: string[] = [];
  const output = () => log.join('');
  let proc: ChildProcess | undefined;

  const up = async () => {
    const p = spawn(join(PG_BIN, 'postgres'), ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
      ...(user ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = p;
    const keep = (b: Buffer) => {
      log.push(b.toString());
      if (log.length > 200) log.splice(0, log.length - 200);
    };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    const ready = () => spawnSync(join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], { encoding: 'utf8' }).status === 0;
    await waitFor(`postgres on ${port}`, async () => {
      if (p.exitCode !== null) throw new Error(`postgres exited ${p.exitCode}:\n${output()}`);
      return ready();
    }, 30_000, 100);
  };
  const down = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGINT'); // fast shutdown: disconnects clients, no checkpoint wait
    await exited;
  };

  await up();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    output,
    up,
    down,
    stop: async () => {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A back end for the RAG suites' describe.each: each open() is a new `pg` pool on one server. */
export interface DbBackend {
  name: string;
  open(): Promise<Db>;
  stop(): Promise<void>;
}

export function postgresBackend(name = 'PostgreSQL 15 + pgvector'): DbBackend {
  let server: PostgresServer | undefined;
  const dbs: Db[] = [];
  return {
    name,
    async open() {
      server ??= await startPostgres();
      const db = await openPg({ url: server.url });
      dbs.push(db);
      return db;
    },
    async stop() {
      for (const db of dbs) await db.close().catch(() => undefined); // a test may have closed it already
      await server?.stop();
    },
  };
}
