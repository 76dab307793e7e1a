// The port the app listens on as the repository configures it, first source that says wins
// (eval/RUBRIC.md's order): the image (EXPOSE, a listen-address ENV) and the port the start command
// binds → the platform file (fly.toml, the compose app service) → the port a web-server base image exposes
// when the image runs its server (php:apache 80) → app config (application.properties,
// launchSettings.json, an env example) → a default in code → the framework's own default. A source that
// names the port through a variable with no default (`-b :$PORT`) settles it as unknown: null.
import type { Evidence, RepoSnapshot } from '../types.js';
import { type ComposeService, type DockerfileFacts, OTHER_PROTOCOL_PORTS } from './docker.js';
import { ev } from './evidence.js';
import type { Language, Located } from './model.js';
import { byDepthThenPath, isTestOrVendored } from './files.js';
import { bareNodePortEnv, dotnetNamedDefaultPort, explicitPortInCode, goNamedDefaultPort, jvmConfigPort, pythonOptionPort, pythonSettingsFieldPort, requiredPortEnv } from './source-scan.js';
import { findLine, loc } from './text.js';

export interface PortInputs {
  snapshot: RepoSnapshot;
  language: Language | undefined;
  dockerfile: DockerfileFacts | undefined;
  /** The declared start command and the port it binds (null: a bare `$PORT`). */
  command?: { port: number | null | undefined; source: string } | undefined;
  composeApp: ComposeService | undefined;
  /** The folder of the app's build file when it sits below the root (a Gradle application project, `api/`). */
  appDir?: string;
  /** The framework's own default, when the app is a web app whose framework runs a server. */
  frameworkDefault?: Located<number> | undefined;
  /** The port an official web-server base image exposes (php:apache 80), when the image runs that server. */
  baseServer?: Located<number> | undefined;
}

/** PHP frameworks run behind php-fpm or a web server: `artisan serve` and `php -S` are dev servers, not a port of their own. */
const NO_SERVER_OF_THEIR_OWN = new Set(['laravel', 'symfony']);

export function frameworkDefaultPort(framework: string, port: number | undefined, dockerfile?: DockerfileFacts): number | undefined {
  if (NO_SERVER_OF_THEIR_OWN.has(framework)) return undefined;
  return framework === 'aspnet-core' ? kestrelDefaultPort(dockerfile) ?? port : port;
}

/** Microsoft's .NET images (`mcr.microsoft.com/dotnet/aspnet:8.0`, runtime, runtime-deps, sdk), which set the listen port themselves. */
const MICROSOFT_DOTNET_IMAGE = /dotnet\/(?:aspnet|runtime(?:-deps)?|sdk)\b/;

/** Kestrel's own default (`http://localhost:5000`), what `dotnet run` or the published binary binds outside a container. */
const KESTREL_DEFAULT_PORT = 5000;

/**
 * Microsoft's ASP.NET images set the port themselves: 80 up to .NET 7, 8080 from .NET 8
 * (ASPNETCORE_HTTP_PORTS). With no Dockerfile at all, Kestrel's own default; with an image of
 * another base, the framework table's default stands.
 */
function kestrelDefaultPort(dockerfile: DockerfileFacts | undefined): number | undefined {
  if (!dockerfile) return KESTREL_DEFAULT_PORT;
  const runtime = [...dockerfile.images].reverse().find((i) => MICROSOFT_DOTNET_IMAGE.test(i.value));
  const major = Number(/:(\d+)\./.exec(runtime?.value ?? '')?.[1]);
  return Number.isInteger(major) && major > 0 ? (major >= 8 ? 8080 : 80) : undefined;
}

/**
 * Whether the image runs on Microsoft's .NET runtime image, which sets the listen port itself (ASPNETCORE_URLS /
 * ASPNETCORE_HTTP_PORTS). Then launchSettings.json, read by `dotnet run` only, is not what the published app binds.
 */
