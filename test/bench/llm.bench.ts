// npm run bench (BENCH_ONLY=llm): the LLM step against a real Ollama server (scripts/install-ollama.sh).
// In one run, through the function's gRPC server: decision latency without the LLM, the first
// decision with it (the model loads) and warm ones; pinned render p50/p99 with the LLM input set
// against the no-op function (a pinned render never asks the model: the server's access log is
// counted); the Ollama server and model runner RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimToXr } from '../../function/src/cli/claims.js';
import { claim, FLASK_APP, request, ROOT } from '../helpers/fn.js';
import { fnClient, type FnClient } from '../helpers/grpc-client.js';
import { startOllama } from '../helpers/ollama.js';

const N_PINNED = Number(process.env.BENCH_N ?? 2000);
const N_DECIDE = Number(process.env.BENCH_N_DECIDE ?? 30);
const N_LLM = Number(process.env.BENCH_N_LLM ?? 15);

function startServer(kind: 'scai' | 'noop'): Promise<{ proc: ChildProcess; port: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'bench', 'serve.ts'), kind, '0', FLASK_APP], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SCAI_RAG: 'off' } });
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

const rssMiB = (pid: number): number => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function timed(client: FnClient, req: Parameters<FnClient['run']>[0]): Promise<{ ms: number; engine: string }> {
  const t = process.hrtime.bigint();
  const rsp = await client.run(req, 300_000);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const engine = String((rsp.desired?.composite?.resource?.status?.decision as { engine?: string } | undefined)?.engine ?? 'none');
  return { ms, engine };
}

const ollama = await startOllama();
const scai = await startServer('scai');
const noop = await startServer('noop');
try {
  const xr = claimToXr(claim());
  const llm = { apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { llm: { host: ollama.host, model: ollama.model, timeoutMs: 120_000 } } };
  const off = { apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: {} };
  const client = fnClient(`127.0.0.1:${scai.port}`);
  const noopClient = fnClient(`127.0.0.1:${noop.port}`);

  for (let i = 0; i < 5; i++) await client.run(request({ xr, input: off })); // warm the function itself
  const rules: number[] = [];
  for (let i = 0; i < N_DECIDE; i++) rules.push((await timed(client, request({ xr, input: off }))).ms);

  const chats0 = ollama.requests('/api/chat');
  const first = await timed(client, request({ xr, input: llm }));
  const warm: number[] = [];
  const engines = new Map<string, number>([[first.engine, 1]]);
  for (let i = 0; i < N_LLM; i++) {
    const r = await timed(client, request({ xr, input: llm }));
    warm.push(r.ms);
    engines.set(r.engine, (engines.get(r.engine) ?? 0) + 1);
  }
  const chatsDecide = ollama.requests('/api/chat') - chats0;

  const decided = await client.run(request({ xr, input: llm }), 300_000);
  const status = decided.desired?.composite?.resource?.status;
  if (!status?.decision) throw new Error('no decision: ' + JSON.stringify(decided.results));
  const chats1 = ollama.requests('/api/chat');
  const pinned = async (c: FnClient, input: Record<string, unknown>) => {
    for (let i = 0; i < 50; i++) await c.run(request({ xr, status, input }));
    const out: number[] = [];
    for (let i = 0; i < N_PINNED; i++) out.push((await timed(c, request({ xr, status, input }))).ms);
    return out;
  };
  const noopLat = await pinned(noopClient, llm);
  const pinnedLat = await pinned(client, llm);
  // The same pin without spec.llm (its hash ignores the LLM settings): the step must add nothing here.
  const pinnedOffLat = await pinned(client, off);
  await new Promise((r) => setTimeout(r, 300));
  const chatsPinned = ollama.requests('/api/chat') - chats1;

  console.log(`LLM step: ollama ${ollama.model} at ${ollama.host}; RunFunction over loopback gRPC, sequential`);
  console.log('case'.padEnd(40) + 'n'.padStart(6) + 'p50 ms'.padStart(10) + 'p99 ms'.padStart(10) + 'max ms'.padStart(10));
  const row = (name: string, xs: number[]) => console.log(name.padEnd(40) + String(xs.length).padStart(6) + pct(xs, 50).toFixed(1).padStart(10) + pct(xs, 99).toFixed(1).padStart(10) + Math.max(...xs).toFixed(1).padStart(10));
  row('new decision, LLM off (rules/v2)', rules);
  row('new decision, LLM on, first (model loads)', [first.ms]);
  row('new decision, LLM on, warm', warm);
  row('pinned render, no-op function', noopLat);
  row('pinned render, scai with LLM input', pinnedLat);
  row('pinned render, scai without LLM input', pinnedOffLat);
  const ratio = (xs: number[], p: number) => (pct(xs, p) / pct(noopLat, p)).toFixed(2);
  console.log(`pinned ×no-op p50/p99: with LLM input ${ratio(pinnedLat, 50)}/${ratio(pinnedLat, 99)}, without ${ratio(pinnedOffLat, 50)}/${ratio(pinnedOffLat, 99)}`);
  console.log(`model calls logged by ollama: ${chatsDecide} for ${N_LLM + 1} new decisions, ${chatsPinned} for ${2 * (N_PINNED + 50)} pinned renders`);
  console.log(`decided by: ${[...engines].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const runner = childrenOf(ollama.pid);
  console.log(`RSS MiB: ollama serve ${rssMiB(ollama.pid)}, model runner ${runner.map(rssMiB).join('+') || 'n/a'}, function-scai ${rssMiB(scai.proc.pid as number)}, no-op ${rssMiB(noop.proc.pid as number)}`);
  client.close();
  noopClient.close();
} finally {
  scai.proc.kill('SIGTERM');
  noop.proc.kill('SIGTERM');
  await ollama.stop();
}
