// npm run bench (BENCH_ONLY=load): sustained pinned renders/s on one function-scai server with the
// RAG store on, 1,000 distinct XRs sent by concurrent clients, p50/p99 latency and the server's RSS
// over a long run (issue 13: ≥ 1,000/s, RSS flat). Baseline measured in the same run: a no-op
// function with the same SDK under the same load. The run's length is a parameter:
//   BENCH_LOAD_RENDERS (default 100000), BENCH_LOAD_CLIENTS (16), BENCH_LOAD_XRS (1000),
//   BENCH_LOAD_BASELINE_RENDERS (a fifth of the run), BENCH_LOAD_ROUNDS (10: the no-op and function-scai
//   take turns, a tenth of their renders each, so that both meet the same load). BENCH_LOAD_NODE_ARGS: extra node flags for the
//   function-scai server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it under this load.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { claimToXr } from '../../function/src/cli/claims.js';
import { claim, FLASK_APP, request, ROOT } from '../helpers/fn.js';
import { fnClient, type FnClient } from '../helpers/grpc-client.js';

const RENDERS = Number(process.env.BENCH_LOAD_RENDERS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 16);
const XRS = Number(process.env.BENCH_LOAD_XRS ?? 1000);
const BASELINE = Number(process.env.BENCH_LOAD_BASELINE_RENDERS ?? Math.round(RENDERS / 5));
const ROUNDS = Math.max(1, Number(process.env.BENCH_LOAD_ROUNDS ?? 10));
const NODE_ARGS = (process.env.BENCH_LOAD_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

function rssMiB(pid: number): number {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024);
}

const pct = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

/** Starts a server process and waits for its port (function-scai logs it; serve.ts prints it). */
function start(args: string[], env: NodeJS.ProcessEnv, portOf: RegExp): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout?.on('data', (d) => {
      buf += String(d);
      const m = portOf.exec(buf);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.once('exit', (c) => reject(new Error(`server exited ${c}: ${buf.slice(-2000)}`)));
  });
}

/**
 * Drives one server: `total` renders of `reqs` (round robin) from `clients` concurrent clients, in
 * chunks, so that two servers can take turns under the same machine load; latencies and RSS samples.
 */
function driver(port: number, pid: number, reqs: RunFunctionRequest[], total: number, clients: number) {
  const conns: FnClient[] = Array.from({ length: clients }, () => fnClient(`127.0.0.1:${port}`));
  const lat = new Float64Array(total);
  const rss: { at: number; mib: number }[] = [{ at: 0, mib: rssMiB(pid) }];
  let done = 0;
  let seconds = 0;
  let errors = 0;
  return {
    async chunk(n: number): Promise<void> {
      const end = Math.min(total, done + n);
      let next = done;
      const t0 = performance.now();
      const sampler = setInterval(() => rss.push({ at: next, mib: rssMiB(pid) }), 2_000);
      await Promise.all(
        conns.map(async (c) => {
          for (let i = next++; i < end; i = next++) {
            const t = performance.now();
            await c.run(reqs[i % reqs.length] as RunFunctionRequest, 30_000).catch(() => errors++);
            lat[i] = performance.now() - t;
          }
        }),
      );
      seconds += (performance.now() - t0) / 1000;
      clearInterval(sampler);
      done = end;
      rss.push({ at: done, mib: rssMiB(pid) });
    },
    result() {
      for (const c of conns) c.close();
      lat.sort();
      return { perSecond: total / seconds, seconds, p50: pct(lat, 50), p99: pct(lat, 99), rss, errors };
    },
  };
}