function shipsOnMicrosoftImage(dockerfile: DockerfileFacts): boolean {
  const runtime = dockerfile.shippedBase?.value ?? dockerfile.images.at(-1)?.value ?? '';
  return MICROSOFT_DOTNET_IMAGE.test(runtime);
}

/**
 * Of several ports an image EXPOSEs (`EXPOSE 80 443 3000`), the one the app's compose service publishes when it
 * publishes exactly one of them (`${PORT}:3000`): the others are for a proxy or TLS the image may also run.
 */
function publishedOfExposed(dockerfile: DockerfileFacts, app: ComposeService | undefined): Located<number> | undefined {
  // (A service building another Dockerfile runs another image; one naming it through an unset variable may build this one.)
  if (!dockerfile.exposedPorts || !app?.built || (app.dockerfile !== undefined && !app.dockerfile.includes('$') && app.dockerfile !== dockerfile.path)) return undefined;
  const published = dockerfile.exposedPorts.filter((e) => app.containerPorts.some((c) => c.value === e.value));
  return published.length === 1 ? published[0] : undefined;
}

export function resolvePort(p: PortInputs): { port: Located<number> | undefined; evidence: Evidence[] } {
  const { snapshot, language, dockerfile } = p;
  const unknown = (why: string, source: string) => ({ port: undefined, evidence: [ev(`no port: ${why}`, source)] });
  if (dockerfile?.exposedPort) return { port: publishedOfExposed(dockerfile, p.composeApp) ?? dockerfile.exposedPort, evidence: [] };
  const listen = dockerfile?.listenPort;
  if (listen) return listen.value === null ? unknown('the image sets its listen address to no port number', listen.source) : { port: { value: listen.value, source: listen.source }, evidence: [] };
  if (p.command?.port !== undefined && p.command.port !== null) return { port: { value: p.command.port, source: p.command.source }, evidence: [] };
  const platform = flyPort(snapshot) ?? p.composeApp?.containerPorts[0];
  if (platform) return { port: platform, evidence: [] };
  // A bare `$PORT` is whatever the platform sets: no default in the code or the framework applies.
  if (p.command?.port === null) return unknown('the start command binds $PORT, which has no default', p.command.source);
  // An EXPOSE the image inherits from the web-server base whose server it runs: a port nothing in the repository overrode.
  if (p.baseServer) return { port: p.baseServer, evidence: [ev(`port ${p.baseServer.value}: exposed by the base image the image's server runs from`, p.baseServer.source)] };
  const imageSetsPort = language === 'dotnet' && dockerfile !== undefined && shipsOnMicrosoftImage(dockerfile);
  // The config's and code's ports in precedence order, each finder asked only when the ones before found nothing usable.
  const finders: (() => Located<number> | undefined)[] = [
    () => (language === 'java' ? jvmConfigPort(snapshot, p.appDir) : undefined),
    () => (language === 'dotnet' && !imageSetsPort ? launchSettingsPort(snapshot) : undefined),
    () => envExamplePort(snapshot),
    () => configFilePort(snapshot),
    () => (language === 'node' ? jsConfigPort(snapshot) : undefined),
    () => (language === 'python' ? uwsgiHttpPort(snapshot) : undefined),
    () => (language ? explicitPortInCode(snapshot, language) : undefined),
    () => (language === 'python' ? pythonSettingsFieldPort(snapshot) : undefined),
    () => (language === 'python' ? pythonOptionPort(snapshot) : undefined),
    // A named default counts for a web app only: a worker's port constant is its metrics or health listener.
    () => (language === 'go' && p.frameworkDefault ? goNamedDefaultPort(snapshot) : undefined),
    () => (language === 'dotnet' && p.frameworkDefault ? dotnetNamedDefaultPort(snapshot) : undefined),
  ];
  // A port one names for another protocol (a DNS proxy's 53, a mail server's 25) is not the one HTTP is served on: the next
  // finder is asked. (No label gives such a port: a protocol server with no web port of its own has none.)
  let skipped: Located<number> | undefined;
  let port: Located<number> | undefined;
  for (const find of finders) {
    const found = find();
    if (found === undefined) continue;
    if (!OTHER_PROTOCOL_PORTS.has(found.value)) {
      port = found;
      break;
    }
    skipped ??= found;
  }
  const why = skipped ? [ev(`not port ${skipped.value}: another protocol's well-known port (DNS, mail, SSH, FTP, LDAP, IRC, XMPP, SIP), not HTTP's`, skipped.source)] : [];
  if (port) return { port, evidence: why };
  // The code will not start without $PORT: the platform sets it, the framework's default is not what it binds.
  const required = p.frameworkDefault && language ? requiredPortEnv(snapshot, language) : undefined;
  if (required) return { port: undefined, evidence: [...why, ...unknown('the code requires PORT from the environment, with no default', required.source).evidence] };
  // …or Node code takes it from the environment with nothing to fall back on (`PORT: process.env.PORT`).
  const bare = p.frameworkDefault && language === 'node' ? bareNodePortEnv(snapshot) : undefined;
  if (bare) return { port: undefined, evidence: [...why, ...unknown('the code listens on PORT from the environment, with no default', bare.source).evidence] };
  return { port: p.frameworkDefault, evidence: why };
}

