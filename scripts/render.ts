// `npm run render -- <claim.yaml> [--observed-ready]`: the real two-stage render of a claim.
// `npm run render -- --write-examples`: regenerate the example folders examples/render/<claim>/.
//
// Every example claim examples/claims/<name>.yaml has a folder examples/render/<name>/ holding what a
// bare `crossplane render` needs, like the upstream functions' examples/ folders:
//   xr.yaml, required-resources.yaml   the claim as Crossplane hands it to function-scai (the
//                                      XDeployment) and the XCloudProvider it names
//   composition.yaml, functions.yaml   links to configuration/compositions/deployment.yaml and
//                                      examples/functions.yaml
//   infrastructure/                    stage 2: xr.yaml (the XInfrastructure stage 1 composes),
//                                      composition.yaml (a link to the Composition its labels
//                                      select), functions.yaml
// examples/functions.yaml runs each function as a local process (Development runtime, fixed
// loopback ports: README "Render locally"). Here the functions are started on free loopback ports
// instead (so that concurrent runs do not collide) and crossplane render gets that file with only
// the targets changed: function-scai (this checkout's dist/, --insecure, --repo-dir <repo root>),
// the function-kcl STAND-IN (.tools/bin/function-kcl-standin: function-kcl's contract over the real
// KCL engine, because the real function-kcl is not served by the Go proxy here) and the real
// function-auto-ready. Then the real `crossplane render`, on the example's files:
//   stage 1  xr.yaml composition.yaml functions.yaml --required-resources required-resources.yaml
//            -> one XInfrastructure
//   stage 2  infrastructure/xr.yaml infrastructure/composition.yaml functions.yaml -> the cloud
//            resources
// (a claim without an example folder, or with stale stage-2 files, is rendered from temporary
// files derived the same way). --observed-ready then simulates the providers: every composed
// resource of stage 2 is fed back observed Ready with the status fields the KCL reads (addresses,
// ARNs), stage 2 is rendered again, and its XInfrastructure (Ready, endpoints) is fed back to stage 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify, type ScalarTag, type Tags } from 'yaml';
import { claimToXr } from '../function/src/cli/claims.js';
import { DEPLOYMENT_COMPOSITION, OUT_DIR as INFRA_COMPOSITIONS } from './build-compositions.js';

import { SCAI_API_VERSION } from '../lib/domain.js';
import type { LooseObj as Obj } from '../lib/obj.js';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
export const TOOLS_BIN = join(ROOT, '.tools', 'bin');
export const CROSSPLANE = join(TOOLS_BIN, 'crossplane');
export { DEPLOYMENT_COMPOSITION, INFRA_COMPOSITIONS };
export const CLAIMS_DIR = join(ROOT, 'examples', 'claims');
export const EXAMPLES_DIR = join(ROOT, 'examples', 'render');
/** The three functions as local processes (Development runtime), for every example. */
export const FUNCTIONS_FILE = join(ROOT, 'examples', 'functions.yaml');
const SCAI_MAIN = join(ROOT, 'dist', 'function', 'src', 'main.js');

/**
 * Go's YAML (crossplane render, kubectl) reads a plain scalar as a float only when it parses without overflow, and
 * prints such a string unquoted: a commit id such as `5075734e8152` (an image tag) is a string there, where the
 * `yaml` package would read Infinity. Read exponent floats the way Go does.
 */
type Tag = Tags[number];
const expFloat = (t: Tag): t is ScalarTag => typeof t !== 'string' && t.collection === undefined && t.tag === 'tag:yaml.org,2002:float' && t.format === 'EXP';
const overflowAsText = (t: ScalarTag): ScalarTag => ({
  ...t,
  resolve: (text, onError, options) => {
    const value = t.resolve(text, onError, options);
    return typeof value === 'number' && !Number.isFinite(value) ? text : value;
  },
});
const goFloats = (tags: Tags): Tags => tags.map((t) => (expFloat(t) ? overflowAsText(t) : t));

