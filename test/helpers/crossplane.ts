// A real Crossplane (core v2.1.3 built by scripts/install-tools.sh as .tools/bin/crossplane-core)
// against the test API server of ./kube.ts, with the three composition functions as local processes.
//
// What a Helm install does, done by hand:
// - `crossplane core init` installs Crossplane's CRDs (from the module's cluster/crds) and makes its
//   PKI: the root CA (Secret crossplane-root-ca) and Crossplane's gRPC client certificate (Secret
//   crossplane-tls-client). Webhooks are off (`--enable-webhooks=false`): the API server here cannot
//   reach a webhook Service, so Usages are accepted but not enforced at deletion.
// - `crossplane core start` with `--package-runtime=External`: the package manager installs Function
//   packages (FunctionRevisions, their input CRDs) but runs nothing; an external runtime runs each
//   function and publishes its gRPC endpoint in the active FunctionRevision's `status.endpoint`. That
//   runtime is `FunctionRuntime` below. For each function it does what Crossplane's Deployment
//   runtime does (a Secret <function>-tls-server with a server certificate signed by Crossplane's
//   root CA, for the DNS names that runtime uses plus 127.0.0.1), runs the function as a local
//   process serving that Secret's files with mTLS (Crossplane's client certificate is verified
//   against the root CA), and writes the FunctionRevision's status.tlsServerSecretName and
//   status.endpoint: `dns:///127.0.0.1:<port>` (there is no cluster DNS for `<svc>.<ns>` here).
// - Packages come from Crossplane's package cache: `crossplane xpkg build` + `crossplane xpkg extract
//   --from-xpkg` write the cache entry that `packagePullPolicy: Never` reads (no registry here).
// - The chart's `args` from deploy/crossplane-values.yaml (README "Install"), appended to
//   `core start` as the chart does: the circuit-breaker burst a scai XInfrastructure's creation needs.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { freePort, ROOT, TOOLS_BIN, waitFor, type KubeEnv } from './kube.js';
import { parse } from 'yaml';
import { parseMetrics } from './kube-controller.js';

export const CORE_BIN = join(TOOLS_BIN, 'crossplane-core');
export const CRANK_BIN = join(TOOLS_BIN, 'crossplane');
export const CORE_CRDS = join(ROOT, '.tools/lib/crossplane-core/crds');
export const CROSSPLANE_NS = 'crossplane-system';
export const CROSSPLANE_VALUES = join(ROOT, 'deploy/crossplane-values.yaml');
const ROOT_CA_SECRET = 'crossplane-root-ca';
const CLIENT_SECRET = 'crossplane-tls-client';
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function crossplaneToolsPresent(): string | undefined {
  for (const f of [CORE_BIN, CRANK_BIN, CORE_CRDS]) {
    if (!existsSync(f)) return `${f} is missing: run bash scripts/install-tools.sh`;
  }
  return undefined;
}

/** Keeps the last lines a process printed, for failure messages. */
function capture(p: ChildProcess, max = 400): () => string {
  const out: string[] = [];
  const keep = (b: Buffer) => {
    out.push(b.toString());
    if (out.length > max) out.splice(0, out.length - max);
  };
  p.stdout?.on('data', keep);
  p.stderr?.on('data', keep);
  return () => out.join('');
}

