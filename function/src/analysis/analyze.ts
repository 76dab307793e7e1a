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
//   health path:   Dockerfile HEALTHCHECK URL > endpoint a dependency enables (actuator …) > route in code
//                  (only when a port exists)
//   build command: package.json build script > build tool convention (cargo, maven, gradle, dotnet, mix, composer)
import type { Analysis, Evidence, RepoSnapshot } from '../types.js';
import { envVarNames } from './env-vars.js';
import { analyzeDotnet } from './manifests/dotnet.js';
import { analyzeElixir } from './manifests/elixir.js';
import { analyzeJvm } from './manifests/jvm.js';
import { analyzePhp } from './manifests/php.js';
import { analyzeRust } from './manifests/rust.js';
import { analyzeMonorepo } from './monorepo.js';
import { scheduledJobs } from './scheduled.js';
import { detectServerless } from './serverless.js';
import { conventionalStartCommand, type ConventionContext } from './conventions.js';
import { type DockerfileFacts, findCompose, findDockerfile, runtimeOfImage } from './docker.js';
import { compare, ev, normalizeEvidence } from './evidence.js';
import { type DetectedFramework, defaultPortOf, detectFramework } from './frameworks.js';
import { decideKind } from './kind.js';
import { analyzeGo, binaryName, type GoFacts } from './manifests/go.js';
import { analyzeNode, type NodeFacts } from './manifests/node.js';
import { analyzePython } from './manifests/python.js';
import { analyzeRuby } from './manifests/ruby.js';
import { SOURCE_EXTENSIONS } from './files.js';
import { LANGUAGE_ORDER, type Language, type Located, type ManifestFacts } from './model.js';
import { parseProcfile } from './procfile.js';
import {
  djangoProject,
  explicitPortInCode,
  importer,
  jvmConfigPort,
  healthCheckPathInCode,
  languageByExtension,
  nodeEntry,
  portInCommand,
  pythonAppObject,
  staticEntry,
} from './source-scan.js';
import { jobsFromDependencies, schedulersFromDependencies, servicesFromCompose, servicesFromConfig, servicesFromDependencies } from './stateful.js';
import { pinnedVersion } from './version-files.js';

export interface AnalyzeOptions {
  /** The claim's prompt: names the app of a monorepo when `path` does not. */
  prompt?: string;
}

/** The analyser as the pipeline receives it (injected, so tests can count or replace it). */
export type Analyzer = (snapshot: RepoSnapshot, opts?: AnalyzeOptions) => Analysis;

/**
 * What the repository holds and how it runs. A monorepo (workspace root, or no app at the root
 * but apps below) is resolved to one app — the only one, or the one the prompt names — and
 * otherwise comes back as kind unknown with `monorepo.candidates` for the caller to ask about.
 */
export function analyzeRepository(snapshot: RepoSnapshot, opts: AnalyzeOptions = {}): Analysis {
  return analyzeMonorepo(snapshot, opts.prompt, analyzeApp);
}

