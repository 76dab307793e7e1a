// npm run bench: RunFunction latency through gRPC (pinned render, first decision) next to a no-op
// function built with the same SDK, measured in the same run, plus each server's RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimToXr } from '../../function/src/cli/claims.js';
import { claim, FLASK_APP, request, ROOT } from '../helpers/fn.js';
import { fnClient, type FnClient } from '../helpers/grpc-client.js';

const N_PINNED = Number(process.env.BENCH_N ?? 2000);
const N_DECIDE = Number(process.env.BENCH_N_DECIDE ?? 300);

// node --import tsx (not the tsx CLI, which forks) so the pid is the server whose RSS is read.
function startServer(kind: 'scai' | 'noop'): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'serve.ts'), kind, '0', FLASK_APP], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout?.on('data', (d) => {
      buf += String(d);
      const m = /listening (\d+)/.exec(buf);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.once('exit', (c) => reject(new Error(`${kind} server exited ${c}`)));
  });
}

function rssMiB(pid: number): { rss: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024;
  return { rss: Math.round(kb('VmRSS')), peak: Math.round(kb('VmHWM')) };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function time(client: FnClient, n: number, make: () => Parameters<FnClient['run']>[0]): Promise<number[]> {
  for (let i = 0; i < Math.min(50, n); i++) await client.run(make()); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const req = make();
    const t = process.hrtime.bigint();
    await client.run(req);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

const scai = await startServer('scai');
const noop = await startServer('noop');
try {
  const xr = claimToXr(claim());
  const scaiClient = fnClient(`127.0.0.1:${scai.port}`);
  const noopClient = fnClient(`127.0.0.1:${noop.port}`);
  const first = await scaiClient.run(request({ xr }));
  const status = first.desired?.composite?.resource?.status;
  if (!status?.decision) throw new Error('the first decision failed: ' + JSON.stringify(first.results));

  const noopLat = await time(noopClient, N_PINNED, () => request({ xr, status }));
  const pinnedLat = await time(scaiClient, N_PINNED, () => request({ xr, status }));
  const decideLat = await time(scaiClient, N_DECIDE, () => request({ xr }));
  const rows = [
    ['no-op function (same SDK)', noopLat],
    ['scai pinned render', pinnedLat],
    ['scai first decision', decideLat],
  ] as const;
  const base50 = pct(noopLat, 50);
  const base99 = pct(noopLat, 99);
  console.log(`RunFunction over loopback gRPC (insecure), sequential; n=${N_PINNED} (decision n=${N_DECIDE})`);
  console.log('case'.padEnd(30) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + '  p50 ×noop  p99 ×noop');
  for (const [name, xs] of rows) {
    console.log(
      name.padEnd(30) + pct(xs, 50).toFixed(2).padStart(9) + pct(xs, 99).toFixed(2).padStart(9) +
        (pct(xs, 50) / base50).toFixed(2).padStart(11) + (pct(xs, 99) / base99).toFixed(2).padStart(11),
    );
  }
  const sr = rssMiB(scai.proc.pid as number);
  const nr = rssMiB(noop.proc.pid as number);
  console.log(`server RSS MiB (both under the tsx loader): scai ${sr.rss} (peak ${sr.peak}), no-op ${nr.rss} (peak ${nr.peak}), ratio ${(sr.rss / nr.rss).toFixed(2)}`);
  scaiClient.close();
  noopClient.close();
} finally {
  scai.proc.kill('SIGTERM');
  noop.proc.kill('SIGTERM');
}
