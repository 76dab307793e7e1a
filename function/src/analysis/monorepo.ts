// Monorepos: several apps in one repository. The root is a workspace root (npm/pnpm/yarn
// workspaces, turbo/nx/lerna, go.work, a Cargo workspace, Maven modules, Gradle includes) or holds
// no app itself, and directories below hold manifests of deployable apps. Without
// `repository.path` the analysis picks the only deployable app, or the one the prompt names by
// directory or package name; otherwise it returns the candidates for the caller to ask about.
import { posix } from 'node:path';
import type { Analysis, Evidence, RepoSnapshot } from '../types.js';
import { jibImage } from './jib.js';
import { APP_MANIFEST, appService, findCompose, findDockerfile, imageName, isDockerfile, joinPath, withVariableDefaults, type ComposeService } from './docker.js';
import { onDemandOnly, packageNames, pulledImageBuild } from './services.js';
import { codeServices } from './entry-service.js';
import { compare, ev, normalizeEvidence } from './evidence.js';
import { isReactor, reactorApplication, reactorApplicationDirs, reactorLibraryDirs } from './manifests/maven-reactor.js';
import { serviceOfImage } from './stateful.js';
import { dirOf, escapeRegExp, fileOf, lineAt } from './text.js';
import { COMPOSE_FILE } from './env-vars.js';
import { jsonTable } from './manifests/common.js';
import { toolingOnlyPackage } from './manifests/node.js';
import { systemdDaemon } from './service-unit.js';
import { ENTRY_IMAGE_START, START_SCRIPT } from './start-command.js';
import { holdsFiles, isSourceCode, perSnapshot } from './files.js';

const MANIFEST = /^(?:package\.json|requirements\.txt|pyproject\.toml|Pipfile|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(?:\.kts)?|Gemfile|composer\.json|mix\.exs|Dockerfile|serverless\.ya?ml|[^/]+\.csproj)$/;

// docker/: image build folders of the root app (docker/prod/Dockerfile), not apps of their own.
const NOT_APPS = new Set(['node_modules', 'vendor', 'test', 'tests', 'spec', '__tests__', 'testdata', 'fixtures', 'e2e', 'examples', 'example', 'docs', 'scripts', 'tools', '.github', '.devcontainer', 'docker']);
const MAX_DEPTH = 4;
/**
 * A folder of database migrations or seeds, or a tool moving data between versions (`support/v4-migrator`, `Sync.Migrations`):
 * it runs once, it is not an app. Only names ending so: `migrate-api` and `seed-ui` are apps. (Service names are ONE_SHOT's.)
 */
const DATA_MIGRATION = /(?:^|[-_.])(?:migrators?|migrations?)$|^(?:seeds?|seeders?)$/i;
/** Analysing every candidate costs one analysis each; past this many, only the list is useful. */
const MAX_CANDIDATES = 24;
const DEPLOYABLE = new Set(['web', 'worker', 'static']);

/** Why the root is a workspace root, if it says so. */
export function workspaceRoot(snapshot: RepoSnapshot): Evidence | undefined {
  const has = (p: string) => snapshot.files.has(p);
  for (const file of ['pnpm-workspace.yaml', 'lerna.json', 'nx.json', 'turbo.json', 'go.work', 'rush.json']) if (has(file)) return ev(`workspace root (${file})`, file);
  const pkg = snapshot.files.get('package.json');
  if (pkg !== undefined && /"workspaces"\s*:/.test(pkg)) return ev('workspace root (package.json workspaces)', 'package.json');
  const cargo = snapshot.files.get('Cargo.toml');
  if (cargo !== undefined && /^\[workspace\]/m.test(cargo) && !/^\[package\]/m.test(cargo)) return ev('workspace root (Cargo workspace)', 'Cargo.toml');
  const pom = snapshot.files.get('pom.xml');
  if (pom !== undefined && isReactor(pom)) return ev('workspace root (Maven modules)', 'pom.xml');
  for (const settings of ['settings.gradle', 'settings.gradle.kts']) {
    const text = snapshot.files.get(settings);
    if (text !== undefined && (text.match(/^\s*include\b/gm) ?? []).length > 0 && !has('build.gradle') && !has('build.gradle.kts')) return ev('workspace root (Gradle includes)', settings);
  }
  return undefined;
}

/** Shallowest directories (below the root) holding a manifest, outside test/example/vendored trees. */
export const candidateDirs = perSnapshot((snapshot: RepoSnapshot): readonly string[] => {
  const dirs = new Set<string>();
  for (const path of snapshot.files.keys()) {
    const parts = path.split('/');
    const name = parts.pop() ?? '';
    if (parts.length === 0 || parts.length > MAX_DEPTH || !MANIFEST.test(name)) continue;
    if (parts.some((p) => NOT_APPS.has(p) || p.startsWith('.')) || DATA_MIGRATION.test(parts.at(-1) ?? '')) continue;
    dirs.add(parts.join('/'));
  }
  const sorted = [...dirs].sort(compare);
  return sorted.filter((d) => !sorted.some((o) => o !== d && d.startsWith(`${o}/`)));
});

/** The files of an image recipe: scripts, config and its samples, package lists, docs; a name with no extension (`crontab`, `entrypoint`). */
const RECIPE_FILE = /^(?:[^.]+|.*\.(?:sh|conf|cfg|ini|env|sample|dist|list|ya?ml|toml|json|xml|template|tmpl|j2|txt|md))$/;

