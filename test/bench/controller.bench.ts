// Controller bench (npm run bench): the built controller (dist/operator/src/main.js, what the image
// runs) out of process against a real API server (.tools/bin, scripts/install-kube.sh), recording
// into PostgreSQL 15 + pgvector (scripts/install-postgres.sh) as the Deployment does.
// Prints: RSS and CPU idle (no objects), RSS with 1000 XRs cached and recorded, and the time from
// an XR turning Ready (the status write) to the controller's bookkeeping annotation appearing
// (i.e. recorded in the store), p50/p99, with Ready writes paced at BENCH_READY_RATE per second.
// Then times function-scai's embedding pass over the rows the controller wrote without vectors.
// Baselines measured in the same run: an idle `node` process, and one that only imports
// @kubernetes/client-node (the library's own share of the controller's memory).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Watch } from '@kubernetes/client-node';
import pg from 'pg';
import { openStore } from '../../function/src/rag/open.js';
import { decidedStatus, kubeToolsPresent, ROOT, startKube, waitFor, xrApi } from '../helpers/kube.js';
import { startController } from '../helpers/kube-controller.js';
import { postgresPresent, startPostgres } from '../helpers/postgres.js';

const N = Number(process.env.BENCH_XRS ?? 1000);
const RATE = Number(process.env.BENCH_READY_RATE ?? 10);
// Idle CPU is averaged over this long: lease renewals every 2 s and GC make shorter windows noisy.
const IDLE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}
function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100/s on Linux)
}
async function idleCpuMillicores(pid: number, ms: number): Promise<number> {
  const t0 = cpuTicks(pid);
  await sleep(ms);
  return ((cpuTicks(pid) - t0) / 100 / (ms / 1000)) * 1000;
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++] as T);
  }));
}

