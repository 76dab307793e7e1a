// The first-party runtime services of a repository: what it builds and runs itself, as opposed to the
// backing stores it uses. Compose services built from the repository (`build:`), workloads of its own
// Kubernetes manifests or Helm chart that are not a known backing store, and services whose image the
// repository's compose file builds under that name. One plain app is one service.
import type { RepoSnapshot, Service } from '../types.js';
import type { Located } from './model.js';
import { APP_MANIFEST, findCompose, imageName, isDockerfile, joinPath, keepsContainerUp, MAIL_CATCHERS, mountsRepository, ONE_SHOT, parseDockerfile, REPOSITORY_MOUNT, TEST_COMMAND, TOOLCHAINS, withVariableDefaults, type ComposeFacts, type ComposeService, type DockerfileFacts } from './docker.js';
import { assetBuilder, assetWatcher, SCRIPT } from './asset-builders.js';
import { bakeBuiltDockerfile } from './bake.js';
import { ciBuiltDockerfile } from './ci-images.js';
import { compare } from './evidence.js';
import { COMPOSE_FILE } from './env-vars.js';
import { holdsFiles, inCodeTemplatesFolder, isSourceCode, NOT_DEPLOYMENT_DIRS, perSnapshot } from './files.js';
import { namesBackgroundRole } from './service-roles.js';
import { serviceOfImage } from './stateful.js';
import { chartDirs, chartHelpers, chartValues, ownChartDirs, resolveImage } from './chart-templates.js';
import { dirOf, escapeRegExp, lineAt, loc } from './text.js';
import { APP_TARGET } from './python-served-app.js';
import { asString, asTable, tomlTable } from './manifests/common.js';

/** Web servers that serve files or hand requests to an app server (php-fpm, a FastCGI or proxied upstream), by image name. */
const WEB_SERVERS = 'nginx|nginx-unprivileged|openresty|httpd|lighttpd|caddy';
/** A web-server image by its name without tag (`imageName`). */
export const WEB_SERVER_IMAGE = new RegExp(`(?:^|/)(?:${WEB_SERVERS})$`);

/**
 * Images that run infrastructure around the app, not the app: web servers and proxies (Apache's `httpd`), dashboards (any `grafana/…` image),
 * mail catchers, a broker's schema registry, a Docker socket proxy (it only narrows the host's Docker API for an app that manages containers).
 */
const INFRA_IMAGE = new RegExp(String.raw`(?:^|\/)(?:${WEB_SERVERS}|(?:docker-)?socket-proxy|traefik|haproxy|envoy|memcached|elasticsearch|opensearch|kibana|grafana|prometheus|jaeger|zookeeper|minio|${MAIL_CATCHERS}|localstack|adminer|pgadmin4?|busybox|alpine|ubuntu|debian|vault|consul|etcd|nats|zipkin|otel\/[\w-]+|grafana\/[\w-]+|jaegertracing\/[\w-]+|loki|promtail|fluentd|selenium\/[\w-]+|[\w-]*schema-registry|apicurio-registry)(?::|$)`);

/**
 * `metadata:` … its first indented `name:` with a literal value. The block is read as blank lines and indented lines,
 * each matched one way only: a pattern whose repeated part could also match across lines (`(?:\s+.*\n)*?\s+name:`)
 * backtracks exponentially on a chart template whose name is a `{{ }}` expression (seconds per file).
 */
const METADATA_NAME = /^metadata:[ \t]*\n(?:[ \t]*\n|[ \t]+\S.*\n)*?[ \t]+name:[ \t]*["']?([^\s"'{]+[^\s"']*)/m;

/** The name of a workload whose `metadata.name` is templated or missing. */
const UNNAMED = 'workload';

interface Workload {
  name: string;
  image?: string;
  /** What tells this workload's image from another's when the image is a template the values do not resolve. */
  key?: string;
  source: string;
}

/**
 * `kind: Deployment` … `metadata: name:` … `image:` of each document, read line by line (templates are not YAML).
 * In a chart's template (`values` given), `{{ }}` in the image are resolved against the chart's values, and a
 * templated name is the template file's name (deployments/web.yaml → web).
 */
