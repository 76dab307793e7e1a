// npm run bench (BENCH_ONLY=load): sustained pinned renders/s on one function-scai server with the
// RAG store on, 1,000 distinct XRs sent by concurrent clients, p50/p99 latency and the server's RSS
// over a long run (issue 13: ≥ 1,000/s, RSS flat). Baseline measured in the same run: a no-op
// function with the same SDK under the same load, from the same load generator (load-client.ts:
// raw HTTP/2 streams, requests encoded once, every answer checked against the verified one). The
// run's length is a parameter:
//   BENCH_LOAD_RENDERS (default 100000; 1000000 for the long RSS run), BENCH_LOAD_CLIENTS (16 calls
//   in flight), BENCH_LOAD_CONNECTIONS (4 HTTP/2 connections they share), BENCH_LOAD_XRS (1000),
//   BENCH_LOAD_BASELINE_RENDERS (a fifth of the run), BENCH_LOAD_ROUNDS (10: the no-op and
//   function-scai take turns, a tenth of their renders each, so that both meet the same load),
//   BENCH_LOAD_RSS_EVERY (RSS sampled every that many renders; default a hundredth of the run),
//   BENCH_LOAD_DECODE_EVERY (one answer in that many fully decoded and re-verified; default 100).
//   BENCH_LOAD_NODE_ARGS: extra node flags for the function-scai server, e.g. "--cpu-prof
//   --cpu-prof-dir=/tmp/prof" to profile it under this load.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ClientHttp2Session } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Severity, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { claimToXr } from '../../function/src/cli/claims.js';
import { claim, FLASK_APP, request, ROOT } from '../helpers/fn.js';
import { fnClient } from '../helpers/grpc-client.js';
import { call, drive, grpcFrame, open, pinnedProblem, responseOf, type LoadResult } from './load-client.js';

const RENDERS = Number(process.env.BENCH_LOAD_RENDERS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 16);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 4);
const XRS = Number(process.env.BENCH_LOAD_XRS ?? 1000);
const BASELINE = Number(process.env.BENCH_LOAD_BASELINE_RENDERS ?? Math.round(RENDERS / 5));
const ROUNDS = Math.max(1, Number(process.env.BENCH_LOAD_ROUNDS ?? 10));
const RSS_EVERY = Math.max(1, Number(process.env.BENCH_LOAD_RSS_EVERY ?? Math.max(1000, Math.round(RENDERS / 100))));
const DECODE_EVERY = Math.max(1, Number(process.env.BENCH_LOAD_DECODE_EVERY ?? 100));
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

const noFatal = (rsp: RunFunctionResponse) => rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL)?.message;

/**
 * Drives one server: `total` renders of `frames` (round robin) with CLIENTS calls in flight, in
 * chunks, so that two servers can take turns under the same machine load. Each XR's answer is
 * verified once first (`check`) and becomes the reference every later answer must equal.
 */
async function driver(port: number, pid: number, frames: Buffer[], total: number, check: (i: number, rsp: RunFunctionResponse) => string | undefined) {
  const sessions: ClientHttp2Session[] = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(port)));
  const reference: Buffer[] = [];
  for (let i = 0; i < frames.length; i++) {
    const a = await call(sessions[0] as ClientHttp2Session, frames[i] as Buffer);
    const why = check(i, responseOf(a));
    if (why) throw new Error(`XR ${i}: ${why}`);
    reference.push(a.body);
  }
  const lat: Float64Array[] = [];
  const rss: { at: number; mib: number }[] = [{ at: 0, mib: rssMiB(pid) }];
  let done = 0;
  let seconds = 0;
  let decoded = 0;
  let wrong = 0;
  const reasons: string[] = [];
  return {
    /** Runs up to n more renders; their rate, and the RSS after them. */
    async chunk(n: number): Promise<{ perSecond: number; mib: number; done: number }> {
      const want = Math.min(total - done, n);
      if (want <= 0) return { perSecond: 0, mib: rssMiB(pid), done };
      const base = done;
      const r: LoadResult = await drive({
        sessions, frames, reference, renders: want, inFlight: CLIENTS, decodeEvery: DECODE_EVERY, check,
        progress: (k) => {
          if ((base + k) % RSS_EVERY === 0) rss.push({ at: base + k, mib: rssMiB(pid) });
        },
      });
      lat.push(r.latencies);
      seconds += r.seconds;
      decoded += r.decoded;
      wrong += r.wrong;
      reasons.push(...r.reasons.slice(0, Math.max(0, 5 - reasons.length)));
      done += r.renders;
      if (rss.at(-1)?.at !== done) rss.push({ at: done, mib: rssMiB(pid) });
      return { perSecond: r.renders / r.seconds, mib: rss.at(-1)?.mib ?? 0, done };
    },
    result() {
      for (const s of sessions) s.close();
      const all = new Float64Array(done);
      let at = 0;
      for (const l of lat) {
        all.set(l, at);
        at += l.length;
      }
      all.sort();
      return { perSecond: done / seconds, seconds, p50: pct(all, 50), p99: pct(all, 99), rss, decoded, wrong, reasons };
    },
  };
}

