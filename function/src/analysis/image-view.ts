// The app as its image sees it: a folder whose Dockerfile sits beside a source folder it copies in
// (`COPY ./src ./`) keeps its manifests in that folder. With no manifest of its own, the folder is
// read with the copied folder's files laid over it, the way they land in the image's work dir; the
// evidence then names the files where they are in the repository. A root manifest of another ecosystem
// (a task-runner package.json) gives way when the image's command is built from the copied folder.
import type { Analysis, RepoSnapshot } from '../types.js';
import { type Copied, type DockerfileFacts, findCompose, findDockerfile, joinPath, parseDockerfile, runtimeOfImage } from './docker.js';
import type { Language } from './model.js';
import { normalizeEvidence } from './evidence.js';
import { holdsFiles } from './files.js';
import { dirOf } from './text.js';

const MANIFEST = /^(?:package\.json|requirements\.txt|pyproject\.toml|Pipfile|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(?:\.kts)?|Gemfile|composer\.json|mix\.exs|[^/]+\.[cf]sproj)$/;

export interface ImageView {
  snapshot: RepoSnapshot;
  /** The copied folder, relative to the snapshot. */
  dir: string;
  /** Dockerfile line that copies it. */
  source: string;
}

/** The ecosystem a manifest file belongs to (requirements.txt and pyproject.toml are both Python). */
function ecosystemOf(file: string): string {
  if (/^(?:requirements\.txt|pyproject\.toml|Pipfile)$/.test(file)) return 'python';
  if (/^(?:pom\.xml|build\.gradle(?:\.kts)?)$/.test(file)) return 'jvm';
  return file;
}

/** The manifest ecosystem (ecosystemOf) of each runtime an image can ship. */
const ECOSYSTEM: Record<Language, string> = { node: 'package.json', python: 'python', go: 'go.mod', rust: 'Cargo.toml', java: 'jvm', ruby: 'Gemfile', php: 'composer.json', elixir: 'mix.exs', dotnet: 'dotnet' };

/** Whether a manifest file belongs to a runtime's ecosystem (a `.csproj` to .NET's). */
const ofLanguage = (file: string, language: Language): boolean => ecosystemOf(file) === ECOSYSTEM[language] || (language === 'dotnet' && /\.[cf]sproj$/.test(file));

/** The folder of a copied manifest file (`web/requirements.txt` → `web`). */
function manifestFolder(snapshot: RepoSnapshot, source: string): string | undefined {
  const slash = source.lastIndexOf('/');
  return slash > 0 && snapshot.files.has(source) && MANIFEST.test(source.slice(slash + 1)) ? source.slice(0, slash) : undefined;
}

/**
 * Where a COPY source is in the repository. Sources are relative to the build context: the Dockerfile's folder when
 * nothing says otherwise, but a Dockerfile kept in a folder of its own (`docker/Dockerfile` copying `backend`) is built
 * with the root as context when only the root holds what it copies.
 */
function copiedSource(snapshot: RepoSnapshot, base: string, value: string): string {
  const beside = joinPath(base, value);
  if (base === '') return beside;
  const exists = (path: string): boolean => snapshot.files.has(path) || holdsFiles(snapshot, path);
  const fromRoot = joinPath('', value);
  return !exists(beside) && fromRoot && exists(fromRoot) ? fromRoot : beside;
}

/** The one Dockerfile in a subfolder that the root compose file builds with the repository root as its context. */
function rootContextComposeBuild(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  const paths = new Set((findCompose(snapshot)?.services ?? []).filter((s) => s.built && s.context === '' && s.dockerfile?.includes('/')).map((s) => s.dockerfile ?? ''));
  const [path] = paths;
  const text = paths.size === 1 && path !== undefined ? snapshot.files.get(path) : undefined;
  return path !== undefined && text !== undefined ? parseDockerfile(path, text) : undefined;
}