export function yamlDocs(text: string): Obj[] {
  return parseAllDocuments(text, { customTags: goFloats })
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
  /** examples/functions.yaml with each Development target moved to the port its function listens on here. */
  functionsFile: string;
  ports: Record<'function-scai' | 'function-kcl' | 'function-auto-ready', number>;
  logs: Record<string, () => string>;
  stop(): Promise<void>;
}

const DEV_RUNTIME = 'render.crossplane.io/runtime';
const DEV_TARGET = 'render.crossplane.io/runtime-development-target';

/** examples/functions.yaml, checked: every Function runs as a local process (Development runtime). */
export function exampleFunctions(file = FUNCTIONS_FILE): Obj[] {
  const fns = yamlDocs(readFileSync(file, 'utf8'));
  for (const f of fns) {
    const a = f.metadata?.annotations ?? {};
    if (f.kind !== 'Function' || a[DEV_RUNTIME] !== 'Development' || !a[DEV_TARGET]) {
      throw new Error(`${file}: ${f.metadata?.name}: expected a Function with ${DEV_RUNTIME}: Development and a ${DEV_TARGET}`);
    }
  }
  return fns;
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
  // The commands README "Render locally" gives, on other ports.
  const specs: Record<keyof FunctionServers['ports'], (p: number) => [string, string[]]> = {
    'function-scai': (p) => [process.execPath, [SCAI_MAIN, '--insecure', '--address', `127.0.0.1:${p}`, '--repo-dir', ROOT]],
    // The STAND-IN for function-kcl (the real one is not served by the Go proxy here).
    'function-kcl': (p) => [join(TOOLS_BIN, 'function-kcl-standin'), ['--insecure', '--address', `127.0.0.1:${p}`]],
    'function-auto-ready': (p) => [join(TOOLS_BIN, 'function-auto-ready'), ['--insecure', '--address', `127.0.0.1:${p}`]],
  };
  const fns = exampleFunctions();
  const names = fns.map((f) => f.metadata.name);
  if (!isDeepStrictEqual([...names].sort(), Object.keys(specs).sort())) {
    throw new Error(`${FUNCTIONS_FILE}: expected the Functions ${Object.keys(specs).join(', ')}, found ${names.join(', ')}`);
  }
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
  const functionsFile = join(dir, 'functions.yaml');
  const retarget = (f: Obj): Obj => ({
    ...f,
    metadata: { ...f.metadata, annotations: { ...f.metadata.annotations, [DEV_TARGET]: `127.0.0.1:${ports[f.metadata.name as keyof typeof ports]}` } },
  });
  writeFileSync(functionsFile, toYaml(fns.map(retarget)));
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
export async function crossplaneRender(args: string[]): Promise<{ docs: Obj[]; ms: number; stdout: string }> {
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
  return { docs: yamlDocs(stdout), ms, stdout };
}

export interface Claim {
  xr: Obj;
  cloudProvider: Obj;
  /** Other XDeployments handed over as required resources too (the team's, for a team budget). */
  team?: Obj[];
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

export const isXr = (d: Obj, kind: string): boolean => d.kind === kind && d.apiVersion === SCAI_API_VERSION && !d.metadata?.generateName;
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
      Object.assign(atProvider, { arn: `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/${h}`, arnSuffix: `app/${h}`, dnsName: `${h}.elb.amazonaws.com`, zoneId: 'Z35SXDOTRQ7X7K' });
      break;
    case 'LBTargetGroup/target-group':
      atProvider.arn = `arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/${h}`;
      break;
    case 'Certificate/certificate': {
      const domain = d.spec?.forProvider?.domainName ?? 'app.example.com';
      atProvider.arn = `arn:aws:acm:us-east-1:111122223333:certificate/${h}`;
      atProvider.domainValidationOptions = [{ domainName: domain, resourceRecordName: `_0123456789abcdef.${domain}.`, resourceRecordType: 'CNAME', resourceRecordValue: '_fedcba9876543210.acm-validations.aws.' }];
      break;
    }
    case 'Topic/alarm-topic':
      atProvider.arn = `arn:aws:sns:us-east-1:111122223333:${d.metadata?.annotations?.['crossplane.io/external-name'] ?? h}`;
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
    case 'RegistryRepository/image-repository':
      atProvider.registryUri = `europe-west1-docker.pkg.dev/prj/${d.metadata?.annotations?.['crossplane.io/external-name'] ?? h}`;
      break;
    case 'ServiceAccount/build-service-account':
    case 'ServiceAccount/node-service-account':
    case 'ServiceAccount/vm-service-account':
      Object.assign(atProvider, { email: `${h}@prj.iam.gserviceaccount.com`, member: `serviceAccount:${h}@prj.iam.gserviceaccount.com`, project: 'prj' });
      break;
    case 'Trigger/build-trigger':
      Object.assign(atProvider, { project: 'prj', triggerId: '0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7' });
      break;
    case 'Instance/instance':
      // A single VM's public address (gcp_vm.k / aws_vm.k publish http://<it>:<port>): a GCE instance's ephemeral external IP, an EC2 instance's public IP.
      if (String(d.apiVersion).startsWith('compute.gcp.')) atProvider.networkInterface = [{ accessConfig: [{ natIp: '203.0.113.40', networkTier: 'PREMIUM' }] }];
      else Object.assign(atProvider, { id: 'i-0123456789abcdef0', publicIp: '203.0.113.50' });
      break;
    case 'LaunchTemplate/launch-template':
      Object.assign(atProvider, { id: 'lt-0123456789abcdef0', latestVersion: 1 });
      break;
    case 'GlobalAddress/ingress-address':
      atProvider.address = '203.0.113.30';
      break;
    case 'InstanceGroupManager/instance-group':
    case 'RegionInstanceGroupManager/instance-group':
      atProvider.instanceGroup = `https://www.googleapis.com/compute/v1/projects/prj/regions/europe-west1/instanceGroups/${h}`;
      break;
    case 'BackendService/backend-service':
    case 'URLMap/url-map':
    case 'TargetHTTPProxy/http-proxy':
    case 'TargetHTTPSProxy/https-proxy':
    case 'ManagedSSLCertificate/certificate':
      atProvider.selfLink = `https://www.googleapis.com/compute/v1/projects/prj/global/${d.kind}/${h}`;
      break;
  }
  // ECR reports the repository's URL (the artifactregistry Repository of GCP shares the kind and name).
  if (d.kind === 'Repository' && String(d.apiVersion).startsWith('ecr.aws.')) {
    atProvider.repositoryUrl = `111122223333.dkr.ecr.us-east-1.amazonaws.com/${d.metadata?.annotations?.['crossplane.io/external-name'] ?? h}`;
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
  /** Both stages' output as `crossplane render` printed it, byte for byte. */
  text: { stage1: string; stage2: string };
  times: StageTimes;
  /** The `crossplane render` argument lists, in order (paths as given). */
  commands: string[][];
  /** Files of the example folder that differ from what this render derived (then temporary files were used). */
  stale: string[];
}

/** The files of an example folder examples/render/<name>/ (see the file comment). */
export interface ExampleFiles {
  dir: string;
  xr: string;
  composition: string;
  functions: string;
  required: string;
  infra: { dir: string; xr: string; composition: string; functions: string };
}

export function exampleFiles(name: string): ExampleFiles {
  const dir = join(EXAMPLES_DIR, name);
  const infra = join(dir, 'infrastructure');
  return {
    dir,
    xr: join(dir, 'xr.yaml'),
    composition: join(dir, 'composition.yaml'),
    functions: join(dir, 'functions.yaml'),
    required: join(dir, 'required-resources.yaml'),
    infra: { dir: infra, xr: join(infra, 'xr.yaml'), composition: join(infra, 'composition.yaml'), functions: join(infra, 'functions.yaml') },
  };
}

/** examples/claims/<name>.yaml -> its example folder, if there is one. */
export function exampleOf(claimFile: string): ExampleFiles | undefined {
  const name = basename(claimFile).replace(/\.ya?ml$/, '');
  const ex = exampleFiles(name);
  return resolve(claimFile) === join(CLAIMS_DIR, `${name}.yaml`) && existsSync(ex.dir) ? ex : undefined;
}

/**
 * What function-scai composes differs from one commit of this repository to the next in two fields:
 * spec.app.commit (with --repo-dir in a git checkout it analyses HEAD; elsewhere a digest of the
 * app's files) and spec.inputsHash, which covers it. A committed example XR keeps the values it was
 * generated with; they are left out when deciding whether it is stale.
 */
function withoutCommit(d: Obj): Obj {
  if (d.kind !== 'XInfrastructure' || !d.spec) return d;
  const { inputsHash: _h, app, ...spec } = d.spec;
  const { commit: _c, ...appRest } = app ?? {};
  return { ...d, spec: { ...spec, app: appRest } };
}

const sameDocs = (a: Obj[], b: Obj[]): boolean => isDeepStrictEqual(a.map(withoutCommit), b.map(withoutCommit));
const sameFile = (file: string, docs: Obj[]): boolean => existsSync(file) && sameDocs(yamlDocs(readFileSync(file, 'utf8')), docs);

/**
 * Renders both stages. With an example folder, the first stage-1 render and every stage-2 render
 * whose XR is the folder's use its files as they are; `xrStatus` (the XDeployment status of an
 * earlier render: the pin), `observedInfra`, `observedComposed` and `infraStatus` feed back
 * observed state through temporary files in `dir`.
 */
export async function renderPipeline(
  claim: Claim,
  servers: FunctionServers,
  dir: string,
  o: { example?: ExampleFiles; xrStatus?: Obj; observedInfra?: Obj; observedComposed?: Obj[]; infraStatus?: Obj; params?: Obj } = {},
): Promise<PipelineRender> {
  const f = (n: string, docs: Obj[]): string => (writeFileSync(join(dir, n), toYaml(docs)), join(dir, n));
  const ex = o.example;
  const stale: string[] = [];
  const commands: string[][] = [];
  const use = (file: string | undefined, docs: Obj[], tmp: string): string => {
    if (file && sameFile(file, docs)) return file;
    if (file) stale.push(relative(ROOT, file));
    return f(tmp, docs);
  };
  const run = async (args: string[]) => (commands.push(['render', ...args]), await crossplaneRender(args));
  const xr = o.xrStatus ? { ...claim.xr, status: o.xrStatus } : claim.xr;
  const args1 = [
    o.xrStatus ? f('xr.yaml', [xr]) : use(ex?.xr, [xr], 'xr.yaml'),
    ex && linkTarget(ex.composition) === DEPLOYMENT_COMPOSITION ? ex.composition : DEPLOYMENT_COMPOSITION,
    servers.functionsFile,
    '--required-resources',
    use(ex?.required, [claim.cloudProvider, ...(claim.team ?? [])], 'required-resources.yaml'),
    '-r',
  ];
  if (ex && args1[1] !== ex.composition) stale.push(relative(ROOT, ex.composition));
  if (o.observedInfra) args1.push('-o', f('observed-1.yaml', [o.observedInfra]));
  const s1 = await run(args1);
  const infra = infraXr(s1.docs);
  const compositions = infra ? selectCompositions(infra) : [];
  const done = (stage2: Obj[], stage2Ms: number, stage2Text = ''): PipelineRender => ({
    stage1: s1.docs,
    ...(infra ? { infra } : {}),
    compositions,
    stage2,
    text: { stage1: s1.stdout, stage2: stage2Text },
    times: { stage1Ms: s1.ms, stage2Ms },
    commands,
    stale: [...new Set(stale)],
  });
  if (!infra || compositions.length !== 1) {
    if (!infra && ex && existsSync(ex.infra.dir)) stale.push(relative(ROOT, ex.infra.dir));
    return done([], 0);
  }
  const infraIn = o.infraStatus ? { ...infra, status: o.infraStatus } : infra;
  // Platform settings (KCLInput spec.params, lib.k DEFAULTS) as a platform team would set them in the selected Composition.
  const selected = o.params ? f('composition-params.yaml', [withParams(compositions[0]!, o.params)]) : infraCompositionFile(compositions[0]!);
  const args2 = [
    o.infraStatus ? f('infra.yaml', [infraIn]) : use(ex?.infra.xr, [infraIn], 'infra.yaml'),
    o.params ? selected : ex && linkTarget(ex.infra.composition) === selected ? ex.infra.composition : selected,
    servers.functionsFile,
    '-r',
  ];
  if (ex && !o.params && args2[1] !== ex.infra.composition) stale.push(relative(ROOT, ex.infra.composition));
  if (o.observedComposed?.length) args2.push('-o', f('observed-2.yaml', o.observedComposed));
  const s2 = await run(args2);
  return done(s2.docs, s2.ms, s2.stdout);
}

/** A generated Composition with its function-kcl step's KCLInput spec.params set. */
export function withParams(composition: Obj, params: Obj): Obj {
  const [kcl, ...rest] = composition.spec.pipeline as Obj[];
  return { ...composition, spec: { ...composition.spec, pipeline: [{ ...kcl, input: { ...kcl!.input, spec: { ...kcl!.input.spec, params } } }, ...rest] } };
}

/** Where a link points (absolute), or undefined for anything but a link. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? join(dirname(file), readlinkSync(file)) : undefined;
  } catch {
    return undefined;
  }
}

export const infraCompositionFile = (c: Obj): string => join(INFRA_COMPOSITIONS, `${c.metadata.name}.yaml`);

/** One file of an example folder: YAML text, or a relative link to a file elsewhere in the repository. */
export type ExampleEntry = { text: string } | { link: string };

/** What examples/render/<name>/ should hold, given the claim and its stage-1 render. */
export function exampleContents(name: string, claim: Claim, stage1: Obj[]): Map<string, ExampleEntry> {
  const ex = exampleFiles(name);
  const src = `examples/claims/${name}.yaml`;
  const gen = (what: string) => `# ${what}.\n# Generated from ${src} by \`npm run render -- --write-examples\`. Do not edit.\n`;
  const link = (from: string, to: string): ExampleEntry => ({ link: relative(dirname(from), to) });
  const out = new Map<string, ExampleEntry>([
    [ex.xr, { text: gen('The claim as Crossplane hands it to function-scai: its XR') + toYaml([claim.xr]) }],
    [ex.required, { text: gen('The CloudProvider the claim names, as its XR: the required resource function-scai asks for') + toYaml([claim.cloudProvider]) }],
    [ex.composition, link(ex.composition, DEPLOYMENT_COMPOSITION)],
    [ex.functions, link(ex.functions, FUNCTIONS_FILE)],
  ]);
  const infra = infraXr(stage1);
  const comps = infra ? selectCompositions(infra) : [];
  if (infra && comps.length === 1) {
    out.set(ex.infra.xr, { text: gen(
          'Stage 2: the XInfrastructure that ../xr.yaml composes (stage 1), as an XR. spec.app.commit and\n' +
            '# spec.inputsHash name the commit function-scai analysed: a render of ../xr.yaml in a git checkout\n' +
            '# shows its HEAD there (the image tag follows); the e2e leaves them out of its staleness check',
        ) + toYaml([infra]) });
    out.set(ex.infra.composition, link(ex.infra.composition, infraCompositionFile(comps[0]!)));
    out.set(ex.infra.functions, link(ex.infra.functions, FUNCTIONS_FILE));
  }
  return out;
}

/** What is on disk below an example folder, in the shape of exampleContents. */
export function exampleOnDisk(name: string): Map<string, ExampleEntry> {
  const out = new Map<string, ExampleEntry>();
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, { link: readlinkSync(p) });
      else if (st.isDirectory()) walk(p);
      else out.set(p, { text: readFileSync(p, 'utf8') });
    }
  };
  walk(exampleFiles(name).dir);
  return out;
}