export async function stopProcess(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill(signal);
  const t = setTimeout(() => p.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(t);
}

// ------------------------------------------------------------------------------ package cache

/** Where Crossplane's FsPackageCache looks for a `packagePullPolicy: Never` package (xpkg.BuildPath:
 * the source as a path, its last extension replaced by .gz; `…/scai:v0.1.0` -> `…/scai:v0.1.gz`). */
export function cacheEntry(cacheDir: string, source: string): string {
  const full = join(cacheDir, source);
  return full.slice(0, full.length - extname(full).length) + '.gz';
}

/** `crossplane xpkg build` of a package folder, then `crossplane xpkg extract --from-xpkg` into the cache entry of `source`. */
export function precachePackage(cacheDir: string, source: string, pkgDir: string, opts: { examplesDir?: string; ignore?: string } = {}): string {
  const tmp = mkdtempSync(join(cacheDir, '.build-'));
  const xpkg = join(tmp, 'package.xpkg');
  const args = [...(opts.examplesDir ? ['-e', opts.examplesDir] : []), ...(opts.ignore ? ['--ignore', opts.ignore] : [])];
  execFileSync(CRANK_BIN, ['xpkg', 'build', '-f', pkgDir, ...args, '-o', xpkg], { cwd: ROOT, stdio: 'pipe' });
  const entry = cacheEntry(cacheDir, source);
  mkdirSync(dirname(entry), { recursive: true });
  execFileSync(CRANK_BIN, ['xpkg', 'extract', '--from-xpkg', xpkg, '-o', entry], { cwd: ROOT, stdio: 'pipe' });
  return entry;
}

// ------------------------------------------------------------------------------ PKI

export interface TlsFiles {
  'ca.crt': Buffer;
  'tls.crt': Buffer;
  'tls.key': Buffer;
}

async function secretData(kc: KubeConfig, name: string): Promise<Record<string, Buffer>> {
  const s = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name, namespace: CROSSPLANE_NS });
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

export function writeTlsDir(dir: string, files: TlsFiles): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), v, { mode: 0o600 });
  return dir;
}

/** A server certificate for a function, signed by Crossplane's root CA with openssl. */
function signServerCert(workDir: string, ca: { crt: Buffer; key: Buffer }, name: string): { crt: Buffer; key: Buffer } {
  const d = mkdtempSync(join(workDir, `pki-${name}-`));
  writeFileSync(join(d, 'ca.crt'), ca.crt);
  writeFileSync(join(d, 'ca.key'), ca.key, { mode: 0o600 });
  // The names Crossplane's Deployment runtime puts in a function's server certificate
  // (initializer.DNSNamesForService), and the loopback address the endpoint names here.
  const sans = [name, `${name}.${CROSSPLANE_NS}`, `${name}.${CROSSPLANE_NS}.svc`].map((n) => `DNS:${n}`).concat('IP:127.0.0.1');
  writeFileSync(join(d, 'ext'), `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
  const o = (args: string[]) => execFileSync('openssl', args, { cwd: d, stdio: 'pipe' });
  o(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/O=Crossplane/CN=${name}`, '-keyout', 'tls.key', '-out', 'tls.csr']);
  o(['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext', '-out', 'tls.crt']);
  return { crt: readFileSync(join(d, 'tls.crt')), key: readFileSync(join(d, 'tls.key')) };
}

// ------------------------------------------------------------------------------ Crossplane core

export interface CrossplaneCore {
  cacheDir: string;
  metricsPort: number;
  output(): string;
  metrics(): Promise<Record<string, number>>;
  /** Crossplane's root CA (certificate and key) from the Secret `core init` made. */
  rootCa: { crt: Buffer; key: Buffer };
  stop(): Promise<void>;
}

/** The `args` of the Helm values README "Install" gives Crossplane (deploy/crossplane-values.yaml), which the chart appends to `core start`. */
export function helmArgs(): string[] {
  const values = parse(readFileSync(CROSSPLANE_VALUES, 'utf8')) as { args?: string[] };
  return values.args ?? [];
}