const ragDir = mkdtempSync(join(tmpdir(), 'scai-load-rag-'));
const servers: ChildProcess[] = [];
try {
  // A seeded embedded store: the server opens it, loads the model and retrieves for every decision.
  const seeded = spawnSync(process.execPath, ['bin/scai.js', 'rag', 'seed', '--rag-dir', ragDir], { cwd: ROOT, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`rag seed failed: ${seeded.stderr}`);
  const scai = await start([...NODE_ARGS, join(ROOT, 'dist', 'function', 'src', 'main.js'), '--insecure', '--address', '127.0.0.1:0', '--repo-dir', FLASK_APP], { SCAI_RAG_DIR: ragDir, SCAI_RAG_EMBED_INTERVAL: '0' }, /"port":(\d+)/);
  servers.push(scai.proc);
  const noop = await start(['--import', 'tsx', join(ROOT, 'test', 'bench', 'serve.ts'), 'noop', '0'], {}, /listening (\d+)/);
  servers.push(noop.proc);

  // 1,000 distinct XRs, each decided once (with retrieval) so that every render after is pinned.
  const decider = fnClient(`127.0.0.1:${scai.port}`);
  const t = performance.now();
  const pinned: RunFunctionRequest[] = [];
  let neighbours = 0;
  for (let batch = 0; batch < XRS; batch += 16) {
    const made = await Promise.all(
      Array.from({ length: Math.min(16, XRS - batch) }, async (_, j) => {
        const xr = claimToXr(claim({}, `web-${batch + j}`));
        (xr.metadata as { uid?: string }).uid = `uid-${batch + j}`;
        const rsp = await decider.run(request({ xr }), 120_000);
        const status = rsp.desired?.composite?.resource?.status;
        if (!status?.decision) throw new Error(`deciding web-${batch + j} failed: ${JSON.stringify(rsp.results)}`);
        if ((status.decision.neighbors ?? []).length) neighbours++;
        const resources = Object.fromEntries(Object.entries(rsp.desired?.resources ?? {}).map(([k, v]) => [k, v.resource]));
        return request({ xr, status, observed: resources as never });
      }),
    );
    pinned.push(...made);
  }
  decider.close();
  console.log(`decided ${XRS} XRs with the RAG store on in ${((performance.now() - t) / 1000).toFixed(1)} s (${neighbours} cite neighbours)`);

  // The two servers take turns (ROUNDS chunks each), so that both meet the same load of a shared machine.
  const noopDriver = driver(noop.port, noop.proc.pid as number, pinned, BASELINE, CLIENTS);
  const scaiDriver = driver(scai.port, scai.proc.pid as number, pinned, RENDERS, CLIENTS);
  for (let r = 0; r < ROUNDS; r++) {
    await noopDriver.chunk(Math.ceil(BASELINE / ROUNDS));
    await scaiDriver.chunk(Math.ceil(RENDERS / ROUNDS));
  }
  const base = noopDriver.result();
  const run = scaiDriver.result();
  const row = (name: string, r: typeof run, n: number) =>
    console.log(`${name.padEnd(28)}${String(n).padStart(9)}${r.perSecond.toFixed(0).padStart(10)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${String(r.errors).padStart(8)}`);
  console.log(`pinned renders, ${XRS} distinct XRs, ${CLIENTS} concurrent clients over loopback gRPC (insecure), servers taking turns in ${ROUNDS} rounds`);
  console.log('server'.padEnd(28) + 'renders'.padStart(9) + 'per s'.padStart(10) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'errors'.padStart(8));
  row('no-op function (same SDK)', base, BASELINE);
  row('function-scai, RAG on', run, RENDERS);
  console.log(`function-scai / no-op renders/s: ${(run.perSecond / base.perSecond).toFixed(2)}`);
  // RSS: after the first tenth of the run (warm) against the end, and the peak in between.
  const warm = run.rss.find((s) => s.at >= RENDERS / 10) ?? run.rss[0];
  const end = run.rss.at(-1);
  const peak = Math.max(...run.rss.map((s) => s.mib));
  console.log(`function-scai RSS MiB: start ${run.rss[0]?.mib}, warm (${warm?.at} renders) ${warm?.mib}, end ${end?.mib}, peak ${peak}; growth warm→end ${(end?.mib ?? 0) - (warm?.mib ?? 0)} MiB over ${RENDERS - (warm?.at ?? 0)} renders`);
  console.log(`RSS samples (renders:MiB): ${run.rss.filter((_, i) => i % Math.max(1, Math.floor(run.rss.length / 12)) === 0 || i === run.rss.length - 1).map((s) => `${s.at}:${s.mib}`).join(' ')}`);
  console.log(`target: >= 1000 pinned renders/s (${run.perSecond >= 1000 ? 'met' : 'NOT met'} on this machine; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
} finally {
  for (const s of servers) s.kill('SIGTERM');
  rmSync(ragDir, { recursive: true, force: true });
}