/** Node config modules the server reads its settings from (node-config's config/default, a defaults file). */
const JS_CONFIG_FILES = ['config/default', 'config/config', 'config', 'defaults/config', 'src/config'].flatMap((n) => [`${n}.json`, `${n}.js`, `${n}.cjs`, `${n}.mjs`, `${n}.ts`]);

/** A top-level `port: 9000` (or `"port": 9000`) in the app's config module: its first, shallowest port key. */
export function jsConfigPort(snapshot: RepoSnapshot): Located<number> | undefined {
  for (const path of JS_CONFIG_FILES) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    const m = /^(?:\t| {2}| {4})["']?port["']?\s*:\s*(\d{2,5})\s*,?\s*(?:\/\/.*)?$/m.exec(text);
    const port = Number(m?.[1]);
    if (m && port > 0 && port < 65536) return { value: port, source: loc(path, findLine(text, m[0])) };
  }
  return undefined;
}

/** A project file building a class library. */
const LIBRARY_OUTPUT = /<OutputType>\s*Library\s*</;

/** ASP.NET Core's Properties/launchSettings.json: the first http applicationUrl's port. */
function launchSettingsPort(snapshot: RepoSnapshot): Located<number> | undefined {
  // (Not a class library's, `<OutputType>Library</OutputType>` under the Web SDK: `dotnet run` does not run it.)
  const runnable = (p: string): boolean => {
    const dir = p.slice(0, -'Properties/launchSettings.json'.length);
    return ![...snapshot.files].some(([f, text]) => f.startsWith(dir) && !f.slice(dir.length).includes('/') && /\.[cf]sproj$/.test(f) && LIBRARY_OUTPUT.test(text));
  };
  const path = [...snapshot.files.keys()].filter((p) => p.endsWith('Properties/launchSettings.json') && runnable(p)).sort((a, b) => a.length - b.length)[0];
  const text = path === undefined ? undefined : snapshot.files.get(path);
  // The `profiles` (what `dotnet run` uses), not `iisSettings` (IIS Express).
  const from = text === undefined ? -1 : text.indexOf('"profiles"');
  const m = text === undefined || from < 0 ? null : /"applicationUrl"\s*:\s*"[^"]*?http:\/\/[^":;]+:(\d{2,5})/.exec(text.slice(from));
  return m?.[1] && path && text !== undefined ? { value: Number(m[1]), source: loc(path, findLine(text, m[0], from)) } : undefined;
}