/** Analyses the snapshot as one app. */
export function analyzeApp(snapshot: RepoSnapshot): Analysis {
  const commit = snapshot.commit === undefined ? {} : { commit: snapshot.commit };
  if (snapshot.files.size === 0) {
    return { ...commit, ...EMPTY, evidence: normalizeEvidence([ev('kind unknown', 'rule:empty-snapshot'), ...(snapshot.notes ?? [])]) };
  }
  const evidence: Evidence[] = [...(snapshot.notes ?? [])];
  const node = analyzeNode(snapshot);
  const go = analyzeGo(snapshot);
  const manifests = new Map<Language, ManifestFacts>();
  for (const facts of [analyzePython(snapshot), node, go, analyzeRuby(snapshot), analyzeRust(snapshot), analyzeJvm(snapshot), analyzePhp(snapshot), analyzeDotnet(snapshot), analyzeElixir(snapshot)]) {
    if (facts) manifests.set(facts.language, facts);
  }
  const serverless = detectServerless(snapshot);
  const dockerfile = findDockerfile(snapshot);
  const compose = findCompose(snapshot);
  const procfile = parseProcfile(snapshot);
  for (const facts of manifests.values()) evidence.push(...facts.notes);
  if (compose) evidence.push(...compose.notes);

  // Language and framework.
  const chosen = choosePrimary(snapshot, manifests, dockerfile, node, go);
  const { language } = chosen;
  let { framework } = chosen;
  const primary = language ? manifests.get(language.value) : undefined;
  // A Vite SPA: vite builds it (a dev dependency), no server framework runs it: static files.
  const viteSpa = language?.value === 'node' && !framework && node?.devDependencies.concat(node.dependencies).find((d) => d.name === 'vite') && snapshot.files.has('index.html') ? node : undefined;
  if (viteSpa) {
    const vite = viteSpa.devDependencies.concat(viteSpa.dependencies).find((d) => d.name === 'vite');
    framework = { name: 'vite', defaultPort: 0, source: vite?.source ?? 'package.json', outranked: [], ...(vite?.version ? { version: vite.version, versionSource: vite.source } : {}) };
  }
  const languageName = primary?.displayLanguage?.value ?? language?.value;
  if (language) evidence.push(ev(`language ${languageName}`, primary?.displayLanguage?.source ?? language.source));
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
  const procCommands = [...procfile.values(), ...(dockerfile?.command ? [dockerfile.command] : [])];
  const schedules = distinct([
    ...[...manifests.values()].flatMap((m) => schedulersFromDependencies(m.language, m.dependencies)),
    ...scheduledJobs(snapshot, procfile, procCommands),
    ...(serverless?.schedules.length ? [{ value: `${serverless.platform.value}-schedule`, source: serverless.schedules[0]?.source ?? serverless.platform.source }] : []),
  ]);
  for (const s of schedules) evidence.push(ev(`scheduledJob ${s.value}`, s.source));
  if (serverless) {
    evidence.push(ev(`serverless ${serverless.platform.value} (${serverless.functions.length} function(s)${serverless.http ? ', http' : ''})`, serverless.platform.source));
    if (serverless.runtime) evidence.push(ev(`serverless runtime ${serverless.runtime.value}`, serverless.runtime.source));
  }
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
    framework: viteSpa ? null : (framework?.name ?? null),
    servesHttp: dockerfile?.exposedPort?.source ?? procfile.get('web')?.source ?? (serverless?.http ? serverless.platform.source : undefined),
    backgroundJobs: [...jobs.map((j) => j.value), ...schedules.map((s) => s.value)],
    entrypoint: declared?.command.source ?? goMain?.source ?? primary?.runnable?.source ?? (serverless ? serverless.platform.source : undefined),
    ...(viteSpa ? { viteSpa: framework?.source ?? 'package.json' } : {}),
    language: language?.value ?? null,
    staticEntry: staticEntry(snapshot),
    packageHint: primary?.packageHint,
    hasDockerfile: dockerfile !== undefined,
  });
  evidence.push(...kindDecision.evidence);

  // Port.
  const commandPort = declared ? portInCommand(declared.text) : undefined;
  const composePort = compose?.services.find((s) => s.built && s.containerPorts.length > 0)?.containerPorts[0];
  const defaultPort = kindDecision.kind === 'web' && framework ? (defaultPortOf(framework.name) ?? (framework.defaultPort || undefined)) : undefined;
  const port: Located<number> | undefined =
    dockerfile?.exposedPort ??
    (commandPort !== undefined && declared ? { value: commandPort, source: declared.command.source } : undefined) ??
    (language ? explicitPortInCode(snapshot, language.value) : undefined) ??
    (language?.value === 'java' ? jvmConfigPort(snapshot) : undefined) ??
    composePort ??
    (defaultPort !== undefined && framework ? { value: defaultPort, source: `rule:${framework.name}-default-port` } : undefined);
  if (port) evidence.push(ev(`port ${port.value}`, port.source));

  // Start command: declared, else what the build tool produces, else the framework's convention.
  let startCommand = declared?.command ?? (kindDecision.kind !== 'library' && kindDecision.kind !== 'static' ? primary?.startCommand : undefined);
  if (!startCommand && kindDecision.kind !== 'library' && kindDecision.kind !== 'static') {
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
  const health = port ? (dockerfile?.healthCheckPath ?? primary?.healthCheckPath ?? healthCheckPathInCode(snapshot)) : undefined;
  if (health) evidence.push(ev(`healthCheckPath ${health.value}`, health.source));

  const buildCommand: Located<string> | undefined =
    language?.value === 'node' && node?.buildScript ? { value: runScriptNamed(node.packageManager?.value, 'build'), source: node.buildScript.source } : primary?.buildCommand;
  if (buildCommand && kindDecision.kind !== 'library') evidence.push(ev(`buildCommand ${buildCommand.value}`, buildCommand.source));
  const envVars = envVarNames(snapshot);
  for (const v of envVars) evidence.push(ev(`envVar ${v.value}`, v.source));
  const composeServices = (compose?.services ?? []).map((s) => ({ name: s.name, ...(s.image ? { image: s.image.value } : s.built ? { image: 'build' } : {}) }));
  for (const s of compose?.services ?? []) evidence.push(ev(`compose service ${s.name}${s.image ? ` (${s.image.value})` : s.built ? ' (built here)' : ''}`, s.source));

  const languageVersion = language ? resolveLanguageVersion(snapshot, language.value, primary, dockerfile) : undefined;
  if (languageVersion) evidence.push(ev(`languageVersion ${languageVersion.value}`, languageVersion.source));
  const packageManager = primary?.packageManager;
  if (packageManager) evidence.push(ev(`packageManager ${packageManager.value}`, packageManager.source));
  if (dockerfile) evidence.push(ev('hasDockerfile', dockerfile.path));
  if (compose) evidence.push(ev('hasCompose', compose.path));

  const analysis: Analysis = {
    ...commit,
    kind: kindDecision.kind,
    language: languageName ?? null,
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
  if (buildCommand && kindDecision.kind !== 'library') analysis.buildCommand = buildCommand.value;
  if (envVars.length) analysis.envVars = envVars.map((v) => v.value);
  if (schedules.length) analysis.scheduledJobs = schedules.map((s) => s.value);
  if (composeServices.length) analysis.composeServices = composeServices;
  if (serverless) analysis.serverless = { platform: serverless.platform.value, functions: serverless.functions };
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
  const frameworks = new Map(present.map((l) => [l, hinted(manifests.get(l)) ?? detectFramework(snapshot, l, manifests.get(l)?.dependencies ?? [], true, manifests.get(l)?.devDependencies ?? [])]));
  const runnable = (l: Language) => (l === 'node' && node?.startScript) || (l === 'go' && go?.mainPackage) || manifests.get(l)?.runnable;
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
  if (framework?.name === 'streamlit') set('streamlitEntry', importer(snapshot, /^\s*import\s+streamlit\b|^\s*from\s+streamlit\b/m, SOURCE_EXTENSIONS.python));
  if (framework?.name === 'sinatra') set('rubyEntry', snapshot.files.has('config.ru') ? { value: 'config.ru', source: 'config.ru' } : importer(snapshot, /^\s*require\s+['"]sinatra['"]/m, SOURCE_EXTENSIONS.ruby));
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

/** A framework the manifest declares itself (.csproj SDK). */
function hinted(facts: ManifestFacts | undefined): DetectedFramework | undefined {
  const hint = facts?.frameworkHint;
  if (!hint) return undefined;
  return { name: hint.name, defaultPort: defaultPortOf(hint.name) ?? 8080, source: hint.source, outranked: [], ...(hint.version ? { version: hint.version, versionSource: hint.source } : {}) };
}

function runScriptNamed(packageManager: string | undefined, script: string): string {
  return packageManager === 'yarn' ? `yarn ${script}` : `${packageManager ?? 'npm'} run ${script}`;
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
