// `npm run render -- <claim.yaml> [--observed-ready] [--json]`: the real two-stage render of a claim.
//
// Starts function-scai (this checkout's dist/, --insecure, --repo-dir <repo root>), the
// function-kcl STAND-IN (.tools/bin/function-kcl-standin: function-kcl's contract over the real KCL
// engine, because the real function-kcl is not served by the Go proxy here) and the real
// function-auto-ready, each on a free loopback port, then runs the real `crossplane render`:
//   stage 1  the Deployment (claim -> XDeployment) with configuration/compositions/deployment.yaml and the claim's
//            CloudProvider as required resource -> one XInfrastructure
//   stage 2  that XInfrastructure with the one Composition in configuration/compositions/infrastructure/ whose
//            labels match its compositionSelector -> the cloud resources
// and prints both stages. --observed-ready then simulates the providers: every composed resource
// of stage 2 is fed back observed Ready with the status fields the KCL reads (addresses, ARNs),
// stage 2 is rendered again, and its XInfrastructure (Ready, endpoints) is fed back to stage 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { claimToXr } from '../function/src/cli/claims.js';
import { DEPLOYMENT_COMPOSITION, OUT_DIR as INFRA_COMPOSITIONS } from './build-compositions.js';

type Obj = Record<string, any>;

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');
export const CROSSPLANE = join(TOOLS_BIN, 'crossplane');
export { DEPLOYMENT_COMPOSITION, INFRA_COMPOSITIONS };
export const CLAIMS_DIR = join(ROOT, 'examples', 'claims');
const SCAI_MAIN = join(ROOT, 'dist', 'function', 'src', 'main.js');

