// The fault matrix (issue 13), every render through a real gRPC server: the RAG store down (a real
// PostgreSQL stopped under it), slow, locked by another process; the repository unreachable, slow
// (a server that never answers) and huge (analysis past its wall time); the CloudProvider missing;
// every field of a pinned status edited; the status lost while resources exist. Each fault is tried
// on a fresh claim and on a pinned one, and every answer must keep the rule (unsafeAnswer) and name
// the stage or field it failed on.
import { Severity, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisPool } from '../../function/src/analysis-pool/pool.js';
import { claimToXr } from '../../function/src/cli/claims.js';
import type { HandlerDeps } from '../../function/src/handler.js';
import { openStore } from '../../function/src/rag/open.js';
import { BackgroundRagRetriever } from '../../function/src/rag/store-retriever.js';
import type { RepoSource } from '../../function/src/repo/source.js';
import { gitSource } from '../../function/src/repo/source.js';
import type { Retriever } from '../../function/src/retrieval/retriever.js';
import type { LooseObj as Obj } from '../../lib/obj.js';
import { claim, countingSource, desiredResources, request, ROOT } from '../helpers/fn.js';
import { startPostgres, type PostgresServer } from '../helpers/postgres.js';
import { hashEmbedder, tempDir } from '../helpers/rag.js';
import { decided, isFatal, pinnedRequest, serve, unsafeAnswer, type PinnedXr, type Served } from './helpers.js';
import { hugeSnapshot, snapshotSource } from './huge-repo.js';

export const injected = { faults: 0, unsafe: 0 };

/** Sends `req`, checks the rule, counts the fault. */
async function render(s: Served, req: RunFunctionRequest, deadlineMs = 60_000): Promise<RunFunctionResponse> {
  const rsp = await s.client.run(req, deadlineMs);
  injected.faults++;
  const unsafe = unsafeAnswer(req, rsp);
  if (unsafe) injected.unsafe++;
  expect(unsafe).toBeUndefined();
  return rsp;
}

const messages = (rsp: RunFunctionResponse, severity: Severity) => rsp.results.filter((r) => r.severity === severity).map((r) => `${r.reason}: ${r.message}`);
const reason = (rsp: RunFunctionResponse) => rsp.conditions.find((c) => c.type === 'DecisionReady')?.reason;

/** A claim that changes what matters (the prompt), so a pinned render must decide again and meet the fault. */
function changedSpec(p: PinnedXr): RunFunctionRequest {
  const xr = structuredClone(p.xr);
  xr.spec.prompt = `${String(xr.spec.prompt)} (changed)`;
  return request({ xr, status: p.status, observed: p.resources });
}

/** A server for `deps`, and one claim decided and pinned on a healthy server with the same flask app. */
async function withFault(deps: HandlerDeps, input?: Obj): Promise<{ s: Served; pinned: PinnedXr; fresh: (spec?: Obj) => RunFunctionRequest; close(): Promise<void> }> {
  const healthy = await serve({ repos: countingSource() });
  const pinned = await decided(healthy.client);
  await healthy.close();
  const s = await serve(deps);
  return {
    s,
    pinned: input ? { ...pinned } : pinned,
    fresh: (spec: Obj = {}) => request({ xr: claimToXr(claim(spec, 'fresh')), ...(input ? { input } : {}) }),
    close: () => s.close(),
  };
}

const withInput = (req: RunFunctionRequest, input: Obj) => ({ ...req, input }) as RunFunctionRequest;

