// What starts the app: the command its files declare, else the framework's convention (and what a
// convention needs to know: the app object, the entry file, the binary name).
import { basename } from 'node:path';
import type { RepoSnapshot } from '../types.js';
import { type ConventionContext } from './conventions.js';
import { appService, joinPath, parseDockerfile, runsSomething, type ComposeFacts, type ComposeService, type DockerfileFacts } from './docker.js';
import { type DetectedFramework } from './frameworks.js';
import { binaryName, type GoFacts } from './manifests/go.js';
import { type NodeFacts } from './manifests/node.js';
import { SOURCE_EXTENSIONS } from './files.js';
import { type Located } from './model.js';
import { longRunningProcesses, webProcess } from './procfile.js';
import { djangoProject, gunicornBindPort, importer, nodeEntry, portInCommand, pythonAppObject } from './source-scan.js';
import { dirOf, escapeRegExp, lineAt, loc, withoutTrailingSlashes } from './text.js';

export function conventionContext(
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
  if (framework?.name === 'remix') set('remixServer', reactRouterServer(node));
  if (go?.modulePath && go.mainPackage) set('goBinary', { value: binaryName(go.modulePath.value), source: go.modulePath.source });
  return ctx;
}

/** React Router 7's own server package (`@react-router/node` or `/serve`) when no Remix one is declared: its binary is react-router-serve. */
function reactRouterServer(node: NodeFacts | null): Located<string> | undefined {
  const deps = node?.dependencies ?? [];
  const own = deps.find((d) => /^@react-router\/(?:node|serve)$/.test(d.name));
  return own && !deps.some((d) => d.name.startsWith('@remix-run/')) ? { value: 'react-router-serve', source: own.source } : undefined;
}

/** `-A` target for celery: the module that builds the Celery app. */
function celeryModule(snapshot: RepoSnapshot): Located<string> | undefined {
  const found = pythonAppObject(snapshot, 'Celery');
  return found ? { value: found.value.split(':')[0] ?? found.value, source: found.source } : undefined;
}

/** What the repository says to run (Dockerfile, compose `command:`, Procfile, a platform file, start script); `text` is what to look for a port in. */
export function declaredStart(
  dockerfile: DockerfileFacts | undefined,
  composeCommand: Located<string> | undefined,
  procfile: ReadonlyMap<string, Located<string>>,
  nodeScript: Located<string> | undefined,
  packageManager: string | undefined,
  platformStart?: Located<string>,
): { command: Located<string>; text: string } | undefined {
  // The image's own command, then what compose runs in it, then the Procfile's process (web or the one named as such, worker, or
  // its only long-running one: a `clock:` scheduler, not a `release:` phase), then a platform
  // file's start command (a Render blueprint's `startCommand`).
  const running = longRunningProcesses(procfile);
  const only = running.length === 1 ? running[0]?.[1] : undefined;
  // (An image whose command only keeps the container up, `tail -f /dev/null`, is a shell to exec into: it starts nothing.)
  const explicit = runsSomething(dockerfile?.command) ?? composeCommand ?? webProcess(procfile) ?? procfile.get('worker') ?? only ?? platformStart;
  if (explicit) return { command: explicit, text: explicit.value };
  if (nodeScript) return { command: { value: runScript(packageManager), source: nodeScript.source }, text: nodeScript.value };
  return undefined;
}

/** The evidence naming a start command read from the entry service's image (monorepo.ts keeps it for a system of apps). */
export const ENTRY_IMAGE_START = 'start command of the entry service';
/** The fact naming the text of the package's start script that `npm start` runs (the monorepo pick reads the file it names). */
export const START_SCRIPT = 'start script';

/**
 * What the entry service's own image runs when no Dockerfile is the app's (several services, each built from its
 * subfolder): the command of the image compose builds for it (`services/users/Dockerfile-prod`'s `CMD gunicorn …`),
 * else the `command:` compose gives that image (a Dockerfile that declares none).
 */
export function entryImageCommand(snapshot: RepoSnapshot, entry: ComposeService | undefined): Located<string> | undefined {
  if (!entry?.built || entry.dockerfile === undefined) return undefined;
  const text = snapshot.files.get(entry.dockerfile);
  if (text === undefined) return undefined;
  // A `target:` stage named through a variable is not known: the last stage's command would be a guess.
  if (entry.target?.includes('$')) return entry.command;
  // (…nor a command that only keeps the container up: compose's own command, if any, is what runs.)
  return runsSomething(parseDockerfile(entry.dockerfile, text, entry.target).command) ?? entry.command;
}