/** `crossplane core init` then `crossplane core start` as the cluster admin (Crossplane runs with cluster-admin rights anyway). */
export async function startCrossplane(kube: KubeEnv, dir: string): Promise<CrossplaneCore> {
  const missing = crossplaneToolsPresent();
  if (missing) throw new Error(missing);
  const grpcLogs = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('GRPC_GO_LOG_'))) as Record<string, string>;
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: kube.adminKubeconfig, ...grpcLogs };
  await kube.admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: CROSSPLANE_NS } } }).catch((e) => {
    if ((e as { code?: number }).code !== 409) throw e;
  });
  // init applies the CRDs and then objects of those kinds without waiting for the API server to serve
  // them ("no matches for kind Lock"); in a cluster the init container is restarted. Same here.
  let init;
  for (let attempt = 1; ; attempt++) {
    init = spawnSync(CORE_BIN, [
      'core', 'init', `--namespace=${CROSSPLANE_NS}`, '--enable-webhooks=false',
      `--tlsca-secret-name=${ROOT_CA_SECRET}`, `--tls-client-secret-name=${CLIENT_SECRET}`,
    ], { env: { ...env, CRDS_PATH: CORE_CRDS }, encoding: 'utf8', timeout: 120_000 }); // its flag is spelt --cr-ds-path
    if (init.status === 0) break;
    if (attempt === 5 || !/no matches for kind/.test(init.stderr)) throw new Error(`crossplane core init failed (${init.status}):\n${init.stdout}\n${init.stderr}`);
    await new Promise((r) => setTimeout(r, 1000));
  }

  const client = await secretData(kube.admin, CLIENT_SECRET);
  const ca = await secretData(kube.admin, ROOT_CA_SECRET);
  const clientDir = writeTlsDir(join(dir, 'crossplane-tls-client'), { 'ca.crt': client['ca.crt']!, 'tls.crt': client['tls.crt']!, 'tls.key': client['tls.key']! });
  const cacheDir = join(dir, 'xpkg-cache');
  mkdirSync(cacheDir, { recursive: true });
  const [metricsPort, healthPort, webhookPort] = [await freePort(), await freePort(), await freePort()];
  const proc = spawn(CORE_BIN, [
    ...(process.env.SCAI_CROSSPLANE_DEBUG ? ['--debug'] : []),
    'core', 'start',
    `--namespace=${CROSSPLANE_NS}`,
    '--package-runtime=External',
    '--enable-webhooks=false',
    `--cache-dir=${cacheDir}`,
    `--tls-client-certs-dir=${clientDir}`,
    `--metrics-port=${metricsPort}`,
    `--health-probe-port=${healthPort}`,
    `--webhook-port=${webhookPort}`,
    `--xfn-cache-dir=${join(dir, 'xfn-cache')}`,
    ...helmArgs(),
  ], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = capture(proc, 20_000);
  await waitFor(`crossplane core /readyz\n${output().slice(-4000)}`, async () => {
    if (proc.exitCode !== null) throw new Error(`crossplane exited ${proc.exitCode}`);
    return (await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined))?.status === 200;
  }, 60_000, 250);
  return {
    cacheDir,
    metricsPort,
    output,
    rootCa: { crt: ca['tls.crt']!, key: ca['tls.key']! },
    metrics: async () => parseMetrics(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()),
    stop: () => stopProcess(proc),
  };
}

// ------------------------------------------------------------------------------ External runtime

/** The name Crossplane's Deployment runtime gives a function's server certificate Secret. */
const tlsSecretName = (fn: string) => `${fn}-tls-server`;

export interface FunctionSpec {
  /** The Function's name (= the functionRef in Compositions). */
  name: string;
  /** Command and arguments; `{address}` and `{tls}` are replaced by the listen address and the TLS dir. */
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export interface RunningFunction {
  spec: FunctionSpec;
  port: number;
  tlsDir: string;
  proc: ChildProcess;
  output(): string;
}

/**
 * The External package runtime for Functions, as local processes: starts each function with mTLS
 * (server certificate signed by Crossplane's root CA; client certificates verified against it) and
 * keeps the active FunctionRevision's status.endpoint pointing at it.
 */
export class FunctionRuntime {
  readonly fns = new Map<string, RunningFunction>();
  private timer?: NodeJS.Timeout;
  private readonly revisions: CustomObjectsApi;

  constructor(private readonly kube: KubeEnv, private readonly core: CrossplaneCore, private readonly dir: string) {
    this.revisions = kube.admin.makeApiClient(CustomObjectsApi);
  }

