// Entry point of the analyser: reads a repository snapshot and decides what it is and how it
// runs. Pure: no fs, network or clock, so the same snapshot always yields a deep-equal Analysis.
//
// Precedence (first wins):
//   port:          Dockerfile EXPOSE > port in the declared start command > port in code/config
//                  > compose port of the built service > framework default (web only)
//   start command: Dockerfile CMD/ENTRYPOINT > Procfile web (then worker) > package.json start
//                  > framework convention
//   language ver.: version-manager file (.python-version …) > manifest (requires-python, engines,
//                  go directive, Gemfile ruby, Gemfile.lock) > Dockerfile FROM tag
//   health path:   Dockerfile HEALTHCHECK URL > route declared in code (only when a port exists)
import type { Analysis, Evidence, RepoSnapshot } from '../types.js';
import { conventionalStartCommand, type ConventionContext } from './conventions.js';
import { type DockerfileFacts, findCompose, findDockerfile, runtimeOfImage } from './docker.js';
import { compare, ev, normalizeEvidence } from './evidence.js';
import { type DetectedFramework, defaultPortOf, detectFramework } from './frameworks.js';
import { decideKind } from './kind.js';
import { analyzeGo, binaryName, type GoFacts } from './manifests/go.js';
import { analyzeNode, type NodeFacts } from './manifests/node.js';
import { analyzePython } from './manifests/python.js';
import { analyzeRuby } from './manifests/ruby.js';
import { LANGUAGE_ORDER, type Language, type Located, type ManifestFacts } from './model.js';
import { parseProcfile } from './procfile.js';
import {
  djangoProject,
  explicitPortInCode,
  healthCheckPathInCode,
  languageByExtension,
  nodeEntry,
  portInCommand,
  pythonAppObject,
  staticEntry,
} from './source-scan.js';
import { jobsFromDependencies, servicesFromCompose, servicesFromConfig, servicesFromDependencies } from './stateful.js';
import { pinnedVersion } from './version-files.js';