/** An image command that only prefixes what it is given (`ENTRYPOINT ["bundle", "exec"]` with no CMD): it starts nothing by itself. */
const RUNNER_PREFIX = /^(?:bundle\s+exec|poetry\s+run|uv\s+run|pipenv\s+run|pdm\s+run|npx|pnpm\s+exec|yarn\s+exec|exec|(?:\/[\w./-]*\/)?tini(?:\s+-[sgv])*\s+--|(?:\/[\w./-]*\/)?dumb-init(?:\s+--)?|(?:gosu|su-exec)\s+\S+)$/;

/**
 * The command an image runs when its Dockerfile declares only a runner prefix: compose replaces the
 * prefix with an entrypoint script the Dockerfile copies into that image (`entrypoint: web-entrypoint.sh`
 * plus `command: bin/rails server -p 3000`), which ties the service to this image even when compose pulls
 * it by a published name. The serving service first (ports, then an app-like name), as for the app service.
 */
export function composeRunOfPrefixImage(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined, compose: ComposeFacts | undefined): Located<string> | undefined {
  if (!dockerfile?.command || !RUNNER_PREFIX.test(dockerfile.command.value.trim())) return undefined;
  const text = snapshot.files.get(dockerfile.path) ?? '';
  const copied = (token: string): boolean => {
    const script = basename(token.replace(/["']/g, ''));
    return /\.(?:sh|bash)$/.test(script) && new RegExp(String.raw`^\s*(?:COPY|ADD)\b.*\b${escapeRegExp(script)}\b`, 'm').test(text);
  };
  const copiedIn = (line: string): boolean => copied(line.trim().split(/\s+/)[0] ?? '');
  const service = appService(compose, (s) => s.entrypoint !== undefined && copiedIn(s.entrypoint.value));
  if (service?.entrypoint) return { value: service.command ? `${service.entrypoint.value} ${service.command.value}` : service.entrypoint.value, source: service.entrypoint.source };
  // No `entrypoint:` of its own: compose's `command:` is the CMD the image's prefix runs (`tini --` + `sh docker-entrypoint.sh`),
  // for a service that builds this Dockerfile or whose command runs a script copied into it (a pulled published image).
  const runs = appService(compose, (s) => !s.entrypoint && s.command !== undefined && ((s.built && s.dockerfile === dockerfile.path) || s.command.value.split(/\s+/).some(copied)));
  if (!runs?.command) return undefined;
  return { value: `${dockerfile.command.value.trim()} ${runs.command.value}`, source: runs.command.source };
}

export function runScriptNamed(packageManager: string | undefined, script: string): string {
  return packageManager === 'yarn' ? `yarn ${script}` : `${packageManager ?? 'npm'} run ${script}`;
}

/** `npm start` runs the script with node_modules/.bin on PATH, which the raw script text needs. */
export function runScript(packageManager: string | undefined): string {
  return packageManager === 'bun' ? 'bun run start' : `${packageManager ?? 'npm'} start`;
}

/**
 * The repository shell script a command token runs: `/srv/app/docker/entrypoint.sh` is `docker/entrypoint.sh` copied into the image,
 * and so is `/entrypoint.sh` when the Dockerfile says so (`COPY docker/entrypoint.sh /entrypoint.sh`).
 */
function scriptOf(snapshot: RepoSnapshot, token: string, dockerfile?: DockerfileFacts): string | undefined {
  const unquoted = token.replace(/^["']|["']$/g, '');
  const isScript = (path: string): boolean => {
    const text = snapshot.files.get(path);
    return text !== undefined && (path.endsWith('.sh') || /^#!\S*(?:\s+\S+)*?[/\s](?:ba|da|a|z)?sh\b/.test(text));
  };
  const parts = unquoted.split('/').filter((p) => p && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    const path = parts.slice(i).join('/');
    if (isScript(path)) return path;
  }
  const copied = unquoted.startsWith('/') ? imageFileSource(snapshot, dockerfile, unquoted) : undefined;
  return copied !== undefined && isScript(copied) ? copied : undefined;
}

/** A `cd` in a shell line (`cd server`, `{ cd /app/server/ &&`, `; cd ../client`): group 1 is the folder. */
const CD_COMMAND = /(?:^|[;&|{(])\s*cd\s+["']?([\w./-]+)/g;

/**
 * The folders the script a command starts changes into, in order: relative ones resolved from the repository root
 * (the image's working directory holds the build context), absolute image paths kept without their leading slash.
 */
export function foldersEnteredByScript(snapshot: RepoSnapshot, command: string, dockerfile?: DockerfileFacts): Located<string>[] {
  const script = startedScript(snapshot, command, dockerfile);
  if (!script) return [];
  const out: Located<string>[] = [];
  let here = '';
  script.text.split('\n').forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    for (const m of line.matchAll(CD_COMMAND)) {
      const target = m[1] ?? '';
      here = target.startsWith('/') ? joinPath('', target) : joinPath(here, target);
      if (here) out.push({ value: here, source: loc(script.path, i + 1) });
    }
  });
  return out;
}

/** A lone `&` sending a command to the background (not `&&`, `>&` or `&>`). */
const BACKGROUND = /(?<![&>|])&(?![&>])/;
/** Shell that starts no program of its own: waiting on, echoing, trapping, assigning, closing a block. */
const PASSIVE = /^\s*(?:$|#|wait\b|echo\b|printf\b|trap\b|exit\b|sleep\b|set\b|export\b|fi\b|done\b|esac\b|else\b|then\b|\}|\w+=)/;

/** A shell line with a statement that starts a program (`cd app; npx next start`). */
const startsProgram = (line: string): boolean => line.split(/;|&&/).some((part) => !PASSIVE.test(part));

/** Some line runs a program in the background while a later one keeps another in the foreground (not `app & wait $!`). */
function backgroundLine(text: string): boolean {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const amp = PASSIVE.test(line) ? null : BACKGROUND.exec(line);
    if (!amp || !/\w/.test(line.slice(0, amp.index))) continue;
    // (The first later statement that starts a program ends the look: the next backgrounded program is one.)
    if (startsProgram(line.slice(amp.index + 1)) || lines.slice(i + 1).some(startsProgram)) return true;
  }
  return false;
}

/**
 * Whether the command, or the script it starts, runs a program in the background (`nginx &`, `node packages/api/app.js &`)
 * beside the one it keeps in the foreground: the container runs several programs side by side.
 */
export function runsProgramsInBackground(snapshot: RepoSnapshot, command: string, dockerfile?: DockerfileFacts): boolean {
  const script = startedScript(snapshot, command, dockerfile);
  return backgroundLine(command) || (script !== undefined && backgroundLine(script.text));
}

/** The repository script a command starts (its first token naming one), with its text. */
export function startedScript(snapshot: RepoSnapshot, command: string, dockerfile?: DockerfileFacts): { path: string; text: string } | undefined {
  for (const token of command.split(/\s+/)) {
    const path = scriptOf(snapshot, token, dockerfile);
    if (path) return { path, text: snapshot.files.get(path) ?? '' };
  }
  return undefined;
}

/** `PORT=${PORT:-8050}`, `export PORT=8050`: the value a script gives a variable before binding it. */
function scriptVariable(lines: readonly string[], before: number, name: string): number | undefined {
  const assign = new RegExp(String.raw`^\s*(?:export\s+)?${name}=["']?(?:\$\{${name}:?-(\d{2,5})\}|(\d{2,5}))["']?\s*$`);
  for (let i = before - 1; i >= 0; i--) {
    const m = assign.exec(lines[i] ?? '');
    if (m) return Number(m[1] ?? m[2]);
  }
  return undefined;
}

/** A listen-address flag given a script variable: `--address "${CA_ADDRESS}"`, `--listen $LISTEN`. Group 1 is the variable. */
const ADDRESS_FLAG_VARIABLE = /--(?:address|addr|listen|listen-address|bind|hosts?)[= ]["']?\$\{?(\w+)\}?/;

/** `ADDRESS="${ADDRESS:-:9000}"`, `export LISTEN=0.0.0.0:8080`: the port of the address a script gives a variable before passing it on. */
function scriptAddressVariable(lines: readonly string[], before: number, name: string): number | undefined {
  const assign = new RegExp(String.raw`^\s*(?:export\s+|local\s+)?${name}=["']?(?:\$\{${name}:?-["']?)?([\w.-]*|\[[\w:]*\]):(\d{2,5})["'}]*\s*$`);
  for (let i = before - 1; i >= 0; i--) {
    const m = assign.exec(lines[i] ?? '');
    // A loopback address is a server behind a proxy the script also starts, as on the command line.
    if (m) return /^(?:127\.0\.0\.1|localhost|\[::1\])$/.test(m[1] ?? '') ? undefined : Number(m[2]);
  }
  return undefined;
}

/** Whether a command runs what `pattern` matches itself (`apache2-foreground`) or through a start script of the repository, comment lines aside. */
export function commandRuns(snapshot: RepoSnapshot, command: string, pattern: RegExp, dockerfile?: DockerfileFacts): boolean {
  if (pattern.test(command)) return true;
  return command.split(/\s+/).some((token) => {
    const path = scriptOf(snapshot, token, dockerfile);
    return path !== undefined && (snapshot.files.get(path) ?? '').split('\n').some((line) => !/^\s*#/.test(line) && pattern.test(line));
  });
}

/**
 * The port a start script binds, when the declared command runs a script of the repository
 * (`ENTRYPOINT ["/docker-entrypoint.sh"]`, `CMD ["/start.sh"]`, `tini -- ./run.sh`) whose server line
 * names it (`exec gunicorn -b 0.0.0.0:8000 …`, or `$PORT` after `PORT=${PORT:-8000}`, or `--address "$ADDR"` after
 * `ADDR="${ADDR:-:9000}"`); an `exec` line
 * first, as that is the process the container keeps. A bare `$PORT` with no default in the script, and a
 * server bound to loopback (behind a proxy), are left to the image's other settings.
 */
export function portInStartedScript(snapshot: RepoSnapshot, command: string, dockerfile?: DockerfileFacts): Located<number> | undefined {
  for (const token of command.split(/\s+/)) {
    const path = scriptOf(snapshot, token, dockerfile);
    if (!path) continue;
    // A script starting Caddy beside the app's processes: Caddy is the front door, its site address the port.
    const front = caddyFrontDoorPort(snapshot, snapshot.files.get(path) ?? '', dockerfile);
    if (front) return front;
    const lines = (snapshot.files.get(path) ?? '').split('\n');
    const bound: { port: number; line: number; exec: boolean }[] = [];
    lines.forEach((line, i) => {
      // A comment, or a server bound to loopback behind a proxy the script also starts.
      if (/^\s*#/.test(line) || /(?:127\.0\.0\.1|localhost):\S*PORT|(?:127\.0\.0\.1|localhost):\d/.test(line)) return;
      const port = portInCommand(line);
      const variable = port === null ? /\$\{?(\w*PORT\w*)\}?/.exec(line)?.[1] : undefined;
      const address = port === undefined ? ADDRESS_FLAG_VARIABLE.exec(line)?.[1] : undefined;
      const value = port ?? (variable ? scriptVariable(lines, i, variable) : undefined) ?? (address ? scriptAddressVariable(lines, i, address) : undefined);
      if (typeof value === 'number') bound.push({ port: value, line: i + 1, exec: /^\s*exec\s/.test(line) });
    });
    const chosen = bound.find((b) => b.exec) ?? bound[0];
    if (chosen) return { value: chosen.port, source: loc(path, chosen.line) };
  }
  return undefined;
}

/**
 * `caddy run --config /etc/caddy/Caddyfile` (or `caddy start`) at a command's position (a line's start, after `;`, `&&`,
 * `|`, `exec`, `then` or `do`, or opening a quoted command string) on a non-comment line: group 1 is the config path, if given
 * within that command.
 */
const CADDY_RUN = /^(?![ \t]*#)(?:[^\n]*?(?:[;&|]|\b(?:exec|then|do)\b|=["']|^)[ \t]*)["']?caddy[ \t]+(?:run|start)\b(?:[^\n;&|"']*?--config[ \t=]+["']?([^\s"';&|)]+))?/m;
/** A Caddyfile site block's opening line (not the global options' bare `{`, a snippet `(name) {` or a comment; `{$PORT:8000}` placeholders allowed): group 1 is its addresses. */
const CADDY_SITE = /^[ \t]*((?:[^\s{#(]|\{\$[^}\n]*\})(?:[^\n{]|\{\$[^}\n]*\})*)\{[ \t]*$/m;
/** The port of a site address: `:{$PORT:8000}`, `:8080`, `example.com:443`. */
const CADDY_ADDRESS_PORT = /:(?:\{\$\w+:(\d{2,5})\}|(\d{2,5}))\b/;

/**
 * The port a script's Caddy listens on: the port of the first site address of the Caddyfile it runs (the image's copy of a
 * repository file; `./Caddyfile` in the working folder when no `--config` is given). A first site with no port (a domain
 * served on 80 and 443) gives no answer.
 */
function caddyFrontDoorPort(snapshot: RepoSnapshot, script: string, dockerfile: DockerfileFacts | undefined): Located<number> | undefined {
  const run = CADDY_RUN.exec(script);
  if (!run) return undefined;
  const file = imageFileSource(snapshot, dockerfile, run[1] ?? 'Caddyfile');
  const text = file === undefined ? undefined : snapshot.files.get(file);
  const site = text === undefined ? undefined : CADDY_SITE.exec(text);
  const port = site ? CADDY_ADDRESS_PORT.exec(site[1] ?? '') : undefined;
  return file !== undefined && site && port ? { value: Number(port[1] ?? port[2]), source: loc(file, lineAt(text ?? '', site.index)) } : undefined;
}

/** The config file a gunicorn start command loads (`gunicorn -c /etc/gunicorn/app.py app.wsgi`, `--config=gunicorn.conf.py`); a `python:module` config is not a file. */
export function gunicornConfigArg(command: string): string | undefined {
  const tokens = command.split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ''));
  const start = tokens.findIndex((t) => /(?:^|\/)gunicorn$/.test(t));
  if (start < 0) return undefined;
  for (let i = start + 1; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    // The next command of a shell line is not gunicorn's.
    if (/^(?:&&|\|\||;|\|)$/.test(token)) return undefined;
    const path = token === '-c' || token === '--config' ? tokens[i + 1] : /^--config=(.+)$/.exec(token)?.[1];
    if (path !== undefined) return /\.py$/.test(path) ? path : undefined;
  }
  return undefined;
}

/**
 * The repository file an image holds at `path`: the one a COPY puts there (`COPY docker/gunicorn.py /etc/gunicorn/app.py`,
 * or into a folder above it: `COPY . /app`), its source read from the root or the Dockerfile's folder (the build context);
 * else, for a relative path, that file in the repository (the working directory being a copy of the context).
 */
export function imageFileSource(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined, path: string): string | undefined {
  const clean = (p: string) => withoutTrailingSlashes(p.replace(/^\.\//, ''));
  const inRepo = (p: string) => [p, dockerfile ? `${dirOf(dockerfile.path)}/${p}` : p].map((c) => clean(c.replace(/^\/+/, ''))).find((c) => snapshot.files.has(c));
  const copiedTo = (src: string, dest: string): string | undefined => {
    if (path === dest) return inRepo(src);
    if (!path.startsWith(`${dest}/`)) return undefined;
    const rest = path.slice(dest.length + 1);
    // A folder's content (`COPY . /app`, `COPY conf/ /etc/app/`), or one file into a folder (`COPY deploy/gunicorn.py /etc/gunicorn/`).
    return inRepo(src === '.' || src === '' ? rest : `${src}/${rest}`) ?? (basename(src) === basename(path) ? inRepo(src) : undefined);
  };
  for (const copy of dockerfile?.copied ?? []) {
    if (copy.dest === undefined || copy.dest.includes('$')) continue;
    const found = copiedTo(clean(copy.value), withoutTrailingSlashes(copy.dest));
    if (found) return found;
  }
  return path.startsWith('/') ? undefined : inRepo(clean(path));
}

/**
 * The port the gunicorn config file a start command loads binds (`gunicorn -c /usr/local/etc/gunicorn/app.py …` and that
 * file's `bind = ["0.0.0.0:8000"]`): the listen address lives in a config file the image copies, not on the command line.
 */
export function portInGunicornConfig(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined, command: string): Located<number> | undefined {
  const arg = gunicornConfigArg(command);
  const path = arg === undefined ? undefined : imageFileSource(snapshot, dockerfile, arg);
  const bind = path === undefined ? undefined : gunicornBindPort(snapshot.files.get(path) ?? '');
  return path && bind ? { value: bind.port, source: loc(path, bind.line) } : undefined;
}