function workloads(path: string, text: string, chart?: { values: unknown; helpers: string }): Workload[] {
  const out: Workload[] = [];
  let at = 0;
  for (const doc of text.split(/^---\s*$/m)) {
    const start = text.indexOf(doc, at);
    at = start + doc.length;
    const kind = /^kind:\s*["']?(Deployment|StatefulSet|DaemonSet)["']?\s*$/m.exec(doc);
    if (!kind) continue;
    const literal = METADATA_NAME.exec(doc)?.[1];
    const name = literal ?? (chart ? (path.split('/').pop() ?? path).replace(/\.ya?ml$/, '') : UNNAMED);
    // The pod's main container, not an init container (a wait-for or busybox helper listed first).
    const raw = (/^\s*containers:\s*\n[\s\S]*?^\s*-?\s*image:\s*(.+)$/m.exec(doc) ?? /^\s*-?\s*image:\s*(.+)$/m.exec(doc))?.[1]?.trim().replace(/^["']|["']$/g, '');
    const templated = raw?.includes('{{') === true;
    const image = raw === undefined ? undefined : templated ? resolveImage(raw, chart?.values, chart?.helpers) : /^[^\s"']+/.exec(raw)?.[0];
    // This document's own `kind:` line, not the first one in the file.
    const line = lineAt(text, start + kind.index);
    out.push({ name, ...(image ? { image } : {}), ...(templated && !image && raw ? { key: raw } : {}), source: loc(path, line) });
  }
  return out;
}

/**
 * Admin, observability and development tools: they watch, feed or test the app, they are not the app
 * (eval/RUBRIC.md): dashboards, mail catchers, database/queue admin UIs, cloud emulators, test browsers.
 */
const DEV_TOOL = `${MAIL_CATCHERS}|phpmyadmin|mongo-express|redis-commander|redisinsight|pgweb|dbgate|kafka-ui|dozzle|portainer|swagger-ui|localstack|azurite|fake-gcs-server|spotlight`;
const TOOL = new RegExp(`(?:^|\\/)(?:grafana|prometheus|zipkin|jaeger|kibana|elasticsearch|opensearch|adminer|pgadmin4?|flower|loki|promtail|alertmanager|otel\\/[\\w-]+|${DEV_TOOL}|temporalio\\/(?:ui|admin-tools)|cypress\\/[\\w-]+|playwright)(?::|$)`);
/** Mail service names among the tool names: a dev mail sink when pulled, the app's own SMTP server when it runs the app's image. */
const MAIL = String.raw`(?:mail|smtp)(?:[-_]?server)?`;
const MAIL_NAME = new RegExp(`^${MAIL}$`);
const TOOL_NAME = new RegExp(`^(?:grafana|prometheus|zipkin|jaeger|kibana|adminer|pgadmin|flower|loki|promtail|alertmanager|${DEV_TOOL}|${MAIL})(?:[-_](?:server|ui|web))?$`);
/** A service built from the app's image that runs a dashboard over the app's queue, not the app (`celery flower`, `rq-dashboard`). */
const TOOL_COMMAND = /(?:^|\s)(?:celery\b.*\sflower\b|flower\b|rq-dashboard\b|rq\s+dashboard\b)/;
/**
 * A service that runs the test suite against the app (`tests`, `e2e`, `npm test`, `pytest`): it exits when the suite ends.
 * The kind of test may be glued to the word (`apitest`, `unittest`, `integrationtest`, `testunit`, `teste2e`).
 */
const TEST_KIND = 'unit|api|integration|functional|acceptance|smoke|system|load|e2e';
const TEST_NAME = new RegExp(`^(?:[\\w-]*[-_])?(?:(?:${TEST_KIND})?tests?|e2e|cypress|playwright|test[-_]?runner|tests?(?:${TEST_KIND}))$`);

/** FROM images of every stage of a Dockerfile. */
export function fromImages(text: string): string[] {
  return [...text.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/gim)].map((m) => m[1] ?? '');
}

/**
 * Files a proxy image is configured with: an nginx/traefik build that copies only these serves no code of the repository.
 * A shell's own settings (`.bashrc`, `.inputrc`) are the image's comfort, not code it serves.
 */
const CONFIG_FILE = /(?:^|\/)(?:[\w.-]+\.(?:conf|cfg|ya?ml|toml|json|sh|template|tmpl)|conf|conf\.d|nginx|Caddyfile(?:\.[\w-]+)?|\.[\w-]*rc)\/?$/;

/** A configuration folder as a COPY destination (`/etc/…`, `sites-available`, `conf.d/`); not a web root such as /usr/share/nginx/html. */
const CONFIG_DEST = /^\/etc\/|(?:^|\/)(?:sites-(?:available|enabled)|conf\.d)(?:\/[^/]*)?\/?$/;

/** Manifests of a server-side app whose `public/` or `static/` folder holds the files the server itself would serve (error pages, collected assets). */
const SERVER_MANIFESTS = ['Gemfile', 'composer.json', 'manage.py', 'go.mod'];

/**
 * A `public/` or `static/` folder of a server-side app (beside its Gemfile, composer.json, manage.py or go.mod):
 * a proxy image copying it only serves the app's static files in front of the app, it is no front-end of its
 * own (a front-end's build output is `dist/`, `build/`, `out/`, and sits beside a package.json only).
 */
function serverPublicFolder(snapshot: RepoSnapshot, context: string, src: string): boolean {
  const m = /^(?:\.\/)?((?:[\w.-]+\/)*)(?:public|static)\/?$/.exec(src);
  // COPY sources are relative to the build context.
  const dir = `${context ? `${context}/` : ''}${m?.[1] ?? ''}`;
  return m !== null && SERVER_MANIFESTS.some((f) => snapshot.files.has(`${dir}${f}`));
}

/** Every stage FROM a proxy/infrastructure image, and nothing copied in but its configuration or the app's public folder (a front-end's build output is code). */
function proxyOnly(snapshot: RepoSnapshot, context: string, text: string): boolean {
  const images = fromImages(text);
  if (images.length === 0 || !images.every((i) => INFRA_IMAGE.test(i))) return false;
  const copies = [...text.matchAll(/^\s*(?:COPY|ADD)\s+(.+)$/gim)].map((m) => m[1] ?? '');
  // Stages of the proxy's own image (a `caddy:builder` stage compiling plugins with xcaddy): what they build is the proxy.
  const proxyStages = new Set([...text.matchAll(/^\s*FROM\s+(?:--platform=\S+\s+)?\S+\s+AS\s+(\S+)/gim)].map((m) => (m[1] ?? '').toLowerCase()));
  return copies.every((args) => {
    const from = /--from=(\S+)/.exec(args)?.[1]?.toLowerCase();
    if (from !== undefined) return proxyStages.has(from);
    return copiesOnlyConfig(args, (src) => CONFIG_FILE.test(src) || serverPublicFolder(snapshot, context, src));
  });
}

/**
 * A COPY/ADD (its arguments, no `--from`) that only puts configuration in place: whatever lands in a config folder
 * (`COPY default sites-available`, anything into `/etc/…`) configures the server, else every source must be one `isConfig` accepts.
 */
function copiesOnlyConfig(args: string, isConfig: (src: string) => boolean): boolean {
  const words = args.split(/\s+/).filter((w) => w && !w.startsWith('--'));
  return CONFIG_DEST.test(words[words.length - 1] ?? '') || words.slice(0, -1).every(isConfig);
}

/** A compose service built from the repository that only packages a backing store, a tool or a configured proxy (`FROM redis`, `FROM grafana/grafana`, `FROM nginx` + a conf). */
function packagesSomeoneElse(snapshot: RepoSnapshot, dockerfile: string | undefined, context = ''): boolean {
  const text = dockerfile === undefined ? undefined : snapshot.files.get(dockerfile);
  const images = text === undefined ? [] : fromImages(text);
  return (images.length > 0 && images.every((i) => serviceOfImage(i) !== undefined || TOOL.test(imageName(i)))) || (text !== undefined && proxyOnly(snapshot, context, text));
}

/**
 * A compose service that serves HTTP in front of the app's service: a web server image, pulled or built here with
 * only its configuration (`FROM httpd` + its .conf), that depends on the app (php-fpm behind Apache or nginx).
 * The app serves HTTP through it even when its own image only runs php-fpm.
 */
export function webServerInFront(snapshot: RepoSnapshot, compose: ComposeFacts | undefined, app: ComposeService | undefined): string | undefined {
  if (!app) return undefined;
  const front = (compose?.services ?? []).find((s) => {
    if (s === app || !(s.dependsOn ?? []).includes(app.name)) return false;
    if (s.image && !s.built) return WEB_SERVER_IMAGE.test(imageName(s.image.value));
    const text = s.built && s.dockerfile !== undefined ? snapshot.files.get(s.dockerfile) : undefined;
    return text !== undefined && fromImages(text).some((i) => WEB_SERVER_IMAGE.test(imageName(i))) && proxyOnly(snapshot, s.context ?? '', text);
  });
  return front?.source;
}

/** A `.gitmodules` entry's folder (`path = api`): group 1. */
const SUBMODULE_PATH = /^[ \t]*path[ \t]*=[ \t]*([\w./-]+)[ \t]*$/gm;
/** A file of folder `dir` (the root when empty). */
const fileIn = (snapshot: RepoSnapshot, dir: string, name: string): string | undefined => snapshot.files.get(dir ? `${dir}/${name}` : name);

/** The package.json's and pyproject.toml's package names in `dir` (the root by default; `@org/app` reads app), lower-cased. */
function rootPackageNames(snapshot: RepoSnapshot, dir = ''): string[] {
  const pkg = /"name"\s*:\s*"(?:@[^/"]+\/)?([^"]+)"/.exec(fileIn(snapshot, dir, 'package.json') ?? '')?.[1];
  const py = /^\s*name\s*=\s*["']([^"']+)["']/m.exec(fileIn(snapshot, dir, 'pyproject.toml') ?? '')?.[1];
  return [pkg, py].filter((n): n is string => n !== undefined).map((n) => n.toLowerCase());
}

/** The names the package in folder `dir` goes by: package.json, pyproject.toml and Cargo.toml `[package]` names, lower-cased. */
export function packageNames(snapshot: RepoSnapshot, dir: string): string[] {
  const crate = asString(asTable(tomlTable(fileIn(snapshot, dir, 'Cargo.toml'))?.package)?.name);
  return [...rootPackageNames(snapshot, dir), ...(crate ? [crate.toLowerCase()] : [])];
}

/**
 * Names an image built from this repository goes by: its top-level folders (git submodules among them) and its root
 * package's name (`louislam/uptime-kuma` for a package.json named uptime-kuma), for compose services that pull
 * the image the repository publishes.
 */
const repoDirs = perSnapshot((snapshot: RepoSnapshot): ReadonlySet<string> => {
  const dirs = new Set<string>(rootPackageNames(snapshot));
  for (const p of snapshot.files.keys()) {
    const first = p.split('/')[0];
    if (first && p.includes('/') && !first.startsWith('.') && !NOT_DEPLOYMENT_DIRS.has(first)) dirs.add(first.toLowerCase());
  }
  // Top-level git submodules: folders whose files live in repositories of their own (lago's api/ and front/). One deeper
  // (`third_party/keycloak`) is vendored code, not an app.
  for (const m of (snapshot.files.get('.gitmodules') ?? '').matchAll(SUBMODULE_PATH)) {
    const dir = m[1]?.replace(/^\.\/|\/$/g, '');
    if (dir && !dir.includes('/') && !dir.startsWith('.') && !NOT_DEPLOYMENT_DIRS.has(dir)) dirs.add(dir.toLowerCase());
  }
  return dirs;
});

/** The project's own name as its root setup.py or composer.json, or its Go module path, gives it (`name="kiwitcms"`, `"name": "org/app"`). */
const projectNames = perSnapshot((snapshot: RepoSnapshot): ReadonlySet<string> => {
  const names = new Set<string>();
  const setup = /\bname\s*=\s*["']([\w.-]+)["']/.exec(snapshot.files.get('setup.py') ?? '')?.[1];
  const composer = /"name"\s*:\s*"[\w.-]+\/([\w.-]+)"/.exec(snapshot.files.get('composer.json') ?? '')?.[1];
  for (const name of [setup, composer]) if (name) names.add(name.toLowerCase());
  // A Go module's repository name (`module github.com/org/app/api` names app), at the root or one folder down.
  for (const [path, text] of snapshot.files) {
    if (!/^(?:[^/]+\/)?go\.mod$/.test(path)) continue;
    const repo = /^module\s+(?:github\.com|gitlab\.com|codeberg\.org)\/[\w.-]+\/([\w.-]+)/m.exec(text)?.[1];
    if (repo) names.add(repo.toLowerCase());
  }
  return names;
});

/**
 * An image published under the project's own name, as its namespace or its name (`kiwitcms/kiwi` for a
 * setup.py named kiwitcms), or that name with a role after it (`org/app-queue` beside `org/app`): the
 * compose file pulls an image this repository's Dockerfiles build. Stores, proxies and tools are never
 * the app, whatever org publishes them.
 */
function publishedUnderProjectName(snapshot: RepoSnapshot, image: string, names: ReadonlySet<string>): boolean {
  if (serviceOfImage(image) !== undefined || INFRA_IMAGE.test(imageName(image)) || TOOL.test(imageName(image))) return false;
  const segments = imageName(image).toLowerCase().split('/');
  if (segments.some((segment) => names.has(segment))) return true;
  const role = segments.find((segment) => [...names].some((n) => segment.startsWith(`${n}-`) || segment.startsWith(`${n}_`)));
  return role !== undefined && namedByABuild(snapshot, role);
}

/** Files that only mention an image they pull or describe: compose files and documentation. */
const MENTIONS_ONLY = /\.(?:md|mdx|rst|adoc|txt)$/i;

/**
 * A `<project>-<role>` image (`org/app-queue`) is built here when a file other than a compose file or documentation names it (the CI
 * workflow pushing it, a Makefile, a build script): an org also publishes its other projects under the app's prefix
 * (`lycheeorg/lychee-facial-recognition`, an optional sidecar from a repository of its own), which the compose file merely pulls.
 */
function namedByABuild(snapshot: RepoSnapshot, name: string): boolean {
  for (const [path, text] of snapshot.files) {
    if (COMPOSE_FILE.test(path) || MENTIONS_ONLY.test(path)) continue;
    if (text.toLowerCase().includes(name)) return true;
  }
  return false;
}

/**
 * The repository folder an image is built from, by name: `customers-service` or `org/app-customers-service`
 * for customers-service/ (the longest folder name the image's last segment ends with).
 */
function folderOfImage(snapshot: RepoSnapshot, image: string, dirs: ReadonlySet<string>): string | undefined {
  // A pulled proxy or tool image (`nginx:1.17` beside an nginx/ folder of its config) is that product's, not a build of the folder;
  // so is a language toolchain or OS image (`gradle:8-jdk11` beside the Gradle wrapper's gradle/ folder).
  if (INFRA_IMAGE.test(imageName(image)) || BASE_IMAGE.test(imageName(image))) return undefined;
  const last = imageName(image).split('/').pop()?.toLowerCase() ?? '';
  return [...dirs].filter((d) => (last === d || last.endsWith(`-${d}`) || last.endsWith(`_${d}`)) && !configOnlyFolder(snapshot, d)).sort((a, b) => b.length - a.length)[0];
}

/**
 * A top-level folder holding files but no Dockerfile, app manifest or source code: the configuration a pulled third-party image
 * mounts (`keycloak/` of realm JSON and login themes beside `quay.io/keycloak/keycloak`), not the code of an image built here.
 * (Package names and git submodules hold no files in the snapshot and are not read so.)
 */
function configOnlyFolder(snapshot: RepoSnapshot, dir: string): boolean {
  return configOnlyFolders(snapshot).has(dir);
}

/** The lower-cased names of configOnlyFolder's folders, from one walk of the snapshot (every image asks). */
const configOnlyFolders = perSnapshot((snapshot: RepoSnapshot): ReadonlySet<string> => {
  const code = new Map<string, boolean>();
  for (const p of snapshot.files.keys()) {
    const slash = p.indexOf('/');
    if (slash < 0) continue;
    const folder = p.slice(0, slash).toLowerCase();
    const builds = isDockerfile(p) || APP_MANIFEST.test(p.split('/').pop() ?? '') || isSourceCode(p);
    code.set(folder, (code.get(folder) ?? false) || builds);
  }
  return new Set([...code].filter(([, builds]) => !builds).map(([folder]) => folder));
});

/** Folders that group a repository's own services (`services/api`, `apps/web`, `cmd/worker`), not side images or tools. */
const SERVICE_GROUP = /^(?:services?|apps?|packages|cmd|components|modules|crates|microservices|servers?|backend|frontend|src)$/i;
/**
 * App folders one level down in a service group, each with a Dockerfile of its own that builds code rather than repackaging
 * a store, tool or proxy (`services/api/Dockerfile`), by their lower-cased name; a name two such folders share is left out.
 */
const nestedImageFolders = perSnapshot((snapshot: RepoSnapshot): ReadonlyMap<string, string> => {
  const out = new Map<string, string>();
  const shared = new Set<string>();
  for (const p of snapshot.files.keys()) {
    if (!p.endsWith('/Dockerfile')) continue;
    const [group, folder, file, ...rest] = p.split('/');
    if (rest.length > 0 || file !== 'Dockerfile' || !group || !folder || !SERVICE_GROUP.test(group) || packagesSomeoneElse(snapshot, p, `${group}/${folder}`)) continue;
    const name = folder.toLowerCase();
    if (out.has(name)) shared.add(name);
    out.set(name, `${group}/${folder}`);
  }
  for (const name of shared) out.delete(name);
  return out;
});

/** A pulled image's name split at the nested app folder it ends with (`bencher-api` → project `bencher`, folder services/api). */
function nestedImageParts(snapshot: RepoSnapshot, image: string): { project: string; dir: string } | undefined {
  const name = imageName(withVariableDefaults(image));
  if (INFRA_IMAGE.test(name) || BASE_IMAGE.test(name) || serviceOfImage(name) !== undefined || TOOL.test(name)) return undefined;
  const last = name.split('/').pop()?.toLowerCase() ?? '';
  const hits = [...nestedImageFolders(snapshot)].filter(([folder]) => last.endsWith(`-${folder}`) || last.endsWith(`_${folder}`));
  const [folder, dir] = hits.sort((a, b) => b[0].length - a[0].length)[0] ?? [];
  return folder === undefined || dir === undefined ? undefined : { project: last.slice(0, last.length - folder.length - 1), dir };
}

/**
 * The app folder one level down whose Dockerfile builds a pulled image named `<project>-<folder>` (`ghcr.io/org/bencher-api`
 * for services/api/): monorepos keep their services under a grouping folder. The project part must be the repository's own
 * name, or shared by another image the compose file pulls that ties to another such folder (bencher-api, bencher-console);
 * never an image named exactly like the folder (a third party's `ollama/ollama` beside a folder of its config).
 */
function nestedFolderOfImage(snapshot: RepoSnapshot, image: string): string | undefined {
  const parts = nestedImageParts(snapshot, image);
  if (parts === undefined || parts.project === '') return undefined;
  return ownNames(snapshot).has(parts.project) || (nestedProjectFolders(snapshot).get(parts.project)?.size ?? 0) >= 2 ? parts.dir : undefined;
}

/** Per project part, the nested app folders the compose file's pulled images tie to (read once per snapshot, not per service). */
const nestedProjectFolders = perSnapshot((snapshot: RepoSnapshot): ReadonlyMap<string, ReadonlySet<string>> => {
  const out = new Map<string, Set<string>>();
  for (const s of findCompose(snapshot)?.services ?? []) {
    const parts = s.built || s.image === undefined ? undefined : nestedImageParts(snapshot, s.image.value);
    if (parts !== undefined) out.set(parts.project, (out.get(parts.project) ?? new Set<string>()).add(parts.dir));
  }
  return out;
});

/** The package's own names: setup.py, composer.json and go.mod's, and the root package.json's and pyproject.toml's. */
const ownNames = perSnapshot((snapshot: RepoSnapshot): ReadonlySet<string> => new Set([...projectNames(snapshot), ...rootPackageNames(snapshot)]));

/**
 * A compose service running the package's own published image, named exactly after the package (`ghcr.io/org/timetagger`
 * for setup.py's `name="timetagger"`): someone deploys this package, so it is no library. Not a store, proxy or tool image
 * a client library of it tests against (redis-py's `redis:7`), nor one named after a config folder the service mounts.
 */
export function composeRunsOwnImage(snapshot: RepoSnapshot, compose: ComposeFacts | undefined): ComposeService | undefined {
  const names = ownNames(snapshot);
  return compose?.services.find((s) => {
    const image = s.image === undefined || s.built ? undefined : imageName(withVariableDefaults(s.image.value));
    const last = image?.toLowerCase().split('/').pop();
    if (image === undefined || last === undefined || !names.has(last)) return false;
    if (serviceOfImage(image) !== undefined || INFRA_IMAGE.test(image) || TOOL.test(image)) return false;
    return !s.volumes.some((v) => v.value.source.replace(/^\.\//, '').split('/')[0]?.toLowerCase() === last);
  });
}

/** The Dockerfile a compose service runs: the one it builds, or the one in the folder its image is named after. */
function composeDockerfile(snapshot: RepoSnapshot, s: ComposeService, dirs: ReadonlySet<string>): string | undefined {
  if (s.built) return s.dockerfile;
  const dir = s.image ? folderOfImage(snapshot, s.image.value, dirs) : undefined;
  // The folder's Dockerfile, at its top or in its docker/ subfolder (backend/docker/Dockerfile); else a nested app folder's.
  const own = dir === undefined ? undefined : [`${dir}/Dockerfile`, `${dir}/docker/Dockerfile`].find((p) => snapshot.files.has(p));
  const nested = own === undefined && s.image ? nestedFolderOfImage(snapshot, s.image.value) : undefined;
  return own ?? (nested === undefined ? undefined : `${nested}/Dockerfile`);
}

/** The Dockerfile a pulled image is built from here: the one the CI workflow pushes under its name, else its bake target's (`${IMAGE:-org/app}` read as its default). */
const builtHereFromImage = (snapshot: RepoSnapshot, image: string): string | undefined => ciBuiltDockerfile(snapshot, image) ?? bakeBuiltDockerfile(snapshot, withVariableDefaults(image));

/**
 * The Dockerfile of the folder a compose service's pulled image is named after (`org/app-gateway` → gateway/Dockerfile
 * or gateway/docker/Dockerfile), else the one the repository's CI workflow builds and pushes under that image's name.
 */
export function pulledImageBuild(snapshot: RepoSnapshot, s: ComposeService | undefined): DockerfileFacts | undefined {
  if (!s || s.built) return undefined;
  const path = composeDockerfile(snapshot, s, repoDirs(snapshot)) ?? (s.image ? builtHereFromImage(snapshot, s.image.value) : undefined);
  const text = path === undefined ? undefined : snapshot.files.get(path);
  return path === undefined || text === undefined ? undefined : parseDockerfile(path, text);
}

/**
 * Backing stores the repository builds itself: a compose service whose Dockerfile only packages a store
 * (`FROM mongo:3` plus a seed script), built here or pulled under the folder's name.
 */
export function storesBuiltHere(snapshot: RepoSnapshot, compose: ComposeFacts | undefined): Located<string>[] {
  const dirs = repoDirs(snapshot);
  const out: Located<string>[] = [];
  for (const s of compose?.services ?? []) {
    const text = snapshot.files.get(composeDockerfile(snapshot, s, dirs) ?? '');
    const stores = text === undefined ? [] : fromImages(text).map((i) => serviceOfImage(i));
    const store = stores[0];
    if (store !== undefined && stores.every((x) => x === store)) out.push({ value: store, source: s.source });
  }
  return out;
}

/** The image a built service runs, whatever its command. */
const imageKey = (s: ComposeService): string => `${s.context ?? ''}|${s.dockerfile ?? ''}`;
/**
 * The process a service runs on its image: its command, and its entrypoint (`entrypoint: [./bin/jobs, start]` runs another
 * process of the image; a NUL, which no command holds, keeps `a|b` with no entrypoint apart from `a` under entrypoint `b`).
 */
const processKey = (s: ComposeService): string => `${s.command?.value ?? ''}${s.entrypoint ? `\0${s.entrypoint.value}` : ''}`;
/** That image run with this service's process. */
const buildKey = (s: ComposeService): string => `${imageKey(s)}|${processKey(s)}`;
/** The Python app object a service's command serves. */
const appTarget = (s: ComposeService): string | undefined => (s.command ? APP_TARGET.exec(s.command.value)?.[1] : undefined);
/** Two services run the same process of one image. */
const sameProcess = (a: ComposeService, b: ComposeService): boolean => processKey(a) === processKey(b);

const isTestRunner = (s: ComposeService): boolean => TEST_NAME.test(s.name) || (s.command !== undefined && TEST_COMMAND.test(s.command.value)) || (s.image !== undefined && /(?:^|\/)(?:cypress\/[\w-]+|playwright)(?::|$)/.test(imageName(s.image.value)));

/**
 * Images a compose file runs as an end-to-end test matrix: a test runner depends on two or more services
 * built from one Dockerfile (the same app started in several configurations). Every service of that
 * image, whatever mode its command selects, is the one app under test; a runner depending on one
 * instance (web + worker + cypress) marks nothing.
 */
function testMatrixImages(services: readonly ComposeService[]): Set<string> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const out = new Set<string>();
  for (const runner of services.filter(isTestRunner)) {
    const counts = new Map<string, number>();
    for (const dep of runner.dependsOn ?? []) {
      const s = byName.get(dep);
      if (s?.built) counts.set(imageKey(s), (counts.get(imageKey(s)) ?? 0) + 1);
    }
    for (const [key, n] of counts) if (n >= 2) out.add(key);
  }
  return out;
}

/** An environment setting's value that runs the app in its test mode (`NODE_ENV=test`, `ASPNETCORE_ENVIRONMENT=Testing`). */
const TEST_MODE_VALUE = /^["']?test(?:ing)?["']?$/i;
/** A service running the app in its test mode: an environment selector (ENVIRONMENT_SELECTOR) set to test. */
const inTestMode = (s: ComposeService): boolean =>
  (s.environment ?? []).some((entry) => {
    const [key = '', value = ''] = entry.trim().split(/=(.*)/s);
    return ENVIRONMENT_SELECTOR.test(key) && TEST_MODE_VALUE.test(value.trim());
  });

/**
 * Built services that a service running the app in its test mode depends on (a git server the e2e suite pushes to), when they
 * are built from another Dockerfile than that service and no service outside test mode depends on them: the suite's
 * fixtures, not services a deployment runs beside the app. That service is the app only when it publishes a port or is built
 * from the root: a test runner in test mode (built from `./e2e`) depends on the app under test, which is never marked.
 */
function testModeFixtures(services: readonly ComposeService[]): Set<string> {
  const byName = new Map(services.map((s) => [s.name, s]));
  // (The app: it publishes a port or is built from the repository's root, as a runner built from `./e2e` is not.)
  const testMode = services.filter((s) => s.built && inTestMode(s) && !isTestRunner(s) && ((s.hostPorts?.length ?? 0) > 0 || ['', '.'].includes(s.context ?? '')));
  const neededOutside = (name: string): boolean => services.some((o) => !inTestMode(o) && (o.dependsOn ?? []).includes(name));
  const out = new Set<string>();
  for (const app of testMode) {
    for (const dep of app.dependsOn ?? []) {
      const s = byName.get(dep);
      if (s?.built && imageKey(s) !== imageKey(app) && !neededOutside(dep)) out.add(s.name);
    }
  }
  return out;
}

/**
 * Test fixtures: built services only a test runner brings up beside the copy of the app it tests. The runner depends
 * (directly or through them) on a service built like one the file runs outside any test (`appfortests`, the app's own
 * build against a test database, publishing no host port) and on others no service outside the test harness depends on and that depend on no
 * built service outside it (a local MFA API, a U2F simulator, a database reset helper). Without such a copy of the app
 * among the runner's dependencies, what it depends on may be the system under test, and nothing is marked.
 */
function testFixtures(services: readonly ComposeService[]): Set<string> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const runners = services.filter(isTestRunner);
  const reach = (from: readonly ComposeService[]): Set<string> => {
    const seen = new Set<string>();
    const stack = from.flatMap((r) => r.dependsOn ?? []);
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(byName.get(n)?.dependsOn ?? []));
    }
    return seen;
  };
  const tested = reach(runners);
  const outside = services.filter((s) => s.built && !tested.has(s.name) && !isTestRunner(s));
  const out = new Set<string>();
  for (const runner of runners) {
    const deps = [...reach([runner])].map((n) => byName.get(n)).filter((s): s is ComposeService => s?.built === true && !isTestRunner(s));
    // A copy of the app is run for the tests only and publishes no host port: a dependency serving on one (`web` on :8000
    // beside its own `worker`) is the app itself, and what the runner tests beside it is the system under test.
    const copies = deps.filter((d) => !d.hostPorts?.length && outside.some((o) => imageKey(o) === imageKey(d)));
    if (copies.length === 0) continue;
    const harness = new Set([...deps.filter((d) => !copies.includes(d)).map((d) => d.name)]);
    // Drop from the harness what the app's side needs or what needs the app's side, until nothing changes.
    for (let changed = true; changed; ) {
      changed = false;
      for (const name of [...harness]) {
        const neededOutside = services.some((o) => !harness.has(o.name) && !isTestRunner(o) && !copies.includes(o) && (o.dependsOn ?? []).includes(name));
        const needsOutside = (byName.get(name)?.dependsOn ?? []).some((d) => byName.get(d)?.built === true && !harness.has(d));
        if (neededOutside || needsOutside) {
          harness.delete(name);
          changed = true;
        }
      }
    }
    for (const name of harness) out.add(name);
  }
  return out;
}

/**
 * A service that runs once and exits, by what it runs: the database migrations (`./yiic migrate`, `manage.py migrate`,
 * `rails db:migrate`), or a script named for a one-off step (`setup-apiaxle.sh`, `init-db.sh`), and publishes no port.
 */
const MIGRATE_COMMAND = /(?:^|[\s;&|"'])(?:\S*\/)?(?:yiic?|artisan|manage\.py|console|rails|rake|flask|alembic|flyway|goose|knex|sequelize|prisma|typeorm|diesel|php\s+\S*(?:yiic?|artisan|console))\s+(?:[\w-]+\s+)*?(?:db:)?migrate\b/;
/** A script named for running or serving as well (`init_and_run.sh`, `setup-start.sh`): it goes on to serve after its setup step. */
const SERVING_SCRIPT = /(?:^|[-_])(?:and|run|start|serve)(?:$|[-_])/;
function oneShotCommand(s: ComposeService): boolean {
  const command = s.command?.value;
  // A service publishing a port serves something whatever its command is named for.
  if (command === undefined || s.containerPorts.length > 0 || s.hostPorts?.length) return false;
  // The step must be the last thing the command runs: `manage.py migrate && gunicorn app` goes on to serve.
  const last = (m: RegExpExecArray | null): boolean => m !== null && !/&&|\|\||[;&|\n]/.test(command.slice(m.index + m[0].length));
  if (last(MIGRATE_COMMAND.exec(command))) return true;
  const script = SCRIPT.exec(command);
  const name = script?.[1]?.replace(/\.sh$/, '');
  return name !== undefined && ONE_SHOT.test(name) && !SERVING_SCRIPT.test(name) && last(script);
}

/**
 * A shell to run tools in: a service named for one (`composer`, `cli`, `shell`, `console`, `tools`) that publishes no
 * port and runs nothing of its own, or a no-op (`["true"]`, a bare shell). The Makefile runs commands in it. With no
 * compose command, a service that builds its own image runs that Dockerfile's CMD/ENTRYPOINT: only one without either
 * runs nothing of its own.
 */
const TOOL_SHELL_NAME = /^(?:[\w-]*[-_])?(?:composer|cli|shell|bash|console|tools?|toolbox|workspace)$/;
const NO_OP_COMMAND = /^(?:true|bash|sh|\/bin\/(?:ba)?sh)$/;
// (A service whose command only keeps its container up runs nothing of its own, whatever it is named.)
function toolShell(snapshot: RepoSnapshot, s: ComposeService): boolean {
  if ([s.entrypoint, s.command].some(keepsContainerUp)) return true;
  if (!TOOL_SHELL_NAME.test(s.name) || s.containerPorts.length > 0) return false;
  if (s.command !== undefined) return NO_OP_COMMAND.test(s.command.value.trim());
  const text = s.built && s.dockerfile !== undefined ? snapshot.files.get(s.dockerfile) : undefined;
  return text === undefined || s.dockerfile === undefined || parseDockerfile(s.dockerfile, text, s.target).command === undefined;
}

/**
 * A command that runs the code under a watcher or dev server (`npm run dev`, `nodemon`, `uvicorn --reload`, Django's
 * `manage.py runserver`, which its docs say never to use in production): a development variant.
 */
const DEV_SERVER = /(?:^|[\s;&|])(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:dev|start:dev|watch)\b|nodemon\b|ts-node-dev\b|tsx\s+watch\b|next\s+dev\b|nuxt\s+dev\b|uvicorn\b.*\s--reload\b|flask\s+run\b.*\s--(?:debug|reload)\b|watchmedo\b)|(?:^|[\s;&|/])manage\.py\s+runserver\b/;

/** A service built like another one but running a dev server: the same app in its development variant (`app` and `app-dev`). */
function developmentVariant(s: ComposeService, services: readonly ComposeService[]): boolean {
  if (!s.built || !s.command || !DEV_SERVER.test(s.command.value)) return false;
  // The other runs the image's own start command, or carries the same name (`web` and `web-dev`): a worker with a command of its own is another service.
  const sameName = (o: ComposeService): boolean => s.name.startsWith(`${o.name}-`) || s.name.startsWith(`${o.name}_`) || s.name.endsWith(`-${o.name}`) || s.name.endsWith(`_${o.name}`);
  return services.some((o) => o !== s && o.built && o.context === s.context && (!o.command || sameName(o)) && !(o.command && DEV_SERVER.test(o.command.value)) && !ONE_SHOT.test(o.name) && !TEST_NAME.test(o.name));
}

/** A docs preview server (`mkdocs serve`): it serves the repository's documentation, not the app. */
const DOCS_COMMAND = /(?:^|\s)(?:mkdocs\s+serve|sphinx-autobuild|docusaurus\s+start)\b/;

/** A linter or formatter run over the code (`bundle exec rubocop`, `yarn run lint`, `ruff check`): it checks the checkout and exits. */
const CHECK_COMMAND = /(?:^|[\s;&|])(?:rubocop|eslint|stylelint|flake8|pylint|ruff|mypy|golangci-lint|phpstan|phpcs|php-cs-fixer|(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?lint(?::[\w:-]+)?)(?:\s|$)/;

/**
 * Profiles named for a development activity (`tests`, `e2e`, `lint`, `docs`): what only starts under them checks,
 * tests or documents the code, it is not part of the running system.
 */
const DEV_PROFILE = /^(?:tests?|testing|e2e|lint|linters?|linting|ci|docs?)$/;

/** What the container runs: a compose `entrypoint:` replaces the image's, and `command:` is its arguments. */
const runs = (s: ComposeService): string => [s.entrypoint?.value, s.command?.value].filter((v) => v !== undefined).join(' ');

/**
 * A development harness beside the app: a docs server, the test suite or a linter
 * (as its command or its entrypoint), a service that only starts under development-activity profiles, or a copy of an
 * always-on service's image with no command of its own that only starts behind a profile (a shell to run management commands in).
 */
function developmentHarness(s: ComposeService, services: readonly ComposeService[]): boolean {
  if (s.command && DOCS_COMMAND.test(s.command.value)) return true;
  const running = runs(s);
  if (TEST_COMMAND.test(running) || CHECK_COMMAND.test(running)) return true;
  if (s.profiles?.length && s.profiles.every((p) => DEV_PROFILE.test(p))) return true;
  return s.built && !s.command && !!s.profiles?.length && services.some((o) => o !== s && o.built && !o.profiles?.length && imageKey(o) === imageKey(s));
}

/**
 * Profiles are alternative ways to run the file: a profile named `default` is the one it designates, and
 * the services gated behind other profiles (a split or deprecated layout of the same system) do not run with it.
 */
function outsideDefaultProfile(s: ComposeService, services: readonly ComposeService[]): boolean {
  if (!s.profiles?.length || s.profiles.includes(DEFAULT_PROFILE)) return false;
  return services.some((o) => o.profiles?.includes(DEFAULT_PROFILE));
}
const DEFAULT_PROFILE = 'default';
/** A profile named for optional add-ons rather than for a process or a way to run the app. */
const ADD_ON_PROFILE = /^(?:extras?|optional|add-?ons?|plugins?)$/;

/**
 * Built services that publish a host port an earlier one already publishes: they cannot run together, so they are
 * alternative ways to run one app. Profiles (apache, or nginx + php-fpm, or frankenphp, each binding :443), whose
 * ports are those of every service in them (a pulled nginx fronting php-fpm), or always-on services a reader starts
 * one at a time (`docker compose up app-cpu`: app-cpu and app-cuda both on :8000). Services outside any profile come
 * first; the first alternative is kept. A profile named `default` is the designated run and never an alternative.
 */
function alternativeServices(services: readonly ComposeService[]): Set<string> {
  const portsOf = (s: ComposeService): number[] =>
    s.profiles?.length ? services.filter((o) => o.profiles?.some((p) => s.profiles?.includes(p))).flatMap((o) => o.hostPorts ?? []) : (s.hostPorts ?? []);
  const byLine = (a: ComposeService, b: ComposeService): number => Number(/:(\d+)$/.exec(a.source)?.[1] ?? 0) - Number(/:(\d+)$/.exec(b.source)?.[1] ?? 0);
  // Only what could be the app: a seeder or test runner holding the port first must not make the app its alternative.
  const built = services.filter((s) => s.built && !oneShotService(s) && !TEST_NAME.test(s.name) && !TOOL_NAME.test(s.name)).sort((a, b) => (a.profiles?.length ? 1 : 0) - (b.profiles?.length ? 1 : 0) || byLine(a, b));
  const taken: Array<{ profiles: readonly string[]; ports: ReadonlySet<number> }> = [];
  const out = new Set<string>();
  for (const s of built) {
    const ports = new Set(portsOf(s));
    const clash = !s.profiles?.includes(DEFAULT_PROFILE) && taken.some((t) => !t.profiles.some((p) => s.profiles?.includes(p)) && [...ports].some((p) => t.ports.has(p)));
    if (clash) out.add(s.name);
    else if (ports.size) taken.push({ profiles: s.profiles ?? [], ports });
  }
  return out;
}

/** Images a build starts from to run what it copies in: language runtimes and bare OS images, not a product of their own. */
const BASE_IMAGE = new RegExp(String.raw`^(?:${TOOLCHAINS}|pypy|java|php|alpine|debian|ubuntu|busybox|scratch|centos|fedora|rockylinux|almalinux|amazonlinux|distroless\/[\w-]+|dotnet\/(?:aspnet|sdk|runtime|runtime-deps))$`);

/**
 * A Dockerfile that repackages someone else's server with configuration: nothing of the repository is copied in but
 * configuration (files such as `.yaml`/`.conf`, or anything landing in `/etc/…`), and the program it ships comes from a
 * pulled product image (its last stage is `FROM dexidp/dex`, or it copies the binary out of a stage or image such as
 * `ghcr.io/transparency-dev/tesseract` into a bare runtime image that builds nothing). A stand-in identity provider or log server beside the app in a local setup,
 * not a service the repository writes. `own` tells the project's own images, which stay the app whatever is copied.
 */
function repackagesThirdParty(text: string, own: (image: string) => boolean): boolean {
  const stages = text.split(/^(?=\s*FROM\s)/im).filter((t) => /^\s*FROM\s/i.test(t));
  const from = stages.map((t) => /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(t));
  if (stages.length === 0 || from.some((m) => !m?.[1] || m[1].includes('$'))) return false;
  const alias = new Map(from.map((m) => [(m?.[2] ?? '').toLowerCase(), m?.[1] ?? '']));
  // A stage's image with stage names followed back to the pulled image they start from.
  const image = (ref: string, seen = new Set<string>()): string => {
    const next = alias.get(ref.toLowerCase());
    return next === undefined || seen.has(ref.toLowerCase()) ? ref : image(next, seen.add(ref.toLowerCase()));
  };
  const product = (ref: string): boolean => {
    const i = image(ref);
    // Web servers and proxies are judged by what they serve (proxyOnly): a front-end's build copied into nginx is the front-end.
    return !i.includes('$') && !BASE_IMAGE.test(imageName(i)) && !INFRA_IMAGE.test(imageName(i)) && !own(i);
  };
  // A stage on a language image that runs steps builds something of its own (`RUN npm run build`).
  if (stages.some((t, n) => BASE_IMAGE.test(imageName(image(from[n]?.[1] ?? ''))) && /^\s*RUN\s/im.test(t))) return false;
  const copies = [...text.matchAll(/^\s*(?:COPY|ADD)\s+(.+)$/gim)].map((m) => m[1] ?? '');
  // An app-server image taken as it is (`FROM dunglas/frankenphp`) runs whatever code the compose file mounts into it.
  if (copies.length === 0) return false;
  const onlyConfig = copies.every((args) => /--from=\S+/.test(args) || copiesOnlyConfig(args, (src) => CONFIG_FILE.test(src)));
  if (!onlyConfig) return false;
  const last = stages[stages.length - 1] ?? '';
  const lastFrom = from[from.length - 1]?.[1] ?? '';
  const pulledInto = [...last.matchAll(/^\s*COPY\s+.*--from=(\S+)/gim)].map((m) => m[1] ?? '');
  return product(lastFrom) || pulledInto.some(product);
}

/**
 * A download step: a service named for fetching the data the app needs (`download`, `download-models`, `download-data`) that
 * publishes no port. It pulls model weights or datasets into a volume and exits; the app that serves them is another
 * service. Other names with `download` in them (`download-worker`) are services that handle downloads.
 */
const DOWNLOAD_NAME = /^download(?:[-_](?:models?|data|weights))?$/;
const downloadStep = (s: ComposeService): boolean => DOWNLOAD_NAME.test(s.name) && s.containerPorts.length === 0 && !s.hostPorts?.length;

/** A word that names a test double: a mock, stub, fake or dummy of something the app talks to (`mock_data_api`, `fcp-id-stub`). */
const TEST_DOUBLE_WORD = /(?:^|[-_.])(?:mocks?|stubs?|fakes?|dummy)(?:$|[-_.])/i;

/**
 * A test double built beside the app: a service whose name or build folder calls it a mock, stub or fake (`mock_dp` built
 * from ./mock, `stub`, `mock_data_api`). It stands in for an external API or for hardware so the app can be run locally;
 * it is not part of the system to deploy.
 */
const testDouble = (s: ComposeService): boolean => TEST_DOUBLE_WORD.test(s.name) || (s.context ?? '').split('/').some((d) => TEST_DOUBLE_WORD.test(d));

/** A one-shot step, by its name (`migrate`, `init-db`, `download-models`) or by its command (`manage.py migrate`, `setup.sh`): it runs once and exits. */
/** Dockerfile stages that build or fetch what the shipped stage copies (`target: builder`): never the image that runs. */
const BUILD_STAGE = /^(?:builder|build|base|deps|dependencies|compiler?)$/i;

/** A service built from such a stage with no command or port of its own: compose only builds (and caches) that image. */
const buildStageOnly = (s: ComposeService): boolean =>
  s.built && s.target !== undefined && BUILD_STAGE.test(s.target) && s.command === undefined && s.containerPorts.length === 0 && !s.hostPorts?.length;

const oneShotService = (s: ComposeService): boolean => ONE_SHOT.test(s.name) || downloadStep(s) || oneShotCommand(s) || buildStageOnly(s);

/** A compose service that a plain `docker compose up` does not keep running: gated behind profiles (other than `default`), or a one-shot step. */
export const onDemandOnly = (s: ComposeService): boolean => (!!s.profiles?.length && !s.profiles.includes(DEFAULT_PROFILE)) || oneShotService(s);

/** A process supervisor as the image's command (`supervisord -c …`, s6's `/init`, `pm2-runtime`, `honcho start`): one container running several processes. */
const SUPERVISOR = /(?:^|[\s/])(?:supervisord|s6-svscan|runsvdir|pm2-runtime|honcho|overmind)(?:\s|$)|^\/init(?:\s|$)/;
export const runsSupervisor = (command: string | undefined): boolean => command !== undefined && SUPERVISOR.test(command);

/** A shell line that branches (`if [ -n "$WORKER" ]`, `elif`, `case "$ROLE" in`, `[ "$MODE" = worker ] &&`). */
const SHELL_BRANCH = /^\s*(?:(?:el)?if|case|while|until|test)\s|^\s*\[\[?\s/;

/** A variable naming the environment (APP_ENV=test, NODE_ENV, ENVIRONMENT): it picks a configuration of the same process (a test instance), not another role. */
const ENVIRONMENT_SELECTOR = /(?:^|_)ENV(?:IRONMENT)?$/i;

/** Whether a shell script of the repository branches on a variable: the image starts a different process when it is set. */
const scriptBranchesOn = (snapshot: RepoSnapshot, name: string): boolean => {
  const use = new RegExp(String.raw`\$\{?${name}\b`);
  return [...snapshot.files].some(([path, text]) => (path.endsWith('.sh') || /^#!\S*sh\b/.test(text)) && text.split('\n').some((line) => use.test(line) && SHELL_BRANCH.test(line)));
};

/**
 * A service that runs the same build and command as another but sets a variable the other does not (`WORKER=true`)
 * which the image's scripts branch on (`if [ -n "$WORKER" ]; then yarn start:worker`): a second process, not a replica.
 */
function selectsOtherRole(snapshot: RepoSnapshot, s: ComposeService, other: ComposeService | undefined): boolean {
  const theirs = new Set(other?.environment ?? []);
  const names = (s.environment ?? []).filter((e) => !theirs.has(e)).map((e) => e.split('=')[0] ?? '').filter((n) => /^\w+$/.test(n) && !ENVIRONMENT_SELECTOR.test(n));
  return names.some((n) => scriptBranchesOn(snapshot, n));
}

/**
 * The build a compose service runs: its context, Dockerfile and target stage, so `Dockerfile.backend` and
 * `Dockerfile.frontend` of one folder are two builds; a service pulling the image another service of the file builds
 * runs that one's build; a pulled image by the Dockerfile that builds it here, else by its name.
 */
function buildOf(s: ComposeService, dockerfile: string | undefined, builder: ComposeService | undefined): string | undefined {
  const from = builder ?? s;
  if (from.built) return `compose:${imageKey(from)}|${from.target ?? ''}`;
  if (dockerfile !== undefined) return `compose:${dirOf(dockerfile)}|${dockerfile}|`;
  return s.image ? `image:${imageName(s.image.value)}` : undefined;
}

/** Files that only keep an empty folder in git. */
const GIT_PLACEHOLDER = /(?:^|\/)\.git(?:keep|ignore)$/;
/** Mount targets that hold no data of the app's: dependencies, logs, scratch and caches, sockets, system config. */
const NOT_DATA_TARGET = /(?:^|\/)(?:node_modules|vendor|\.?venv|logs?|tmp|cache|\.cache)\/?$|\.sock$|^\/(?:etc|proc|sys|dev)(?:\/|$)/;

/**
 * The data folders compose mounts into the service: named volumes and host folders the repository holds no file of
 * (a checkout or source folder mounted over the image is code; a mounted file is config).
 */
function dataMounts(snapshot: RepoSnapshot, s: ComposeService): string[] {
  const out = new Set<string>();
  for (const { value } of s.volumes) {
    const source = value.source.replace(/\/+$/, '');
    if (!source || !value.target || REPOSITORY_MOUNT.test(source) || NOT_DATA_TARGET.test(value.target)) continue;
    if (!/^[./~$]/.test(source)) {
      out.add(`volume:${source}`);
      continue;
    }
    const inRepo = joinPath('', source);
    // A mounted file is config; a folder the repository holds files in is code.
    const repositoryFiles = /\.[A-Za-z0-9]{1,5}$/.test(source) || snapshot.files.has(inRepo) || holdsFiles(snapshot, inRepo, (p) => !GIT_PLACEHOLDER.test(p));
    if (!repositoryFiles) out.add(inRepo);
  }
  return [...out].sort();
}

/** A compose service as a first-party service: the build it runs, and whether it names a background role. */
function described(snapshot: RepoSnapshot, s: ComposeService, dockerfile: string | undefined, builder: ComposeService | undefined): Service {
  const build = buildOf(s, dockerfile, builder);
  // With no compose command the image's own runs (`Dockerfile.worker` with CMD celery worker).
  const text = dockerfile === undefined ? undefined : snapshot.files.get(dockerfile);
  const command = runs(s) || (dockerfile !== undefined && text !== undefined ? parseDockerfile(dockerfile, text, s.target).command?.value : undefined);
  const role = namesBackgroundRole(s.name, command) || (dockerfile !== undefined && namesBackgroundRole(dockerfile.split('/').pop() ?? ''));
  const mounts = dataMounts(snapshot, s);
  return { name: s.name, source: s.source, ...(build !== undefined ? { build } : {}), role, ...(mounts.length ? { mounts } : {}) };
}

/** A pulled image's last name segment as `<product>-<role>` (`swetrix-api`, `safeline-mgt${REGION}`): group 1 the product, group 2 the role. */
const PRODUCT_ROLE = /^([a-z0-9]+)[-_]([a-z0-9][\w.-]*)$/;
/** A product or role that names a store, proxy or tool (`bitnami/redis-exporter`, `safeline-postgres`, `app-nginx`) is third-party, not the product's code. */
const thirdPartyRole = (name: string): boolean => serviceOfImage(name) !== undefined || INFRA_IMAGE.test(name) || TOOL.test(name);

/**
 * Pulled images of two or more roles of one product under one namespace (`swetrix/swetrix-fe` and `swetrix/swetrix-api`;
 * `chaitin/safeline-mgt` and `chaitin/safeline-detector`), in a release bundle: a repository with no app manifest or
 * Dockerfile at its root whose compose file runs nothing built, mounted or published from it, and names its services or
 * containers after the product (`swetrix`, `container_name: safeline-mgt`) — or whose README title's first word starts
 * the namespace (`ghcr.io/stoatchat/api` and `…/events` under "Stoat Self-Hosted"; never a multi-product publisher's). Those are the product's first-party services,
 * published prebuilt by its maintainers; elsewhere, pulled suites (Confluent's `cp-*`, Bitnami's `redis-*`) stay third-party.
 */
function productRoleImages(snapshot: RepoSnapshot, compose: ComposeFacts): Set<string> {
  if ([...snapshot.files.keys()].some((p) => APP_MANIFEST.test(p) || (!p.includes('/') && isDockerfile(p)))) return new Set();
  const text = snapshot.files.get(compose.path) ?? '';
  const titled = readmeProductName(snapshot);
  const roles = new Map<string, { roles: Set<string>; images: Set<string> }>();
  const byNamespace = new Map<string, Set<string>>();
  for (const s of compose.services) {
    if (s.built || !s.image) continue;
    // (Variables drop out: `${IMAGE_PREFIX}/safeline-mgt${REGION}:${IMAGE_TAG}` is role mgt of safeline, its namespace a setting.)
    const name = imageName(s.image.value.replace(/\$\{[^}]*\}/g, '')).toLowerCase();
    const segments = name.split('/');
    const last = segments.pop() ?? '';
    if (segments.length === 0 || segments[0] === 'library' || thirdPartyRole(name)) continue;
    // Images under a namespace the README's title names as the product (`ghcr.io/stoatchat/api`, `…/events` for "Stoat Self-Hosted").
    const namespace = segments.at(-1) ?? '';
    if (titled !== undefined && namespace.startsWith(titled) && !MULTI_PRODUCT_PUBLISHER.test(namespace) && !ONE_SHOT_IMAGE.test(last) && !last.split(/[-_]/).some(thirdPartyRole)) {
      const key = segments.join('/');
      byNamespace.set(key, (byNamespace.get(key) ?? new Set<string>()).add(imageName(s.image.value)));
    }
    const m = PRODUCT_ROLE.exec(last);
    if (!m || thirdPartyRole(m[1] ?? '') || thirdPartyRole(m[2] ?? '')) continue;
    const product = m[1] ?? '';
    const named = new RegExp(String.raw`^\s*container_name:\s*["']?${escapeRegExp(product)}[-_]`, 'm');
    if (!compose.services.some((o) => o.name === product || o.name.startsWith(`${product}-`) || o.name.startsWith(`${product}_`)) && !named.test(text)) continue;
    const key = [...segments, product].join('/');
    const entry = roles.get(key) ?? { roles: new Set<string>(), images: new Set<string>() };
    entry.roles.add(m[2] ?? '');
    entry.images.add(imageName(s.image.value));
    roles.set(key, entry);
  }
  const groups = [...[...roles.values()].filter((r) => r.roles.size >= 2).map((r) => r.images), ...[...byNamespace.values()].filter((images) => images.size >= 2)];
  return new Set(groups.flatMap((images) => [...images]));
}

/** Publishers of images for many unrelated products: their namespace names no one product. */
const MULTI_PRODUCT_PUBLISHER = /^(?:linuxserver|bitnami|hotio|jlesage|library|bitnamicharts|lscr)$/;
/** Images of one-shot jobs beside a product (`keycloak-config-cli`, `app-migrate`): not a service of it. */
const ONE_SHOT_IMAGE = /[-_](?:cli|init|migrate|migrations?|setup|seed)$/;
/** Title words that name no product ("Self-Hosted", "Docker setup"). */
const GENERIC_TITLE_WORD = /^(?:self|hosted|selfhosted|docker|compose|server|stack|setup|deploy|deployment|install|installer|images?|homelab|media|official)$/;

/**
 * The product the root README's title names: its first word, five letters or more and not a generic one
 * (`# Stoat Self-Hosted`, `<h1>Stoat Self-Hosted</h1>`: stoat), lowercased.
 */
function readmeProductName(snapshot: RepoSnapshot): string | undefined {
  const readme = [...snapshot.files.keys()].find((p) => /^readme(?:\.md)?$/i.test(p));
  // (Not a `#` comment in a fenced shell block; whichever heading form comes first.)
  const text = (readme ? (snapshot.files.get(readme) ?? '') : '').replace(/^[ \t]*(`{3,}|~{3,})[\s\S]*?^[ \t]*\1/gm, '');
  const [title] = [/^#[ \t]+(.+)$/m.exec(text), /<h1[^>]*>\s*([^<]+)/i.exec(text)].filter((m) => m !== null).sort((a, b) => a.index - b.index).map((m) => (m[1] ?? '').trim().split(/\r?\n/)[0]);
  const first = title?.toLowerCase().match(/[a-z0-9]+/)?.[0];
  return first !== undefined && first.length >= 5 && !GENERIC_TITLE_WORD.test(first) ? first : undefined;
}

export function firstPartyServices(snapshot: RepoSnapshot, compose: ComposeFacts | undefined): Service[] {
  const found = new Map<string, Service>();
  const dirs = repoDirs(snapshot);
  // Images the compose file builds under a name: a service that runs one of them (`image: web`) runs the repository's code.
  const builtImages = new Set((compose?.services ?? []).filter((s) => s.built && s.image).map((s) => imageName(s.image?.value ?? '')));
  const builds = new Map<string, string>();
  const byName = new Map((compose?.services ?? []).map((s) => [s.name, s]));
  const matrix = testMatrixImages(compose?.services ?? []);
  // A service others wait on until it has exited successfully (an initializer, a migration) is a one-shot job.
  const awaited = new Set((compose?.services ?? []).flatMap((s) => s.awaitsCompletion ?? []));
  const alternatives = alternativeServices(compose?.services ?? []);
  // An image the repository builds: in this file, from a folder of its own, or published under the project's name.
  const builtHere = (ref: string): boolean => builtImages.has(imageName(ref)) || folderOfImage(snapshot, ref, dirs) !== undefined || nestedFolderOfImage(snapshot, ref) !== undefined || publishedUnderProjectName(snapshot, ref, projectNames(snapshot));
  // A release bundle runs no code from here (nothing built, mounted or published from this repository); beside the app's own
  // image, another image of its prefix is a sidecar from elsewhere (lycheeorg/lychee-facial-recognition).
  const bundle = compose !== undefined && !compose.services.some((s) => s.built || mountsRepository(s) || (s.image !== undefined && (builtHere(s.image.value) || builtHereFromImage(snapshot, s.image.value) !== undefined)));
  const productRoles = bundle ? productRoleImages(snapshot, compose) : new Set<string>();
  const ownImage = (ref: string): boolean => builtHere(ref) || productRoles.has(imageName(ref));
  const built = (compose?.services ?? []).filter((s) => s.built && s.dockerfile !== undefined);
  // Builds that only repackage a third-party server with configuration (a stand-in OIDC provider), when the file also builds the app.
  const repackaged = new Set(built.filter((s) => !mountsRepository(s) && repackagesThirdParty(snapshot.files.get(s.dockerfile ?? '') ?? '', ownImage)).map((s) => s.name));
  const appBuilt = built.some((s) => !repackaged.has(s.name) && snapshot.files.has(s.dockerfile ?? ''));
  const fixtures = new Set([...testFixtures(compose?.services ?? []), ...testModeFixtures(compose?.services ?? [])]);
  // Test doubles are set aside only beside a built service that is not one (a repository of mocks keeps its mocks).
  const appBesideDoubles = built.some((s) => !testDouble(s) && !repackaged.has(s.name));
  for (const s of compose?.services ?? []) {
    if (fixtures.has(s.name)) continue;
    if (builtOutsideFolder(snapshot, s)) continue;
    if (appBesideDoubles && testDouble(s)) continue;
    if (appBuilt && repackaged.has(s.name)) continue;
    // (A service named for mail, `smtp`, that runs its own command on the app's image is one of the app's processes: its SMTP
    // server, not a mail sink. Dashboards named like tools, `flower` on the django image, stay tools.)
    const appProcess = MAIL_NAME.test(s.name) && s.built && s.command !== undefined && (compose?.services ?? []).some((o) => o !== s && o.built && imageKey(o) === imageKey(s) && !TOOL_NAME.test(o.name));
    if (oneShotService(s) || awaited.has(s.name) || (TOOL_NAME.test(s.name) && !appProcess) || TEST_NAME.test(s.name) || (s.command && TOOL_COMMAND.test(s.command.value))) continue;
    if (toolShell(snapshot, s)) continue;
    if (s.image && TOOL.test(imageName(s.image.value))) continue;
    if (outsideDefaultProfile(s, compose?.services ?? []) || alternatives.has(s.name)) continue;
    if (developmentVariant(s, compose?.services ?? []) || developmentHarness(s, compose?.services ?? [])) continue;
    if (assetBuilder(snapshot, s, compose?.services ?? []) || assetWatcher(snapshot, s)) continue;
    // A pulled image the repository's CI workflow (or bake file) builds from a Dockerfile here is built here too.
    const ciBuilt = !s.built && s.image ? builtHereFromImage(snapshot, s.image.value) : undefined;
    const dockerfile = composeDockerfile(snapshot, s, dirs) ?? ciBuilt;
    if (dockerfile !== undefined && packagesSomeoneElse(snapshot, dockerfile, s.built ? s.context : dirOf(dockerfile))) continue;
    const image = s.image ? imageName(s.image.value) : undefined;
    // An image named after a folder of the repository (`org/app-customers-service` for customers-service/) is built here.
    const own = s.built || ciBuilt !== undefined || (image !== undefined && ownImage(image));
    // Replicas (web1, web2 built from one folder with the same command) are one service run twice; so is a service
    // running the image another one builds under that name (`image: org/app:local`) with the same command.
    const builder = !s.built && image !== undefined ? (compose?.services ?? []).find((o) => o.built && o.image && imageName(o.image.value) === image) : undefined;
    const replica =
      (s.built && [...found.keys()].some((n) => builds.get(n) === buildKey(s) && !selectsOtherRole(snapshot, s, byName.get(n)))) ||
      (builder !== undefined && found.has(builder.name) && sameProcess(builder, s)) ||
      // (One image serving the same app object under another server or flags, `uvicorn pkg.main:app` and `gunicorn … pkg.main:app`, is that app run another way.)
      (s.built && appTarget(s) !== undefined && [...found.keys()].some((n) => { const o = byName.get(n); return o !== undefined && o.built && imageKey(o) === imageKey(s) && appTarget(o) === appTarget(s); }));
    // One instance of a test matrix's image stands for all of them: the plain one (no command of its own) if there is one.
    const tested = s.built && matrix.has(imageKey(s)) ? [...found.keys()].find((n) => builds.get(n)?.startsWith(`${imageKey(s)}|`)) : undefined;
    if (own && tested !== undefined) {
      if (!s.command && !s.entrypoint && builds.get(tested) !== `${imageKey(s)}|`) {
        found.delete(tested);
        builds.delete(tested);
        found.set(s.name, described(snapshot, s, dockerfile, builder));
        builds.set(s.name, buildKey(s));
      }
      continue;
    }
    if (own && !replica) {
      found.set(s.name, described(snapshot, s, dockerfile, builder));
      if (s.built) builds.set(s.name, buildKey(s));
    }
  }
  // Services only a profile named for add-ons (`extras`, `optional`) starts are what a plain `docker compose up` leaves
  // out on purpose: beside first-party services that always run, they are not part of the system to deploy. (A profile
  // named for a process, `beat`, is how that process is run; with every service behind profiles, the profiles are the
  // ways to run the app, which alternativeServices sorts out.)
  const gated = (name: string): boolean => {
    const profiles = byName.get(name)?.profiles;
    return !!profiles?.length && profiles.every((p) => ADD_ON_PROFILE.test(p));
  };
  if ([...found.keys()].some((n) => !gated(n))) for (const n of [...found.keys()]) if (gated(n)) found.delete(n);
  if (found.size === 0) {
    const names = new Set<string>();
    for (const w of manifestWorkloads(snapshot)) {
      // A workload named like one already seen is that one patched (a Kustomize component adding a sidecar).
      if (w.name !== UNNAMED && names.has(w.name)) continue;
      names.add(w.name);
      if (w.image && (serviceOfImage(w.image) || INFRA_IMAGE.test(w.image))) continue;
      // One image deployed by several manifests (overlays, a chart and plain YAML, another registry) is one service.
      const key = w.image ? (imageName(w.image).split('/').pop() ?? w.image) : (w.key ?? w.name);
      if (!found.has(key)) found.set(key, { name: w.name, source: w.source });
    }
  }
  return [...found.values()].sort((a, b) => compare(a.name, b.name));
}

/**
 * In one app folder of a repository, a compose service built from a Dockerfile outside that folder (`../tools_docker/pushpin`
 * from backend/): another folder's image, a sibling app or a store the test setup builds, not a service of this app. (A build
 * whose context is the repository root and whose Dockerfile is the folder's own, `../backend/Dockerfile`, stays the app.)
 */
function builtOutsideFolder(snapshot: RepoSnapshot, s: ComposeService): boolean {
  if (!s.built || snapshot.folder === undefined || s.dockerfile === undefined) return false;
  return !joinPath(snapshot.folder, s.dockerfile).startsWith(`${snapshot.folder}/`);
}

/** A folder of test material by its name (`test`, `e2e-tests`, `test-resources`): manifests there deploy fixtures, not the app. */
const TEST_FOLDER = /^(?:.*[-_.])?(?:tests?|e2e|testdata|fixtures)(?:[-_.].*)?$/;

/**
 * Workloads of the repository's own Kubernetes manifests and Helm charts (a chart's templates/ folder, its
 * images resolved against its values.yaml), outside vendored, test and hidden folders.
 */
const manifestWorkloads = perSnapshot((snapshot: RepoSnapshot): Workload[] => {
  const allCharts = chartDirs(snapshot);
  const charts = ownChartDirs(allCharts);
  const values = new Map(charts.map((c) => [c, { values: chartValues(snapshot, c), helpers: chartHelpers(snapshot, c) }]));
  const manifests = [...snapshot.files.keys()]
    .filter((p) => /\.ya?ml$/.test(p) && !p.split('/').slice(0, -1).some((d) => NOT_DEPLOYMENT_DIRS.has(d) || d.startsWith('.') || TEST_FOLDER.test(d)))
    .sort(compare);
  const inChart = (p: string): boolean => allCharts.some((c) => p.startsWith(c));
  // Plain manifests first: they name their workloads, a chart's templates rarely do.
  return [...manifests.filter((p) => !inChart(p)), ...manifests.filter(inChart)].flatMap((path) => {
    const text = snapshot.files.get(path) ?? '';
    if (!/^kind:\s*["']?(?:Deployment|StatefulSet|DaemonSet)["']?\s*$/m.test(text)) return [];
    // Inside a chart only its own templates/ folder deploys anything; a vendored dependency chart is not the app's.
    const chart = allCharts.filter((c) => path.startsWith(c)).sort((a, b) => b.length - a.length)[0];
    if (chart === undefined) return inCodeTemplatesFolder(snapshot, path) ? [] : workloads(path, text);
    const own = values.get(chart);
    return own && path.startsWith(`${chart}templates/`) ? workloads(path, text, own) : [];
  });
});

/** Backing stores the repository's own Kubernetes manifests deploy beside the app (a `mongo` StatefulSet), as compose's images are read. */
export function storesFromManifests(snapshot: RepoSnapshot): Located<string>[] {
  const out: Located<string>[] = [];
  for (const w of manifestWorkloads(snapshot)) {
    const value = w.image ? serviceOfImage(w.image) : undefined;
    if (value) out.push({ value, source: w.source });
  }
  return out;
}

/** OS packages that are a backing store's server, the store, and how a script or supervisor config starts its daemon. */
const IMAGE_STORES: readonly { pkg: RegExp; store: string; daemon: RegExp }[] = [
  { pkg: /^(?:redis|redis-server|valkey|valkey-server)$/, store: 'redis', daemon: /(?:^|[\s;&|"'[=/])(?:redis|valkey)-server(?![\w-])/m },
  { pkg: /^mongodb(?:-org)?(?:-server)?$/, store: 'mongodb', daemon: /(?:^|[\s;&|"'[=/])mongod(?![\w-])/m },
  { pkg: /^postgresql(?:-?\d+)?(?:-server)?$/, store: 'postgres', daemon: /(?:^|[\s;&|"'[=/])(?:postgres\s+-D|pg_ctl(?:cluster)?\s)/m },
  { pkg: /^(?:mariadb|mariadb-server|mysql-server)$/, store: 'mysql', daemon: /(?:^|[\s;&|"'[=/])(?:mysqld|mariadbd|mysqld_safe)(?![\w-])/m },
  { pkg: /^rabbitmq-server$/, store: 'rabbitmq', daemon: /(?:^|[\s;&|"'[=/])rabbitmq-server(?![\w-])/m },
];
/** Files that start processes in an image: shell scripts, supervisor/s6 configs and run files, Procfiles, Dockerfiles. */
const STARTER_FILE = /(?:\.(?:sh|conf|ini)|(?:^|\/)(?:run|Procfile|[\w.-]*[Dd]ockerfile[\w.-]*))$/;

/**
 * Backing stores the app's own image bundles: the shipped stage installs the store's server package (`apk add
 * redis`, `apt-get install mongodb-org`) or copies its server binary from another image, and a script or supervisor config of the repository starts its daemon
 * (`redis-server /app/redis.conf &`, `command=/usr/bin/mongod …`). An all-in-one image still needs the store; a
 * client-only package (`postgresql-client`, `redis-tools`) or a server package nothing starts is not one.
 */
export function storesInImage(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined): Located<string>[] {
  const out: Located<string>[] = [];
  const starters = [...snapshot.files.keys()].filter((p) => STARTER_FILE.test(p) && !p.split('/').some((d) => NOT_DEPLOYMENT_DIRS.has(d))).sort(compare);
  for (const { pkg, store, daemon } of IMAGE_STORES) {
    // The server binary copied in from the store's own image (`COPY --from=redis /usr/local/bin/redis-server …`) is installed too.
    const installed = dockerfile?.installed?.find((i) => pkg.test(i.value)) ?? dockerfile?.shippedPaths?.find((p) => pkg.test(p.value.split('/').pop() ?? ''));
    if (!installed || out.some((o) => o.value === store)) continue;
    // A Dockerfile's COPY line names the binary without starting it.
    if (starters.some((p) => daemon.test((snapshot.files.get(p) ?? '').replace(/^\s*(?:COPY|ADD)\s.*$/gim, '')))) out.push({ value: store, source: installed.source });
  }
  return out;
}
