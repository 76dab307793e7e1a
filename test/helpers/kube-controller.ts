// Runs the controller as a separate process against a test API server, and the RAG store it records
// into: a PostgreSQL server with pgvector (./postgres.ts), which can be shut down and started again
// on the same port and data to make the database unavailable.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, ROOT, waitFor, type KubeEnv } from './kube.js';
import { startPostgres } from './postgres.js';

export interface RagServer {
  url: string;
  /** The database is unreachable (server shut down, data kept) until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  rows(): Promise<Array<{ deployment_uid: string; decision_hash: string; outcome: string; user_feedback: number; cost_monthly: number | null; metadata: any; performance_metrics: any; has_vector: boolean }>>;
  stop(): Promise<void>;
}

export async function startRag(): Promise<RagServer> {
  const server = await startPostgres();
  return {
    url: server.url,
    up: server.up,
    down: server.down,
    rows: async () => {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      try {
        return (await c.query('SELECT deployment_uid, decision_hash, outcome, user_feedback, cost_monthly, metadata, performance_metrics, embedding IS NOT NULL AS has_vector FROM deployment_embeddings ORDER BY id')).rows;
      } catch {
        return []; // not migrated yet: the controller has not opened the store
      } finally {
        await c.end();
      }
    },
    stop: server.stop,
  };
}

export interface ControllerProc {
  proc: ChildProcess;
  port: number;
  identity: string;
  output(): string;
  metrics(): Promise<Record<string, number>>;
  get(path: string): Promise<number>;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Sums of every sample by metric name and label set, e.g. `scai_controller_records_written_total{kind="outcome"}`. */
export function parseMetrics(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

export interface ControllerOptions {
  identity: string;
  databaseUrl: string;
  extraEnv?: Record<string, string>;
  kubeconfig?: string;
  /** Run the build (`dist/`, what the image runs; `npm run build` first) instead of the sources under tsx. */
  compiled?: boolean;
  nodeOptions?: string[];
}

/** The production entry point, operator/src/main.ts, as its own process. */
export async function startController(env: KubeEnv, o: ControllerOptions): Promise<ControllerProc> {
  const port = await freePort();
  const out: string[] = [];
  const entry = o.compiled ? [join(ROOT, 'dist/operator/src/main.js')] : ['--import', 'tsx', join(ROOT, 'operator/src/main.ts')];
  const proc = spawn(process.execPath, [...(o.nodeOptions ?? []), ...entry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KUBECONFIG: o.kubeconfig ?? env.controllerKubeconfig,
      POD_NAMESPACE: 'scai-system',
      POD_NAME: o.identity,
      SCAI_HTTP_PORT: String(port),
      SCAI_HTTP_HOST: '127.0.0.1',
      SCAI_DATABASE_URL: o.databaseUrl,
      SCAI_LEASE_DURATION: '4',
      SCAI_RENEW_DEADLINE: '3',
      SCAI_RETRY_PERIOD: '0.5',
      SCAI_BACKOFF_BASE: '0.2',
      SCAI_BACKOFF_MAX: '2',
      LOG_LEVEL: 'info',
      ...o.extraEnv,
    },
  });
  const keep = (b: Buffer) => {
    out.push(b.toString());
    if (out.length > 400) out.splice(0, out.length - 400);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const c: ControllerProc = {
    proc,
    port,
    identity: o.identity,
    output: () => out.join(''),
    get: async (path) => (await fetch(base + path).catch(() => undefined))?.status ?? 0,
    metrics: async () => parseMetrics(await (await fetch(`${base}/metrics`)).text()),
    stop: async () => {
      if (proc.exitCode !== null) return proc.exitCode;
      const done = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      const code = await done;
      clearTimeout(t);
      return code;
    },
  };
  await waitFor(`controller ${o.identity} /healthz\n${c.output()}`, async () => (proc.exitCode !== null ? Promise.reject(new Error(c.output())) : (await c.get('/healthz')) === 200), 60_000, 200);
  return c;
}