  async start(spec: FunctionSpec, port?: number): Promise<RunningFunction> {
    const prev = this.fns.get(spec.name);
    const p = port ?? prev?.port ?? (await freePort());
    let tlsDir = prev?.tlsDir;
    if (!tlsDir) {
      // What Crossplane's Deployment runtime does for a function: a Secret <function>-tls-server in
      // Crossplane's namespace holding a server certificate signed by the root CA; the function
      // serves the Secret's files (mounted in a cluster, written to a directory here).
      const cert = signServerCert(this.dir, this.core.rootCa, spec.name);
      const data = { 'ca.crt': this.core.rootCa.crt, 'tls.crt': cert.crt, 'tls.key': cert.key };
      const secret = { metadata: { name: tlsSecretName(spec.name), namespace: CROSSPLANE_NS }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.toString('base64')])) };
      const coreApi = this.kube.admin.makeApiClient(CoreV1Api);
      await coreApi.createNamespacedSecret({ namespace: CROSSPLANE_NS, body: secret }).catch(async (e) => {
        if ((e as { code?: number }).code !== 409) throw e;
        await coreApi.replaceNamespacedSecret({ name: secret.metadata.name, namespace: CROSSPLANE_NS, body: secret });
      });
      const stored = await secretData(this.kube.admin, tlsSecretName(spec.name));
      tlsDir = writeTlsDir(join(this.dir, `tls-${spec.name}`), { 'ca.crt': stored['ca.crt']!, 'tls.crt': stored['tls.crt']!, 'tls.key': stored['tls.key']! });
    }
    const sub = (a: string) => a.replace('{address}', `127.0.0.1:${p}`).replace('{tls}', tlsDir);
    const proc = spawn(spec.command, spec.args.map(sub), { cwd: ROOT, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = capture(proc);
    const fn: RunningFunction = { spec, port: p, tlsDir, proc, output };
    this.fns.set(spec.name, fn);
    await waitFor(`${spec.name} to listen on 127.0.0.1:${p}`, async () => {
      if (proc.exitCode !== null) throw new Error(`${spec.name} exited ${proc.exitCode}:\n${output()}`);
      return await new Promise<boolean>((res) => {
        const s = connect(p, '127.0.0.1');
        s.once('connect', () => (s.destroy(), res(true)));
        s.once('error', () => res(false));
      });
    }, 60_000, 100);
    return fn;
  }

  /** Kills a function (SIGKILL: a crash) and leaves its endpoint as it is. */
  async kill(name: string): Promise<void> {
    const f = this.fns.get(name);
    if (f) await stopProcess(f.proc, 'SIGKILL');
  }

  async restart(name: string): Promise<RunningFunction> {
    const f = this.fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    await stopProcess(f.proc);
    return this.start(f.spec, f.port);
  }

  endpointOf(name: string): string {
    return `dns:///127.0.0.1:${this.fns.get(name)!.port}`;
  }

  /** Publishes every running function's endpoint on its active FunctionRevision, now and every `everyMs`. */
  async publishEndpoints(everyMs = 500): Promise<void> {
    const tick = async () => {
      const list = await this.revisions.listClusterCustomObject({ group: 'pkg.crossplane.io', version: 'v1', plural: 'functionrevisions' });
      for (const rev of list.items as any[]) {
        const name = rev.metadata.labels?.['pkg.crossplane.io/package'];
        if (!this.fns.has(name) || rev.spec.desiredState !== 'Active') continue;
        // The runtime's part of a FunctionRevision's status: where to dial it, and the Secret holding
        // its server certificate (the package manager waits for it before installing the package's CRDs).
        const want = { endpoint: this.endpointOf(name), tlsServerSecretName: tlsSecretName(name) };
        if (rev.status?.endpoint === want.endpoint && rev.status?.tlsServerSecretName === want.tlsServerSecretName) continue;
        await this.revisions.patchClusterCustomObjectStatus({ group: 'pkg.crossplane.io', version: 'v1', plural: 'functionrevisions', name: rev.metadata.name, body: { status: want } }, MERGE);
      }
    };
    await tick();
    const loop = () => {
      this.timer = setTimeout(() => void tick().catch(() => undefined).finally(() => this.timer && loop()), everyMs);
    };
    loop();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.fns.values()].map((f) => stopProcess(f.proc)));
  }
}