describe('RAG store faults', () => {
  let pg: PostgresServer;
  // startPostgres fails (never skips) when PostgreSQL is not installed.
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  async function check(retriever: Retriever, what: RegExp) {
    const f = await withFault({ repos: countingSource(), retriever });
    try {
      // A store still opening is a fault too (said so); the cause is named once it is known.
      for (const deadline = Date.now() + 15_000; ; ) {
        const rsp = await render(f.s, f.fresh());
        expect(isFatal(rsp)).toBe(false);
        const warned = messages(rsp, Severity.SEVERITY_WARNING).join('\n');
        expect(warned).toMatch(/RetrievalUnavailable: deciding without similar deployments/);
        if (what.test(warned) || Date.now() > deadline) {
          expect(warned).toMatch(what);
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(reason(await render(f.s, pinnedRequest(f.pinned)))).toBe('Pinned');
      const changed = await render(f.s, changedSpec(f.pinned));
      expect(isFatal(changed)).toBe(false);
    } finally {
      await f.close();
    }
  }

  it('down: a real PostgreSQL store stopped under the server', async () => {
    const rag = new BackgroundRagRetriever(() => openStore({ databaseUrl: pg.url, embedder: hashEmbedder() })).start();
    await rag.retrieve({ text: 'flask', cloud: 'aws', framework: 'flask', language: 'python', topK: 1 }, new AbortController().signal).catch(() => undefined);
    await pg.down();
    try {
      await check(rag, /RetrievalUnavailable: deciding without similar deployments/);
    } finally {
      await pg.up();
      await rag.close();
    }
  });

  it('slow: a store that answers after the retrieval timeout', async () => {
    const slow: Retriever = { name: 'slow', retrieve: () => new Promise((r) => setTimeout(() => r({ neighbors: [], avoid: [] }), 3_000)) };
    await check(slow, /RetrievalUnavailable: deciding without similar deployments: .*(time|slow|ms)/i);
  });

  it('locked: the embedded directory held by another process', async () => {
    const t = tempDir();
    const holder = spawn(process.execPath, [join(import.meta.dirname, 'lock-racer.mjs'), join(ROOT, 'dist', 'lib', 'rag', 'lockfile.js'), t.dir], { cwd: ROOT });
    await new Promise<void>((r) => holder.stdout.once('data', () => r()));
    holder.stdin.write('go\n');
    await new Promise<void>((r) => holder.stdout.once('data', () => r()));
    const rag = new BackgroundRagRetriever(() => openStore({ ragDir: t.dir, embedder: hashEmbedder() })).start();
    try {
      await check(rag, /RetrievalUnavailable: deciding without similar deployments: .*in use by pid/);
    } finally {
      await rag.close();
      holder.stdin.end();
      await new Promise((r) => holder.once('exit', r));
      t.remove();
    }
  });
});

describe('repository faults', () => {
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: a repository host that hangs.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  async function check(repos: RepoSource, spec: Obj, input: Obj | undefined, fatal: RegExp, extra: Partial<HandlerDeps> = {}) {
    const f = await withFault({ repos, ...extra }, input);
    try {
      const fresh = await render(f.s, withInput(f.fresh(spec), input ?? {}));
      expect(messages(fresh, Severity.SEVERITY_FATAL)).toEqual([expect.stringMatching(fatal)]);
      // Pinned and unchanged: the repository is never read.
      expect(reason(await render(f.s, withInput(pinnedRequest(f.pinned), input ?? {})))).toBe('Pinned');
      // Pinned, spec changed toward the faulty repository: the pin stays, a Warning names the stage.
      const req = changedSpec(f.pinned);
      Object.assign(req.observed!.composite!.resource!.spec as Obj, spec);
      const kept = await render(f.s, withInput(req, input ?? {}));
      expect(desiredResources(kept)).toEqual(f.pinned.resources);
      const why = fatal.source.replace(/^\^StageFailed: analyze: /, '');
      expect(messages(kept, Severity.SEVERITY_WARNING)).toEqual([expect.stringMatching(new RegExp(`^KeptPinnedDecision: analyze failed: ${why}`, fatal.flags))]);
    } finally {
      await f.close();
    }
  }

  const allow = (host: string) => ({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { repositories: { allowedHosts: [host], timeoutSeconds: 2 } } });

  it('unreachable: nothing listens on the repository port', async () => {
    await check(gitSource(), { repository: { url: 'https://127.0.0.1:1/acme/web.git', ref: 'main' } }, allow('127.0.0.1:1'), /^StageFailed: analyze: .*127\.0\.0\.1/);
  });

  it('slow: the repository host accepts and never answers (timeoutSeconds: 2)', async () => {
    await check(gitSource(), { repository: { url: `https://127.0.0.1:${silentPort}/acme/web.git`, ref: 'main' } }, allow(`127.0.0.1:${silentPort}`), /^StageFailed: analyze: .*(time|2 s|timed out)/i);
  });

  it('huge: an analysis past the pool wall time', async () => {
    const pool = new AnalysisPool({ workers: 1, maxQueued: 4, timeoutMs: 1_000 });
    try {
      await check(snapshotSource(hugeSnapshot(3_000)), {}, undefined, /^StageFailed: analyze: analysis stopped after 1 s/, { analyze: pool.analyze });
    } finally {
      await pool.close();
    }
  });
});

describe('CloudProvider missing', () => {
  it('fresh: Fatal naming the CloudProvider; pinned: kept with a Warning', async () => {
    const f = await withFault({ repos: countingSource() });
    try {
      const fresh = await render(f.s, request({ xr: claimToXr(claim({}, 'fresh')), provider: null }));
      expect(messages(fresh, Severity.SEVERITY_FATAL).join()).toMatch(/aws-team-a.*team-a|spec\.cloudProvider/);
      const kept = await render(f.s, request({ xr: f.pinned.xr, status: f.pinned.status, observed: f.pinned.resources, provider: null }));
      expect(desiredResources(kept)).toEqual(f.pinned.resources);
      expect(messages(kept, Severity.SEVERITY_WARNING).join()).toMatch(/aws-team-a/);
    } finally {
      await f.close();
    }
  });
});

/** Every leaf of `o` as a path. */
function leaves(o: unknown, path: string[] = []): string[][] {
  if (o && typeof o === 'object') {
    const entries = Array.isArray(o) ? o.map((v, i) => [String(i), v] as const) : Object.entries(o);
    if (entries.length === 0) return [path];
    return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [path];
}

function edited(status: Obj, path: string[], value: unknown): Obj {
  const copy = structuredClone(status);
  let cur: Obj = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Obj;
  const last = path.at(-1) as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

const other = (v: unknown): unknown =>
  typeof v === 'number' ? v * 7 + 500 : typeof v === 'string' ? `${v}-edited` : typeof v === 'boolean' ? !v : Array.isArray(v) ? [] : 'edited';

describe('edited and lost pins', () => {
  let f: Awaited<ReturnType<typeof withFault>>;
  beforeAll(async () => {
    f = await withFault({ repos: countingSource() });
  });
  afterAll(() => f.close());

  it('every field of the pinned status edited (another value, garbage, removed): nothing observed dropped; a changed decision is named', async () => {
    const paths = leaves(f.pinned.status).filter((p) => p.length > 0);
    expect(paths.length).toBeGreaterThan(30);
    let untrusted = 0;
    for (const path of paths) {
      const value = path.reduce<unknown>((o, k) => (o as Obj)[k], f.pinned.status);
      for (const replacement of [other(value), { $garbage: [1, 'x'] }, undefined]) {
        const status = edited(f.pinned.status, path, replacement);
        const rsp = await render(f.s, request({ xr: f.pinned.xr, status, observed: f.pinned.resources }));
        if (reason(rsp) === 'Pinned') {
          // Still trusted: exactly what the pin composes.
          expect(desiredResources(rsp), `status.${path.join('.')}`).toEqual(f.pinned.resources);
        } else {
          untrusted++;
          expect(messages(rsp, Severity.SEVERITY_WARNING).join('\n'), `status.${path.join('.')}`).toMatch(/PinUnreadable: status\.decision/);
        }
      }
    }
    // Every field the digest covers (strategy, config, target, commit) made the pin untrusted.
    expect(untrusted).toBeGreaterThan(0);
    console.log(`pin edits: ${paths.length} status fields x 3 edits, ${untrusted} untrusted`);
  });

  it.each([
    ['no status at all', {}],
    ['status.decision null', { decision: null }],
    ['status a string', 'garbage'],
    ['a digest of another decision', { $otherDigest: true }],
  ])('lost status with observed resources (%s): kept as observed, said how to let go', async (_, lost) => {
    const status = (lost as Obj).$otherDigest ? { ...f.pinned.status, decision: { ...f.pinned.status.decision, digest: 'f'.repeat(64) } } : lost;
    // And a spec whose decision is now another strategy: the observed one must not be replaced.
    const strategy = f.pinned.status.deployment.strategy === 'kubernetes' ? 'vm' : 'kubernetes';
    const xr = claimToXr(claim({ strategy }));
    const rsp = await render(f.s, request({ xr, status: status as Obj, observed: f.pinned.resources }));
    expect(messages(rsp, Severity.SEVERITY_WARNING).join('\n')).toMatch(/KeptObservedResource: kept infrastructure-/);
  });
});

afterAll(() => {
  console.log(`fault matrix: ${injected.faults} faults injected, ${injected.unsafe} unsafe answers`);
});