/** Least-squares slope of RSS (MiB) over renders, per 100k renders. */
function slopePer100k(s: { at: number; mib: number }[]): number {
  const n = s.length;
  if (n < 2) return 0;
  const mx = s.reduce((a, p) => a + p.at, 0) / n;
  const my = s.reduce((a, p) => a + p.mib, 0) / n;
  const cov = s.reduce((a, p) => a + (p.at - mx) * (p.mib - my), 0);
  const vx = s.reduce((a, p) => a + (p.at - mx) ** 2, 0);
  return vx ? (cov / vx) * 100_000 : 0;
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

  // Each XR's request encoded once; the generator only sends these bytes.
  const frames = pinned.map(grpcFrame);
  const scaiCheck = (i: number, rsp: RunFunctionResponse) => pinnedProblem(pinned[i] as RunFunctionRequest, rsp);
  const noopCheck = (_i: number, rsp: RunFunctionResponse) => noFatal(rsp);
  // The two servers take turns (ROUNDS chunks each), so that both meet the same load of a shared machine.
  const noopDriver = await driver(noop.port, noop.proc.pid as number, frames, BASELINE, noopCheck);
  const scaiDriver = await driver(scai.port, scai.proc.pid as number, frames, RENDERS, scaiCheck);
  for (let r = 0; r < ROUNDS; r++) {
    const b = await noopDriver.chunk(Math.ceil(BASELINE / ROUNDS));
    const s = await scaiDriver.chunk(Math.ceil(RENDERS / ROUNDS));
    // Progress, so that a long run cut short still tells its story.
    console.log(`round ${r + 1}/${ROUNDS}: no-op ${b.perSecond.toFixed(0)}/s; function-scai ${s.perSecond.toFixed(0)}/s, ${s.done} renders, RSS ${s.mib} MiB`);
  }
  const base = noopDriver.result();
  const run = scaiDriver.result();
  const row = (name: string, r: typeof run, n: number) =>
    console.log(`${name.padEnd(28)}${String(n).padStart(9)}${r.perSecond.toFixed(0).padStart(10)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${String(r.decoded).padStart(9)}${String(r.wrong).padStart(7)}`);
  console.log(`pinned renders, ${XRS} distinct XRs, ${CLIENTS} calls in flight over ${CONNECTIONS} HTTP/2 connections (loopback, insecure), servers taking turns in ${ROUNDS} rounds`);
  console.log('server'.padEnd(28) + 'renders'.padStart(9) + 'per s'.padStart(10) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'decoded'.padStart(9) + 'wrong'.padStart(7));
  row('no-op function (same SDK)', base, BASELINE);
  row('function-scai, RAG on', run, RENDERS);
  console.log(`function-scai / no-op renders/s: ${(run.perSecond / base.perSecond).toFixed(2)}`);
  // RSS: after the first tenth of the run (warm) against the end, the peak in between, and the slope after warm.
  const warm = run.rss.find((s) => s.at >= RENDERS / 10) ?? run.rss[0];
  const end = run.rss.at(-1);
  const peak = Math.max(...run.rss.map((s) => s.mib));
  const afterWarm = run.rss.filter((s) => s.at >= (warm?.at ?? 0));
  console.log(`function-scai RSS MiB: start ${run.rss[0]?.mib}, warm (${warm?.at} renders) ${warm?.mib}, end ${end?.mib}, peak ${peak}; growth warm→end ${(end?.mib ?? 0) - (warm?.mib ?? 0)} MiB over ${RENDERS - (warm?.at ?? 0)} renders; slope after warm ${slopePer100k(afterWarm).toFixed(2)} MiB per 100k renders (${afterWarm.length} samples, every ${RSS_EVERY} renders)`);
  console.log(`RSS samples (renders:MiB): ${run.rss.filter((_, i) => i % Math.max(1, Math.floor(run.rss.length / 12)) === 0 || i === run.rss.length - 1).map((s) => `${s.at}:${s.mib}`).join(' ')}`);
  console.log(`target: >= 1000 pinned renders/s (${run.perSecond >= 1000 ? 'met' : 'NOT met'} on this machine; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
  for (const [name, r] of [['no-op', base], ['function-scai', run]] as const) {
    if (r.wrong) {
      console.log(`!! ${name}: ${r.wrong} wrong answers, e.g. ${r.reasons.join('; ')}`);
      process.exitCode = 1;
    }
  }
} finally {
  for (const s of servers) s.kill('SIGTERM');
  rmSync(ragDir, { recursive: true, force: true });
}