/** The folder the Dockerfile copies in, when that folder has a manifest and the root has none (or only another ecosystem's, the image's command being built from the folder). */
export function imageView(snapshot: RepoSnapshot): ImageView | undefined {
  const paths = [...snapshot.files.keys()];
  const rootManifests = paths.filter((p) => !p.includes('/') && MANIFEST.test(p));
  // …else the one the root compose file builds from a folder of its own with the root as context (`build: {context: .,
  // dockerfile: pkg/docker/Dockerfile}`): its COPY sources are relative to the root.
  const found = findDockerfile(snapshot);
  const rootBuild = found ? undefined : rootContextComposeBuild(snapshot);
  const dockerfile = found ?? rootBuild;
  if (!dockerfile) return undefined;
  // A root manifest is the app's, unless the image's command is built from a copied folder of another
  // ecosystem: a Go server in a repository whose root package.json only runs tasks.
  if (rootManifests.length > 0 && dockerfile.commandStage === undefined) return undefined;
  const rootEcosystems = new Set(rootManifests.map(ecosystemOf));
  const base = rootBuild ? '' : dirOf(dockerfile.path);
  // A multi-stage build may copy several source folders (a front-end, a back-end): the one built in the
  // stage the image's command comes from is the app; else the one the shipped stage copies itself (a
  // builder stage's folder only hands its build output over, e.g. a front-end the server serves).
  const rank = (c: Copied): number => (c.stage !== undefined && c.stage === dockerfile.commandStage ? 2 : c.shipped ? 1 : 0);
  // (Among equals, a folder of the shipped runtime's ecosystem first: on a python image, the back-end whose requirements
  // a stage exports, not the front-end a node stage builds and hands over as files.)
  const runtime = dockerfile.shippedBase ? runtimeOfImage(dockerfile.shippedBase.value)?.language : undefined;
  // (Folders holding a manifest of that runtime, found once: the sort below asks per copy.)
  const ofEcosystem = (file: string): boolean => runtime !== undefined && ofLanguage(file, runtime);
  const fileName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  const runtimeDirs = new Set(runtime === undefined ? [] : paths.filter((p) => MANIFEST.test(fileName(p)) && ofEcosystem(fileName(p))).map(dirOf));
  const ofRuntimeRank = new Map(
    dockerfile.copied.map((c) => {
      if (runtimeDirs.size === 0) return [c, 0] as const;
      const source = copiedSource(snapshot, base, c.value);
      return [c, runtimeDirs.has(manifestFolder(snapshot, source) ?? source) ? 1 : 0] as const;
    }),
  );
  const ofRuntime = (c: Copied): number => ofRuntimeRank.get(c) ?? 0;
  // The language of the toolchain the command's build stage starts from (`FROM rust:1.95-alpine AS backend`: Cargo.toml's).
  const commandLanguage = dockerfile.commandBase ? runtimeOfImage(dockerfile.commandBase.value)?.language : undefined;
  const copies = [...dockerfile.copied].sort((a, b) => rank(b) - rank(a) || ofRuntime(b) - ofRuntime(a));
  for (const copy of copies) {
    const source = copiedSource(snapshot, base, copy.value);
    if (!source || /[*?$]/.test(source)) continue;
    // A manifest copied alone from a folder (`COPY ./web/requirements.txt .`, the code bind-mounted or copied later): the image's dependencies, so its app, are that folder's.
    const dir = manifestFolder(snapshot, source) ?? source;
    const prefix = `${dir}/`;
    const own = paths.filter((p) => p.startsWith(prefix) && MANIFEST.test(p.slice(prefix.length))).map((p) => p.slice(prefix.length));
    if (own.length === 0) continue;
    // (A folder that also holds a manifest of the root's ecosystem, a package.json of workspace scripts beside Cargo.toml, is still
    // the image's app when the stage building the command is that folder's toolchain and not the root's: `FROM rust AS backend`
    // copying packages/backend under a root package.json.)
    const builtByToolchain = commandLanguage !== undefined && !rootManifests.some((m) => ofLanguage(m, commandLanguage)) && own.some((m) => ofLanguage(m, commandLanguage));
    if (rootManifests.length > 0 && (copy.stage === undefined || copy.stage !== dockerfile.commandStage || (own.some((m) => rootEcosystems.has(ecosystemOf(m))) && !builtByToolchain))) continue;
    // The image holds the copied folder, not the root's manifests of another ecosystem.
    const files = new Map([...snapshot.files].filter(([p]) => !rootManifests.includes(p)));
    for (const [path, text] of snapshot.files) {
      const inner = path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
      if (inner !== undefined && !files.has(inner)) files.set(inner, text);
    }
    return { snapshot: { ...snapshot, files }, dir, source: copy.source };
  }
  return undefined;
}

/** Evidence sources of lifted files renamed back to their place in the repository. */
export function fromImageView(view: ImageView, original: RepoSnapshot, a: Analysis): Analysis {
  const rename = (source: string): string => {
    const m = /^(.*?)(:\d+)?$/.exec(source);
    const file = m?.[1] ?? source;
    return !original.files.has(file) && view.snapshot.files.has(file) ? `${view.dir}/${file}${m?.[2] ?? ''}` : source;
  };
  const renamed = (s: { name: string; source: string }) => ({ ...s, source: rename(s.source) });
  return {
    ...a,
    evidence: normalizeEvidence([...a.evidence.map((e) => ({ ...e, source: rename(e.source) })), { fact: `app source ${view.dir} (copied into the image)`, source: view.source }]),
    ...(a.services ? { services: a.services.map(renamed) } : {}),
    ...(a.localState ? { localState: a.localState.map(renamed) } : {}),
    ...(a.longLived ? { longLived: a.longLived.map(renamed) } : {}),
    ...(a.serverlessAdapter ? { serverlessAdapter: renamed(a.serverlessAdapter) } : {}),
    ...(a.platforms ? { platforms: a.platforms.map((p) => ({ ...p, source: rename(p.source) })) } : {}),
  };
}