export function analyzeRepository(snapshot: RepoSnapshot): Analysis {
  const commit = snapshot.commit === undefined ? {} : { commit: snapshot.commit };
  if (snapshot.files.size === 0) {
    return { ...commit, ...EMPTY, evidence: [ev('kind unknown', 'rule:empty-snapshot')] };
  }
  const evidence: Evidence[] = [];
  const node = analyzeNode(snapshot);
  const go = analyzeGo(snapshot);
  const manifests = new Map<Language, ManifestFacts>();
  for (const facts of [analyzePython(snapshot), node, go, analyzeRuby(snapshot)]) if (facts) manifests.set(facts.language, facts);
  const dockerfile = findDockerfile(snapshot);
  const compose = findCompose(snapshot);
  const procfile = parseProcfile(snapshot);
  for (const facts of manifests.values()) evidence.push(...facts.notes);
  if (compose) evidence.push(...compose.notes);

  // Language and framework.
  const { language, framework } = choosePrimary(snapshot, manifests, dockerfile, node, go);
  const primary = language ? manifests.get(language.value) : undefined;
  if (language) evidence.push(ev(`language ${language.value}`, language.source));
  if (framework) {
    evidence.push(ev(`framework ${framework.name}`, framework.source));
    if (framework.version && framework.versionSource) evidence.push(ev(`frameworkVersion ${framework.version}`, framework.versionSource));
    for (const other of framework.outranked) evidence.push(ev(`framework ${framework.name} preferred over ${other}`, 'rule:framework-precedence'));
  }

  // Dependencies of the primary ecosystem; services and jobs from every ecosystem present.
  const dependencies = (primary?.dependencies ?? []).map((d) => (d.version === undefined ? { name: d.name } : { name: d.name, version: d.version }));
  for (const d of primary?.dependencies ?? []) {
    evidence.push(ev(`dependency ${d.name}${d.version !== undefined && !d.lockSource ? ` ${d.version}` : ''}`, d.source));
    if (d.lockSource && d.version !== undefined) evidence.push(ev(`dependency ${d.name} locked at ${d.version}`, d.lockSource));
  }
  const jobs = distinct([...manifests.values()].flatMap((m) => jobsFromDependencies(m.language, m.dependencies)));
  const services = distinct([
    ...[...manifests.values()].flatMap((m) => servicesFromDependencies(m.language, m.dependencies)),
    ...servicesFromCompose(compose),
    ...servicesFromConfig(snapshot, [...snapshot.files.keys()].sort(compare)),
  ]);
  for (const j of jobs) evidence.push(ev(`backgroundJob ${j.value}`, j.source));
  for (const s of services) evidence.push(ev(`stateful ${s.value}`, s.source));

  // Declared start command: what the repository itself says to run.
  const nodeScript = language?.value === 'node' ? node?.startScript : undefined;
  const declared = declaredStart(dockerfile, procfile, nodeScript, node?.packageManager?.value);
  const goMain = language?.value === 'go' ? go?.mainPackage : undefined;

  const kindDecision = decideKind({
    framework: framework?.name ?? null,
    servesHttp: dockerfile?.exposedPort?.source ?? procfile.get('web')?.source,
    backgroundJobs: jobs.map((j) => j.value),
    entrypoint: declared?.command.source ?? goMain?.source,
    language: language?.value ?? null,
    staticEntry: staticEntry(snapshot),
    packageHint: primary?.packageHint,
    hasDockerfile: dockerfile !== undefined,
  });
  evidence.push(...kindDecision.evidence);

  // Port.
  const commandPort = declared ? portInCommand(declared.text) : undefined;
  const composePort = compose?.services.find((s) => s.built && s.containerPorts.length > 0)?.containerPorts[0];
  const defaultPort = kindDecision.kind === 'web' && framework ? defaultPortOf(framework.name) : undefined;
  const port: Located<number> | undefined =
    dockerfile?.exposedPort ??
    (commandPort !== undefined && declared ? { value: commandPort, source: declared.command.source } : undefined) ??
    (language ? explicitPortInCode(snapshot, language.value) : undefined) ??
    composePort ??
    (defaultPort !== undefined && framework ? { value: defaultPort, source: `rule:${framework.name}-default-port` } : undefined);
  if (port) evidence.push(ev(`port ${port.value}`, port.source));

  // Start command: declared, else the framework's convention.
  let startCommand = declared?.command;
  if (!startCommand && kindDecision.kind !== 'library') {
    const convention = conventionalStartCommand(framework?.name ?? null, jobs.map((j) => j.value), conventionContext(snapshot, port?.value ?? null, framework, node, goMain ? go : null));
    if (convention) {
      startCommand = { value: convention.command, source: convention.rule };
      if (convention.basedOn) evidence.push(ev(`entrypoint ${convention.basedOn.value}`, convention.basedOn.source));
    }
  }
  if (startCommand) evidence.push(ev(`startCommand ${startCommand.value}`, startCommand.source));
  if (nodeScript) evidence.push(ev(`start script ${nodeScript.value}`, nodeScript.source));
  if (language?.value === 'node' && node?.buildScript) evidence.push(ev(`build script ${node.buildScript.value}`, node.buildScript.source));

  // Health check path: only meaningful for something listening on a port.
  const health = port ? (dockerfile?.healthCheckPath ?? healthCheckPathInCode(snapshot)) : undefined;
  if (health) evidence.push(ev(`healthCheckPath ${health.value}`, health.source));

  const languageVersion = language ? resolveLanguageVersion(snapshot, language.value, primary, dockerfile) : undefined;
  if (languageVersion) evidence.push(ev(`languageVersion ${languageVersion.value}`, languageVersion.source));
  const packageManager = primary?.packageManager;
  if (packageManager) evidence.push(ev(`packageManager ${packageManager.value}`, packageManager.source));
  if (dockerfile) evidence.push(ev('hasDockerfile', dockerfile.path));
  if (compose) evidence.push(ev('hasCompose', compose.path));

  const analysis: Analysis = {
    ...commit,
    kind: kindDecision.kind,
    language: language?.value ?? null,
    framework: framework?.name ?? null,
    dependencies,
    port: port?.value ?? null,
    hasDockerfile: dockerfile !== undefined,
    hasCompose: compose !== undefined,
    stateful: services.map((s) => s.value),
    backgroundJobs: jobs.map((j) => j.value),
    evidence: normalizeEvidence(evidence),
  };
  if (languageVersion) analysis.languageVersion = languageVersion.value;
  if (framework?.version !== undefined) analysis.frameworkVersion = framework.version;
  if (packageManager) analysis.packageManager = packageManager.value;
  if (startCommand) analysis.startCommand = startCommand.value;
  if (health) analysis.healthCheckPath = health.value;
  return analysis;
}

const EMPTY: Omit<Analysis, 'evidence'> = {
  kind: 'unknown',
  language: null,
  framework: null,
  dependencies: [],
  port: null,
  hasDockerfile: false,
  hasCompose: false,
  stateful: [],
  backgroundJobs: [],
};

/**
 * The ecosystem the app is written in: the one with a web framework, else background jobs,
 * else the Dockerfile's runtime, else a runnable entry, else the first in LANGUAGE_ORDER.
 * With no manifest at all: the Dockerfile's runtime, else the majority of source files.
 */
