// Controller bench (npm run bench): the controller out of process against a real API server
// (.tools/bin, see scripts/install-kube.sh) recording into PGlite over the wire protocol.
// Prints: RSS and CPU idle (no objects), RSS with 1000 XRs cached and recorded, and the time from
// an XR turning Ready (the status write) to the controller's bookkeeping annotation appearing
// (i.e. recorded in the store), p50/p99, with Ready writes paced at BENCH_READY_RATE per second.
// A `node --import tsx` process that does nothing is measured too: that much RSS is the loader's.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Watch } from '@kubernetes/client-node';
import { decidedStatus, kubeToolsPresent, startKube, waitFor, xrApi } from '../helpers/kube.js';
import { startController, startRag } from '../helpers/kube-controller.js';

const N = Number(process.env.BENCH_XRS ?? 1000);
const RATE = Number(process.env.BENCH_READY_RATE ?? 10);
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
  const missing = kubeToolsPresent();
  if (missing) {
    console.log(`controller bench needs the API server: ${missing}`);
    process.exit(1);
  }
  const baseline = spawn(process.execPath, ['--import', 'tsx', '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const kube = await startKube();
  const rag = await startRag();
  const ctrl = await startController(kube, { identity: 'bench', databaseUrl: rag.url, extraEnv: { LOG_LEVEL: 'warn', SCAI_RETRY_PERIOD: '2', SCAI_LEASE_DURATION: '15', SCAI_RENEW_DEADLINE: '10' } });
  try {
    await waitFor('leader', async () => (await ctrl.metrics())['scai_controller_is_leader'] === 1, 30_000);
    await sleep(3_000);
    const pid = ctrl.proc.pid!;
    const idleRss = rssKb(pid);
    const idleCpu = await idleCpuMillicores(pid, 10_000);
    const baseRss = rssKb(baseline.pid!);

    const xrs = xrApi(kube.admin);
    const names = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    const t0 = Date.now();
    await pool(names, 16, async (n) => {
      await xrs.create(n);
      await xrs.patchStatus(n, decidedStatus(`h-${n}`));
    });
    const createS = (Date.now() - t0) / 1000;

    // Watch for the bookkeeping annotation: it is written right after the record is committed.
    const recordedAt = new Map<string, number>();
    const readyAt = new Map<string, number>();
    const w = await new Watch(kube.admin).watch('/apis/scai.io/v1alpha1/xdeployments', {}, (_t, o: any) => {
      if (o?.metadata?.annotations?.['scai.io/recorded-outcome'] && !recordedAt.has(o.metadata.name)) recordedAt.set(o.metadata.name, Date.now());
    }, () => undefined);
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssKb(pid))), 250);
    const t1 = Date.now();
    await pool(names.map((n, i) => ({ n, at: t1 + (i * 1000) / RATE })), 8, async ({ n, at }) => {
      if (at > Date.now()) await sleep(at - Date.now());
      readyAt.set(n, Date.now());
      await xrs.patchStatus(n, decidedStatus(`h-${n}`, { ready: true }));
    });
    await waitFor('all recorded', () => recordedAt.size >= N, 300_000, 200);
    clearInterval(sampler);
    w.abort();
    const lat = names.map((n) => recordedAt.get(n)! - readyAt.get(n)!);
    await sleep(3_000);
    const loadedRss = rssKb(pid);
    const loadedIdleCpu = await idleCpuMillicores(pid, 10_000);
    const rows = (await rag.rows()).length;

    console.log(`controller (out of process, tsx, hash embedder), ${N} XRs, Ready paced at ${RATE}/s`);
    console.log(`  RSS idle (0 XRs)            ${mib(idleRss)}   (an idle \`node --import tsx\`: ${mib(baseRss)})`);
    console.log(`  CPU idle (0 XRs)            ${idleCpu.toFixed(1)} millicores`);
    console.log(`  RSS with ${N} XRs           ${mib(loadedRss)} (peak while recording ${mib(peakRss)})`);
    console.log(`  CPU idle with ${N} XRs      ${loadedIdleCpu.toFixed(1)} millicores`);
    console.log(`  Ready → recorded            p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms, max ${Math.max(...lat)} ms`);
    console.log(`  setup: ${N} creates + status in ${createS.toFixed(1)} s; records in store: ${rows}`);
  } finally {
    baseline.kill();
    await ctrl.stop();
    await rag.stop();
    await kube.stop();
  }
}

await main();