export function yamlDocs(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((d): d is Obj => !!d && typeof d === 'object');
}
const toYaml = (docs: Obj[]): string => docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess, name: string, log: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`${name} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface FunctionServers {
  /** A Functions file (pkg.crossplane.io/v1 Function, Development runtime) for crossplane render. */
  functionsFile: string;
  ports: Record<'function-scai' | 'function-kcl' | 'function-auto-ready', number>;
  logs: Record<string, () => string>;
  stop(): Promise<void>;
}

/** Starts the three functions. `function-kcl` is served by the stand-in (see the file comment). */
export async function startFunctions(dir: string): Promise<FunctionServers> {
  for (const [f, hint] of [
    [SCAI_MAIN, 'run `npm run build` first'],
    [CROSSPLANE, 'run `bash scripts/install-tools.sh` first'],
    [join(TOOLS_BIN, 'function-kcl-standin'), 'run `bash scripts/install-tools.sh` first'],
    [join(TOOLS_BIN, 'function-auto-ready'), 'run `bash scripts/install-tools.sh` first'],
  ] as const) {
    if (!existsSync(f)) throw new Error(`${f} is missing: ${hint}`);
  }
  const ragDir = mkdtempSync(join(tmpdir(), 'scai-render-rag-'));
  const specs: Record<keyof FunctionServers['ports'], (p: number) => [string, string[]]> = {
    'function-scai': (p) => [process.execPath, [SCAI_MAIN, '--insecure', '--address', `127.0.0.1:${p}`, '--repo-dir', ROOT]],
    // The STAND-IN for function-kcl (the real one is not served by the Go proxy here).
    'function-kcl': (p) => [join(TOOLS_BIN, 'function-kcl-standin'), ['--insecure', '--address', `127.0.0.1:${p}`]],
    'function-auto-ready': (p) => [join(TOOLS_BIN, 'function-auto-ready'), ['--insecure', '--address', `127.0.0.1:${p}`]],
  };
  const procs: ChildProcess[] = [];
  const ports = {} as FunctionServers['ports'];
  const logs: Record<string, () => string> = {};
  try {
    await Promise.all(
      (Object.keys(specs) as Array<keyof typeof specs>).map(async (name) => {
        const port = await freePort();
        const [cmd, args] = specs[name](port);
        // An empty, private RAG store: renders decide from the rules, not from this machine's history.
        const proc: ChildProcess = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, SCAI_RAG_DIR: ragDir }, stdio: ['ignore', 'pipe', 'pipe'] });
        procs.push(proc);
        let out = '';
        const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-20_000));
        proc.stdout?.on('data', keep);
        proc.stderr?.on('data', keep);
        logs[name] = () => out;
        ports[name] = port;
        await waitForPort(port, proc, name, () => out);
      }),
    );
  } catch (e) {
    for (const p of procs) p.kill('SIGTERM');
    rmSync(ragDir, { recursive: true, force: true });
    throw e;
  }
  const fn = (name: string, pkg: string): Obj => ({
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: {
      name,
      annotations: {
        'render.crossplane.io/runtime': 'Development',
        'render.crossplane.io/runtime-development-target': `127.0.0.1:${ports[name as keyof typeof ports]}`,
      },
    },
    spec: { package: pkg },
  });
  const functionsFile = join(dir, 'functions.yaml');
  writeFileSync(
    functionsFile,
    toYaml([
      fn('function-scai', 'xpkg.upbound.io/scai/function-scai:v0.1.0'),
      fn('function-kcl', 'xpkg.upbound.io/crossplane-contrib/function-kcl:v0.12.2'),
      fn('function-auto-ready', 'xpkg.upbound.io/crossplane-contrib/function-auto-ready:v0.7.0'),
    ]),
  );
  return {
    functionsFile,
    ports,
    logs,
    async stop() {
      await Promise.all(
        procs.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null || p.signalCode) return resolve();
              p.once('exit', () => resolve());
              p.kill('SIGTERM');
              setTimeout(() => (p.exitCode === null ? p.kill('SIGKILL') : undefined), 5000).unref();
            }),
        ),
      );
      rmSync(ragDir, { recursive: true, force: true });
    },
  };
}

/** Runs the real `crossplane render`; returns the output documents and the wall time. */
export async function crossplaneRender(args: string[]): Promise<{ docs: Obj[]; ms: number }> {
  const t0 = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(CROSSPLANE, ['render', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b.toString()));
    p.stderr.on('data', (b) => (stderr += b.toString()));
    p.on('close', (c) => resolve({ code: c ?? 1, stdout, stderr }));
  });
  const ms = performance.now() - t0;
  if (code !== 0) throw new Error(`crossplane render ${args.join(' ')} failed (${code}): ${stderr.trim()}`);
  return { docs: yamlDocs(stdout), ms };
}

export interface Claim {
  xr: Obj;
  cloudProvider: Obj;
}

export function loadClaim(file: string): Claim {
  const docs = yamlDocs(readFileSync(file, 'utf8'));
  const dep = docs.filter((d) => d.kind === 'Deployment');
  if (dep.length !== 1) throw new Error(`${file}: expected one Deployment, found ${dep.length}`);
  const xr: Obj = claimToXr(dep[0]!);
  const cps = docs.filter((d) => d.kind === 'CloudProvider' && d.metadata?.name === xr.spec.cloudProvider).map((d): Obj => claimToXr(d));
  if (cps.length !== 1) throw new Error(`${file}: expected the CloudProvider ${xr.spec.cloudProvider} in the same file`);
  return { xr, cloudProvider: cps[0]! };
}

export function infraCompositions(): Obj[] {
  return readdirSync(INFRA_COMPOSITIONS)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yamlDocs(readFileSync(join(INFRA_COMPOSITIONS, f), 'utf8')));
}

/** The Compositions whose labels match an XInfrastructure's spec.compositionSelector. */
export function selectCompositions(infra: Obj, comps = infraCompositions()): Obj[] {
  const want: Record<string, string> = infra.spec?.compositionSelector?.matchLabels ?? {};
  return comps.filter((c) => Object.entries(want).every(([k, v]) => c.metadata?.labels?.[k] === v));
}

export const isXr = (d: Obj, kind: string): boolean => d.kind === kind && d.apiVersion === 'scai.io/v1alpha1' && !d.metadata?.generateName;
export const composed = (docs: Obj[]): Obj[] => docs.filter((d) => d.metadata?.annotations?.['crossplane.io/composition-resource-name']);
export const resourceNameOf = (d: Obj): string => d.metadata?.annotations?.['crossplane.io/composition-resource-name'];

/** The composed XInfrastructure of stage 1 as an XR of its own (named like Crossplane would). */
export function infraXr(stage1: Obj[]): Obj | undefined {
  const d = stage1.find((x) => x.kind === 'XInfrastructure' && x.metadata?.annotations?.['crossplane.io/composition-resource-name']);
  if (!d) return undefined;
  const { generateName, ...meta } = d.metadata;
  const { status: _observed, ...rest } = d;
  return { ...rest, metadata: { ...meta, name: meta.name ?? `${generateName}infra`, uid: '00000000-0000-4000-8000-00000000000a' } };
}

/** What a provider would report for a composed resource once it exists: Ready + the fields KCL reads. */
export function simulateObserved(d: Obj): Obj {
  const name = resourceNameOf(d);
  const { generateName, ...meta } = d.metadata ?? {};
  const atProvider: Obj = {};
  const h = `${name}-0123456789`;
  switch (`${d.kind}/${name}`) {
    case 'LB/load-balancer':
      Object.assign(atProvider, { arn: `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/${h}`, arnSuffix: `app/${h}`, dnsName: `${h}.elb.amazonaws.com` });
      break;
    case 'LBTargetGroup/target-group':
      atProvider.arn = `arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/${h}`;
      break;
    case 'Certificate/certificate':
      atProvider.arn = `arn:aws:acm:us-east-1:111122223333:certificate/${h}`;
      break;
    case 'FunctionURL/function-url':
      atProvider.functionUrl = 'https://abcdefghijklmnop.lambda-url.us-east-1.on.aws/';
      break;
    case 'V2Service/service':
      atProvider.uri = 'https://app-abcdefghij-ew.a.run.app';
      break;
    case 'GlobalAddress/address':
      atProvider.address = '203.0.113.10';
      break;
  }
  const status: Obj = { ...(d.status ?? {}), conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }, { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' }] };
  if (Object.keys(atProvider).length) status.atProvider = atProvider;
  if (d.kind === 'Object' && (name === 'app-service' || name === 'app-ingress')) {
    const ingress = name === 'app-service' ? [{ hostname: 'a1b2c3.elb.amazonaws.com', ip: '203.0.113.20' }] : [{ ip: '203.0.113.30' }];
    status.atProvider = { manifest: { ...d.spec.forProvider.manifest, status: { loadBalancer: { ingress } } } };
  }
  return { ...d, metadata: { ...meta, name: meta.name ?? `${generateName ?? ''}${name}` }, status };
}

export interface StageTimes {
  stage1Ms: number;
  stage2Ms: number;
}

export interface PipelineRender {
  stage1: Obj[];
  infra?: Obj;
  compositions: Obj[];
  stage2: Obj[];
  times: StageTimes;
}

/**
 * Renders both stages. `observedInfra` (stage 2 output XR, Ready) and `observedComposed` feed
 * back observed state; `xrStatus` is the XDeployment status of an earlier render (the pin).
 */
export async function renderPipeline(
  claim: Claim,
  servers: FunctionServers,
  dir: string,
  o: { xrStatus?: Obj; observedInfra?: Obj; observedComposed?: Obj[]; infraStatus?: Obj } = {},
): Promise<PipelineRender> {
  const f = (n: string, docs: Obj[]): string => (writeFileSync(join(dir, n), toYaml(docs)), join(dir, n));
  const xr = o.xrStatus ? { ...claim.xr, status: o.xrStatus } : claim.xr;
  const args1 = [f('xr.yaml', [xr]), DEPLOYMENT_COMPOSITION, servers.functionsFile, '-e', f('required.yaml', [claim.cloudProvider]), '-r'];
  if (o.observedInfra) args1.push('-o', f('observed-1.yaml', [o.observedInfra]));
  const s1 = await crossplaneRender(args1);
  const infra = infraXr(s1.docs);
  const compositions = infra ? selectCompositions(infra) : [];
  if (!infra || compositions.length !== 1) return { stage1: s1.docs, ...(infra ? { infra } : {}), compositions, stage2: [], times: { stage1Ms: s1.ms, stage2Ms: 0 } };
  const infraIn = o.infraStatus ? { ...infra, status: o.infraStatus } : infra;
  const args2 = [f('infra.yaml', [infraIn]), f('infra-composition.yaml', compositions), servers.functionsFile, '-r'];
  if (o.observedComposed?.length) args2.push('-o', f('observed-2.yaml', o.observedComposed));
  const s2 = await crossplaneRender(args2);
  return { stage1: s1.docs, infra, compositions, stage2: s2.docs, times: { stage1Ms: s1.ms, stage2Ms: s2.ms } };
}

/** First render, then providers report everything Ready: re-render stage 2, feed its XR back to stage 1. */
export async function renderConverged(claim: Claim, servers: FunctionServers, dir: string) {
  const first = await renderPipeline(claim, servers, dir);
  const xrOut = first.stage1.find((d) => isXr(d, 'XDeployment'));
  if (!first.infra) return { first };
  const observed1 = composed(first.stage2).map(simulateObserved);
  const second = await renderPipeline(claim, servers, dir, { xrStatus: xrOut?.status, observedComposed: observed1 });
  // Providers now report what the second render asked for (e.g. the HTTPS listener once the
  // certificate ARN is known): observe that, and feed the resulting Ready XInfrastructure to stage 1.
  const observed2 = composed(second.stage2).map(simulateObserved);
  const third = await renderPipeline(claim, servers, dir, { xrStatus: xrOut?.status, observedComposed: observed2 });
  const infraOut = third.stage2.find((d) => isXr(d, 'XInfrastructure'));
  const { uid: _uid, ...infraMeta } = third.infra!.metadata;
  const observedInfra = { ...third.infra!, metadata: infraMeta, status: infraOut?.status };
  const observed3 = composed(third.stage2).map(simulateObserved);
  const ready = await renderPipeline(claim, servers, dir, { xrStatus: xrOut?.status, observedComposed: observed3, observedInfra });
  return { first, second, third, ready, observed2, observedInfra };
}

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: npm run render -- <claim.yaml> [--observed-ready]\n');
    return 2;
  }
  const claim = loadClaim(file);
  const dir = mkdtempSync(join(tmpdir(), 'scai-render-'));
  const servers = await startFunctions(dir);
  try {
    const out = process.stdout;
    if (argv.includes('--observed-ready')) {
      const r = await renderConverged(claim, servers, dir);
      const last = r.ready ?? r.first;
      out.write(`# stage 1: crossplane render ${file} (Deployment, composition scai-deployment), all composed resources observed Ready\n`);
      out.write(toYaml(last.stage1));
      out.write(`---\n# stage 2: crossplane render of the XInfrastructure with ${last.compositions.map((c) => c.metadata.name).join(', ')}\n`);
      out.write(toYaml(last.stage2));
    } else {
      const r = await renderPipeline(claim, servers, dir);
      out.write(`# stage 1: crossplane render ${file} (Deployment, composition scai-deployment) [${r.times.stage1Ms.toFixed(0)} ms]\n`);
      out.write(toYaml(r.stage1));
      if (!r.infra) {
        out.write('# stage 2: skipped: stage 1 composed no XInfrastructure\n');
      } else if (r.compositions.length !== 1) {
        out.write(`# stage 2: skipped: ${r.compositions.length} Compositions match ${JSON.stringify(r.infra.spec.compositionSelector)}\n`);
        return 1;
      } else {
        out.write(`---\n# stage 2: crossplane render of the XInfrastructure with ${r.compositions[0]!.metadata.name} (function-kcl = stand-in) [${r.times.stage2Ms.toFixed(0)} ms]\n`);
        out.write(toYaml(r.stage2));
      }
    }
    return 0;
  } finally {
    await servers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (c) => (process.exitCode = c),
    (e) => {
      process.stderr.write(`render: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
