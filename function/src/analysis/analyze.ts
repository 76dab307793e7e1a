// Entry point of the analyser: reads a repository snapshot and decides what it is and how it
// runs. Pure: no fs, network or clock, so the same snapshot always yields a deep-equal Analysis.
//
// Precedence (first wins):
//   port:          Dockerfile EXPOSE > port in the declared start command > fly.toml or compose port
//                  > port a web-server base image exposes (php:apache) > port in config/code
//                  > framework default (web only); port.ts has the whole order
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
import { systemdDaemon } from './service-unit.js';
import { staticFileServer } from './static-file-server.js';
import { conventionalStartCommand } from './conventions.js';
import { appService, type DockerfileFacts, composeServiceBesideImage, developmentTarget, OTHER_PROTOCOL_PORTS, staticWebRootImage, developmentComposeBuild, dockerfileBesideManifest, findCompose, findDockerfile, isDevelopmentBuild, jvmDockerFolderBuild, servletContainerBase, webServerBase } from './docker.js';
import { compare, ev, normalizeEvidence } from './evidence.js';
import { fileOf } from './text.js';
import { defaultPortOf } from './frameworks.js';
import { deploymentFacts } from './deployment-facts.js';
import { BROWSER_SCRIPTS_RULE, decideKind } from './kind.js';
import { analyzeGo } from './manifests/go.js';
import { analyzeNode, deployedWorkspacePackage, enteredWorkspacePackage, shippedWorkspacePackage, withWorkspacePackage } from './manifests/node.js';
import { analyzePython } from './manifests/python.js';
import { analyzeRuby } from './manifests/ruby.js';
import { type Language, type Located, type ManifestFacts } from './model.js';
import { flyProcesses } from './fly.js';
import { kamalRoles } from './kamal.js';
import { detectPlatforms, HOSTED_FUNCTION_PLATFORMS } from './platforms.js';
import { parseProcfile, procfileRunPort, procfileServices } from './procfile.js';
import { servedPythonFramework } from './python-served-app.js';
import { renderStartCommand } from './render-blueprint.js';
import { healthCheckPathInCode, phpFrontController, portInCommand, runsHttpServer, serveCall, staticEntry, rootPage } from './source-scan.js';
import { frameworkDefaultPort, resolvePort } from './port.js';
import { commentedOutStores, connectedChatBot, dependencyAdapter, hasEmbeddedSql, jvmBaseConfigFileDatabase, localFileStorageChoice, objectStoreOptIn, railsS3Uploads } from './traits.js';
import { laravelStoresNothingSelects } from './laravel-stores.js';
import { modelFieldsInS3 } from './python-storages.js';
import { cargoSqliteFeature, integrationDrivers, deploymentTexts, nodeSqliteUnlessVariableSet, phpPdoServer, phpConfigDatabaseType, phpDatabaseExtension, phpNativeDriverServer, codeDefaultsToSqliteFile, jvmCacheLeavesRedisOut, configSelectsSqlite, deploymentSelectsSqlite, djangoSettingsUseSqlite, djangoSqliteUnlessVariableSet, redisBehindInMemoryProviders, imageSelectsSqlite, jobsFromDependencies, namesSqlServer, optInStores, optionalSqlServers, perEngineDatabaseConfigs, perEngineServerSchemas, schedulersFromDependencies, serverUrlCommentedOut, servicesFromCompose, servicesFromConfig, servicesFromDependencies, sqlServersTheAppLeavesCommentedOut, sqlServersTheComposeEngineRulesOut, sqlServersTheConfigRulesOut, sqlServersTheEnvLeavesOut, storesFromChartDependencies, storesTheComposeCommentsOut, storesTheComposeLeavesOut, storesSwitchedOff, storesTheImageConfigLeavesOut, unconfiguredBrokerExtras, unconfiguredObjectStore, unselectedStoreAdapters, unconfiguredSearchEngines, unusedDotnetProviders } from './stateful.js';
import { resolveLanguageVersion } from './version-files.js';
import { choosePrimary } from './primary.js';
import { buildFileLanguage, countedUnreadLanguage } from './manifest-languages.js';
import { nativeLanguage, nativeProgram, nativeServerCall } from './native.js';
import { isTestOrVendored, SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { fromImageView, imageView } from './image-view.js';
import { composeRunsOwnImage, firstPartyServices, pulledImageBuild, runsSupervisor, storesBuiltHere, storesFromManifests, storesInImage, webServerInFront } from './services.js';
import { codeServices } from './entry-service.js';
import { jibImage } from './jib.js';
import { playPlugin, playPort, sbtDockerImage } from './sbt.js';
import { hostFrameworkApp } from './host-framework-app.js';
import { rackupApp } from './rack-app.js';
import { POCKETBASE_DEFAULT_PORT, pocketBaseHttpPort, pocketBaseRequirement } from './pocketbase.js';
import { composeRunOfPrefixImage, conventionContext, declaredStart, ENTRY_IMAGE_START, START_SCRIPT, entryImageCommand, foldersEnteredByScript, portInGunicornConfig, portInStartedScript, runScriptNamed, commandRuns } from './start-command.js';

export interface AnalyzeOptions {
  /** The claim's prompt: names the app of a monorepo when `path` does not. */
  prompt?: string;
}

/** The analyser as the pipeline receives it (injected, so tests can count or replace it). */
export type Analyzer = (snapshot: RepoSnapshot, opts?: AnalyzeOptions) => Analysis;

/** HTTP servers of a language's standard library: no framework chosen to serve a web app, often an optional side listener. */
const STDLIB_HTTP = new Set(['node-http', 'go-net-http']);

/**
 * What the repository holds and how it runs. A monorepo (workspace root, or no app at the root
 * but apps below) is resolved to one app — the only one, or the one the prompt names — and
 * otherwise comes back as kind unknown with `monorepo.candidates` for the caller to ask about.
 */
export function analyzeRepository(snapshot: RepoSnapshot, opts: AnalyzeOptions = {}): Analysis {
  return analyzeMonorepo(snapshot, opts.prompt, analyzeApp);
}

/** Analyses the snapshot as one app (read as its image sees it when its manifests sit in a copied folder). */
export function analyzeApp(snapshot: RepoSnapshot): Analysis {
  const view = imageView(snapshot);
  return view ? fromImageView(view, snapshot, analyzeFolder(view.snapshot)) : analyzeFolder(snapshot);
}

function analyzeFolder(snapshot: RepoSnapshot): Analysis {
  const commit = snapshot.commit === undefined ? {} : { commit: snapshot.commit };
  if (snapshot.files.size === 0) {
    return { ...commit, ...EMPTY, evidence: normalizeEvidence([ev('kind unknown', 'rule:empty-snapshot'), ...(snapshot.notes ?? [])]) };
  }
  const evidence: Evidence[] = [...(snapshot.notes ?? [])];
  let node = analyzeNode(snapshot);
  const go = analyzeGo(snapshot);
  const manifests = new Map<Language, ManifestFacts>();
  for (const facts of [analyzePython(snapshot), node, go, analyzeRuby(snapshot), analyzeRust(snapshot), analyzeJvm(snapshot), analyzePhp(snapshot), analyzeDotnet(snapshot), analyzeElixir(snapshot)]) {
    if (facts) manifests.set(facts.language, facts);
  }
  const serverless = detectServerless(snapshot);
  const compose = findCompose(snapshot);
  const firstParty = firstPartyServices(snapshot, compose);
  const ownServices = new Set(firstParty.map((s) => s.name));
  // The app among them is one that runs code, not a static front-end's nginx image beside it.
  const appServices = codeServices(snapshot, compose, (s) => ownServices.has(s.name));
  const composeApp = appService(compose, appServices);
  // Compose may pull the app's published image (`org/app-gateway`) instead of building it: gateway/Dockerfile is that image.
  const dockerfile =
    findDockerfile(snapshot, compose, appServices) ??
    pulledImageBuild(snapshot, composeApp) ??
    dockerfileBesideManifest(snapshot, [...manifests.values()].flatMap((m) => m.manifests.slice(0, 1))) ??
    jvmDockerFolderBuild(snapshot);
  // A workspace root whose image ships one package's server build: that package's dependencies are the app's.
  // (What the shipped stage copies from the build context counts as much as what it takes from a build stage: `COPY server/src ./src`.)
  const shippedFromContext = (dockerfile?.copied ?? []).filter((c) => c.shipped).map((c) => ({ value: c.value, source: c.source }));
  // (Only when what it takes from build stages names none.)
  const fromStages = node && dockerfile?.shippedPaths ? (shippedWorkspacePackage(snapshot, node, dockerfile.shippedPaths) ?? deployedWorkspacePackage(snapshot, node, snapshot.files.get(dockerfile.path) ?? '', dockerfile.shippedPaths)) : undefined;
  const shippedPackage = fromStages ?? (node && shippedFromContext.length > 0 ? shippedWorkspacePackage(snapshot, node, shippedFromContext, true) : undefined);
  // …or the package whose folder the image's start script changes into to run it (`cd server` in entrypoint.sh).
  const enteredPackage = node && !shippedPackage && dockerfile?.command ? enteredWorkspacePackage(snapshot, node, foldersEnteredByScript(snapshot, dockerfile.command.value, dockerfile)) : undefined;
  const runPackage = shippedPackage ?? enteredPackage;
  if (node && runPackage) {
    // The image runs another package than the one the root start script runs (`cd client && npm start`): that one's dependencies are not the app's.
    const delegated = node.workspacePackage !== undefined && node.workspacePackage !== runPackage.dir ? `${node.workspacePackage}/` : undefined;
    if (delegated) node = { ...node, dependencies: node.dependencies.filter((d) => !d.source.startsWith(delegated)), devDependencies: node.devDependencies.filter((d) => !d.source.startsWith(delegated)) };
    node = withWorkspacePackage(node, runPackage);
    manifests.set('node', node);
    if (shippedPackage) evidence.push(ev(`the image ships workspace package ${shippedPackage.dir}`, shippedPackage.source));
    if (enteredPackage) evidence.push(ev(`the image's start script runs package ${enteredPackage.dir}`, enteredPackage.source));
  }
  const procfile = parseProcfile(snapshot);
  for (const facts of manifests.values()) evidence.push(...facts.notes);
  if (compose) evidence.push(...compose.notes);

  // Language and framework.
  const chosen = choosePrimary(snapshot, manifests, dockerfile, node, go);
  // A C or C++ build at the root (CMakeLists.txt, configure.ac …) is that code's manifest: it outranks counting another
  // language's files (a C daemon's Python scripts), and its `main` is the program that runs.
  // (Not over PHP with a composer.json of its own in a folder, `web/composer.json`: that PHP app has a manifest too.)
  // (PHP counted or read from a manifest, whichever language is reported: its front controller and config still speak.)
  const phpCode = chosen.language?.value === 'php';
  const countedPhpApp = phpCode && [...snapshot.files.keys()].some((p) => p.endsWith('/composer.json') && !isTestOrVendored(p));
  // (It does outrank a pyproject.toml with no Python code beside it, `py-modules = []` for a C++ project's build scripts: a
  // manifest of tooling, not of an app.)
  const codelessPython = chosen.language?.value === 'python' && sourceFiles(snapshot, SOURCE_EXTENSIONS.python).length === 0;
  const counted = (!chosen.language || chosen.language.source === 'rule:file-extensions' || codelessPython) && !countedPhpApp;
  const native = counted ? nativeLanguage(snapshot) : undefined;
  const nativeMain = native ? nativeProgram(snapshot) : undefined;
  // …and so is a root build file of an ecosystem read no further (rebar.config, build.sbt): it names the language.
  // …or, with no such file, that language's files outnumbering the counted language's twice over.
  const buildFile = counted && !native ? buildFileLanguage(snapshot) : undefined;
  const byCount = counted && !native && !buildFile ? countedUnreadLanguage(snapshot, chosen.language) : undefined;
  const named = native ?? buildFile ?? byCount?.language;
  if (byCount) evidence.push(ev(`language ${byCount.language.value}: ${byCount.why}`, byCount.language.source));
  const { language } = named ? {} : chosen;
  let { framework } = named ? {} : chosen;
  const primary = language ? manifests.get(language.value) : undefined;
  // A Vite SPA: vite builds it (a dev dependency), no server framework runs it: static files.
  // Other single-page-app build tools (Vue CLI, Create React App, Angular CLI, Parcel) build static files too.
  const nodeDeps = node ? node.devDependencies.concat(node.dependencies) : [];
  const spaTool = language?.value === 'node' && !framework ? nodeDeps.find((d) => SPA_BUILD_TOOLS.has(d.name)) : undefined;
  const generator = language?.value === 'node' && !framework ? nodeDeps.find((d) => STATIC_SITE_GENERATORS.has(d.name)) : undefined;
  const staticBuild = (spaTool && SPA_ENTRIES.some((p) => snapshot.files.has(p)) ? spaTool : undefined) ?? generator;
  // …or an express server that only serves the repository's files (`npm start` runs `app.use(express.static('.'))`), with no image.
  const staticServer = language?.value === 'node' && framework?.name === 'express' && !dockerfile ? staticFileServer(snapshot, node?.startScript?.value) : undefined;
  if (staticServer) {
    evidence.push(ev('framework express set aside: it only serves the repository\'s files', staticServer));
    framework = undefined;
  }
  // …or a Node build with no framework whose image only copies its output into nginx's document root (a grunt or webpack site).
  const staticImage = language?.value === 'node' && !framework && !staticBuild && !staticServer && dockerfile ? staticWebRootImage(snapshot, dockerfile) : undefined;
  if (staticBuild?.name === 'vite') {
    framework = { name: 'vite', defaultPort: 0, source: staticBuild.source, outranked: [], ...(staticBuild.version ? { version: staticBuild.version, versionSource: staticBuild.source } : {}) };
  }
  // Two Python web frameworks declared: the one whose app object the image's (or Procfile's) server command serves is the app's.
  const servedFramework = language?.value === 'python' && framework?.outranked.length ? servedPythonFramework(snapshot, dockerfile?.command?.value ?? procfile.get('web')?.value ?? '', dockerfile) : undefined;
  if (framework && servedFramework && framework.outranked.includes(servedFramework.value)) {
    const dependency = primary?.dependencies.find((d) => d.name === servedFramework.value);
    framework = { name: servedFramework.value, defaultPort: defaultPortOf(servedFramework.value) ?? framework.defaultPort, source: dependency?.source ?? servedFramework.source, outranked: [], ...(dependency?.version !== undefined ? { version: dependency.version, versionSource: dependency.lockSource ?? dependency.source } : {}) };
    evidence.push(ev(`the server command serves a ${servedFramework.value} app object`, servedFramework.source));
  }
  // A standard-library HTTP listener in the code of an image that exposes only other protocols' ports (a mail server's
  // optional API) is a side listener: the app is the protocol server, not a web app.
  if (dockerfile?.otherProtocolsOnly && framework && STDLIB_HTTP.has(framework.name)) {
    evidence.push(ev(`framework ${framework.name} set aside: the image exposes only other protocols' ports`, dockerfile.otherProtocolsOnly));
    framework = undefined;
  }
  const languageName = named?.value ?? primary?.displayLanguage?.value ?? language?.value;
  if (language) evidence.push(ev(`language ${languageName}`, primary?.displayLanguage?.source ?? language.source));
  if (named) evidence.push(ev(`language ${named.value}`, named.source));
  if (nativeMain) evidence.push(ev('a native program: its code defines main', nativeMain));
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
  const dotnetDeps = manifests.get('dotnet');
  const unusedProviders = dotnetDeps ? unusedDotnetProviders(snapshot, servicesFromDependencies('dotnet', dotnetDeps.dependencies)) : new Set<string>();
  // An S3 client is an option when the env template keeps uploaded files on local disk, or lists its settings only commented out.
  const s3Optional = localFileStorageChoice(snapshot) ?? objectStoreOptIn(snapshot, node?.workspacePackage);
  const declaredServices = [...manifests.values()].flatMap((m) => servicesFromDependencies(m.language, m.dependencies).filter((s) => m.language !== 'dotnet' || !unusedProviders.has(s.value)));
  const unsetSearch = unconfiguredSearchEngines(snapshot, declaredServices);
  // A store whose address the env template lists only commented out, and no compose service runs: an opt-in mode.
  const composeRuns = servicesFromCompose(compose);
  const composeStores = new Set(composeRuns.map((s) => s.value));
  // …or one the compose file offers only as a commented-out service.
  const optedOut = new Map([...storesTheComposeCommentsOut(snapshot, compose), ...commentedOutStores(snapshot, node?.workspacePackage)]);
  const optOut = (v: string) => optedOut.has(v) && !composeStores.has(v);
  // …or nothing in the deployment's files or environment names a bucket: the storage backend is picked at run time.
  const s3Unset = !s3Optional && unconfiguredObjectStore(snapshot, declaredServices);
  const byDependency = declaredServices.filter((s) => !((s3Optional || s3Unset) && s.value === 's3') && !unsetSearch.has(s.value) && !optOut(s.value));
  for (const s of distinct(declaredServices.filter((s) => optOut(s.value)))) evidence.push(ev(`optional ${s.value}: ${optedOut.get(s.value)?.name ?? ''}`, optedOut.get(s.value)?.source ?? s.source));
  for (const s of distinct(declaredServices.filter((s) => unsetSearch.has(s.value)))) evidence.push(ev(`optional ${s.value}: only a client library names it; no env, compose or Spring config file sets its address`, s.source));
  for (const p of unusedProviders) evidence.push(ev(`unused provider ${p}: the code configures another database`, 'rule:dotnet-provider-calls'));
  if (s3Optional && declaredServices.some((s) => s.value === 's3')) evidence.push(ev(`optional s3: ${s3Optional.name}`, s3Optional.source));
  for (const s of distinct(declaredServices.filter((s) => s3Unset && s.value === 's3'))) evidence.push(ev('optional s3: only a client library names it; no env, compose, platform, app or Spring config file names a bucket and no code reads one from the environment', s.source));
  const byCompose = [...composeRuns, ...storesBuiltHere(snapshot, compose), ...storesFromManifests(snapshot), ...storesFromChartDependencies(snapshot), ...storesInImage(snapshot, dockerfile)];
  const s3Fields = language?.value === 'python' ? modelFieldsInS3(snapshot) : language?.value === 'ruby' ? railsS3Uploads(snapshot, deploymentTexts(snapshot, [dockerfile?.path, compose?.path])) : undefined;
  const configured = servicesFromConfig(snapshot, [...snapshot.files.keys()].sort(compare), compose);
  // Plain PHP's own PDO connection names the server when no config file does (a native daemon's PHP web UI's too).
  // (…or, failing that, its config file's database-type setting, the one SQL server's extension composer.json requires,
  // or the one server its code connects to through that server's native extension.)
  const pdoServer = phpCode && !framework && !namesSqlServer(configured) ? (phpPdoServer(snapshot) ?? phpConfigDatabaseType(snapshot) ?? phpDatabaseExtension(snapshot) ?? phpNativeDriverServer(snapshot)) : undefined;
  const byConfig = [...configured, ...(pdoServer ? [pdoServer] : []), ...(s3Fields ? [s3Fields] : [])];
  const sqliteConfig = configSelectsSqlite(snapshot);
  const commentedUrl = serverUrlCommentedOut(snapshot);
  const composeUnwired = sqlServersTheAppLeavesCommentedOut(snapshot, compose, composeApp);
  // SQLite chosen by an ENV of the app's image (`DB_CLIENT=sqlite3`): read once, for the stores and for local state.
  const imageSqlite = imageSelectsSqlite(snapshot, dockerfile?.path);
  // Python's SQLite needs no driver: Django settings configuring it stand for the embedded driver other languages declare.
  // (…or configure a server only when a variable the shipped deployment leaves unset is set.)
  const variableDeployTexts = deploymentTexts(snapshot, [dockerfile?.path, compose?.path]);
  const djangoByVariable = framework?.name === 'django' ? djangoSqliteUnlessVariableSet(snapshot, variableDeployTexts) : undefined;
  const djangoSettingsSqlite = framework?.name === 'django' ? djangoSettingsUseSqlite(snapshot) : undefined;
  const djangoSqlite = djangoSettingsSqlite ?? djangoByVariable;
  // …and so does a Rust SQL crate's sqlite feature.
  // SQLite picked by the environment the deployment runs the app in: the choice is left to config (a server driver is the
  // alternative), and a server the compose file runs beside it is there for the variant that switches engines.
  const deploymentSqlite = deploymentSelectsSqlite(composeApp, imageSqlite);
  // (Python's standard library has SQLite: the deployment choosing it, `DATABASE_URL=sqlite:////data/db.sqlite3`, needs no driver.)
  // (…and a JVM app's base config defaulting its datasource to an embedded database file: H2 or HSQLDB in file mode.)
  const jvmFileDefault = language?.value === 'java' ? jvmBaseConfigFileDatabase(snapshot) : undefined;
  const embeddedSql = hasEmbeddedSql(manifests.values()) || djangoSqlite !== undefined || (language?.value === 'rust' && cargoSqliteFeature(snapshot)) || (language?.value === 'python' && deploymentSqlite !== undefined) || jvmFileDefault !== undefined;
  // …or a SQLite file the Go code gives its database option as the default (`long:"db" default:"tg-spam.db"`).
  // (Read only where it can matter, an embedded driver beside a server one: it scans every Go file.)
  const codeSqlite = embeddedSql && namesSqlServer(byDependency) ? codeDefaultsToSqliteFile(snapshot) : undefined;
  // …or Node code on SQLite unless a variable the deployment leaves unset picks the server (`!process.env.DB_TYPE || …`).
  const nodeSqlite = embeddedSql && namesSqlServer(byDependency) && language?.value === 'node' ? nodeSqliteUnlessVariableSet(snapshot, variableDeployTexts) : undefined;
  // (The server engine those settings name under the unset variable is the option, not the config's choice.)
  const configChoice = djangoByVariable ? byConfig.filter((c) => !(namesSqlServer([c]) && fileOf(c.source) === fileOf(djangoByVariable.source))) : byConfig;
  const optional = optionalSqlServers({ embeddedSql, dependencies: byDependency, compose: byCompose, config: configChoice, perEngineConfigs: perEngineDatabaseConfigs(snapshot), sqliteConfigured: sqliteConfig !== undefined || jvmFileDefault !== undefined || imageSqlite !== undefined || codeSqlite !== undefined || nodeSqlite !== undefined || deploymentSqlite !== undefined || djangoByVariable !== undefined, serverUrlCommentedOut: commentedUrl !== undefined, composeUnwired, deploymentSelectsSqlite: deploymentSqlite !== undefined });
  if (nodeSqlite && optional.size > 0) evidence.push(ev(`optional SQL server: the code runs on SQLite unless ${nodeSqlite.value} is set, which the deployment leaves unset`, nodeSqlite.source));
  if (codeSqlite && optional.size > 0) evidence.push(ev(`optional SQL server: the code's database option defaults to the SQLite file ${codeSqlite.value}`, codeSqlite.source));
  for (const v of composeUnwired) if (optional.has(v)) evidence.push(ev(`optional ${v}: ${compose?.path ?? 'compose'} runs it, but the app's service leaves its database settings commented out and nothing points it at the server`, byCompose.find((s) => s.value === v)?.source ?? compose?.path ?? ''));
  if (djangoSqlite && optional.size > 0) evidence.push(ev(djangoSettingsSqlite ? 'embedded SQLite: the Django settings configure django.db.backends.sqlite3 and no server engine' : `embedded SQLite: the Django settings fall back to django.db.backends.sqlite3; the server engine needs ${djangoSqlite.value}, which the deployment leaves unset`, djangoSqlite.source));
  if (commentedUrl && optional.size > 0) evidence.push(ev(`optional SQL server: the env template leaves ${commentedUrl.value} commented out`, commentedUrl.source));
  const optIn = optInStores(snapshot, byDependency, [...byCompose, ...byConfig]);
  const brokerExtras = unconfiguredBrokerExtras(snapshot, manifests.get('python')?.dependencies ?? []);
  // …and caches/brokers the config file baked into the app's image leaves out (nothing else mentions them).
  const imageConfigLeftOut = storesTheImageConfigLeavesOut(snapshot, dockerfile, language?.value, byDependency, [...byCompose, ...byConfig]);
  // …and drivers of store adapters the deployment's storage-type setting does not select (`STORAGE_TYPE=memcached`).
  const deployTexts = [dockerfile?.path, compose?.path].filter((p): p is string => p !== undefined).map((path) => ({ path, text: snapshot.files.get(path) ?? '' }));
  const unselected = unselectedStoreAdapters(snapshot, deployTexts).filter((s) => byDependency.some((d) => d.value === s.value) && !byConfig.some((c) => c.value === s.value));
  const leftOut = new Set([...storesTheComposeLeavesOut(snapshot, compose, byDependency, byConfig, dockerfile?.volumes), ...optIn.map((s) => s.value), ...brokerExtras.map((s) => s.value), ...imageConfigLeftOut, ...unselected.map((s) => s.value)]);
  const envLeftOut = sqlServersTheEnvLeavesOut(snapshot, compose, byCompose, imageSqlite).filter((s) => ![...byDependency, ...byConfig].some((d) => d.value === s.value));
  // …and, beside it, the server engines' schemas of per-engine Prisma schemas: alternatives the image does not build.
  const alternativeSchemas = imageSqlite ? perEngineServerSchemas(snapshot) : new Set<string>();
  const alternativeSchema = (s: Located<string>) => alternativeSchemas.has(fileOf(s.source));
  // Laravel's Redis and search engines that only a client library or Sail's dev compose names, and nothing selects.
  const laravelUnselected = framework?.name === 'laravel' ? laravelStoresNothingSelects(snapshot).filter((u) => [...byDependency, ...byCompose].some((s) => s.value === u.value) && !byConfig.some((s) => s.value === u.value)) : [];
  // Caches and brokers that serve only a feature switched off by default (the image's ENV or the code's env default).
  // …and Redis when the Go code's providers default to in-process ones and no deployment file mentions Redis.
  const inMemoryRedis = redisBehindInMemoryProviders(snapshot, language?.value, byDependency.filter((s) => ![...byCompose, ...byConfig].some((c) => c.value === s.value)));
  const switchedOffByFlag = storesSwitchedOff(snapshot, dockerfile, language?.value, [...byDependency, ...byCompose].filter((s) => !byConfig.some((c) => c.value === s.value)));
  // …and Redis a JVM app's client library names when its config selects another cache type, nothing else naming Redis.
  const otherCache = [...byCompose, ...byConfig].some((s) => s.value === 'redis') ? undefined : jvmCacheLeavesRedisOut(snapshot, language?.value);
  const switchedOff = [...switchedOffByFlag, ...(inMemoryRedis ? [inMemoryRedis] : []), ...(otherCache ? [otherCache] : [])];
  // SQL servers the drivers name beside the one the app's compose service selects (`SPICEDB_DATASTORE_ENGINE=cockroachdb`).
  const engineRuledOut = new Set(sqlServersTheComposeEngineRulesOut(composeApp, byDependency).map((s) => s.value));
  // …and SQL servers compose runs beside the one the app's configuration selects: an engine matrix, not two databases.
  const configRuledOut = sqlServersTheConfigRulesOut(byConfig, compose, byCompose, byDependency);
  // …and drivers for so many backends that none of them is the app's own store (counting those no other rule set aside).
  const integrations = new Set(integrationDrivers(snapshot, byDependency.filter((s) => !leftOut.has(s.value) && !engineRuledOut.has(s.value) && !optional.has(s.value) && !switchedOff.some((o) => o.value === s.value)), [...byCompose, ...byConfig]).map((s) => s.value));
  const services = distinct([...byDependency.filter((s) => !leftOut.has(s.value) && !engineRuledOut.has(s.value) && !integrations.has(s.value)), ...byCompose, ...byConfig.filter((s) => !alternativeSchema(s))].filter((s) => !optional.has(s.value) && !envLeftOut.some((e) => e.value === s.value) && !laravelUnselected.some((u) => u.value === s.value) && !switchedOff.some((o) => o.value === s.value) && !configRuledOut.some((c) => c.value === s.value)));
  for (const s of distinct(configRuledOut)) evidence.push(ev(`optional ${s.value}: compose runs it beside the SQL server the app's configuration selects`, s.source));
  for (const s of distinct(byDependency.filter((s) => integrations.has(s.value)))) evidence.push(ev(`optional ${s.value}: one of ${integrations.size} backends only drivers name (${[...integrations].sort(compare).join(', ')}); no compose, manifest, config or env file names it`, s.source));
  for (const s of switchedOffByFlag) evidence.push(ev(`optional ${s.value}: every setting of it the code names sits under a feature switch that is off by default`, s.source));
  if (inMemoryRedis) evidence.push(ev('optional redis: the code\'s providers default to in-process ones and no deployment file mentions Redis', inMemoryRedis.source));
  if (otherCache) evidence.push(ev('optional redis: only a client library names it; the config selects another cache type', otherCache.source));
  for (const s of distinct(byDependency.filter((s) => engineRuledOut.has(s.value)))) evidence.push(ev(`optional ${s.value}: only a driver names it; the app's compose service selects another SQL engine`, s.source));
  for (const s of byConfig.filter(alternativeSchema)) evidence.push(ev(`optional ${s.value}: one of the per-engine Prisma schemas, and the image selects SQLite`, s.source));
  for (const u of laravelUnselected) evidence.push(ev(`optional ${u.value}: only a client library or the Sail dev compose names it; no env file or compose service selects it`, u.source));
  for (const s of distinct(envLeftOut)) evidence.push(ev(`optional ${s.value}: compose runs it, but the ${dockerfile && s.source.startsWith(`${dockerfile.path}:`) ? 'image' : 'env template'} selects SQLite and nothing points the app at the server`, s.source));
  for (const s of distinct(byDependency.filter((s) => leftOut.has(s.value) && !imageConfigLeftOut.has(s.value) && ![...optIn, ...brokerExtras, ...unselected].some((o) => o.value === s.value)))) evidence.push(ev(`optional ${s.value}: only a client library names it; ${compose?.path ?? 'compose'} runs the app alone with its data in a volume`, s.source));
  for (const s of distinct(byDependency.filter((s) => imageConfigLeftOut.has(s.value)))) evidence.push(ev(`optional ${s.value}: only a client library names it; the config file the image is built with, the env and compose files and the code's settings do not`, s.source));
  for (const s of unselected) evidence.push(ev(`optional ${s.value}: one of the app's store adapters; the deployment's storage-type setting selects another`, s.source));
  for (const s of optIn) evidence.push(ev(`optional ${s.value}: its address is read with an empty default and no compose file or env template sets it`, s.source));
  for (const s of brokerExtras) evidence.push(ev(`optional ${s.value}: only a task queue's extra names it and nothing configures a broker`, s.source));
  for (const s of distinct([...byDependency, ...byCompose].filter((s) => optional.has(s.value)))) evidence.push(ev(`optional ${s.value}: one of several SQL engines the app supports beside its embedded ${jvmFileDefault ? 'database file' : 'SQLite'}`, s.source));
  if (jvmFileDefault && optional.size > 0) evidence.push(ev('the base config defaults the datasource to an embedded database file (H2, HSQLDB or Derby)', jvmFileDefault.source));
  if (sqliteConfig && optional.size > 0) evidence.push(ev('the app config selects SQLite', sqliteConfig.source));
  else if (imageSqlite && optional.size > 0) evidence.push(ev('the app\'s image selects SQLite', imageSqlite.source));
  for (const j of jobs) evidence.push(ev(`backgroundJob ${j.value}`, j.source));
  for (const s of services) evidence.push(ev(`stateful ${s.value}`, s.source));

  // Declared start command: what the repository itself says to run.
  const nodeScript = language?.value === 'node' ? node?.startScript : undefined;
  // Compose's `command:` runs the root's image only when the service builds from the root (a subfolder is an app of its own).
  // …and not when compose runs a development image the app's production image was chosen over.
  // (…nor when it builds the Dockerfile's development stage, `target: development`: the image that ships runs the last stage's command.)
  const devCompose = (composeApp?.dockerfile !== undefined && dockerfile !== undefined && dockerfile.path !== composeApp.dockerfile && isDevelopmentBuild(composeApp.dockerfile)) || (developmentTarget(snapshot, composeApp) && dockerfile?.command !== undefined);
  // An image whose command is only a runner prefix (`bundle exec`) runs what compose gives its entrypoint script.
  const imageRun = composeRunOfPrefixImage(snapshot, dockerfile, compose);
  // The root compose service's `command:` (a dev compose's is not the deployment's).
  const rootComposeCommand = composeApp?.context === '' && !devCompose ? composeApp.command : undefined;
  // With no Dockerfile, the image a JVM build makes with Jib declares the command (its container entrypoint).
  // The image a build plugin makes with no Dockerfile: Jib's, sbt-native-packager's (their `<ports>`, `dockerExposedPorts` are its EXPOSE).
  const pluginImage = dockerfile ? undefined : manifests.has('java') ? jibImage(snapshot) : languageName === 'scala' ? sbtDockerImage(snapshot) : undefined;
  const declared = declaredStart(imageRun && dockerfile ? { ...dockerfile, command: imageRun } : (dockerfile ?? pluginImage), rootComposeCommand, procfile, nodeScript, node?.packageManager?.value, renderStartCommand(snapshot));
  const goMain = language?.value === 'go' ? go?.mainPackage : undefined;

  // A start command that binds a port (`-p 8080`, `--port 8000`) serves HTTP as surely as an EXPOSE.
  const inlinePort = declared ? portInCommand(declared.text) : undefined;
  // …or the script it runs binds one (an entrypoint script's `exec gunicorn -b 0.0.0.0:8000`), or the
  // compose `command:` the image is given (the arguments its entrypoint script execs), or the gunicorn config file it
  // loads (`gunicorn -c /etc/gunicorn/app.py`, copied in by the Dockerfile). The image's
  // EXPOSE stays first: a script may start several processes (a proxy in front of the app).
  const composeArgs = rootComposeCommand && declared?.command !== rootComposeCommand ? rootComposeCommand : undefined;
  const scriptPort =
    declared && inlinePort === undefined && !dockerfile?.exposedPort
      ? (portInStartedScript(snapshot, declared.text, dockerfile) ?? portInGunicornConfig(snapshot, dockerfile, declared.text) ?? procfileRunPort(snapshot, procfile, declared.text) ?? located(composeArgs && portInCommand(composeArgs.value), composeArgs?.source))
      : undefined;
  const commandPort = scriptPort?.value ?? inlinePort;
  const daemonUnit = systemdDaemon(snapshot);
  // (A Go program embedding PocketBase serves HTTP through PocketBase's `serve`.)
  const pocketBase = language?.value === 'go' ? pocketBaseRequirement(snapshot, manifests.values()) : undefined;
  // (Nothing here runs it: no image, serverless config, compose file, first-party service, systemd unit or platform file, in
  // a snapshot not cut short by its limits. Its cheap checks come first and the platform scan, which reads the most, last.)
  const nothingRunsIt = (): boolean => !dockerfile && !pluginImage && !serverless && !compose && firstParty.length === 0 && !daemonUnit && !cutShort(snapshot) && detectPlatforms(snapshot).length === 0;
  // A Go module with no `package main` builds no program: the web framework it requires serves its importers' programs (an
  // API gateway's library), unless something here deploys it (an image, a platform file, a compose file, its own manifests).
  // (Nor when the snapshot was cut short, where a main may be among the files left out; nor Go functions a platform runs
  // without a main of theirs: Vercel's `api/*.go`, Knative's func.yaml, OpenFaaS' stack.yml, Encore, Google's Functions
  // Framework; nor a program a systemd unit of the repository starts.)
  const programlessModule = language?.value === 'go' && go && !goMain && !goFunctionsWithoutMain(snapshot, go) && nothingRunsIt() ? go.packageHint : undefined;
  // A C or C++ program whose own code opens no server socket and never detaches as a daemon, with no declared command and
  // nothing here running it: a command-line tool.
  // (Asked before the scan of its sources: most native programs ship an image, which settles it.)
  const nativeTool = nativeMain && !declared && nothingRunsIt() && !nativeServerCall(snapshot) ? nativeMain : undefined;
  const rootHtml = rootPage(snapshot);
  const play = languageName === 'scala' ? playPlugin(snapshot) : undefined;
  const rack = languageName === 'ruby' ? rackupApp(snapshot) : undefined;
  let kindDecision = decideKind({
    ...(programlessModule ? { programlessModule } : {}),
    ...(nativeTool ? { nativeTool } : {}),
    framework: staticBuild ? null : (framework?.name ?? null),
    servesHttp: (dockerfile ?? pluginImage)?.exposedPort?.source ?? servletContainerBase(dockerfile)?.source ?? procfile.get('web')?.source ?? (commandPort !== undefined || (declared && runsHttpServer(declared.text)) ? declared?.command.source : undefined) ?? (serverless?.http ? serverless.platform.source : undefined) ?? (phpCode ? (phpFrontController(snapshot) ?? webServerInFront(snapshot, compose, composeApp)) : undefined) ?? (language ? serveCall(snapshot, language.value) : undefined) ?? hostFrameworkApp(snapshot) ?? pocketBase ?? play ?? rack,
    backgroundJobs: [...jobs.map((j) => j.value), ...schedules.map((s) => s.value)],
    entrypoint: declared?.command.source ?? goMain?.source ?? nativeMain ?? primary?.runnable?.source ?? (serverless ? serverless.platform.source : undefined) ?? primary?.entryScript?.source,
    ...(staticBuild ? { staticBuild: staticBuild.source } : {}),
    ...(staticServer ? { staticServer } : {}),
    ...(staticImage ? { staticImage } : {}),
    language: languageName ?? null,
    languageFromFiles: language?.source === 'rule:file-extensions',
    ...(rootHtml ? { rootHtml } : {}),
    staticEntry: staticEntry(snapshot),
    toolingOnly: language?.value === 'node' && node?.toolingOnly === true,
    packageHint: primary?.packageHint,
    // (A split-package monorepo whose root is an app of its own, with an image or a front controller, is that app.)
    ...(primary?.splitPackages && !snapshot.files.has('Dockerfile') && !phpFrontController(snapshot) ? { splitPackages: primary.splitPackages } : {}),
    hasDockerfile: dockerfile !== undefined,
    // (With no compose file, first-party services come from the repository's Kubernetes manifests and charts; with one,
    // a service pulling the package's own published image deploys it.)
    deployedBy: compose ? composeRunsOwnImage(snapshot, compose)?.source : firstParty[0]?.source,
    chatBot: framework ? undefined : connectedChatBot(snapshot, language?.value, manifests.values())?.source,
    daemonUnit: daemonUnit?.source,
  });
  // (Where the kind's evidence sits: a worker found serving a deployment's port below replaces it in place.)
  const kindEvidenceAt = evidence.length;
  evidence.push(...kindDecision.evidence);

  // Port.
  const defaultPort = kindDecision.kind === 'web' && framework ? frameworkDefaultPort(framework.name, defaultPortOf(framework.name) ?? (framework.defaultPort || undefined), dockerfile) : undefined;
  // A Lambda adapter in the dependencies makes the app a function handler: the framework's server default does not apply.
  const handlerAdapter = dependencyAdapter(manifests.values());
  // The root compose may not run the app's image at all (a test service): a compose file beside a subfolder image says how it runs.
  const imageCompose = dockerfile && composeApp?.dockerfile !== dockerfile.path ? composeServiceBesideImage(snapshot, dockerfile.path) : undefined;
  const resolved = resolvePort({
    snapshot,
    language: language?.value,
    dockerfile: dockerfile ?? pluginImage,
    command: declared ? { port: commandPort, source: scriptPort?.source ?? declared.command.source } : undefined,
    composeApp: imageCompose ?? composeApp,
    ...(primary?.manifests[0]?.includes('/') ? { appDir: primary.manifests[0].slice(0, primary.manifests[0].lastIndexOf('/') + 1) } : {}),
    // (A PocketBase app's server is PocketBase's, whatever router its hooks add routes with: echo/v5 before PocketBase 0.23.)
    frameworkDefault: pocketBase && kindDecision.kind === 'web' ? pocketBaseListen(declared?.text, declared?.command.source) : defaultPort !== undefined && framework && !handlerAdapter ? { value: defaultPort, source: `rule:${framework.name}-default-port` } : play && kindDecision.kind === 'web' ? playPort(snapshot) : undefined,
    baseServer: baseServerPort(snapshot, dockerfile, rootComposeCommand?.value),
  });
  evidence.push(...resolved.evidence);
  let port = resolved.port;
  // A program that nothing else showed serving HTTP, for which the deployment or its config names a port (compose publishes it,
  // the config file sets it) serves on it: a web app, not a worker. (Not another protocol's port: a mail or DNS daemon stays one;
  // nor a port only its code or an env template names, which may be a metrics or health listener.)
  // (A program of unknown kind stays so: at a workspace root, what its apps are decides, not a port read across them.)
  // (Nor a PHP app: php-fpm's published 9000 speaks FastCGI to a web server in front, which phpFrontController and webServerInFront read.)
  if (port && kindDecision.kind === 'worker' && language?.value !== 'php' && DEPLOYMENT_PORT_FILE.test(fileOf(port.source)) && !OTHER_PROTOCOL_PORTS.has(port.value)) {
    const workerEvidenceCount = kindDecision.evidence.length;
    kindDecision = { kind: 'web', evidence: [ev('kind web', 'rule:port-the-deployment-names'), ev(`serves http on ${port.value}`, port.source)] };
    evidence.splice(kindEvidenceAt, workerEvidenceCount, ...kindDecision.evidence);
  }
  // Static files are served by whatever hosts them: no port of their own unless a Dockerfile serves them.
  if (port && kindDecision.kind === 'static' && !dockerfile) port = undefined;
  // A library serves nothing itself: a port its code names (Flask's `--port` option default) is its users' apps'. (A platform
  // file's port, fly.toml's or compose's, is a deployment's and stays.)
  if (port && kindDecision.kind === 'library' && !PLATFORM_PORT_FILE.test(port.source)) {
    evidence.push(ev(`no port: a library serves nothing itself (its code names ${port.value})`, port.source));
    port = undefined;
  }
  // Functions of a serverless project answer events, not a port (unless a container image serves them).
  if (port && serverless && !dockerfile) {
    evidence.push(ev(`no port: ${serverless.platform.value} functions are invoked, not listened for`, serverless.platform.source));
    port = undefined;
  }
  if (port) evidence.push(ev(`port ${port.value}`, port.source));

  // Start command: declared, else what the build tool produces, else the framework's convention.
  // A static site's `npm start` is its dev server, not how it runs.
  // (So is it when the image serves the built files itself, keeping the web server's own command.)
  const staticDevServer = kindDecision.kind === 'static' && ((!dockerfile && !procfile.size) || staticImage !== undefined);
  // With no image of its own at the root, the entry service's image says what starts the app.
  const entryImage = dockerfile || declared ? undefined : entryImageCommand(snapshot, composeApp);
  let startCommand = (staticDevServer ? undefined : declared?.command) ?? entryImage ?? (kindDecision.kind !== 'library' && kindDecision.kind !== 'static' ? primary?.startCommand : undefined);
  // (Not a framework's convention when the image keeps an official server base's own command, php:apache's or php:fpm's:
  // that server runs the app, not `php artisan serve`.)
  const baseCommandKept = dockerfile !== undefined && dockerfile.command === undefined && webServerBase(dockerfile) !== undefined;
  if (!startCommand && !baseCommandKept && kindDecision.kind !== 'library' && kindDecision.kind !== 'static') {
    const convention = conventionalStartCommand(framework?.name ?? null, jobs.map((j) => j.value), conventionContext(snapshot, port?.value ?? null, framework, node, goMain ? go : null));
    if (convention) {
      startCommand = { value: convention.command, source: convention.rule };
      if (convention.basedOn) evidence.push(ev(`entrypoint ${convention.basedOn.value}`, convention.basedOn.source));
    }
  }
  // …else an unpackaged Python project's one entry script (its framework's convention, `streamlit run`, comes first).
  if (!startCommand && primary?.entryScript && kindDecision.kind !== 'library' && kindDecision.kind !== 'static') startCommand = { value: `python ${primary.entryScript.value}`, source: primary.entryScript.source };
  if (startCommand) evidence.push(ev(`startCommand ${startCommand.value}`, startCommand.source));
  if (entryImage && startCommand === entryImage && composeApp) evidence.push(ev(`${ENTRY_IMAGE_START} ${composeApp.name}`, entryImage.source));
  if (nodeScript) evidence.push(ev(`${START_SCRIPT} ${nodeScript.value}`, nodeScript.source));
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

  // With no compose or manifest services, a Procfile's process types are the services (one plain process is the default anyway);
  // fly.toml's process groups are the same contract when there is no Procfile to say it.
  // A compose file whose one app service builds a development image (Dockerfile.dev) or syncs the source in (Compose Watch) is a dev environment: it says nothing
  // about how production splits its processes, a Procfile that names several does.
  const devComposeOnly = firstParty.length === 1 && (compose?.services ?? []).some((s) => s.name === firstParty[0]?.name && s.dockerfile !== undefined && (isDevelopmentBuild(s.dockerfile) || s.watched === true));
  const procfileProcesses = firstParty.length === 0 || devComposeOnly ? procfileServices(snapshot, procfile, dockerfile?.command?.value) : [];
  const flyGroups = firstParty.length === 0 && procfileProcesses.length < 2 ? flyProcesses(snapshot) : [];
  // …and so are Kamal's roles (config/deploy.yml `servers:`), when neither says more.
  const roles = (firstParty.length === 0 || devComposeOnly) && procfileProcesses.length < 2 && flyGroups.length < 2 ? kamalRoles(snapshot) : [];
  const processes = flyGroups.length > 1 ? flyGroups : roles.length > 1 ? roles : procfileProcesses;
  // Vercel/Netlify function files beside a server framework the repository's image runs (an Express app mounting
  // api/*.js as routes) are that server's endpoints hosted another way: the server is the service, not each file.
  const hostedBesideServer = serverless !== undefined && HOSTED_FUNCTION_PLATFORMS.has(serverless.platform.value) && framework !== undefined && dockerfile?.command !== undefined;
  const functions = serverless && !hostedBesideServer ? { names: serverless.functions, source: serverless.platform.source } : undefined;
  if (hostedBesideServer) evidence.push(ev(`${serverless.platform.value} functions are endpoints of the ${framework?.name ?? ''} server the image runs`, serverless.platform.source));
  // That development compose splitting web, queue worker and scheduler into services, beside a production image that runs
  // them all under a process supervisor (`supervisord`): the deployment is that one container, the app's service.
  // (A compose `command:` still stands in for a production image that declares none: only the supervisor says one container.)
  const supervisedInImage = composeApp?.dockerfile !== undefined && dockerfile !== undefined && dockerfile.path !== composeApp.dockerfile && developmentComposeBuild(composeApp) && runsSupervisor(dockerfile.command?.value);
  if (supervisedInImage && firstParty.length > 1) evidence.push(ev(`one service: the production image supervises the processes ${compose?.path ?? 'compose'} splits for development`, dockerfile?.command?.source ?? ''));
  const deployed = supervisedInImage ? firstParty.filter((s) => s.name === composeApp.name) : firstParty;
  const deployment = deploymentFacts({ snapshot, language: language?.value, manifests, dockerfile: dockerfile ?? pluginImage, compose, composeApp, firstParty: processes.length > 1 ? processes : deployed, stateful: services.map((s) => s.value), imageSqlite, pocketBase, framework: framework ? { name: framework.name, source: framework.source } : undefined, functions });
  evidence.push(...deployment.evidence);

  // (JavaScript a static site's root page loads names no server language.)
  const browserScripts = kindDecision.evidence.some((e) => e.source === BROWSER_SCRIPTS_RULE);
  if (browserScripts && language) evidence.push(ev(`no server language: the ${languageName} files are scripts the root page ${rootHtml ?? 'index.html'} loads in the browser`, language.source));
  const analysis: Analysis = {
    ...commit,
    kind: kindDecision.kind,
    language: browserScripts ? null : (languageName ?? null),
    framework: framework?.name ?? null,
    dependencies,
    port: port?.value ?? null,
    hasDockerfile: dockerfile !== undefined,
    hasCompose: compose !== undefined,
    stateful: services.map((s) => s.value),
    backgroundJobs: jobs.map((j) => j.value),
    ...deployment.facts,
    evidence: normalizeEvidence(evidence),
  };
  // (…nor a version of it: the browser's scripts have none.)
  if (languageVersion && !browserScripts) analysis.languageVersion = languageVersion.value;
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

/** Platform files whose port is a deployment's: fly.toml, compose files. */
const PLATFORM_PORT_FILE = /^(?:fly\.toml|(?:docker-)?compose[\w.-]*\.ya?ml)(?::\d+)?$/;
/** Files a deployment or the app's own config names its port in: compose and fly.toml, and config files (YAML, TOML, JSON, INI, properties). */
const DEPLOYMENT_PORT_FILE = /(?:^|\/)(?:fly\.toml|(?:docker-)?compose[\w.-]*\.ya?ml|[^/]+\.(?:ya?ml|toml|json|ini|conf|properties)(?:\.(?:example|sample|template|dist))?)$/;

/** Dev dependencies that build a single-page app into static files. */
const SPA_BUILD_TOOLS = new Set(['vite', '@vue/cli-service', 'react-scripts', '@angular/cli', 'parcel', 'parcel-bundler']);
/** Static site generators: their build output is files, whatever their entry page is. */
const STATIC_SITE_GENERATORS = new Set(['vitepress', 'vuepress', '@docusaurus/core', 'gatsby', '@11ty/eleventy', 'hexo']);
const SPA_ENTRIES = ['index.html', 'public/index.html', 'src/index.html'];

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

/** First occurrence of each value, sorted by value. */
function distinct(items: readonly Located<string>[]): Located<string>[] {
  const seen = new Map<string, Located<string>>();
  for (const item of items) if (!seen.has(item.value)) seen.set(item.value, item);
  return [...seen.values()].sort((a, b) => compare(a.value, b.value));
}

/** A number found at a source, as a located value. */
function located(value: number | null | undefined, source: string | undefined): Located<number> | undefined {
  return typeof value === 'number' && source ? { value, source } : undefined;
}

/** The snapshot left files out (size or count limits): what it lacks may be there. */
const cutShort = (snapshot: RepoSnapshot): boolean => (snapshot.notes ?? []).some((n) => n.source === 'rule:snapshot-limits');

/** Go function platforms that run a module's exported handlers with no `package main` of its own. */
const GO_FUNCTION_FILES = ['func.yaml', 'stack.yml', 'stack.yaml', 'encore.app'];
const GO_FUNCTIONS_FRAMEWORK = 'github.com/GoogleCloudPlatform/functions-framework-go';

/** Whether the module is a set of functions a platform runs without a main: Vercel's `api/*.go`, func.yaml, stack.yml, Encore, Google's Functions Framework. */
function goFunctionsWithoutMain(snapshot: RepoSnapshot, go: ManifestFacts): boolean {
  if (GO_FUNCTION_FILES.some((f) => snapshot.files.has(f))) return true;
  if ([...snapshot.files.keys()].some((p) => /^api\/[^/]+\.go$/.test(p) && !p.endsWith('_test.go'))) return true;
  return go.dependencies.some((d) => d.name === GO_FUNCTIONS_FRAMEWORK);
}

/** Where PocketBase's `serve` listens: the `--http` address the start command gives it, else its default. */
function pocketBaseListen(command: string | undefined, source: string | undefined): Located<number> {
  const port = pocketBaseHttpPort(command);
  return port !== undefined && source !== undefined ? { value: port, source } : { value: POCKETBASE_DEFAULT_PORT, source: 'rule:pocketbase-default-port' };
}

/**
 * The port an official web-server base image exposes (php:apache, httpd, nginx, php:fpm), when the container runs that
 * server: it keeps the base command, or its command (compose's, else the image's) or the start script that runs starts
 * the server, and starts no other server in front of it (nginx beside php-fpm).
 */
function baseServerPort(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined, composeCommand: string | undefined): Located<number> | undefined {
  const base = webServerBase(dockerfile);
  const command = composeCommand ?? dockerfile?.command?.value;
  if (!base || command === undefined) return base?.port;
  return commandRuns(snapshot, command, base.runs, dockerfile) && !(base.unlessAlso && commandRuns(snapshot, command, base.unlessAlso, dockerfile)) ? base.port : undefined;
}