function choosePrimary(
  snapshot: RepoSnapshot,
  manifests: ReadonlyMap<Language, ManifestFacts>,
  dockerfile: DockerfileFacts | undefined,
  node: NodeFacts | null,
  go: GoFacts | null,
): { language?: Located<Language>; framework?: DetectedFramework } {
  const dockerRuntime = dockerfile?.images.map((i) => ({ runtime: runtimeOfImage(i.value), source: i.source })).find((r) => r.runtime);
  const present = LANGUAGE_ORDER.filter((l) => manifests.has(l));
  if (present.length === 0) {
    const language: Located<Language> | undefined = dockerRuntime?.runtime
      ? { value: dockerRuntime.runtime.language, source: dockerRuntime.source }
      : languageByExtension(snapshot, LANGUAGE_ORDER);
    if (!language) return {};
    const framework = detectFramework(snapshot, language.value, [], false);
    return framework ? { language, framework } : { language };
  }
  const frameworks = new Map(present.map((l) => [l, detectFramework(snapshot, l, manifests.get(l)?.dependencies ?? [], true)]));
  const runnable = (l: Language) => (l === 'node' && node?.startScript) || (l === 'go' && go?.mainPackage);
  const chosen =
    present.find((l) => frameworks.get(l)) ??
    present.find((l) => jobsFromDependencies(l, manifests.get(l)?.dependencies ?? []).length > 0) ??
    present.find((l) => l === dockerRuntime?.runtime?.language) ??
    present.find(runnable) ??
    present[0]!;
  const language = { value: chosen, source: manifests.get(chosen)?.manifests[0] ?? 'rule:manifest' };
  const framework = frameworks.get(chosen);
  return framework ? { language, framework } : { language };
}

function conventionContext(
  snapshot: RepoSnapshot,
  port: number | null,
  framework: DetectedFramework | undefined,
  node: NodeFacts | null,
  go: GoFacts | null,
): ConventionContext {
  const ctx: ConventionContext = { port };
  const set = <K extends keyof ConventionContext>(key: K, value: ConventionContext[K] | undefined) => {
    if (value !== undefined) ctx[key] = value;
  };
  if (framework?.name === 'flask') set('pythonApp', pythonAppObject(snapshot, 'Flask'));
  if (framework?.name === 'fastapi') set('pythonApp', pythonAppObject(snapshot, 'FastAPI'));
  if (framework?.name === 'django') set('djangoProject', djangoProject(snapshot));
  if (!framework) set('celeryApp', celeryModule(snapshot));
  set('nodeEntry', node ? nodeEntry(snapshot, node.main) : undefined);
  if (go?.modulePath && go.mainPackage) set('goBinary', { value: binaryName(go.modulePath.value), source: go.modulePath.source });
  return ctx;
}

/** `-A` target for celery: the module that builds the Celery app. */
function celeryModule(snapshot: RepoSnapshot): Located<string> | undefined {
  const found = pythonAppObject(snapshot, 'Celery');
  return found ? { value: found.value.split(':')[0] ?? found.value, source: found.source } : undefined;
}

function resolveLanguageVersion(
  snapshot: RepoSnapshot,
  language: Language,
  primary: ManifestFacts | undefined,
  dockerfile: DockerfileFacts | undefined,
): Located<string> | undefined {
  const pinned = pinnedVersion(snapshot, language);
  if (pinned) return pinned;
  if (primary?.languageVersion) return primary.languageVersion;
  // Last matching stage: a builder stage may use a different tag than the runtime one.
  for (const image of [...(dockerfile?.images ?? [])].reverse()) {
    const runtime = runtimeOfImage(image.value);
    if (runtime?.language === language && runtime.version) return { value: runtime.version, source: image.source };
  }
  return undefined;
}

/** What the repository says to run; `text` is what to look for a port in. */
function declaredStart(
  dockerfile: DockerfileFacts | undefined,
  procfile: ReadonlyMap<string, Located<string>>,
  nodeScript: Located<string> | undefined,
  packageManager: string | undefined,
): { command: Located<string>; text: string } | undefined {
  const explicit = dockerfile?.command ?? procfile.get('web') ?? procfile.get('worker');
  if (explicit) return { command: explicit, text: explicit.value };
  if (nodeScript) return { command: { value: runScript(packageManager), source: nodeScript.source }, text: nodeScript.value };
  return undefined;
}

/** `npm start` runs the script with node_modules/.bin on PATH, which the raw script text needs. */
function runScript(packageManager: string | undefined): string {
  return packageManager === 'bun' ? 'bun run start' : `${packageManager ?? 'npm'} start`;
}

/** First occurrence of each value, sorted by value. */
function distinct(items: readonly Located<string>[]): Located<string>[] {
  const seen = new Map<string, Located<string>>();
  for (const item of items) if (!seen.has(item.value)) seen.set(item.value, item);
  return [...seen.values()].sort((a, b) => compare(a.value, b.value));
}