/** Whether `dir` holds its Dockerfile and otherwise only scripts and config: an image recipe for code kept elsewhere. */
function imageRecipeOnly(snapshot: RepoSnapshot, dir: string): boolean {
  const prefix = `${dir}/`;
  let image = false;
  for (const p of snapshot.files.keys()) {
    if (!p.startsWith(prefix)) continue;
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (name === 'Dockerfile' && dirOf(p) === dir) image = true;
    else if (MANIFEST.test(name) || !RECIPE_FILE.test(name)) return false;
  }
  return image;
}

export function subSnapshot(snapshot: RepoSnapshot, dir: string): RepoSnapshot {
  const prefix = `${dir}/`;
  const files = new Map<string, string>();
  for (const [path, text] of snapshot.files) if (path.startsWith(prefix)) files.set(path.slice(prefix.length), text);
  return { files, folder: joinPath(snapshot.folder ?? '', dir), ...(snapshot.commit ? { commit: snapshot.commit } : {}) };
}

/** Names a prompt may use for an app: its directory, the directory's last part, its package name. */
function namesOf(snapshot: RepoSnapshot, dir: string): string[] {
  const names = [dir, dir.split('/').pop() ?? dir];
  const pkg = snapshot.files.get(`${dir}/package.json`);
  const pkgName = pkg === undefined ? undefined : /"name"\s*:\s*"(?:@[^/"]+\/)?([^"]+)"/.exec(pkg)?.[1];
  if (pkgName) names.push(pkgName);
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

/** The candidate the prompt names; the longest matching name wins ("api-gateway" over "api"). */
export function pickByPrompt(snapshot: RepoSnapshot, dirs: readonly string[], prompt: string | undefined): { dir: string; name: string } | undefined {
  if (!prompt) return undefined;
  const text = prompt.toLowerCase();
  let best: { dir: string; name: string } | undefined;
  let tie = false;
  for (const dir of dirs) {
    for (const name of namesOf(snapshot, dir)) {
      if (!new RegExp(`(?<![\\w/-])${escapeRegExp(name)}(?![\\w/-])`).test(text)) continue;
      if (!best || name.length > best.name.length) {
        tie = false;
        best = { dir, name };
      } else if (name.length === best.name.length && best.dir !== dir) tie = true;
    }
  }
  return tie ? undefined : best;
}

function prefixed(a: Analysis, dir: string): Evidence[] {
  return a.evidence.map((e) => (e.source.startsWith('rule:') ? e : { fact: e.fact, source: `${dir}/${e.source}` }));
}

/** A directory whose Dockerfile only packages a backing store (`FROM redis`): not an app of the repository. */
function backingStoreImage(snapshot: RepoSnapshot, dir: string): boolean {
  const text = snapshot.files.get(`${dir}/Dockerfile`);
  const from = text === undefined ? undefined : /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/im.exec(text)?.[1];
  return from !== undefined && serviceOfImage(from) !== undefined;
}

/** Deployment files at the root that run the apps together: compose, Kubernetes manifests, a chart. */
const SYSTEM_PLATFORMS = new Set(['compose', 'k8s', 'helm', 'kustomize', 'skaffold']);

/** Platform files of the root itself: at the top level, or manifests in a folder that is not one of the apps. */
function rootPlatforms(root: Analysis, appDirs: readonly string[]): NonNullable<Analysis['platforms']> {
  return (root.platforms ?? []).filter((p) => !p.source.includes('/') || (p.kind !== 'compose' && SYSTEM_PLATFORMS.has(p.kind) && !appDirs.some((d) => p.source.startsWith(`${d}/`))));
}

/** The directory a SAM function is built from (Metadata.DockerContext or CodeUri), when the snapshot holds it. */
function samCodeDir(snapshot: RepoSnapshot): { dir: string; source: string } | undefined {
  for (const file of ['template.yaml', 'template.yml', 'sam.yaml']) {
    const text = snapshot.files.get(file);
    if (text === undefined || !/AWS::Serverless/.test(text)) continue;
    for (const m of text.matchAll(/^\s*(?:DockerContext|CodeUri):\s*['"]?(?:\.\/)?([\w.-][\w./-]*?)\/?['"]?\s*$/gm)) {
      const dir = m[1] ?? '';
      if (dir && dir !== '.' && holdsFiles(snapshot, dir)) return { dir, source: `${file}:${lineAt(text, m.index)}` };
    }
  }
  return undefined;
}

/** A SAM project whose function code lives in a folder: the app's facts from the folder, the platform from the root. */
function withSamCode(snapshot: RepoSnapshot, root: Analysis, analyzeApp: (s: RepoSnapshot) => Analysis): Analysis | undefined {
  const code = root.serverless?.platform === 'aws-sam' ? samCodeDir(snapshot) : undefined;
  if (!code) return undefined;
  const app = analyzeApp(subSnapshot(snapshot, code.dir));
  if (app.kind === 'unknown' && app.language === null) return undefined;
  const adapter = app.serverlessAdapter ?? root.serverlessAdapter;
  return {
    ...app,
    kind: app.kind === 'web' || root.kind === 'web' ? 'web' : app.kind === 'unknown' ? root.kind : app.kind,
    // The template declares the tables and queues; the code declares its drivers.
    stateful: [...new Set([...root.stateful, ...app.stateful])].sort(),
    ...(root.platforms ? { platforms: root.platforms } : {}),
    ...(root.serverless ? { serverless: root.serverless } : {}),
    ...(root.services ? { services: root.services } : {}),
    ...(adapter ? { serverlessAdapter: adapter } : {}),
    ...(root.scheduledJobs?.length ? { scheduledJobs: root.scheduledJobs } : {}),
    evidence: normalizeEvidence([...root.evidence.filter((e) => !/^(?:kind|language|framework|port|startCommand) /.test(e.fact)), ...prefixed(app, code.dir), ev(`function code in ${code.dir}`, code.source)]),
  };
}

/**
 * The framework of the app folder the root compose's entry service runs (built from it, or its image
 * named after it): the service whose port and start command the root reading took.
 */
function entryFramework(snapshot: RepoSnapshot, root: Analysis, apps: readonly { dir: string; analysis: Analysis }[], language: Analysis['language'] | undefined): Analysis['framework'] | undefined {
  const app = entryApp(snapshot, root, apps);
  // Only within the system's language (the entry app's own, for a polyglot system).
  return app && language && app.analysis.language === language ? (app.analysis.framework ?? undefined) : undefined;
}

/**
 * A service built from the folder (`compose:server|server/Dockerfile|`: its context or Dockerfile there), or running the image
 * named for it (`image:org/server`), or named for it.
 */
function runsFolder(s: { name: string; build?: string | undefined }, dir: string): boolean {
  const folder = dir.toLowerCase();
  const last = folder.split('/').pop() ?? folder;
  const within = (path: string | undefined): boolean => path !== undefined && (path.toLowerCase() === folder || path.toLowerCase().startsWith(`${folder}/`));
  const [kind, rest = ''] = (s.build ?? '').split(/:(.*)/s);
  const [context, dockerfile] = rest.split('|');
  return s.name.toLowerCase() === last || (kind === 'compose' && (within(context) || within(dockerfile))) || (kind === 'image' && rest.toLowerCase().split('/').pop() === last);
}

/**
 * The root reading took its port and its start command from one Dockerfile (`server/Dockerfile` EXPOSE and CMD): the image
 * the system's port comes from, so the command it runs is the system's front door too.
 */
function portAndStartFromOneImage(root: Analysis): boolean {
  const portSource = root.evidence.find((e) => /^port /.test(e.fact))?.source;
  const startSource = root.evidence.find((e) => /^startCommand /.test(e.fact))?.source;
  const port = portSource === undefined ? undefined : fileOf(portSource);
  const start = startSource === undefined ? undefined : fileOf(startSource);
  return port !== undefined && port === start && isDockerfile(port);
}

/** The app folder the root compose's entry service runs: built from it, or its image named after it. */
function entryApp(snapshot: RepoSnapshot, root: Analysis, apps: readonly { dir: string; analysis: Analysis }[]): { dir: string; analysis: Analysis } | undefined {
  const own = new Set((root.services ?? []).map((s) => s.name));
  const compose = findCompose(snapshot);
  const entry = appService(compose, codeServices(snapshot, compose, (s) => own.has(s.name)));
  const path = entry?.built ? entry.dockerfile : pulledImageBuild(snapshot, entry)?.path;
  return path === undefined ? undefined : apps.find((a) => path.startsWith(`${a.dir}/`));
}

/** Every first-party service of the root compose pulls one image that the repository builds (its bake target or CI step). */
function onePulledImage(snapshot: RepoSnapshot, root: Analysis): boolean {
  const own = new Set((root.services ?? []).map((s) => s.name));
  const services = (findCompose(snapshot)?.services ?? []).filter((s) => own.has(s.name));
  const builds = new Set(services.map((s) => (s.built ? undefined : pulledImageBuild(snapshot, s)?.path)));
  return services.length > 0 && builds.size === 1 && !builds.has(undefined);
}

/** The folder whose Dockerfile builds the image a compose service pulls under that folder's name (`article_node` → node). */
function pulledFolder(snapshot: RepoSnapshot, s: ComposeService): string | undefined {
  const path = pulledImageBuild(snapshot, s)?.path;
  return path?.includes('/') ? path.slice(0, path.lastIndexOf('/')).replace(/\/docker$/, '') : undefined;
}

/**
 * The root compose's first-party services that run the code of `dir` (web + celery worker both built
 * from `project/`): the chosen app is several processes, whatever its own folder says.
 */
export function servicesBuiltFrom(snapshot: RepoSnapshot, root: Analysis, dir: string): NonNullable<Analysis['services']> {
  const compose = findCompose(snapshot);
  const own = new Set((root.services ?? []).map((s) => s.name));
  const inDir = (c: string | undefined) => c !== undefined && (c === dir || c.startsWith(`${dir}/`));
  const services = (compose?.services ?? []).filter((s) => own.has(s.name));
  // (Built from the root context with the folder's Dockerfile, `dockerfile: web/Dockerfile`, is built from the folder too.)
  const builtHere = (s: ComposeService) => inDir(s.context) || (s.built && s.context === '' && s.dockerfile !== undefined && inDir(dirOf(s.dockerfile)));
  const images = new Set(services.filter((s) => builtHere(s) && s.image).map((s) => s.image?.value));
  return (root.services ?? []).filter((r) => services.some((s) => s.name === r.name && (builtHere(s) || (!s.built && (images.has(s.image?.value) || inDir(pulledFolder(snapshot, s)))))));
}

/** How many sibling apps a folder of one system holds at most: more are a collection of samples, not one system. */
const MAX_SIBLING_APPS = 4;

/**
 * The top-level folders of a root holding no code of its own, when there are two to four of them and each is an app
 * that builds its own image (its own Dockerfile beside its own manifest: `editor/` and `renderer/`, `api/` and `web/`).
 * Nothing else at the root runs them, so they are deployed side by side as one system's services. A root
 * with code files of its own, or with more folders than a system's few services, is left to the monorepo reading.
 */
function siblingImageApps(snapshot: RepoSnapshot): readonly string[] | undefined {
  const paths = [...snapshot.files.keys()];
  if (paths.some((p) => !p.includes('/') && isSourceCode(p))) return undefined;
  const dirs = candidateDirs(snapshot);
  const own = (d: string): boolean => !d.includes('/') && snapshot.files.has(`${d}/Dockerfile`) && paths.some((p) => p.startsWith(`${d}/`) && MANIFEST.test(p.slice(d.length + 1)) && !p.endsWith('/Dockerfile'));
  return dirs.length >= 2 && dirs.length <= MAX_SIBLING_APPS && dirs.every(own) ? dirs : undefined;
}

/** A root package.json of development tooling only (an e2e runner, linters): it runs none of the system's services. */
function rootToolingOnly(snapshot: RepoSnapshot): boolean {
  const pkg = jsonTable(snapshot.files.get('package.json'));
  return pkg !== undefined && toolingOnlyPackage(pkg, (p) => snapshot.files.has(p));
}

export function analyzeMonorepo(snapshot: RepoSnapshot, prompt: string | undefined, analyzeApp: (s: RepoSnapshot) => Analysis): Analysis {
  const root = analyzeApp(snapshot);
  const sam = withSamCode(snapshot, root, analyzeApp);
  if (sam) return sam;
  const workspace = workspaceRoot(snapshot);
  // An app at the root with helper directories (a Rails app with a client/ package.json) is one app;
  // so is a workspace whose root Dockerfile builds the deployable.
  // A root with no manifest of its own whose compose builds several services is a system of apps, not
  // the app whose manifest a reader found a level down.
  const noRootManifest = ![...snapshot.files.keys()].some((p) => !p.includes('/') && MANIFEST.test(p) && !(p === 'package.json' && rootToolingOnly(snapshot)));
  // (Services that all run one pulled image, with their own commands, are one app's processes: frappe/erpnext as backend,
  // workers and scheduler. The repository builds that image; it is no system of app folders.)
  const system = (root.services?.length ?? 0) >= 2 && noRootManifest && !onePulledImage(snapshot, root);
  // Compose at the root building one folder: that folder is the app. When the root reading (its image
  // only) names no framework, the folder's manifests say more; compose's stores and port (platform before
  // framework default) still apply.
  // (Its first-party builds: a proxy built from its config file or a second replica is not another app.)
  const own = new Set((root.services ?? []).map((s) => s.name));
  const composeServices = findCompose(snapshot)?.services ?? [];
  const builds = composeServices.filter((s) => s.built && (own.size === 0 || own.has(s.name)));
  // …or running the image the repository builds from one folder under that folder's name (`article_node` for node/Dockerfile).
  const pulled = own.size === 1 && builds.length === 0 ? composeServices.find((s) => own.has(s.name)) : undefined;
  const pulledDir = pulled ? pulledFolder(snapshot, pulled) : undefined;
  const composeBuilds = !noRootManifest ? undefined : builds.length === 1 && builds[0]?.context ? builds[0].context : pulledDir;
  const readFolder = composeBuilds !== undefined && root.framework === null;
  // A root library crate of a Cargo workspace is not the repository's last word: a member may be its server.
  const rootLibrary = root.kind === 'library' && /^\[workspace\]/m.test(snapshot.files.get('Cargo.toml') ?? '');
  // Nothing at the root but a few sibling apps that each build their own image: the services of one system.
  const siblings = noRootManifest && composeServices.length === 0 ? siblingImageApps(snapshot) : undefined;
  // With no manifest at the root, a root reading that found no framework only guessed from files across the tree: the one
  // folder holding an app manifest says more (a Spring Boot backend one level down, beside the compose folder running its image).
  const guessedLanguage = root.evidence.some((e) => /^language /.test(e.fact) && e.source === 'rule:file-extensions');
  // (A folder holding a Dockerfile alone, `k8s/` or `nginx/`, is no app manifest.)
  const manifestFolders = guessedLanguage && noRootManifest ? candidateDirs(snapshot).filter((d) => holdsFiles(snapshot, d, (p) => APP_MANIFEST.test(p.slice(d.length + 1)))) : [];
  const soleAppFolder = root.framework === null && manifestFolders.length === 1 && candidateDirs(snapshot).length === 1;
  if (!workspace && !system && !readFolder && !siblings && !soleAppFolder && (DEPLOYABLE.has(root.kind) || (root.kind === 'library' && !rootLibrary))) return root;
  // So does the root compose running one service from a Dockerfile at the root (`prod.Dockerfile`: an all-in-one
  // image of the whole repository); one built from an app folder's Dockerfile is that app's image.
  const rootDockerfile = builds.length === 1 && own.size === 1 && builds[0]?.context === '' && !(builds[0].dockerfile ?? '').includes('/');
  // And a root-level Dockerfile variant (`Dockerfile.prod`) that is the only image the repository builds: it runs the workspace.
  const paths = [...snapshot.files.keys()];
  const onlyRootImage = paths.some((p) => !p.includes('/') && p !== 'Dockerfile' && isDockerfile(p)) && !paths.some((p) => p.includes('/') && isDockerfile(p));
  const rootImage = snapshot.files.has('Dockerfile') || rootDockerfile || onlyRootImage;
  if (workspace && root.hasDockerfile && DEPLOYABLE.has(root.kind) && rootImage) return root;
  // …or the root build file has Jib make the image (a root pom's `jib-maven-plugin` with a container entrypoint): the
  // reactor ships as one image, and a `client/` front end beside its modules is part of it, not the app.
  if (workspace && DEPLOYABLE.has(root.kind) && !(jibImage(snapshot)?.path.includes('/') ?? true)) return root;
  // A Maven reactor whose root reading found its one application module: the other modules are its libraries.
  if (workspace && DEPLOYABLE.has(root.kind) && reactorApplication(snapshot)) return root;
  // (A Maven reactor's library modules, which another module depends on, are not apps.)
  const libraries = reactorLibraryDirs(snapshot);
  const found = candidateDirs(snapshot).filter((d) => !libraries.has(d));
  // (With no root compose to run folders together, one holding only an image recipe and its scripts beside a folder with
  // code, `tools_docker/Debian_Uwsgi/`, packages the repository's app another way: a variant of its image, not an app.)
  const variant = (d: string): boolean => composeServices.length === 0 && imageRecipeOnly(snapshot, d);
  const dirs = found.some((d) => !variant(d)) ? found.filter((d) => !variant(d)) : found;
  const reactorApps = reactorApplicationDirs(snapshot);
  if (dirs.length === 0) return root;
  const apps = dirs
    .slice(0, MAX_CANDIDATES)
    .filter((dir) => !backingStoreImage(snapshot, dir))
    .map((dir) => ({ dir, analysis: analyzeApp(subSnapshot(snapshot, dir)) }))
    // (A reactor's application module read alone lacks the starters its libraries bring: still an app.)
    .filter((c) => DEPLOYABLE.has(c.analysis.kind) || reactorApps.has(c.dir));
  // (A library's member CLI or worker does not make the repository an app: only a server does.)
  if (apps.length === 0 || (rootLibrary && !apps.some((a) => a.analysis.kind === 'web'))) return root;
  const candidates = apps.map((a) => a.dir);
  const why = [...(workspace ? [workspace] : [ev('no app at the repository root', 'rule:monorepo-root')]), ev(`monorepo candidates ${candidates.join(', ')}`, 'rule:monorepo-candidates')];
  // (A lone app folder is the app unless the root's compose pulls the published images of a system of two or more services
  // and none of them runs that folder: lago's compose runs api, worker, clock and front from submodules, beside an
  // events-processor. A compose file building from Dockerfiles elsewhere is read against the folders below.)
  const composeSystem = system && (root.services ?? []).every((s) => COMPOSE_FILE.test(fileOf(s.source)) && s.build?.startsWith('image:'));
  const unrunFolder = composeSystem && apps.length === 1 && !(root.services ?? []).some((s) => runsFolder(s, apps[0]?.dir ?? ''));
  const byPrompt = apps.length > 1 ? pickByPrompt(snapshot, candidates, prompt) : undefined;
  const named =
    apps.length === 1 && !unrunFolder ? { dir: apps[0]?.dir ?? '', rule: 'rule:only-app-in-monorepo' } : byPrompt ? { dir: byPrompt.dir, rule: `rule:prompt-names-app (${byPrompt.name})` } : undefined;
  const platforms = rootPlatforms(root, candidates);
  // The root compose builds every candidate folder but runs one of them as a service: the others are only built
  // for alternatives behind profiles or one-shot jobs (a model download). That folder is the app.
  const onDemand = (d: string): boolean => {
    const built = composeServices.filter((s) => s.built && s.context === d);
    return built.length > 0 && built.every(onDemandOnly);
  };
  const composeApp = !named && composeBuilds !== undefined && candidates.includes(composeBuilds) && candidates.every((d) => d === composeBuilds || onDemand(d)) ? { dir: composeBuilds, rule: 'rule:compose-runs-one-app' } : undefined;
  // …or the root compose's one service pulls the image published from one app folder, by that folder's package name.
  const pulledApp = !named && !composeApp && own.size === 1 && builds.length === 0 ? composePullsAppPackage(snapshot, composeServices.find((s) => own.has(s.name)), apps) : undefined;
  // Nothing runs the apps together and none was named: the repository's image may still say which one it ships.
  const runsTogether = !composeApp && !pulledApp && (platforms.some((p) => SYSTEM_PLATFORMS.has(p.kind)) || (root.services?.length ?? 0) >= 2 || (siblings !== undefined && apps.length >= 2));
  const image = !named && !composeApp && !pulledApp && !runsTogether ? (imageShippedApp(snapshot, apps) ?? rootStartRunsApp(root, apps)) : undefined;
  // …or the one app folder the repository ships a systemd unit for: the daemon it deploys (beside an installer CLI).
  const unitApp = !named && !composeApp && !pulledApp && !runsTogether && !image ? daemonUnitApp(snapshot, apps) : undefined;
  const pick = named ?? composeApp ?? pulledApp ?? (image ? { dir: image.dir, rule: image.rule } : undefined) ?? unitApp;
  const chosen = pick && apps.find((a) => a.dir === pick.dir);
  // A compose file or manifests naming two or more of the repository's own services also run the apps together.
  if ((!chosen || !pick) && runsTogether) {
    // The root runs the apps together (compose, manifests): the repository is one system of services.
    // The root's compose or manifests name the services that run (a seeder folder is not one); else every app folder.
    // (A root compose running one service of the repository's own, and nothing else running the apps together, runs one
    // app: its folders are parts of it, a Laravel server and the SPA its build copies into the server's public folder.)
    // (Built here, and not from an app folder, nor running an image named for one: that would be one of the folders.)
    const rootService = root.services?.length === 1 && COMPOSE_FILE.test(fileOf(root.services[0]?.source ?? '')) ? root.services[0] : undefined;
    const composed = rootService ? composeServices.find((s) => s.name === rootService.name) : undefined;
    const oneComposeService = noRootManifest && rootService !== undefined && composed?.built === true && !apps.some((a) => runsFolder(rootService, a.dir)) && platforms.every((p) => p.kind === 'compose');
    const services = (root.services?.length ?? 0) >= 2 || oneComposeService ? (root.services ?? []) : apps.map((a) => ({ name: a.dir, source: a.dir }));
    // (The one app folder the compose system does not run says nothing about the system: the root's reading of its images does.)
    const voters = unrunFolder ? [] : apps;
    const kind = voters.some((a) => a.analysis.kind === 'web') ? 'web' : (voters[0]?.analysis.kind ?? root.kind);
    // The apps' language and framework when they share one (eight Spring Boot services are a Spring Boot system).
    const shared = <K extends 'language' | 'framework'>(k: K): Analysis[K] | undefined => {
      const counts = new Map<Analysis[K], number>();
      for (const a of voters) if (a.analysis[k] !== null) counts.set(a.analysis[k], (counts.get(a.analysis[k]) ?? 0) + 1);
      const [top] = [...counts].sort((x, y) => y[1] - x[1]);
      return top && top[1] * 2 > voters.length ? top[0] : undefined;
    };
    // With no manifest at the root, what the root analysis read from one app's folder (language, commands,
    // versions) is that app's, not the system's.
    const own = <T>(v: T): T | undefined => (system ? undefined : v);
    // One app runs code and the others are static front-ends (an API and its SPA): the system is that
    // app, its language and the start command the root read from its image.
    const codeApps = apps.filter((a) => a.analysis.kind !== 'static');
    const onlyCode = system && apps.length > 1 && codeApps.length === 1 ? codeApps[0] : undefined;
    // (A pair of apps in two languages, a SvelteKit front end beside its Go backend, speaks the language of the app its
    // entry service runs; a system of three or more languages, the voting app's Python, Node and .NET, has none.)
    const entry = apps.length === 2 ? entryApp(snapshot, root, apps) : undefined;
    // (…read from the root's image: a language the root only guessed from file extensions may be the unrun folder's.)
    const imageLanguage = unrunFolder && root.evidence.some((e) => /^language /.test(e.fact) && isDockerfile(fileOf(e.source))) ? root.language : null;
    const language = own(root.language) ?? shared('language') ?? onlyCode?.analysis.language ?? entry?.analysis.language ?? imageLanguage;
    // (…and, for the one app a root compose service runs, the framework of its only folder running code when it speaks the
    // system's language: the Laravel server beside the SPA its build serves.)
    const soleCode = oneComposeService && apps.length > 1 && codeApps.length === 1 ? codeApps[0] : undefined;
    const systemFramework = own(root.framework) ?? shared('framework');
    const soleCodeFramework = systemFramework == null && soleCode && soleCode.analysis.language === language ? soleCode.analysis.framework : null;
    const soleCodeFrameworkEvidence = soleCode && soleCodeFramework !== null ? prefixed(soleCode.analysis, soleCode.dir).filter((e) => e.fact === `framework ${soleCodeFramework}`) : [];
    // …or the start command the root read from the entry service's own image: the system's front door, not one folder's guess.
    // …or from the one image the system's port was read from: the port stays, so the command that image runs beside it does.
    const codeStart = root.startCommand !== undefined && ((onlyCode !== undefined && root.evidence.some((e) => /^startCommand /.test(e.fact) && e.source.startsWith(`${onlyCode.dir}/`))) || root.evidence.some((e) => e.fact.startsWith(ENTRY_IMAGE_START)) || portAndStartFromOneImage(root));
    const { startCommand: _s, buildCommand: _b, languageVersion: _l, frameworkVersion: _f, packageManager: _p, ...rootRest } = root;
    const fromOneApp = (e: Evidence) => system && !(imageLanguage !== null && language === imageLanguage && /^language /.test(e.fact)) && /^(?:language|framework|frameworkVersion|languageVersion|packageManager|startCommand|buildCommand|entrypoint) /.test(e.fact) && !(codeStart && /^startCommand /.test(e.fact));
    return {
      ...(system ? rootRest : root),
      kind,
      ...(codeStart ? { startCommand: root.startCommand } : {}),
      language,
      framework: systemFramework ?? soleCodeFramework ?? entryFramework(snapshot, root, apps, language ?? undefined) ?? null,
      services,
      monorepo: { candidates, chosen: '.' },
      evidence: normalizeEvidence([...root.evidence.filter((e) => !/^kind /.test(e.fact) && !fromOneApp(e)), ev(`kind ${kind}`, 'rule:system-of-apps'), ...(siblings ? [ev(`apps ${siblings.join(', ')} each build their own image`, 'rule:sibling-images')] : []), ...(onlyCode && language !== null ? [ev(`language ${language}: ${onlyCode.dir} is the one app running code beside static front-ends`, 'rule:system-code-app')] : []), ...soleCodeFrameworkEvidence, ...why, ...platforms.map((p) => ev(`apps run together by ${p.kind}`, p.source))]),
    };
  }
  if (!chosen || !pick) {
    // The root's port, commands and health path were read across every app: none of them is "the" app's.
    const { port: _p, startCommand: _s, buildCommand: _b, healthCheckPath: _h, ...rest } = root;
    return {
      ...rest,
      port: null,
      kind: 'unknown',
      monorepo: { candidates },
      evidence: normalizeEvidence([...root.evidence.filter((e) => !/^(?:kind|port|startCommand|healthCheckPath|buildCommand|entrypoint) /.test(e.fact)), ev('kind unknown', 'rule:monorepo-needs-path'), ...why]),
    };
  }
  // Manifests at the root deploy the chosen app too (a k8s/ folder beside php-redis/).
  const shipped = [...(chosen.analysis.platforms ?? []), ...platforms.filter((p) => !(chosen.analysis.platforms ?? []).some((q) => q.kind === p.kind))];
  const fromChosen = servicesBuiltFrom(snapshot, root, chosen.dir);
  // (The compose service running the chosen folder's published image is that app's container: its stores, port and mounts are the app's.)
  const fromPulled = pick === pulledApp;
  const built = chosen.dir === composeBuilds || fromPulled;
  // The only app found is one of several first-party services the root compose builds (the others from folders
  // no candidate covers, such as a sample two levels down): the compose runs them together as one system.
  const rootServices = root.services ?? [];
  const systemServices = pick.rule === 'rule:only-app-in-monorepo' && fromChosen.length > 0 && rootServices.length > Math.max(1, fromChosen.length) ? rootServices : undefined;
  // A container service the root declares (Terraform's App Runner / Cloud Run beside the app folder) runs the only app.
  const rootAdapter = !chosen.analysis.serverlessAdapter && apps.length === 1 && root.serverlessAdapter && !root.serverlessAdapter.source.startsWith(`${chosen.dir}/`) ? root.serverlessAdapter : undefined;
  // The root's image runs the chosen app: its command, port and platform are the app's, and what the root reading
  // found across the shared code (a SQLite schema in a core crate) is the app's state.
  const fromImage = image !== undefined;
  // (A port the root read from another app's folder, the front end's dev server, is not the started app's.)
  const rootPortSource = root.evidence.find((e) => /^port /.test(e.fact))?.source ?? '';
  const rootPort = image?.rule === ROOT_START_RULE && apps.some((a) => a !== chosen && rootPortSource.startsWith(`${a.dir}/`)) ? null : root.port;
  const imagePlatform = fromImage ? (root.platforms ?? []).filter((p) => p.kind === 'dockerfile' && !shipped.some((q) => q.kind === 'dockerfile')) : [];
  return {
    ...chosen.analysis,
    ...(rootAdapter ? { serverlessAdapter: rootAdapter } : {}),
    ...(built || fromImage ? { stateful: [...new Set([...chosen.analysis.stateful, ...root.stateful])].sort(), port: rootPort ?? chosen.analysis.port } : {}),
    ...(fromImage && root.startCommand ? { startCommand: root.startCommand, hasDockerfile: image.rule !== ROOT_START_RULE || root.hasDockerfile || chosen.analysis.hasDockerfile } : {}),
    // (So is the data volume the root compose mounts into the service it builds from the chosen folder, however that folder
    // was chosen: the only app, one named by the prompt, or the one compose runs. The mount is on the chosen app's container.)
    ...(fromImage || built ? { localState: [...(chosen.analysis.localState ?? []), ...(root.localState ?? []).filter((r) => !(chosen.analysis.localState ?? []).some((c) => c.name === r.name))] } : {}),
    platforms: [...shipped, ...imagePlatform],
    ...(systemServices ? { services: systemServices } : fromChosen.length > (chosen.analysis.services?.length ?? 1) ? { services: fromChosen } : {}),
    monorepo: { candidates, chosen: chosen.dir },
    evidence: normalizeEvidence([...prefixed(chosen.analysis, chosen.dir).filter((e) => !((fromImage || fromPulled) && ((rootPort != null && /^port /.test(e.fact)) || (fromImage && root.startCommand && /^startCommand /.test(e.fact))))), ...why, ev(`monorepo app ${chosen.dir}`, pick.rule), ...(fromPulled ? root.evidence.filter((e) => /^(?:port|local state) /.test(e.fact) && !(rootPort == null && /^port /.test(e.fact))) : []), ...(image ? [ev(image.fact, image.source), ...root.evidence.filter((e) => /^(?:startCommand|port|hasDockerfile|local state) /.test(e.fact) && !(rootPort == null && /^port /.test(e.fact)))] : []), ...(rootAdapter ? [ev(`serverless adapter ${rootAdapter.name}`, rootAdapter.source)] : [])]),
  };
}

const ROOT_START_RULE = 'rule:root-start-runs-app-folder';

/** A package or image name compared loosely: Cargo and PyPI treat `-`, `_` and `.` alike, and images use `-`. */
const looseName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * The app folder whose package (package.json, pyproject or crate name) the compose service's pulled image is named after:
 * `joepmeneer/atomic-server` runs server/, the crate atomic-server, not the workspace's cli/ or desktop/ beside it.
 * Only one folder may match, and it must run code (a front end scaffolded under the product's name is not the image);
 * an image the repository is known to build from another folder (a CI build of `backend/Dockerfile`) says that folder, not this.
 * This only decides among folders once the service is known to run the repository's own image.
 */
function composePullsAppPackage(snapshot: RepoSnapshot, service: ComposeService | undefined, apps: readonly { dir: string; analysis: Analysis }[]): { dir: string; rule: string } | undefined {
  if (!service || service.built || !service.image) return undefined;
  const ref = withVariableDefaults(service.image.value);
  const name = looseName(imageName(ref).split('/').pop() ?? '');
  const matching = apps.filter((a) => a.analysis.kind !== 'static' && packageNames(snapshot, a.dir).some((n) => looseName(n) === name));
  const match = matching.length === 1 ? matching[0] : undefined;
  const builtFrom = pulledFolder(snapshot, service);
  return match && (builtFrom === undefined || builtFrom === match.dir) ? { dir: match.dir, rule: `rule:compose-pulls-app-package (${ref})` } : undefined;
}
/** Process runners and backgrounding: a command line that starts several programs. */
const RUNS_SEVERAL = /\b(?:concurrently|npm-run-all|run-p|turbo|nx|lerna)\b|[^&]&(?!&)/;

/**
 * The one candidate whose file the root's own start command runs (`"start": "node packages/backend/dist/main.js"` in a
 * workspace of a backend, a front end and shared code): the repository starts that app; the others are built into it.
 */
function rootStartRunsApp(root: Analysis, apps: readonly { dir: string }[]): { dir: string; rule: string; fact: string; source: string } | undefined {
  // (`npm start` runs the root package's start script: its text names the file.)
  const script = root.evidence.find((e) => e.fact.startsWith(`${START_SCRIPT} `) && fileOf(e.source) === 'package.json')?.fact.slice(START_SCRIPT.length + 1);
  const line = `${root.startCommand ?? ''} ${script ?? ''}`;
  // (A script that runs several programs, `concurrently "node packages/api/…" "vite packages/web"`, starts no one app.)
  if (RUNS_SEVERAL.test(line)) return undefined;
  const words = line.split(/\s+/).map((w) => posix.normalize(w.replace(/^["']|["']$/g, '')).replace(/^\.\//, ''));
  const runs = (dir: string) => words.some((w) => w === dir || w.startsWith(`${dir}/`));
  // (Nested candidates both match `apps/web/admin/x.js`: the deepest is the one it runs.)
  const hits = apps.filter((a) => runs(a.dir)).sort((a, b) => b.dir.length - a.dir.length);
  const hit = hits[0];
  const source = root.evidence.find((e) => /^startCommand /.test(e.fact))?.source;
  if (!hit || !source || !hits.every((a) => a === hit || hit.dir.startsWith(`${a.dir}/`))) return undefined;
  return { dir: hit.dir, rule: ROOT_START_RULE, fact: `the root's start command runs ${script ?? root.startCommand} from ${hit.dir}`, source };
}

/**
 * The one app folder holding a systemd unit that starts a program: the daemon the repository deploys. Not a helper's unit
 * (an agent's) beside a web server without one: the server is no less the app.
 */
function daemonUnitApp(snapshot: RepoSnapshot, apps: readonly { dir: string; analysis: Analysis }[]): { dir: string; rule: string } | undefined {
  const units = apps.map((a) => ({ app: a, unit: systemdDaemon(snapshot, a.dir) })).filter((a) => a.unit !== undefined);
  const [only] = units;
  if (units.length !== 1 || !only?.unit) return undefined;
  if (only.app.analysis.kind !== 'web' && apps.some((a) => a !== only.app && a.analysis.kind === 'web')) return undefined;
  return { dir: only.app.dir, rule: `rule:systemd-unit-runs-app (${only.unit.source})` };
}

/**
 * The one candidate the repository's own image runs: the image at the root or in its docker/ build folder runs its
 * command in that candidate's folder (`WORKDIR /app/apps/remix`), or copies from a build stage a file named like the
 * candidate's built binary (`COPY --from=builder /app/stump_server /app/stump` for a Cargo member whose binary is
 * stump_server). A workspace of clients, tools and one server deploys the server its image runs.
 */
function imageShippedApp(snapshot: RepoSnapshot, apps: readonly { dir: string; analysis: Analysis }[]): { dir: string; rule: string; fact: string; source: string } | undefined {
  const image = findDockerfile(snapshot);
  if (!image || image.path.split('/').length > 2) return undefined;
  // The image's command runs in one app's folder, or a folder inside it (`WORKDIR /app/apps/remix`, a workspace pruned to that app).
  const workdir = `${image.workdir?.value ?? ''}/`;
  const inFolder = image.workdir ? apps.filter((a) => workdir.includes(`/${a.dir}/`)).sort((a, b) => b.dir.length - a.dir.length) : [];
  const folder = inFolder[0];
  // (Nested candidates both match: the deepest is the folder the command runs in.)
  if (folder && inFolder.every((a) => folder.dir.startsWith(`${a.dir}/`) || a === folder) && image.command) return { dir: folder.dir, rule: 'rule:image-runs-in-app-folder', fact: `the root's image runs ${image.command.value} in ${folder.dir}`, source: image.workdir?.source ?? image.path };
  if (!image.shipped) return undefined;
  // A built binary the start command runs by path (`./target/release/stump_server`), not an interpreter (`node server.js`).
  const program = (a: Analysis): string | undefined => {
    const first = a.startCommand?.trim().split(/\s+/)[0] ?? '';
    return first.includes('/') && !/\.(?:js|mjs|cjs|ts|py|rb|php|sh|jar)$/.test(first) ? first.split('/').pop() : undefined;
  };
  const hits = apps.filter((a) => {
    const name = program(a.analysis);
    return name !== undefined && name.length > 2 && image.shipped?.includes(name);
  });
  const hit = hits.length === 1 ? hits[0] : undefined;
  const name = hit && program(hit.analysis);
  return hit && name ? { dir: hit.dir, rule: 'rule:image-ships-app', fact: `the root's image ships ${name}`, source: image.path } : undefined;
}