/** fly.toml `internal_port`: the port the platform routes to. */
function flyPort(snapshot: RepoSnapshot): Located<number> | undefined {
  const text = snapshot.files.get('fly.toml');
  const m = text === undefined ? null : /^\s*internal_port\s*=\s*(\d{2,5})/m.exec(text);
  return m?.[1] && text !== undefined ? { value: Number(m[1]), source: loc('fly.toml', findLine(text, m[0])) } : undefined;
}

const ENV_EXAMPLES = ['.env.example', '.env.sample', '.env.dist', '.env.template', 'env.example', '.env'];

/** `PORT=8080` in the env file the repository ships as its configuration template. */
function envExamplePort(snapshot: RepoSnapshot): Located<number> | undefined {
  for (const path of ENV_EXAMPLES) {
    const text = snapshot.files.get(path);
    const m = text === undefined ? null : /^\s*(?:export\s+)?(?:PORT|HTTP_PORT|SERVER_PORT)\s*=\s*["']?(\d{2,5})["']?\s*$/m.exec(text);
    if (m?.[1] && text !== undefined) return { value: Number(m[1]), source: loc(path, findLine(text, m[0])) };
  }
  return undefined;
}

/** Layered config files apps read at start (the `config` crate, viper, node-config): the base layer first. */
const CONFIG_FILES = [
  ...['configuration/base', 'config/base', 'config/default', 'configuration', 'config', 'config/config', 'config/settings', 'settings'].flatMap((n) => [`${n}.yaml`, `${n}.yml`]),
  // …then the template an install copies to config.yaml (`config.template.yaml`, `config.yaml.example`).
  ...['config', 'settings'].flatMap((n) => ['example', 'sample', 'template', 'dist'].flatMap((t) => [`${n}.${t}.yaml`, `${n}.${t}.yml`, `${n}.yaml.${t}`, `${n}.yml.${t}`])),
];

/** `application:` / `server:` / `http:` … with an indented `port: 8000` under it, in the app's config file. */
export function configFilePort(snapshot: RepoSnapshot): Located<number> | undefined {
  for (const path of CONFIG_FILES) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    // Each line of the block matches one way only (indent, then its first non-blank): `[ \t]+.*` could split a line's
    // indent between its two parts, and a long block with no port backtracks exponentially (hitobito's settings.yml).
    // (`default-port:` too: the one port of several the server's links are made with.)
    const m = /^(?:application|app|server|http|web|api):[ \t]*\r?\n(?:[ \t]+\S.*\r?\n|[ \t]*\r?\n)*?[ \t]+(?:default-)?port:[ \t]*["']?(\d{2,5})["']?[ \t]*(?:#.*)?$/m.exec(text);
    const port = Number(m?.[1]);
    if (m && port > 0 && port < 65536) return { value: port, source: loc(path, findLine(text, `port:`, m.index + m[0].lastIndexOf('port:'))) };
  }
  return undefined;
}

/** A uWSGI config file (uwsgi.ini, docker/uwsgi.ini, app_uwsgi.ini). */
const UWSGI_INI = /(?:^|\/)[\w.-]*uwsgi[\w.-]*\.ini$/i;

/**
 * `http = :9090` / `http-socket = [::]:8000` in the app's uWSGI config: the port uWSGI serves HTTP on, as gunicorn's
 * `bind` is in gunicorn.conf.py. `socket =` speaks the uwsgi protocol to a proxy in front, not HTTP, and is left out.
 */
export function uwsgiHttpPort(snapshot: RepoSnapshot): Located<number> | undefined {
  const paths = [...snapshot.files.keys()].filter((p) => UWSGI_INI.test(p) && !isTestOrVendored(p)).sort(byDepthThenPath);
  for (const path of paths) {
    const text = snapshot.files.get(path) ?? '';
    const m = /^[ \t]*(?:http|http-socket)[ \t]*=[ \t]*\S*?:(\d{2,5})[ \t]*$/m.exec(text);
    const port = Number(m?.[1]);
    if (m && port > 0 && port < 65536) return { value: port, source: loc(path, findLine(text, m[0])) };
  }
  return undefined;
}