const header = (text: string): string => /^(#.*\n)*/.exec(text)![0];
const sameEntry = (a: ExampleEntry | undefined, b: ExampleEntry | undefined): boolean =>
  !!a && !!b && ('link' in a || 'link' in b ? isDeepStrictEqual(a, b) : a.text === b.text || (header(a.text) === header(b.text) && sameDocs(yamlDocs(a.text), yamlDocs(b.text))));

/** The files of examples/render/<name>/ that differ from `want` (missing, different, or extra). */
export function staleExampleFiles(name: string, want: Map<string, ExampleEntry>): string[] {
  const have = exampleOnDisk(name);
  return [...new Set([...want.keys(), ...have.keys()])].filter((p) => !sameEntry(want.get(p), have.get(p))).map((p) => relative(ROOT, p)).sort();
}

/** Every example claim's name (examples/claims/<name>.yaml). */
export const exampleNames = (): string[] =>
  readdirSync(CLAIMS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();

/** Rewrites examples/render/ from the claims: one folder per claim, nothing else. */
export async function writeExamples(servers: FunctionServers, dir: string, log: (line: string) => void): Promise<void> {
  const names = exampleNames();
  for (const n of readdirSync(EXAMPLES_DIR, { withFileTypes: true })) {
    if (!names.includes(n.name)) rmSync(join(EXAMPLES_DIR, n.name), { recursive: true, force: true });
  }
  for (const name of names) {
    const claim = loadClaim(join(CLAIMS_DIR, `${name}.yaml`));
    const r = await renderPipeline(claim, servers, dir);
    const want = exampleContents(name, claim, r.stage1);
    const have = exampleOnDisk(name);
    for (const [p, e] of have) if (!sameEntry(want.get(p), e)) rmSync(p);
    for (const [p, e] of want) {
      if (sameEntry(have.get(p), e)) continue;
      mkdirSync(dirname(p), { recursive: true });
      if ('link' in e) symlinkSync(e.link, p);
      else writeFileSync(p, e.text);
      log(`wrote ${relative(ROOT, p)}${'link' in e ? ` -> ${e.link}` : ''}`);
    }
    const infraDir = exampleFiles(name).infra.dir;
    if (existsSync(infraDir) && readdirSync(infraDir).length === 0) rmSync(infraDir, { recursive: true });
  }
}

/** What the output of each mode says first: only --observed-ready marks anything Ready, and it says it is simulated. */
export const OBSERVED_READY_NOTE =
  '# --observed-ready: SIMULATED providers. Every composed resource is fed back observed Ready with invented status fields (ARNs, addresses, URLs: scripts/render.ts simulateObserved); nothing was created or checked by a provider';
export const NOTHING_OBSERVED_NOTE = '# nothing observed: no composed resource is Ready (pass --observed-ready to simulate providers reporting them Ready)';

/** Stage-2 renders fed back as observed, at most this many, before the composed resources must stop changing. */
export const MAX_CONVERGE_RENDERS = 8;

/** Composed resources, without the names Crossplane gives resources composed first by the previous render. */
const withoutNames = (docs: Obj[]): Obj[] => composed(docs).map(({ metadata: { name: _n, generateName: _g, ...meta }, ...rest }) => ({ ...rest, metadata: meta }));

/**
 * First render, then providers report everything Ready (simulateObserved): stage 2 is rendered
 * again with its previous output observed until it composes the same resources (each step may add
 * what waited for a report: the image build run once the project exists, the compute once the build
 * is done, the HTTPS listener once the certificate is validated...); `second` and `third` are the
 * last two of those renders. The resulting XInfrastructure is fed back to stage 1 (`ready`).
 */
export async function renderConverged(claim: Claim, servers: FunctionServers, dir: string, example?: ExampleFiles, params?: Obj) {
  const ex = { ...(example ? { example } : {}), ...(params ? { params } : {}) };
  const first = await renderPipeline(claim, servers, dir, ex);
  const xrOut = first.stage1.find((d) => isXr(d, 'XDeployment'));
  if (!first.infra) return { first };
  // Every stage-2 render after the first, with the composed resources it observed.
  const history: Array<{ render: PipelineRender; observed: Obj[] }> = [];
  const step = async (prev: PipelineRender) => {
    const observed = composed(prev.stage2).map(simulateObserved);
    const render = await renderPipeline(claim, servers, dir, { ...ex, xrStatus: xrOut?.status, observedComposed: observed });
    history.push({ render, observed });
    return render;
  };
  let second = await step(first);
  let third = await step(second);
  const steps = [second, third];
  while (!isDeepStrictEqual(withoutNames(third.stage2), withoutNames(second.stage2))) {
    if (steps.length >= MAX_CONVERGE_RENDERS) throw new Error(`stage 2 still changes after ${MAX_CONVERGE_RENDERS} renders with the previous output observed Ready`);
    [second, third] = [third, await step(third)];
    steps.push(third);
  }
  const observed2 = composed(second.stage2).map(simulateObserved);
  const infraOut = third.stage2.find((d) => isXr(d, 'XInfrastructure'));
  const { uid: _uid, ...infraMeta } = third.infra!.metadata;
  const observedInfra = { ...third.infra!, metadata: infraMeta, status: infraOut?.status };
  const observed3 = composed(third.stage2).map(simulateObserved);
  const ready = await renderPipeline(claim, servers, dir, { ...ex, xrStatus: xrOut?.status, observedComposed: observed3, observedInfra });
  return { first, second, third, ready, observed2, observedInfra, steps: steps.length + 1, history };
}

async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith('--'));
  const write = argv.includes('--write-examples');
  if (!file === !write) {
    process.stderr.write('usage: npm run render -- <claim.yaml> [--observed-ready]\n       npm run render -- --write-examples\n');
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'scai-render-'));
  const servers = await startFunctions(dir);
  try {
    const out = process.stdout;
    if (write) {
      await writeExamples(servers, dir, (l) => out.write(`${l}\n`));
      out.write(`examples/render/: ${exampleNames().length} example folders up to date\n`);
      return 0;
    }
    const claim = loadClaim(file!);
    const example = exampleOf(file!);
    const warnStale = (r: PipelineRender) => {
      if (r.stale.length) process.stderr.write(`render: stale, rendered from derived files instead: ${r.stale.join(', ')} (run \`npm run render -- --write-examples\`)\n`);
    };
    // The commands as run, relative to the repository root (the temporary files are the observed state).
    const shown = (a: string) => (a === servers.functionsFile ? 'examples/functions.yaml' : a.startsWith(ROOT) ? relative(ROOT, a) : a.startsWith(dir) ? `<tmp>/${relative(dir, a)}` : a);
    const cmds = (r: PipelineRender) => r.commands.map((c) => `#   crossplane ${c.map(shown).join(' ')}\n`).join('');
    if (argv.includes('--observed-ready')) {
      const r = await renderConverged(claim, servers, dir, example);
      warnStale(r.first);
      const last = r.ready ?? r.first;
      out.write(`${OBSERVED_READY_NOTE} (${r.steps ?? 1} stage-2 renders until nothing changed)\n`);
      out.write(`# stage 1: crossplane render ${file} (Deployment, composition scai-deployment), all composed resources observed Ready (simulated)\n`);
      out.write(toYaml(last.stage1));
      out.write(`---\n# stage 2: crossplane render of the XInfrastructure with ${last.compositions.map((c) => c.metadata.name).join(', ')}\n`);
      out.write(toYaml(last.stage2));
    } else {
      const r = await renderPipeline(claim, servers, dir, example ? { example } : {});
      warnStale(r);
      out.write(`${NOTHING_OBSERVED_NOTE}\n`);
      out.write(`# crossplane render runs (examples/functions.yaml with each target on this run's port):\n${cmds(r)}`);
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