async function main() {
  const missing = kubeToolsPresent() ?? postgresPresent();
  if (missing) {
    console.log(`controller bench: ${missing}`);
    process.exit(1);
  }
  const idle = 'setInterval(() => {}, 1000)';
  const baseline = spawn(process.execPath, ['-e', idle], { stdio: 'ignore' });
  const withClient = spawn(process.execPath, ['--input-type=module', '-e', `await import('@kubernetes/client-node'); ${idle}`], { stdio: 'ignore', cwd: ROOT });
  const kube = await startKube();
  const db = await startPostgres();
  // What operator/deploy/deployment.yaml sets in NODE_OPTIONS; BENCH_NODE_OPTIONS='' measures without it.
  const nodeOptions = (process.env.BENCH_NODE_OPTIONS ?? '--max-semi-space-size=1').split(' ').filter(Boolean);
  const ctrl = await startController(kube, {
    identity: 'bench', databaseUrl: db.url, compiled: true, nodeOptions,
    extraEnv: { LOG_LEVEL: 'warn', SCAI_RETRY_PERIOD: '2', SCAI_LEASE_DURATION: '15', SCAI_RENEW_DEADLINE: '10', ...(process.env.SCAI_WORKERS ? { SCAI_WORKERS: process.env.SCAI_WORKERS } : {}) },
  });
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    await waitFor('leader', async () => (await ctrl.metrics())['scai_controller_is_leader'] === 1, 30_000);
    await sleep(10_000); // past start-up: module compilation and the first list are not idle
    const pid = ctrl.proc.pid!;
    const idleRss = rssKb(pid);
    const idleCpu = await idleCpuMillicores(pid, IDLE_MS);
    const baseRss = rssKb(baseline.pid!);
    const clientRss = rssKb(withClient.pid!);

    const xrs = xrApi(kube.admin);
    const names = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    const t0 = Date.now();
    await pool(names, 16, async (n) => {
      await xrs.create(n);
      await xrs.patchStatus(n, decidedStatus(`h-${n}`));
    });
    const createS = (Date.now() - t0) / 1000;

    // One watch sees both ends: the Ready status event (what the controller reacts to) and the
    // bookkeeping annotation, written right after the record is committed. So the latency is the
    // controller's, not that of the bench's own status writes.
    const recordedAt = new Map<string, number>();
    const readyAt = new Map<string, number>();
    const w = await new Watch(kube.admin).watch('/apis/scai.io/v1alpha1/xdeployments', {}, (_t, o: any) => {
      const name = o?.metadata?.name;
      const ready = o?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
      if (ready && !readyAt.has(name)) readyAt.set(name, Date.now());
      if (o?.metadata?.annotations?.['scai.io/recorded-outcome'] && !recordedAt.has(name)) recordedAt.set(name, Date.now());
    }, () => undefined);
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssKb(pid))), 250);
    const t1 = Date.now();
    const busyTicks = cpuTicks(pid);
    await pool(names.map((n, i) => ({ n, at: t1 + (i * 1000) / RATE })), 32, async ({ n, at }) => {
      if (at > Date.now()) await sleep(at - Date.now());
      await xrs.patchStatus(n, decidedStatus(`h-${n}`, { ready: true }));
    });
    await waitFor('all recorded', () => recordedAt.size >= N, 300_000, 200);
    clearInterval(sampler);
    const busyCpu = ((cpuTicks(pid) - busyTicks) / 100 / ((Date.now() - t1) / 1000)) * 1000;
    w.abort();
    const lat = names.map((n) => recordedAt.get(n)! - readyAt.get(n)!);
    await sleep(3_000);
    const loadedRss = rssKb(pid);
    const loadedIdleCpu = await idleCpuMillicores(pid, IDLE_MS);
    const rows = Number((await sql.query('SELECT count(*) AS n FROM deployment_embeddings')).rows[0].n);
    const vectorless = Number((await sql.query('SELECT count(*) AS n FROM deployment_embeddings WHERE embedding IS NULL')).rows[0].n);

    console.log(`controller (built, out of process${nodeOptions.length ? `, ${nodeOptions.join(' ')}` : ''}) on PostgreSQL, ${N} XRs, Ready paced at ${RATE}/s`);
    console.log(`  RSS idle (0 XRs)            ${mib(idleRss)}   (idle node: ${mib(baseRss)}, ×${(idleRss / baseRss).toFixed(2)}; node + client-node import: ${mib(clientRss)}, ×${(idleRss / clientRss).toFixed(2)})`);
    console.log(`  CPU idle (0 XRs)            ${idleCpu.toFixed(1)} millicores`);
    console.log(`  RSS with ${N} XRs           ${mib(loadedRss)} (peak while recording ${mib(peakRss)})`);
    console.log(`  CPU idle with ${N} XRs      ${loadedIdleCpu.toFixed(1)} millicores`);
    console.log(`  Ready → recorded            p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms, max ${Math.max(...lat)} ms`);
    console.log(`  CPU while recording         ${busyCpu.toFixed(0)} millicores`);
    const span = (m: Map<string, number>) => (Math.max(...m.values()) - Math.min(...m.values())) / 1000;
    console.log(`  throughput                  ${(N / span(recordedAt)).toFixed(1)} records/s while Ready arrived at ${(N / span(readyAt)).toFixed(1)}/s`);
    console.log(`  setup: ${N} creates + status in ${createS.toFixed(1)} s; records in store: ${rows} (${vectorless} awaiting the function's embedding pass)`);

    // The other half of recording: function-scai's background pass embeds those rows (default model).
    const store = await openStore({ databaseUrl: db.url });
    try {
      await store.embedder.warm();
      const t2 = Date.now();
      let embedded = 0;
      for (let r; (r = await store.embedPending(4)).seen > 0; ) embedded += r.embedded;
      const s2 = (Date.now() - t2) / 1000;
      console.log(`  function's embedding pass   ${embedded} rows in ${s2.toFixed(1)} s (${(embedded / s2).toFixed(0)} rows/s, ${store.embedder.model}, batches of 4 as the backfill does)`);
    } finally {
      await store.close();
    }
  } finally {
    baseline.kill();
    withClient.kill();
    await sql.end();
    await ctrl.stop();
    await db.stop();
    await kube.stop();
  }
}

await main();
