// Dockerfile (final stage's EXPOSE, CMD/ENTRYPOINT, HEALTHCHECK; every stage's FROM image) and
// compose files (services, images, the app service's container ports).
import { posix } from 'node:path';
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import type { RepoSnapshot } from '../types.js';
import { compare, ev } from './evidence.js';
import type { Language, Located } from './model.js';
import { dirOf, findLine, lastSegment as baseName, lineAt, loc, splitLines, withoutTrailingSlashes } from './text.js';
import { DEPLOY_ENV_FILES, envFileValues } from './env-vars.js';
import { perSnapshot } from './files.js';
import { serviceOfImage } from './stateful.js';
import { APACHE_FOREGROUND, COMMAND_WORD_START, NGINX_FOREGROUND } from './server-commands.js';

export interface DockerfileFacts {
  path: string;
  /** FROM images of every stage, in order, build args substituted. */
  images: Located<string>[];
  exposedPort?: Located<number>;
  /** Every port the final stage EXPOSEs, exposedPort among them, when it exposes several and its HEALTHCHECK singles none out (`EXPOSE 80 443 3000`). */
  exposedPorts?: Located<number>[];
  /** Where the final stage EXPOSEs only other protocols' ports (`EXPOSE 25 143 993`, `EXPOSE 6667`): it declares no HTTP port. */
  otherProtocolsOnly?: string;
  /**
   * The port an ENV of the final stage tells the server to listen on (PORT, ASPNETCORE_URLS …);
   * null when the variable is set to something that is not a port (a placeholder, an unset variable).
   */
  listenPort?: Located<number | null>;
  command?: Located<string>;
  healthCheckPath?: Located<string>;
  /** VOLUME paths of the final stage: data the image expects to outlive the container. */
  volumes: Located<string>[];
  /** Repository paths COPY/ADD takes from the build context (not `--from` another stage or image), with the stage that copies them; `shipped` when that stage is the image's (or one it starts from). */
  copied: Copied[];
  /** The build stage the image's command comes from (`COPY --from=build /src/app /app` then `CMD ["/app"]`). */
  commandStage?: string;
  /** The image that build stage starts from (`FROM rust:1.95-alpine AS backend`): the toolchain that made the program the image runs. */
  commandBase?: Located<string>;
  /** File names the shipped stage takes from build stages (`COPY --from=builder /app/target/release/server /app/srv`: server, srv). */
  shipped?: string[];
  /** The paths themselves, where the shipped stage copies them (`/app/apps/web/.next/standalone`). */
  shippedPaths?: Located<string>[];
  /** The final stage's working folder (`WORKDIR /app/apps/remix`), absolute, where its command runs; unset when a variable in it stays unresolved. */
  workdir?: Located<string>;
  /** OS packages the shipped stage (or a stage it starts from) installs: `apk add redis`, `apt-get install -y mongodb-org`. */
  installed?: Located<string>[];
  /** With a `target` naming a stage: the image that stage starts from, through the earlier stages it is FROM. */
  targetBase?: Located<string>;
  /** The image the shipped stage starts from, through the earlier stages it is FROM: the runtime the container runs on. */
  shippedBase?: Located<string>;
  /** The stages the shipped stage copies from (`COPY --from=build`), and the earlier stages each of those starts FROM. */
  pulledStages?: string[];
}

/** `dest`: where in the image the COPY puts it (as written, build args not substituted). */
export type Copied = Located<string> & { stage?: string; shipped?: true; dest?: string };

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Joins `\` continuations and drops comments; each instruction keeps its first line number. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let body = lines[i]?.trim() ?? '';
    if (body === '' || body.startsWith('#')) continue;
    while (body.endsWith('\\') && i + 1 < lines.length) {
      const next = lines[++i]?.trim() ?? '';
      // Docker drops comment lines inside a continuation before joining: the instruction goes on after them.
      if (next.startsWith('#')) continue;
      body = `${body.slice(0, -1).trimEnd()} ${next}`.trim();
    }
    const m = /^(\w+)\s*(.*)$/s.exec(body);
    if (m) out.push({ keyword: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim(), line: first });
  }
  return out;
}

/** `$VAR`, `${VAR}` and `${VAR:-default}` from ARG/ENV values; unknown variables stay as written. */
function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (whole, braced?: string, fallback?: string, bare?: string) => {
    const value = vars.get(braced ?? bare ?? '');
    return value ?? fallback ?? whole;
  });
}

const NO_VARS: ReadonlyMap<string, string> = new Map();

/**
 * `${VAR:-default}` replaced by its default (compose uses it when the variable is unset); other variables stay as written.
 * A default naming another variable's default (`${A:-${B:-sqlite}}`) is followed to the end.
 */
export function withVariableDefaults(text: string): string {
  for (let i = 0; i < 4; i++) {
    const next = substitute(text, NO_VARS);
    if (next === text) break;
    text = next;
  }
  return text;
}

/** `ENV A=1 B=2`, `ENV A 1`, `ARG A=1`. */
function assignments(args: string): [string, string][] {
  const pairs = [...args.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S*)/g)].map((m): [string, string] => [m[1] ?? '', (m[2] ?? '').replace(/^["']|["']$/g, '')]);
  if (pairs.length > 0) return pairs;
  const legacy = /^(\w+)\s+(.+)$/.exec(args);
  return legacy ? [[legacy[1] ?? '', legacy[2] ?? '']] : [];
}

/** Exec form (`["a", "b"]`) as a string array, else null for shell form. */
function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Joins argv into a command line, quoting only what a shell would split or expand. An argument holding
 * single quotes (`sh -c "… --forwarded-allow-ips='*'"`) is written in double quotes, as it reads in the
 * Dockerfile, rather than with '\'' escapes, when it has no double quote, backslash or backtick to escape.
 */
export function shellJoin(argv: readonly string[]): string {
  const quote = (a: string) => (a.includes("'") && !/["\\`]/.test(a) ? `"${a}"` : `'${a.replace(/'/g, `'\\''`)}'`);
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quote(a))).join(' ');
}

interface Stage {
  image: Located<string>;
  /** `FROM … AS name`: later stages may start from it. */
  name?: string;
  /** Names of the earlier stages this one starts from, nearest last. */
  lineage: string[];
  env: Map<string, string>;
  expose?: Located<number>;
  /** Every port the stage EXPOSEs, in order (a shared array: EXPOSE lines append, a child stage copies it). */
  exposed?: Located<number>[];
  /** The HEALTHCHECK's command line. */
  probe?: string;
  listen?: Located<number | null>;
  volumes: Located<string>[];
  cmd?: { argv: string[] | null; text: string; line: number };
  entrypoint?: { argv: string[] | null; text: string; line: number };
  health?: Located<string>;
  /** `COPY --from=stage src dest`: what this stage takes from earlier build stages. */
  pulls: { from: string; src: string; dest: string; line?: number }[];
  installs: Located<string>[];
  workdir?: Located<string>;
}

/** ENV variables servers read their listen address from, and how to get the port out of each. */
const LISTEN_ENV: Readonly<Record<string, RegExp>> = {
  PORT: /^(\d{2,5})$/,
  HTTP_PORT: /^(\d{2,5})$/,
  SERVER_PORT: /^(\d{2,5})$/,
  ASPNETCORE_HTTP_PORTS: /^(\d{2,5})\b/,
  ASPNETCORE_URLS: /^https?:\/\/[^;:/]+:(\d{2,5})\b/,
  // uvicorn reads each option from UVICORN_<NAME>
  UVICORN_PORT: /^(\d{2,5})$/,
  // `flask run` reads its options from FLASK_RUN_<NAME>
  FLASK_RUN_PORT: /^(\d{2,5})$/,
};

/**
 * ENV variables a server reads extra command-line arguments from: they set the port only when they hold a bind
 * address (gunicorn's `GUNICORN_CMD_ARGS="--bind=0.0.0.0:8000 --workers=3"`, or `-b :8000`); other arguments leave it.
 */
const LISTEN_ARGS_ENV: Readonly<Record<string, RegExp>> = {
  GUNICORN_CMD_ARGS: /(?:^|\s)(?:--bind[=\s]|-b\s?)\s*["']?[^\s"']*?:(\d{2,5})(?=["'\s]|$)/,
};

/** `target`: the stage a compose `build.target` selects; the shipped stage is guessed without one. */
export function parseDockerfile(path: string, text: string, target?: string): DockerfileFacts {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  const copied: Copied[] = [];
  const copiedIn: (Stage | undefined)[] = [];
  for (const ins of instructions(text)) {
    const stage = stages[stages.length - 1];
    const at = loc(path, ins.line);
    switch (ins.keyword) {
      case 'FROM': {
        const [ref = '', as, name] = ins.args.split(/\s+/).filter((t) => !t.startsWith('--'));
        const image = substitute(ref, globalArgs);
        // `FROM base AS final` starts from an earlier stage: its ENV, EXPOSE, CMD … carry over.
        const parent = stages.find((s) => s.name !== undefined && s.name === image.toLowerCase());
        const next: Stage = parent
          ? { ...parent, image: { value: image, source: at }, env: new Map(parent.env), volumes: [...parent.volumes], pulls: [...parent.pulls], installs: [...parent.installs], exposed: [...(parent.exposed ?? [])], lineage: [...parent.lineage, parent.name ?? ''] }
          : { image: { value: image, source: at }, env: new Map(globalArgs), volumes: [], pulls: [], installs: [], lineage: [] };
        if (as?.toLowerCase() === 'as' && name) next.name = name.toLowerCase();
        else delete next.name;
        stages.push(next);
        break;
      }
      case 'ARG':
      case 'ENV':
        for (const [k, raw] of assignments(ins.args)) {
          const vars = stage?.env ?? globalArgs;
          // Docker expands a value when it is set (`ARG PORT=3000` then `ENV PORT=${PORT}` is 3000, not itself).
          const v = substitute(raw, vars);
          vars.set(k, v);
          const pattern = LISTEN_ENV[k];
          if (stage && pattern && ins.keyword === 'ENV') {
            const port = Number(pattern.exec(v)?.[1]);
            stage.listen = { value: Number.isInteger(port) && port > 0 && port < 65536 ? port : null, source: at };
          }
          const args = LISTEN_ARGS_ENV[k]?.exec(v);
          const argsPort = Number(args?.[1]);
          if (stage && args && ins.keyword === 'ENV' && argsPort > 0 && argsPort < 65536) stage.listen = { value: argsPort, source: at };
        }
        break;
      case 'COPY':
      case 'ADD': {
        const from = /(?:^|\s)--from=(\S+)/.exec(ins.args)?.[1]?.toLowerCase();
        const argv = execForm(ins.args) ?? ins.args.split(/\s+/).filter((t) => !t.startsWith('--'));
        if (from !== undefined) {
          const dest = argv[argv.length - 1];
          if (stage && dest !== undefined) for (const src of argv.slice(0, -1)) stage.pulls.push({ from, src, dest, line: ins.line });
          break;
        }
        const dest = argv.length > 1 ? argv[argv.length - 1] : undefined;
        for (const src of argv.slice(0, -1)) {
          const where = dest === undefined ? {} : { dest };
          copied.push(stage?.name === undefined ? { value: src, source: at, ...where } : { value: src, source: at, stage: stage.name, ...where });
          copiedIn.push(stage);
        }
        break;
      }
      case 'RUN':
        if (stage) stage.installs.push(...installedPackages(ins.args).map((value) => ({ value, source: at })));
        break;
      case 'WORKDIR': {
        if (!stage) break;
        // A relative WORKDIR continues from the previous one (a base image's own is unknown here: `/`).
        const dir = substitute(ins.args.trim().replace(/^["']|["']$/g, ''), stage.env);
        if (dir.includes('$')) delete stage.workdir;
        else if (dir) stage.workdir = { value: posix.resolve(stage.workdir?.value ?? '/', dir), source: at };
        break;
      }
      case 'VOLUME': {
        if (!stage) break;
        const paths = execForm(ins.args) ?? ins.args.split(/\s+/);
        for (const p of paths) if (p) stage.volumes.push({ value: substitute(p, stage.env), source: at });
        break;
      }
      case 'EXPOSE': {
        if (!stage) break;
        const ports = ins.args.split(/\s+/).map((token) => Number(substitute(token, stage.env).split('/')[0])).filter((port) => Number.isInteger(port) && port > 0 && port < 65536);
        stage.exposed = [...(stage.exposed ?? []), ...ports.map((value) => ({ value, source: at }))];
        // The first port is the app's unless a later one replaces it (replacesExposed): an all-in-one image's bundled
        // database (`EXPOSE 27017 3000`), a mail server's SMTP and IMAP listeners before its web pages (`EXPOSE 25`, …, `EXPOSE 80`).
        for (const port of ports) if (!stage.expose || replacesExposed(stage.expose.value, port)) stage.expose = { value: port, source: at };
        break;
      }
      case 'CMD':
      case 'ENTRYPOINT': {
        if (!stage) break;
        const argv = execForm(ins.args);
        const entry = { argv, text: argv ? shellJoin(argv) : ins.args, line: ins.line };
        if (ins.keyword === 'CMD') stage.cmd = entry;
        else stage.entrypoint = entry;
        break;
      }
      case 'HEALTHCHECK': {
        const path = /https?:\/\/[^/\s'"]+(\/[^\s'"|;&]*)/.exec(ins.args)?.[1];
        if (stage && path) stage.health = { value: path, source: at };
        if (stage) stage.probe = ins.args;
        break;
      }
    }
  }
  const targeted = target === undefined ? undefined : stages.find((s) => s.name === target.toLowerCase());
  const last = targeted ?? targetStage(stages);
  const facts: DockerfileFacts = { path, images: stages.map((s) => s.image), volumes: last?.volumes ?? [], copied };
  if (!last) return facts;
  const baseOf = (stage: Stage): Located<string> => (stage.lineage.length > 0 ? stages.find((s) => s.name === stage.lineage[0])?.image : undefined) ?? stage.image;
  if (targeted) facts.targetBase = baseOf(targeted);
  facts.shippedBase = baseOf(last);
  copiedIn.forEach((s, i) => {
    const copy = copied[i];
    if (copy && s && (s === last || (s.name !== undefined && last.lineage.includes(s.name)))) copy.shipped = true;
  });
  const probed = last.expose && !probesSideListener(text) ? probedPort(last, metricsPorts(text)) : undefined;
  const exposed = (last.exposed ?? []).filter((e, i, all) => all.findIndex((o) => o.value === e.value) === i);
  // A mail or IRC server's image exposing only its protocols' ports declares no HTTP port (its web API, if any, is opt-in).
  if (last.expose && !probed && exposed.every((e) => OTHER_PROTOCOL_PORTS.has(e.value))) facts.otherProtocolsOnly = last.expose.source;
  else {
    if (last.expose) facts.exposedPort = probed ?? last.expose;
    if (!probed && exposed.length > 1) facts.exposedPorts = exposed;
  }
  const shipped = [...new Set(last.pulls.flatMap((p) => [baseName(p.src), baseName(p.dest)]).filter((n) => n && n !== '.'))];
  if (shipped.length > 0) facts.shipped = shipped;
  if (last.installs.length > 0) facts.installed = last.installs;
  if (last.pulls.length > 0) facts.shippedPaths = last.pulls.map((p) => ({ value: p.src, source: loc(path, p.line) }));
  if (last.workdir) facts.workdir = last.workdir;
  const pulledFrom = new Set(last.pulls.map((p) => p.from.toLowerCase()));
  const pulledStages = [...new Set(stages.filter((s) => s.name !== undefined && pulledFrom.has(s.name)).flatMap((s) => [s.name ?? '', ...s.lineage]))];
  if (pulledStages.length > 0) facts.pulledStages = pulledStages;
  const listen = last.listen ?? programPort(last.env, shipped, path, text);
  if (listen) facts.listenPort = listen;
  if (last.health) facts.healthCheckPath = last.health;
  const command = effectiveCommand(path, last);
  if (command) facts.command = command;
  const from = command && commandStageOf(command.value, last.pulls);
  if (from) facts.commandStage = from;
  const built = from === undefined ? undefined : stages.find((s) => s.name === from);
  if (built) facts.commandBase = baseOf(built);
  return facts;
}

/** Package names an OS package manager installs in a RUN line (`apk add --no-cache redis nginx`, `apt-get install -y mongodb-org=7.0.2`). */
function installedPackages(run: string): string[] {
  const out: string[] = [];
  for (const m of run.matchAll(/\b(?:apk\s+add|(?:apt-get|apt|yum|dnf|microdnf)\s+(?:-\S+\s+)*install)\s+([^;&|]*)/g)) {
    for (const token of (m[1] ?? '').split(/\s+/)) if (/^[a-z0-9][\w.+-]*(?:[=~<>].*)?$/.test(token)) out.push(token.replace(/[=~<>].*$/, ''));
  }
  return out;
}


/** `STUMP_PORT=10801`, `PHOTOVIEW_LISTEN_PORT=80`: a port variable named for a program the image ships. */
const PROGRAM_PORT_ENV = /^([A-Z][A-Z0-9]*)_(?:HTTP_|LISTEN_|SERVER_|WEB_)?PORT$/;

/**
 * The listen port an ENV named after the image's own program sets (its server reads STUMP_PORT), when no
 * standard listen variable does: the prefix must be a file the shipped stage copies from a build stage,
 * so a DB_PORT or SMTP_PORT for some other server never counts.
 */
function programPort(env: ReadonlyMap<string, string>, shipped: readonly string[], path: string, text: string): Located<number> | undefined {
  const programs = new Set(shipped.map((n) => n.toLowerCase()));
  for (const [key, value] of env) {
    const prefix = PROGRAM_PORT_ENV.exec(key)?.[1]?.toLowerCase();
    const port = Number(/^(\d{2,5})$/.exec(value)?.[1]);
    if (prefix && programs.has(prefix) && Number.isInteger(port) && port > 0 && port < 65536) {
      return { value: port, source: loc(path, findLine(text, new RegExp(String.raw`\b${key}=`))) };
    }
  }
  return undefined;
}

/**
 * The build stage whose output the command runs: the `COPY --from` that lands the command's
 * executable (`COPY --from=build /src/server /app/server` + `CMD ["/app/server"]`, or a copy into a
 * folder keeping the file's name, the folder written with or without its trailing slash), or the
 * program an entrypoint script is given as an argument.
 */
function commandStageOf(command: string, pulls: Stage['pulls']): string | undefined {
  const intoFolder = (dest: string) => dest.endsWith('/') || dest === '.' || dest === './';
  // The executable, else a later argument: an entrypoint script runs the program it is given (`entrypoint.sh ./server`).
  for (const word of command.trim().split(/\s+/)) {
    const path = word.replace(/["']/g, '');
    const exe = baseName(path);
    if (!exe || path.startsWith('-')) continue;
    // `COPY --from=build /go/bin/api /app` onto an existing /app folder lands /app/api: the command names that path.
    const landsIn = (p: Stage['pulls'][number]) => path === `${withoutTrailingSlashes(p.dest)}/${baseName(p.src)}`;
    const from = pulls.find((p) => baseName(intoFolder(p.dest) ? p.src : p.dest) === exe || landsIn(p))?.from;
    if (from) return from;
  }
  return undefined;
}

/** Stage names that mark the image a multi-target Dockerfile ships. */
const SHIPPED_STAGE = /^(?:release|production|prod|runtime|final)$/;

/**
 * The stage that is the app's image: the last one, unless a stage named for release/production comes
 * earlier and the last one does not start from it (a CI, test or artifact target appended after it).
 */
function targetStage(stages: readonly Stage[]): Stage | undefined {
  const last = stages[stages.length - 1];
  const shipped = stages.filter((s) => s.name !== undefined && SHIPPED_STAGE.test(s.name)).pop();
  if (!last || !shipped || shipped === last || last.lineage.includes(shipped.name ?? '')) return last;
  return shipped;
}

/** Docker's rule: exec ENTRYPOINT + CMD as arguments; a shell-form ENTRYPOINT ignores CMD. */
function effectiveCommand(path: string, stage: Stage): Located<string> | undefined {
  const { entrypoint, cmd } = stage;
  // (`ENTRYPOINT []` clears the base image's entrypoint: CMD alone runs.)
  if (entrypoint && entrypoint.argv?.length !== 0) {
    const text = entrypoint.argv && cmd ? `${entrypoint.text} ${cmd.text}` : entrypoint.text;
    return { value: text, source: loc(path, entrypoint.line) };
  }
  return cmd ? { value: cmd.text, source: loc(path, cmd.line) } : undefined;
}

/** Default ports of backing stores an all-in-one image may bundle (MongoDB, Redis, Postgres, MySQL, Elasticsearch, RabbitMQ, Memcached). */
const STORE_PORTS = new Set([27017, 6379, 5432, 3306, 9200, 5672, 11211]);
/** Well-known ports of protocols other than HTTP a server may listen on beside its web pages: SMTP, submission, POP3, IMAP, SSH, FTP, DNS, LDAP, IRC, XMPP, SIP. */
export const OTHER_PROTOCOL_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 110, 995, 143, 993, 22, 21, 53, 389, 636, 6667, 6697, 5222, 5269, 5060, 5061]);
/** Ports web servers conventionally listen on: what another protocol's port gives way to (not an exporter's or ManageSieve's). */
const WEB_PORTS = new Set([80, 443, 8080, 8000, 8443, 8081, 8888, 3000, 5000]);
/** A later EXPOSEd port replaces the one chosen so far: any other than a store's replaces a bundled store's, a web port replaces another protocol's. */
const replacesExposed = (chosen: number, port: number): boolean => (STORE_PORTS.has(chosen) ? !STORE_PORTS.has(port) : OTHER_PROTOCOL_PORTS.has(chosen) && WEB_PORTS.has(port));

/**
 * A port the Dockerfile names as its metrics or management listener (`ENV METRICS_PORT=8001`, `KC_HTTP_MANAGEMENT_PORT=9000`,
 * `MANAGEMENT_SERVER_PORT=8081`, `#   METRICS_PORT - … (default: 8001)`); the run up to the number is bounded to stay linear.
 */
const METRICS_PORT = /(?:METRICS|MANAGEMENT)(?:_SERVER)?_PORT\b[^\n\d]{0,200}(\d{2,5})\b/gi;
/** A comment line saying it introduces a probe of a side listener (`# Health check against the management port`); the keyword in a lookahead keeps it linear. */
const SIDE_LISTENER_COMMENT = /^[ \t]*#(?=[^\n]*?\b(?:management|admin|metrics)[ \t]+(?:port|listener|server)\b)[^\n]*\n[ \t]*HEALTHCHECK\b/im;
/** The final stage's HEALTHCHECK is introduced by such a comment: it probes that side port, and the first EXPOSE stays the app's. */
const probesSideListener = (text: string): boolean => SIDE_LISTENER_COMMENT.test(lastStageText(text));

/** A Dockerfile's text from its last `FROM` on: the stage the image ships. (`[ \t]`, not `\s`: a `^\s*` run across blank lines would rescan them from every line start.) */
export function lastStageText(text: string): string {
  const froms = [...text.matchAll(/^[ \t]*FROM[ \t]/gim)];
  return text.slice(froms.at(-1)?.index ?? 0);
}
const metricsPorts = (text: string): Set<number> => new Set([...text.matchAll(METRICS_PORT)].map((m) => Number(m[1])));

/**
 * Of several EXPOSEd ports, the one the image's HEALTHCHECK probes (`curl -f http://localhost:8080/health`,
 * `wget localhost:${WEB_ADDR:-0.0.0.0:9000}`): the server it checks is the app's HTTP one, the others are
 * listeners of other protocols (SMTP, POP3, UPnP) in the same process. Nothing when the probe names none or several,
 * probes over https, or probes the port the Dockerfile names as its metrics listener. A probe URL with no port checks 80.
 */
function probedPort(stage: Stage, metrics: ReadonlySet<number>): Located<number> | undefined {
  const exposed = stage.exposed ?? [];
  // An https probe checks the TLS port of a server that also serves plain HTTP: the plain one stays first.
  if (!stage.probe || /https:\/\//i.test(stage.probe) || new Set(exposed.map((e) => e.value)).size < 2) return undefined;
  const named = exposed.filter((e, i) => exposed.findIndex((o) => o.value === e.value) === i && new RegExp(`:${e.value}(?!\\d)`).test(stage.probe ?? ''));
  // A probe of the metrics listener's /health checks that side port, not the app's own: the first EXPOSE stays.
  if (named.length === 1) return !metrics.has(named[0]?.value ?? -1) ? named[0] : undefined;
  // `curl http://localhost/health` names no port: it probes HTTP's own, 80 (Zulip's image exposes SMTP's 25 first).
  return named.length === 0 && PORTLESS_HTTP_URL.test(stage.probe) ? exposed.find((e) => e.value === 80) : undefined;
}

/** An http:// URL with no port after its host (`http://localhost/health`, `http://127.0.0.1`). */
const PORTLESS_HTTP_URL = /\bhttp:\/\/[\w.-]+(?=[/\s"'?]|$)/i;

/**
 * A container build file by its name: `Dockerfile`, a variant after a dot or a hyphen (`Dockerfile.prod`, `Dockerfile-alpine`), `api.Dockerfile`;
 * not BuildKit's per-Dockerfile ignore file (`Dockerfile.dockerignore`).
 */
const DOCKERFILE_NAMES = /^(?!.*\.dockerignore$)(?:Dockerfile|dockerfile|Containerfile|Dockerfile[.-][\w.-]+|[\w.-]+\.[Dd]ockerfile)$/;

/** Whether the file at `path` is a container build file by its name (see DOCKERFILE_NAMES). */
export const isDockerfile = (path: string): boolean => DOCKERFILE_NAMES.test(path.split('/').pop() ?? path);

/** Folders that hold the app's own container build when it is not at the root (`.docker/` is the hidden form of `docker/`). */
const DOCKER_DIRS = ['docker', '.docker', 'deploy', 'dockerfiles', 'docker-build'];
/** Folders whose `docker/` subfolder holds the app's image: `deploy/docker/`, and `contrib/docker/` where a project keeps its
 * packaging beside other integrations (a Dockerfile installing the released package); operations and packaging trees
 * (`ops/docker/`, `packaging/docker/`, `deployment/docker/`) likewise. */
const DOCKER_FOLDER_PARENTS = [...DOCKER_DIRS, 'contrib', 'ops', 'packaging', 'deployment', 'deployments', 'infra'];
/** Folders of a `build/` packaging tree that hold the app's image. */
const BUILD_IMAGE_DIRS = ['package', 'docker', 'linux'];

/**
 * The app's Dockerfile: the root `Dockerfile` (unless a development compose builds it and one production variant sits beside
 * it, `Dockerfile.production`: then that), else another root variant by name, else the one the
 * compose app service builds from the root (or from a subfolder when it is compose's only build), else the only one in a docker/ or deploy/ folder (or build/package/, build/docker/, build/linux/). (A
 * service built from a subfolder is an app of its own: see monorepo.ts.)
 */
export function findDockerfile(snapshot: RepoSnapshot, compose?: ComposeFacts, own?: (s: ComposeService) => boolean): DockerfileFacts | undefined {
  const candidates = [...snapshot.files.keys()].filter((p) => DOCKERFILE_NAMES.test(p));
  const app = own ? appService(compose, own) : appService(compose);
  // A subfolder build is the app's own image when it is the only first-party thing compose builds (web + a
  // database; a proxy built from its config file is not the app's).
  const onlyBuild = (compose?.services ?? []).filter((s) => s.built && (own?.(s) ?? true)).length === 1;
  const built = app?.context === '' || onlyBuild ? app?.dockerfile : undefined;
  const inDockerDir = [...snapshot.files.keys()].filter((p) => {
    const parts = p.split('/');
    // `deploy/docker/Dockerfile`: the docker folder of the deploy folder is as much the app's build folder as `docker/`.
    const nested = parts.length === 3 && parts[1] === 'docker' && DOCKER_FOLDER_PARENTS.includes(parts[0] ?? '');
    const dir = parts.length === 2 ? parts[0] : undefined;
    // `build/package/Dockerfile` (Go's project layout), `build/linux/Dockerfile` (the Linux image beside build/windows/).
    const buildDir = parts.length === 3 && parts[0] === 'build' && BUILD_IMAGE_DIRS.includes(parts[1] ?? '');
    return ((dir !== undefined && DOCKER_DIRS.includes(dir)) || nested || buildDir) && DOCKERFILE_NAMES.test(parts[parts.length - 1] ?? '');
  });
  // Compose building a development image (`docker/dev.Dockerfile`) beside the production one: the app's image is the latter.
  // …or, the development Dockerfile kept in a folder of its own (`dockerfiles/django/Dockerfile-dev`), the one beside it.
  // …or compose mounts the checkout over the image it builds (a development setup whatever the Dockerfile's name), and one
  // Dockerfile of the repository is marked as the production build (`docker/production/Dockerfile`): the latter.
  // The root Dockerfile a development compose builds (mounting the checkout) beside one production variant of its own (`Dockerfile.production`; not a test build).
  const rootProduction = built === 'Dockerfile' && developmentComposeBuild(app) ? onlyOne(candidates.filter((p) => p !== 'Dockerfile' && PRODUCTION_BUILD.test(p) && !notShipped(p))) : undefined;
  const production = built !== undefined && isDevelopmentBuild(built) ? (productionBuild(inDockerDir, built) ?? productionBuild(besideDockerfiles(snapshot, built), built)) : built !== undefined && developmentComposeBuild(app) ? productionMarked(snapshot, built) : undefined;
  const path =
    (candidates.includes('Dockerfile')
      ? (rootProduction ?? (rootCiImage(snapshot) ? appImageBesideCiRoot(snapshot, built, inDockerDir) : undefined) ?? 'Dockerfile')
      : (composeBuiltVariant(candidates, compose, own) ?? candidates.sort(productionFirst)[0])) ??
    production ??
    (built !== undefined && snapshot.files.has(built) ? built : undefined) ??
    (onlyOne(inDockerDir) ?? plainlyNamed(inDockerDir) ?? productionNamed(inDockerDir) ?? agreeingBuild(snapshot, inDockerDir.filter((p) => !notShipped(p))) ?? standardVariant(snapshot));
  if (path === undefined) return soleRootBuild(snapshot) ?? agreeingVariants(snapshot);
  const text = snapshot.files.get(path);
  const target = app?.target !== undefined && path === app.dockerfile && !developmentTarget(snapshot, app) ? composeValue(snapshot, app.target) : undefined;
  return text === undefined ? undefined : parseDockerfile(path, text, target);
}

/** A variant folder's name for the image a project ships by default. */
const STANDARD_VARIANT = /^(?:standard|default|main|prod|production|release)$/i;

/**
 * Variants of the app's image kept in folders of the docker folder (`docker/standard/Dockerfile` beside
 * `docker/unprivileged/Dockerfile`): the one in the folder named for the standard or production build (dev and
 * test variant folders, and development builds, aside).
 */
function standardVariant(snapshot: RepoSnapshot): string | undefined {
  const variants = [...snapshot.files.keys()].filter((p) => {
    const parts = p.split('/');
    return parts.length === 3 && DOCKER_DIRS.includes(parts[0] ?? '') && !NOT_DEPLOY_VARIANT.test(parts[1] ?? '') && DOCKERFILE_NAMES.test(parts[2] ?? '') && !notShipped(p);
  });
  return onlyOne(variants.filter((p) => STANDARD_VARIANT.test(p.split('/')[1] ?? '')));
}

/**
 * Root variants by name, development, test and CI builds after the rest (`Dockerfile.prod` before `Dockerfile.dev`), and one
 * named for production or release first among the others (`Dockerfile-release` before `Dockerfile-build-alpine`): what ships.
 */
function productionFirst(a: string, b: string): number {
  const shipping = (p: string): number => Number(PRODUCTION_BUILD.test(baseName(p)) || RELEASE_NAMED.test(baseName(p).replace(/[Dd]ockerfile/, '')));
  return Number(notShipped(a)) - Number(notShipped(b)) || shipping(b) - shipping(a) || compare(a, b);
}
/** A build named for a release (beside PRODUCTION_BUILD's production names). */
const RELEASE_NAMED = /(?:^|[._-])release(?:[._-]|$)/i;
/** Names of builds that test, lint, debug or serve as a base: not the app's image. */
const NOT_SHIPPED_BUILD = /(?:^|[._-])(?:tests?|ci|base|debug)(?:[._-]|$)/i;

/** A development, test, CI or base build by its file name (`Dockerfile.dev`, `test.Dockerfile`): not the image that ships. */
function notShipped(path: string): boolean {
  return isDevelopmentBuild(path) || NOT_SHIPPED_BUILD.test((path.split('/').pop() ?? path).replace(/[Dd]ockerfile/, ''));
}

/**
 * Of several root Dockerfile variants and no plain `Dockerfile` (`Dockerfile.web`, `Dockerfile.paperspace`), the one
 * compose builds from the root: the app's image; the others build something compose does not run (a training or
 * experiment container). A development build is not preferred over the rest; several built variants decide nothing.
 */
function composeBuiltVariant(candidates: readonly string[], compose: ComposeFacts | undefined, own?: (s: ComposeService) => boolean): string | undefined {
  const built = new Set((compose?.services ?? []).filter((s) => s.built && s.context === '' && s.dockerfile !== undefined && (own?.(s) ?? true)).map((s) => s.dockerfile ?? ''));
  const chosen = candidates.filter((p) => built.has(p) && !isDevelopmentBuild(p));
  return onlyOne(chosen);
}

/** A compose value with its `${VAR}` / `${VAR:-default}` resolved from `.env`, or the env files the repository commits for it; undefined if a variable stays unknown. */
function composeValue(snapshot: RepoSnapshot, value: string): string | undefined {
  const resolved = substitute(value, envFileValues(snapshot, ['.env', ...DEPLOY_ENV_FILES]));
  return resolved.includes('$') ? undefined : resolved;
}

/**
 * A command that runs the test suite (`npm test`, `pytest`, `go test`, `phpunit`): it exits when the suite ends. The program may
 * be called from a bin folder or the working folder (`../../vendor/bin/phpunit`, `node_modules/.bin/jest`, `./gradlew test`);
 * a path elsewhere is an argument (`--directory /srv/coverage/jest`), not the program.
 */
export const TEST_COMMAND = /(?:^|[\s;&|])(?:(?:[^\s/]*\/)*\.?bin\/|\.\/)?(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test(?::[\w:-]+)?|run[-_]?tests?(?:\.sh)?|pytest|go\s+test|jest|vitest|rspec|bundle\s+exec\s+rspec|phpunit|cypress\s+run|playwright\s+test|mvnw?\s+(?:\S+\s+)*(?:test|verify)|gradlew?\s+(?:\S+\s+)*test)\b/;

/** Language images whose own command is an interpreter prompt or a shell: an image built on one runs nothing of the app unless it declares a command. */
export const TOOLCHAINS = 'python|node|ruby|golang|rust|openjdk|eclipse-temurin|amazoncorretto|maven|gradle|elixir|erlang|buildpack-deps';
const TOOLCHAIN_IMAGE = new RegExp(`^(?:docker\\.io\\/)?(?:library\\/)?(?:${TOOLCHAINS})(?:[:@]|$)`, 'i');

/**
 * The root Dockerfile is a CI or test image, not the one that runs the app: it declares no command and its last
 * stage starts from a language toolchain image (`FROM python:3.8`, then `pip install -e .[tests]`), or its command
 * only runs the test suite (`CMD ["./vendor/bin/phpunit"]`, the runner possibly called by its path).
 */
const rootCiImage = perSnapshot((snapshot: RepoSnapshot): boolean => {
  // Once per snapshot: findDockerfile runs several times per analysis.
  const facts = parseDockerfile('Dockerfile', snapshot.files.get('Dockerfile') ?? '');
  const last = facts.images[facts.images.length - 1]?.value;
  if (!facts.command) return last !== undefined && TOOLCHAIN_IMAGE.test(last);
  return TEST_COMMAND.test(facts.command.value.replace(/(^|\s)\S*\//g, '$1'));
});

/** Beside a root CI/test image, the image compose builds the app from, else the one docker-folder image with a command. */
function appImageBesideCiRoot(snapshot: RepoSnapshot, built: string | undefined, inDockerDir: readonly string[]): string | undefined {
  return built !== undefined && built !== 'Dockerfile' && snapshot.files.has(built) ? built : soleCommandImage(snapshot, inDockerDir);
}

/**
 * The one Dockerfile of the docker folders that declares a command (CMD or ENTRYPOINT): the image that runs the app;
 * of several, the one named plainly (`docker/Dockerfile` beside its from-source variant `docker/Dockerfile-src`).
 */
function soleCommandImage(snapshot: RepoSnapshot, paths: readonly string[]): string | undefined {
  const withCommand = paths.filter((p) => parseDockerfile(p, snapshot.files.get(p) ?? '').command !== undefined);
  return onlyOne(withCommand) ?? plainlyNamed(withCommand);
}

/**
 * The only Dockerfile in the folder of the app's build file (or, with none there, in that folder's docker/
 * or deploy/ folder), when that file sits below the root (the application project of a Gradle build,
 * `api/build.gradle`; a .NET project, `src/Web/Web.csproj`): that app's image.
 */
export function dockerfileBesideManifest(snapshot: RepoSnapshot, manifestPaths: readonly string[]): DockerfileFacts | undefined {
  const dirs = [...new Set(manifestPaths.filter((p) => p.includes('/') && !NOT_APP_BUILD.test(p)).map((p) => p.slice(0, p.lastIndexOf('/') + 1)))];
  const buildsIn = (folders: readonly string[]) => [...snapshot.files.keys()].filter((p) => folders.some((d) => p.startsWith(d) && !p.slice(d.length).includes('/')) && isDockerfile(p));
  const beside = buildsIn(dirs);
  // Else the project's own docker/ (or deploy/) folder: `api/docker/Dockerfile`.
  const builds = beside.length > 0 ? beside : buildsIn(dirs.flatMap((d) => DOCKER_DIRS.map((f) => `${d}${f}/`)));
  const path = onlyOne(builds);
  return path === undefined ? undefined : parseDockerfile(path, snapshot.files.get(path) ?? '');
}

/** Words naming a development build or stage. */
const DEVELOPMENT_WORDS = 'dev|devel|develop|development';
const DEVELOPMENT_NAME = new RegExp(`(?:^|[._-])(?:${DEVELOPMENT_WORDS})(?:[._-]|$)`, 'i');
const DEVELOPMENT_TARGET = new RegExp(`^(?:${DEVELOPMENT_WORDS}|local)$`, 'i');

/** A Dockerfile named for development (`dev.Dockerfile`, `Dockerfile.dev`, `Dockerfile.development`): a dev environment, not the app's image. */
export function isDevelopmentBuild(path: string): boolean {
  const name = (path.split('/').pop() ?? path).replace(/[Dd]ockerfile/, '');
  return DEVELOPMENT_NAME.test(name);
}

/** A bind mount of the repository itself (`.:/var/www/html`, `./:/app`, `${PWD}:/app`): the container runs the checkout, not what its image copied in. */
export const REPOSITORY_MOUNT = /^(?:\.\/?|\$\{?PWD\}?\/?)$/;

/** A compose service that builds an image and mounts the repository over it: a development setup, whatever its Dockerfile is named. */
export function mountsRepository(s: ComposeService | undefined): boolean {
  return s !== undefined && s.built && s.volumes.some((v) => REPOSITORY_MOUNT.test(v.value.source));
}

/**
 * The compose service's build is a development one: a Dockerfile named so (`Dockerfile.dev`), the checkout mounted over
 * the image, or Compose Watch syncing the source into it.
 */
export function developmentComposeBuild(s: ComposeService | undefined): boolean {
  return s?.dockerfile !== undefined && (isDevelopmentBuild(s.dockerfile) || mountsRepository(s) || (s.built && s.watched === true));
}

/** A compose build of the Dockerfile's development stage (`target: development`, `${TARGET:-dev}`): the image that ships is its last stage. */
export function developmentTarget(snapshot: RepoSnapshot, s: ComposeService | undefined): boolean {
  const target = s?.target === undefined ? undefined : composeValue(snapshot, s.target);
  return target !== undefined && DEVELOPMENT_TARGET.test(target);
}

/** The one element, if there is exactly one. */
function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** A build marked as production by a folder (`docker/production/Dockerfile`) or its name (`Dockerfile.prod`); not `products/`. */
const PRODUCTION_BUILD = /(?:^|[/._-])(?:prod|prd|production)(?:[/._-]|$)/i;

/** The one Dockerfile of the repository marked as the production build, other than `dev` (tests, examples and dev containers aside). */
function productionMarked(snapshot: RepoSnapshot, dev: string): string | undefined {
  const marked = [...snapshot.files.keys()].filter((p) => p !== dev && isDockerfile(p) && !notAppBuild(snapshot, p) && PRODUCTION_BUILD.test(p));
  return onlyOne(marked);
}

/** The Dockerfiles in the same folder as `path` (a folder below the root: the root's variants are read elsewhere). */
function besideDockerfiles(snapshot: RepoSnapshot, path: string): string[] {
  if (!path.includes('/')) return [];
  const dir = `${dirOf(path)}/`;
  return [...snapshot.files.keys()].filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/') && DOCKERFILE_NAMES.test(p.slice(dir.length)));
}

/** The one other build in the Docker folder that is not a development, test or base image: the production image. */
function productionBuild(paths: readonly string[], dev: string): string | undefined {
  const others = paths.filter((p) => p !== dev && !notShipped(p));
  return onlyOne(others);
}

/** The one build of a docker folder named as the production one (`Dockerfile.prd` beside `Dockerfile.dev` and `Dockerfile.nginx`). */
function productionNamed(paths: readonly string[]): string | undefined {
  const named = paths.filter((p) => PRODUCTION_BUILD.test(baseName(p)));
  return onlyOne(named);
}

/** Of several builds in one folder (`docker/Dockerfile`, `docker/Base.Dockerfile`), the one named plainly `Dockerfile`: the others build its base images. */
function plainlyNamed(paths: readonly string[]): string | undefined {
  const plain = paths.filter((p) => /(?:^|\/)(?:[Dd]ockerfile|Containerfile)$/.test(p));
  return onlyOne(plain);
}

/** Folders whose Dockerfiles build something other than the app: dev containers, tests (an `integrationtest/` harness too), examples, docs. */
const NOT_APP_BUILD = /(?:^|\/)(?:\.devcontainer|\.github|tests?|testdata|e2e|integration(?:[-_]?tests?)?|itests?|examples?|samples?|docs?|fixtures|node_modules|vendor)\//;
/** CI and build-tool folders at the root (`ci/`, `.ci/`, `.circleci/`, `hack/`): their images run checks, unless one is the release image CI publishes. */
const CI_BUILD_DIR = /^(?:\.circleci|\.?ci|hack)\//;
/** A path in a folder whose Dockerfiles build something other than the app (NOT_APP_BUILD), or a root CI folder's build that is no release image. */
export function notAppBuild(snapshot: RepoSnapshot, path: string): boolean {
  return NOT_APP_BUILD.test(path) || (CI_BUILD_DIR.test(path) && !(isDockerfile(path) && isReleaseImage(parseDockerfile(path, snapshot.files.get(path) ?? ''))));
}
/** A manifest file name that marks a folder as an app's source tree (the root's, or a mounted folder's). */
export const APP_MANIFEST = /^(?:package\.json|requirements\.txt|pyproject\.toml|Pipfile|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(?:\.kts)?|Gemfile|composer\.json|mix\.exs|[^/]+\.[cf]sproj)$/;

/**
 * The repository's only Dockerfile (or the plain one among its variants), kept in a folder of its own (`scripts/`, `build/`, `ops/`) that is not
 * an app of its own (no manifest beside it), when the root is the app and the build copies the root's
 * files in (`COPY . .`, `COPY go.mod go.sum ./`): the image the repository builds for its root app.
 */
function soleRootBuild(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  const paths = [...snapshot.files.keys()];
  const rootManifests = paths.filter((p) => !p.includes('/') && APP_MANIFEST.test(p));
  if (rootManifests.length === 0) return undefined;
  const builds = paths.filter((p) => isDockerfile(p) && !notAppBuild(snapshot, p));
  // (Beside variants in the same folder, `scripts/Dockerfile.action`, the one named plainly `Dockerfile` is the image.)
  const path = onlyOne(builds) ?? (new Set(builds.map(dirOf)).size === 1 ? plainlyNamed(builds) : undefined);
  if (path === undefined) return undefined;
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  if (paths.some((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/') && APP_MANIFEST.test(p.slice(dir.length)))) return undefined;
  const facts = parseDockerfile(path, snapshot.files.get(path) ?? '');
  const copiesRoot = facts.copied.some((c) => joinPath('', c.value) === '' || rootManifests.includes(joinPath('', c.value)));
  return copiesRoot ? facts : undefined;
}

/** The Maven/Gradle source tree's image folder: docker-maven-plugin builds read it, and the Quarkus generator writes its builds there. */
const JVM_DOCKER_DIR = 'src/main/docker/';
/** Builds there, in the order they stand for the app's image: a plain one, else Quarkus's JVM build (the native one needs a GraalVM build first). */
const JVM_DOCKER_BUILDS = ['Dockerfile', 'Dockerfile.jvm'];

/**
 * A JVM project's image built from src/main/docker/ (`Dockerfile`, or Quarkus's `Dockerfile.jvm` beside `Dockerfile.native`),
 * for when nothing else says which build is the app's (no other Dockerfile, no compose or CI build of the published image).
 */
export function jvmDockerFolderBuild(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  if (!['pom.xml', 'build.gradle', 'build.gradle.kts'].some((p) => snapshot.files.has(p))) return undefined;
  const path = JVM_DOCKER_BUILDS.map((name) => `${JVM_DOCKER_DIR}${name}`).find((p) => snapshot.files.has(p));
  return path === undefined ? undefined : parseDockerfile(path, snapshot.files.get(path) ?? '');
}

/**
 * Variant folders (`docker/test/`, `deploy/dev/`, `docker/local/8.3/`) whose compose files and builds are not the
 * deployment; a test network (`docker/regtest/`: the app's image among the nodes and services it is tested
 * against) is a test setup too.
 */
const NOT_DEPLOY_VARIANT = /^(?:tests?|testing|integration|regtest|e2e|ci|dev|devel|develop|development|local|examples?|samples?)$/i;

/**
 * Builds nested deeper in the app's docker/ (or deploy/) folder (`docker/production/nginx/Dockerfile`,
 * `docker/production/apache/Dockerfile`) that all start the same command and expose the same port:
 * variants of one image (web server, base OS), so any of them tells how the app starts; a single one is
 * the app's image by itself. Dev, test and base builds are left out, and so are CI folders' builds unless
 * they are the release image CI publishes (`docker/ci/x86_64/Dockerfile`: a runtime image starting the app);
 * builds that disagree, or declare no command, leave the image undecided.
 */
function agreeingVariants(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  const paths = [...snapshot.files.keys()]
    .filter((p) => {
      const parts = p.split('/');
      const name = parts[parts.length - 1] ?? '';
      if (!(parts.length > 3 && DOCKER_DIRS.includes(parts[0] ?? '') && DOCKERFILE_NAMES.test(name) && !notShipped(p))) return false;
      const variants = parts.slice(1, -1).filter((d) => NOT_DEPLOY_VARIANT.test(d));
      return variants.length === 0 || (variants.every((d) => /^ci$/i.test(d)) && isReleaseImage(parseDockerfile(p, snapshot.files.get(p) ?? '')));
    })
    .sort(compare);
  return agreeing(paths.map((p) => parseDockerfile(p, snapshot.files.get(p) ?? '')));
}

/** The first of several builds when every one declares the same command and exposes the same port: variants of one image. */
function agreeing(builds: readonly DockerfileFacts[]): DockerfileFacts | undefined {
  const [first] = builds;
  return builds.every((b) => b.command !== undefined && b.command.value === first?.command?.value && b.exposedPort?.value === first.exposedPort?.value) ? first : undefined;
}

/**
 * Of several builds in the app's docker folder, none named plainly (`.docker/Dockerfile-alpine`,
 * `.docker/Dockerfile-distroless-static`), the first when those that ship agree on command and port: one image on
 * different base images.
 */
function agreeingBuild(snapshot: RepoSnapshot, shipped: readonly string[]): string | undefined {
  return shipped.length > 1 ? agreeing([...shipped].sort(compare).map((p) => parseDockerfile(p, snapshot.files.get(p) ?? '')))?.path : undefined;
}

/**
 * A build kept in a ci/ folder that ships the app rather than testing it: it declares a command that is not the
 * test suite, and its last stage is a runtime image, not a language toolchain (`FROM alpine`, `COPY --from=binary
 * /stash /usr/bin/`, `CMD ["stash"]`): the release image CI publishes.
 */
function isReleaseImage(facts: DockerfileFacts): boolean {
  const last = facts.images[facts.images.length - 1]?.value;
  return facts.command !== undefined && !TEST_COMMAND.test(facts.command.value.replace(/(^|\s)\S*\//g, '$1')) && last !== undefined && !TOOLCHAIN_IMAGE.test(last);
}

/** Servlet containers by image name (`imageName`): an image built on one serves the war it deploys over HTTP. */
const SERVLET_CONTAINER_IMAGE = /(?:^|\/)(?:tomcat|tomee|jetty|wildfly|payara\/server-(?:full|web)|open-liberty|websphere-liberty)$/;

/** The servlet container (Tomcat, Jetty, WildFly, Open Liberty …) the image's shipped stage runs on, if it runs on one. */
export function servletContainerBase(facts: DockerfileFacts | undefined): Located<string> | undefined {
  const base = facts?.shippedBase;
  return base && SERVLET_CONTAINER_IMAGE.test(imageName(base.value)) ? base : undefined;
}

/**
 * Official web-server images, the port their own Dockerfile EXPOSEs (which an image built FROM them inherits) and the
 * foreground command that runs that server: `php:8.2-apache` and `httpd` 80 (`apache2-foreground`), `nginx` 80, and
 * `php:8.2-fpm` 9000 (`php-fpm`: FastCGI, for a web server in front).
 * (A tag still holding a build argument, `${PHP_VERSION}-apache`, names the variant all the same.)
 */
const RUNS_APACHE = new RegExp(`${COMMAND_WORD_START}(?:${APACHE_FOREGROUND})\\b`);
const RUNS_NGINX = new RegExp(`${COMMAND_WORD_START}(?:${NGINX_FOREGROUND})`);
/** `php-fpm` (`php-fpm8.2`, `php-fpm -F`): the FastCGI server `php:*-fpm` runs, and EXPOSEs 9000 for. */
const RUNS_PHP_FPM = new RegExp(String.raw`${COMMAND_WORD_START}php-fpm[\d.]*(?=\s|$|["';])`);
/** …unless a web server in the same container is the front door (`php-fpm -D && nginx -g 'daemon off;'`, supervisord running both). */
const BESIDE_PHP_FPM = new RegExp(String.raw`${COMMAND_WORD_START}(?:nginx|caddy|frankenphp|apache2(?:ctl|-foreground)?|apachectl|httpd|supervisord)\b|php-fpm[\d.]*\s+(?:-D|--daemonize)\b`);
const SERVER_BASES: readonly { image: RegExp; tag?: RegExp; port: number; runs: RegExp; unlessAlso?: RegExp }[] = [
  { image: /^php$/, tag: /apache/, port: 80, runs: RUNS_APACHE },
  { image: /^php$/, tag: /fpm/, port: 9000, runs: RUNS_PHP_FPM, unlessAlso: BESIDE_PHP_FPM },
  { image: /^httpd$/, port: 80, runs: RUNS_APACHE },
  { image: /^nginx$/, port: 80, runs: RUNS_NGINX },
  { image: /^nginxinc\/nginx-unprivileged$/, port: 8080, runs: RUNS_NGINX },
];

/**
 * The shipped stage's base when it is an official web server's image: the port it exposes and the command that runs its
 * server (the image keeping the base command runs it too).
 */
export function webServerBase(facts: DockerfileFacts | undefined): { port: Located<number>; runs: RegExp; unlessAlso?: RegExp } | undefined {
  const base = facts?.shippedBase;
  if (!base) return undefined;
  const known = SERVER_BASES.find((s) => s.image.test(imageName(base.value)) && (!s.tag || s.tag.test(imageTag(base.value) ?? '')));
  return known ? { port: { value: known.port, source: base.source }, runs: known.runs, ...(known.unlessAlso ? { unlessAlso: known.unlessAlso } : {}) } : undefined;
}

/** Document roots of the official web-server images (nginx's, httpd's, and the /var/www/html convention). */
const WEB_ROOT = /^\/(?:usr\/share\/nginx\/html|usr\/local\/apache2\/htdocs|var\/www\/html)(?:\/|$)/;
/** Configuration a web-server image is given (`/etc/nginx/conf.d/default.conf`). */
const SERVER_CONFIG_DEST = /^\/etc\//;

/**
 * An image that only serves files a build stage made: its shipped stage is nginx's or httpd's own image (not php's), declares
 * no command of its own, and copies in nothing but a build stage's output into the document root and the server's config
 * (`COPY --from=builder /app/build/prod /usr/share/nginx/html/`): static files. The copy's line is returned.
 */
export function staticWebRootImage(snapshot: RepoSnapshot, facts: DockerfileFacts): string | undefined {
  const base = facts.shippedBase;
  if (!base || !webServerBase(facts) || /^php$/.test(imageName(base.value)) || facts.command !== undefined) return undefined;
  const text = snapshot.files.get(facts.path) ?? '';
  const last = lastStageText(text);
  const offset = text.length - last.length;
  // (`--from=` a stage of this Dockerfile, by name or index: not a pulled image's files.)
  const stages = [...text.matchAll(/^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?\S+(?:[ \t]+AS[ \t]+(\S+))?/gim)];
  const stage = (ref: string): boolean => /^\d+$/.test(ref) || stages.some((s) => s[1]?.toLowerCase() === ref.toLowerCase());
  let served: number | undefined;
  for (const m of last.matchAll(/^[ \t]*(?:COPY|ADD)[ \t]+(.+)$/gim)) {
    const words = (m[1] ?? '').split(/\s+/).filter((w) => w !== '');
    const dest = words.filter((w) => !w.startsWith('--')).pop() ?? '';
    const fromStage = words.some((w) => /^--from=/i.test(w) && stage(w.slice('--from='.length)));
    if (fromStage && WEB_ROOT.test(dest)) served ??= offset + (m.index ?? 0);
    else if (!SERVER_CONFIG_DEST.test(dest)) return undefined;
  }
  return served === undefined ? undefined : loc(facts.path, lineAt(text, served));
}

/** Repository path of an image reference: registry, tag and digest dropped (`library/` too). */
export function imageName(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const parts = noDigest.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? '')) parts.shift();
  const last = parts.pop() ?? '';
  parts.push(last.split(':')[0] ?? last);
  return parts.join('/').replace(/^library\//, '');
}

export function imageTag(ref: string): string | undefined {
  const last = (ref.split('@')[0] ?? ref).split('/').pop() ?? '';
  return last.includes(':') ? last.split(':').pop() : undefined;
}

const IMAGE_LANGUAGE: Readonly<Record<string, Language>> = {
  python: 'python', pypy: 'python', node: 'node', golang: 'go', ruby: 'ruby', rust: 'rust',
  openjdk: 'java', java: 'java', 'eclipse-temurin': 'java', amazoncorretto: 'java', maven: 'java', gradle: 'java',
  php: 'php', 'dotnet/aspnet': 'dotnet', 'dotnet/sdk': 'dotnet', 'dotnet/runtime': 'dotnet', elixir: 'elixir',
};

/** `python:3.12-slim` → python 3.12; the version is undefined for tags such as `latest`. */
export function runtimeOfImage(ref: string): { language: Language; version?: string } | undefined {
  const name = imageName(ref);
  // `dotnet/aspnet` needs its namespace: a bare `sdk` or `runtime` could be anything.
  const language = IMAGE_LANGUAGE[name.split('/').slice(-2).join('/')] ?? IMAGE_LANGUAGE[name.split('/').pop() ?? ''];
  if (!language) return undefined;
  const version = /^(\d+(?:\.\d+)*)/.exec(imageTag(ref) ?? '')?.[1];
  return version === undefined ? { language } : { language, version };
}

export interface ComposeService {
  name: string;
  source: string;
  image?: Located<string>;
  /** Built from the repository (has `build:`): this is the app itself. */
  built: boolean;
  /** The `build:` context, relative to the repository root (`''` for the root itself). */
  context?: string;
  /** The Dockerfile `build:` names (context joined with `dockerfile`, default `Dockerfile`). */
  dockerfile?: string;
  /** `build.target`: the Dockerfile stage compose builds, as written (may hold `${VAR}`). */
  target?: string;
  containerPorts: Located<number>[];
  /** `extends: {file, service}`: the service of another compose file this one extends (path from the root), resolved by findCompose. */
  extendsFile?: { file: string; service: string };
  /** Host ports `ports:` publishes (`8080:80` → 8080): two services publishing one cannot run together. */
  hostPorts?: number[];
  /** `command:` as a shell line. */
  command?: Located<string>;
  /** `entrypoint:` as a shell line (it replaces the image's ENTRYPOINT). */
  entrypoint?: Located<string>;
  /** `volumes:` as `source:target` pairs (a named volume's source is its name). */
  volumes: Located<{ source: string; target: string }>[];
  /** `profiles:`: the service only starts when one of these is selected. */
  profiles?: string[];
  /** `depends_on:` service names (list or map form). */
  dependsOn?: string[];
  /** `depends_on:` services waited for with `condition: service_completed_successfully`: jobs that run to their end. */
  awaitsCompletion?: string[];
  /** `environment:` entries as `KEY=value` lines (list or map form; commented-out lines are not entries). */
  environment?: string[];
  /** `links:` service names (`db` of `db:database`). */
  links?: string[];
  /** Loads `env_file:` (its variables are not in this file). */
  envFile?: boolean;
  /** Has a `develop:` section (Compose Watch syncing source into the container): a development setup. */
  watched?: boolean;
}

export interface ComposeFacts {
  path: string;
  services: ComposeService[];
  notes: { fact: string; source: string }[];
}

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** The compose file a self-hosted app ships as the template to copy: its deployment when no compose file is committed. */
const COMPOSE_EXAMPLE_NAMES = ['compose.example.yaml', 'compose.example.yml', 'docker-compose.example.yaml', 'docker-compose.example.yml'];

/** Folders a repository keeps its deployment compose file in when none sits at the root. */
const COMPOSE_DIRS = ['docker', 'deploy'];

/** Among several deployment variants (`docker/standard/`, `docker/oidc/`), the one named as the plain setup. */
const PLAIN_VARIANT = /^(?:production|prod|standard|default)$/i;

/**
 * A compose file one folder deeper (`docker/standard/docker-compose.yml`): the only deployment variant, or of
 * several the plain one; test and development variants do not count.
 */
function variantCompose(snapshot: RepoSnapshot): string | undefined {
  const found = [...snapshot.files.keys()].filter((p) => {
    const [dir, variant, name, ...rest] = p.split('/');
    return rest.length === 0 && COMPOSE_DIRS.includes(dir ?? '') && variant !== undefined && !NOT_DEPLOY_VARIANT.test(variant) && COMPOSE_NAMES.includes(name ?? '');
  }).sort();
  const variants = new Set(found.map((p) => p.split('/')[1]));
  if (variants.size === 1) return found[0];
  return found.find((p) => PLAIN_VARIANT.test(p.split('/')[1] ?? ''));
}

/**
 * A top-level folder named for its compose setup (`docker-compose/`, `docker-compose example/`): the compose
 * file, or the example to copy, that it holds (a `minimal` or other variant name is not the plain one).
 */
function composeFolderFile(snapshot: RepoSnapshot): string | undefined {
  const found = [...snapshot.files.keys()].filter((p) => {
    const [dir, name, ...rest] = p.split('/');
    return rest.length === 0 && /compose/i.test(dir ?? '') && !NOT_DEPLOY_VARIANT.test(dir ?? '') && name !== undefined;
  }).sort();
  const named = (names: readonly string[]): string | undefined => found.find((p) => names.includes(p.split('/')[1] ?? ''));
  return named(COMPOSE_NAMES) ?? named(COMPOSE_EXAMPLE_NAMES);
}

/**
 * With no plain compose file, the root's per-environment ones (`docker-compose-dev.yml`, `docker-compose-prod.yml`):
 * the production one is the deployment, the others are development and staging variants of it.
 */
const PRODUCTION_COMPOSE = /^(?:docker-)?compose[-.](?:prod|production)\.ya?ml$/;
// (…at the root, else in a deployment folder: `docker/docker-compose.prod.yml`.)
const productionCompose = (snapshot: RepoSnapshot): string | undefined => {
  const paths = [...snapshot.files.keys()].sort();
  return paths.find((p) => PRODUCTION_COMPOSE.test(p)) ?? paths.find((p) => COMPOSE_DIRS.includes(dirOf(p)) && PRODUCTION_COMPOSE.test(baseName(p)));
};

/**
 * A plain compose file that only runs backing stores (the development database), beside a production one that builds
 * the app: the production file is the deployment (`docker-compose.yml` with postgres, `docker-compose.prod.yml` with web and jobs).
 */
function productionBesideStoresOnly(snapshot: RepoSnapshot, plain: string | undefined): string | undefined {
  const production = productionCompose(snapshot);
  const plainText = plain === undefined ? undefined : snapshot.files.get(plain);
  // (A plain file pulling its services in through `include:` is not read here: it may well run the app.)
  if (plain === undefined || plainText === undefined || production === undefined || /^include:/m.test(plainText)) return undefined;
  const storeOf = (s: ComposeService) => (s.image === undefined ? undefined : serviceOfImage(s.image.value));
  const ofPlain = parseCompose(plain, plainText).services;
  const ofProduction = parseCompose(production, snapshot.files.get(production) ?? '').services;
  const storesOnly = ofPlain.length > 0 && ofPlain.every((s) => !s.built && storeOf(s) !== undefined);
  // The production file must stand alone: every store the plain one runs runs there too (not an override adding the app
  // to `-f docker-compose.yml -f docker-compose.prod.yml`), and it builds something that is not a store.
  const productionStores = new Set(ofProduction.map(storeOf));
  const standsAlone = ofPlain.every((s) => productionStores.has(storeOf(s)));
  return storesOnly && standsAlone && ofProduction.some((s) => s.built && storeOf(s) === undefined) ? production : undefined;
}

/** The repository's compose file, parsed once per snapshot (the analysis, the monorepo reader and the image view all ask). */
export const findCompose = perSnapshot((snapshot: RepoSnapshot): ComposeFacts | undefined => {
  const plain = COMPOSE_NAMES.find((n) => snapshot.files.has(n));
  const path =
    productionBesideStoresOnly(snapshot, plain) ??
    plain ??
    COMPOSE_EXAMPLE_NAMES.find((n) => snapshot.files.has(n)) ??
    productionCompose(snapshot) ??
    COMPOSE_DIRS.flatMap((d) => COMPOSE_NAMES.map((n) => `${d}/${n}`)).find((n) => snapshot.files.has(n)) ??
    variantCompose(snapshot) ??
    composeFolderFile(snapshot);
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (path === undefined || text === undefined) {
    const parts = composeParts(snapshot);
    return parts === undefined ? undefined : resolvedBuildPaths(snapshot, parts);
  }
  return resolvedBuildPaths(snapshot, withOtherFileBases(snapshot, withIncludedFiles(snapshot, parseCompose(path, text), text)));
});

/** The paths a compose file's top-level `include:` names (`- docker/db.yml`, `- path: [a.yml, b.yml]`), from the repository's root. */
function includedComposePaths(path: string, text: string): string[] {
  if (!/^include:/m.test(text)) return [];
  const doc = parseDocument(text);
  const include = doc.errors.length ? undefined : doc.get('include', true);
  if (!isSeq(include)) return [];
  const named = include.items.flatMap((item) => {
    const entry = isMap(item) ? item.get('path', true) : item;
    return isScalar(entry) ? [entry.value] : isSeq(entry) ? entry.items.map((i) => (isScalar(i) ? i.value : undefined)) : [];
  });
  return named.filter((p): p is string => typeof p === 'string' && !p.includes('$')).map((p) => joinPath(dirOf(path), p));
}

/**
 * A compose file with the files its `include:` pulls in (Compose 2.20+): `docker compose up` starts their services too (the
 * database a `docker/docker-mysql.yml` defines), each read relative to its own file. Included files may include others.
 */
function withIncludedFiles(snapshot: RepoSnapshot, facts: ComposeFacts, text: string, seen = new Set<string>([facts.path])): ComposeFacts {
  let out = facts;
  for (const included of includedComposePaths(facts.path, text)) {
    const body = snapshot.files.get(included);
    if (body === undefined || seen.has(included)) continue;
    seen.add(included);
    const part = withIncludedFiles(snapshot, parseCompose(included, body), body, seen);
    const names = new Set(out.services.map((s) => s.name));
    out = {
      ...out,
      services: [...out.services, ...part.services.filter((s) => !names.has(s.name))].sort((a, b) => compare(a.name, b.name)),
      notes: [...out.notes, ...part.notes, ev(`${facts.path} includes ${included}`, facts.path)],
    };
  }
  return out;
}

/** A compose file named for one part of the system (`docker-compose.postgres.yml`, `docker-compose.api.yml`): group 1 is the part. */
const COMPOSE_PART = /^(?:docker-)?compose\.([\w-]+)\.ya?ml$/;

/**
 * One compose setup split into part files at the root or in a deployment folder, combined with `docker compose -f … -f …`:
 * a part's service depends on a service that only another part defines (the API on the database of
 * `docker-compose.postgres.yml`). Together they are the deployment, every part's services in it. Per-environment
 * variants (`docker-compose.dev.yml`, `.test.yml`) are excluded by name, and whole files of their own reference no other file.
 */
function composeParts(snapshot: RepoSnapshot): ComposeFacts | undefined {
  for (const dir of ['', ...COMPOSE_DIRS]) {
    const paths = [...snapshot.files.keys()]
      .filter((p) => dirOf(p) === dir && !NOT_DEPLOY_VARIANT.test(COMPOSE_PART.exec(baseName(p))?.[1] ?? 'test'))
      .sort(compare);
    if (paths.length < 2) continue;
    const parts = paths.map((p) => parseCompose(p, snapshot.files.get(p) ?? ''));
    const names = parts.map((f) => new Set(f.services.map((s) => s.name)));
    const linked = parts.some((f, i) => f.services.some((s) => (s.dependsOn ?? []).some((d) => !names[i]?.has(d) && names.some((n, j) => j !== i && n.has(d)))));
    if (linked) return { path: paths[0] ?? dir, services: parts.flatMap((f) => f.services), notes: [...parts.flatMap((f) => f.notes), ev(`one compose setup in parts: ${paths.join(', ')}`, paths[0] ?? dir)] };
  }
  return undefined;
}

/**
 * Build paths written with compose variables (`dockerfile: src/main/docker/Dockerfile.${QUARKUS_MODE:-jvm}`) resolved
 * from `.env` or their default: the file compose builds. A variable with neither leaves the path as written.
 */
function resolvedBuildPaths(snapshot: RepoSnapshot, facts: ComposeFacts): ComposeFacts {
  const resolved = (path: string | undefined) => (path?.includes('$') ? (composeValue(snapshot, path) ?? path) : path);
  const services = facts.services.map((s) => (s.context?.includes('$') || s.dockerfile?.includes('$') ? { ...s, context: resolved(s.context), dockerfile: resolved(s.dockerfile) } : s));
  return { ...facts, services };
}

/**
 * The service of a compose file beside a subfolder image (`docker/docker-compose.yml` building `docker/Dockerfile`):
 * how the repository runs that image, when the root compose is about something else (a test run).
 */
export function composeServiceBesideImage(snapshot: RepoSnapshot, dockerfilePath: string): ComposeService | undefined {
  const dir = dirOf(dockerfilePath);
  if (dir === '') return undefined;
  for (const name of COMPOSE_NAMES) {
    const text = snapshot.files.get(`${dir}/${name}`);
    const service = text === undefined ? undefined : parseCompose(`${dir}/${name}`, text).services.find((s) => s.dockerfile === dockerfilePath);
    if (service) return service;
  }
  return undefined;
}

/**
 * Both sides of a `ports:` entry: `"8000"` (container only), `"8080:8000"`, `"127.0.0.1:80:8000/tcp"`,
 * `{target: 8000, published: 8080}`; a range gives its first port.
 */
function portMapping(node: unknown): { host?: number; container?: number } {
  // `${APP_PORT:-8000}:${APP_PORT:-8000}`: compose uses the default when the variable is unset.
  const text = (n: unknown): string => (isScalar(n) ? substitute(String(n.value), NO_VARS).split('/')[0] ?? '' : '');
  const port = (t: string | undefined): number | undefined => {
    const p = Number((t ?? '').split('-')[0]);
    return t && Number.isInteger(p) && p > 0 && p < 65536 ? p : undefined;
  };
  if (isMap(node)) return { host: port(text(node.get('published', true))), container: port(text(node.get('target', true))) };
  const parts = text(node).split(':');
  // A short entry names the host port before the container port.
  return { host: parts.length >= 2 ? port(parts[parts.length - 2]) : undefined, container: port(parts[parts.length - 1]) };
}

/** `a` joined with the relative path `b`, `./` and `../` resolved (a path leaving the repository stays as written). */
export function joinPath(a: string, b: string): string {
  const parts = a ? a.split('/') : [];
  for (const part of b.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Commands that only keep a container up for `exec` (`tail -f /dev/null`, `sleep infinity`): they run nothing of the app's. */
const KEEP_ALIVE = /^(?:tail\s+-[fF]\s+\/dev\/null|sleep\s+(?:infinity|inf))$/;
export const keepsContainerUp = (command: Located<string> | undefined): boolean => command !== undefined && KEEP_ALIVE.test(command.value.trim());
/** An image's or service's command when it runs something: not one that only keeps the container up. */
export const runsSomething = (command: Located<string> | undefined): Located<string> | undefined => (keepsContainerUp(command) ? undefined : command);

/** Development mail catchers: they receive the app's outgoing mail on a developer's machine, by image or program name (compose images and Procfile processes). */
export const MAIL_CATCHERS = 'mailhog|mailpit|maildev|mailcatcher|inbucket|smtp4dev|greenmail';
/** Compose services that run once and exit: seeders, migrations, setup, prepare and compile steps (a chown of the volumes, a pip-compile). */
export const ONE_SHOT = /(?:^|[-_])(?:seed|seeder|migrate|migrator|migration|migrations|init|setup|prepare|prestart|compile)(?:$|[-_])/;

/** Names of the service a system is entered through: its gateway or front end. */
const ENTRY_NAME = /(?:^|[-_])(?:gateway|frontend|front|web|www|ui|edge)(?:$|[-_])/;

/**
 * The service that runs the app itself, among the repository's own (`own`: built here, by default):
 * one that publishes ports, the entry (gateway, front end) first, else the first one, in file order.
 */
export function appService(compose: ComposeFacts | undefined, own: (s: ComposeService) => boolean = (s) => s.built && !ONE_SHOT.test(s.name)): ComposeService | undefined {
  const mine = (compose?.services ?? []).filter(own).sort((a, b) => lineNo(a.source) - lineNo(b.source));
  const serving = mine.filter((s) => s.containerPorts.length > 0);
  return serving.find((s) => ENTRY_NAME.test(s.name)) ?? serving[0] ?? mine[0];
}

const lineNo = (source: string): number => Number(/:(\d+)$/.exec(source)?.[1] ?? 0);

/**
 * A service's key, its own value first, then the maps it merges in (`<<: *defaults`, `<<: [*a, *b]`):
 * compose files share `build:`/`command:` through YAML anchors (`x-app: &app`).
 */
function lookup(doc: Document, body: YAMLMap, key: string, seen = new Set<YAMLMap>()): unknown {
  if (body.has(key)) return body.get(key, true);
  seen.add(body);
  const merged = body.get('<<', true);
  for (const item of isSeq(merged) ? merged.items : [merged]) {
    const target = isAlias(item) ? item.resolve(doc) : item;
    if (!isMap(target) || seen.has(target)) continue;
    const value = lookup(doc, target, key, seen);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Keys a service takes from the one it `extends:` when it does not set them itself: what image it builds and what it runs.
 * Ports are left with the service that declares them (services extending one base cannot all bind its host port; the
 * one that declares it is the one that serves), and compose never shares `depends_on`.
 */
const EXTENDED_KEYS = new Set(['image', 'build', 'command', 'entrypoint', 'volumes', 'environment', 'env_file']);

/** The service of the same file a compose `extends:` names (`extends: base`, `extends: {service: base}`); one in another `file:` is followed by findCompose (withOtherFileBases). */
function extendedService(doc: Document, body: YAMLMap): string | undefined {
  const ext = lookup(doc, body, 'extends');
  if (isScalar(ext) && typeof ext.value === 'string') return ext.value;
  return isMap(ext) && !ext.has('file') && typeof ext.get('service') === 'string' ? String(ext.get('service')) : undefined;
}

/** The service of another compose file a compose `extends:` names (`extends: {file: docker-compose-base.yml, service: base}`). */
function otherFileExtended(doc: Document, body: YAMLMap): { file: string; service: string } | undefined {
  const ext = lookup(doc, body, 'extends');
  if (!isMap(ext)) return undefined;
  const file = ext.get('file');
  const service = ext.get('service');
  return typeof file === 'string' && typeof service === 'string' ? { file, service } : undefined;
}

/**
 * Services that extend a service of another compose file (`docker-compose-base.yml`'s `base` with `build: .`) take from it
 * what they do not set themselves, as within one file (EXTENDED_KEYS): the image it builds, its command, volumes and env.
 * Its ports stay with it (see EXTENDED_KEYS). A base that extends a third file is followed the same way.
 */
function withOtherFileBases(snapshot: RepoSnapshot, facts: ComposeFacts, depth = 0): ComposeFacts {
  if (depth > 3 || !facts.services.some((s) => s.extendsFile)) return facts;
  const services = facts.services.map((s) => {
    const text = s.extendsFile ? snapshot.files.get(s.extendsFile.file) : undefined;
    if (!s.extendsFile || text === undefined || s.extendsFile.file === facts.path) return s;
    const base = withOtherFileBases(snapshot, parseCompose(s.extendsFile.file, text), depth + 1).services.find((b) => b.name === s.extendsFile?.service);
    return base ? inheritFrom(s, base) : s;
  });
  return { ...facts, services };
}

/** A service with the keys it leaves unset taken from the service it extends. */
function inheritFrom(s: ComposeService, base: ComposeService): ComposeService {
  const out: ComposeService = { ...s, volumes: s.volumes.length > 0 ? s.volumes : base.volumes };
  if (!s.built && !s.image && base.built) Object.assign(out, { built: true, context: base.context, dockerfile: base.dockerfile, ...(base.target ? { target: base.target } : {}) });
  if (!s.image && base.image) out.image = base.image;
  if (!s.command && base.command) out.command = base.command;
  if (!s.entrypoint && base.entrypoint) out.entrypoint = base.entrypoint;
  if (!s.environment && base.environment) out.environment = base.environment;
  if (!s.envFile && base.envFile) out.envFile = true;
  return out;
}

/** A service's body and those it extends, itself first (a loop of `extends:` ends where it repeats). */
function extendsChain(doc: Document, bodies: ReadonlyMap<string, YAMLMap>, body: YAMLMap): YAMLMap[] {
  const chain = [body];
  for (let name = extendedService(doc, body); name !== undefined; ) {
    const next = bodies.get(name);
    if (next === undefined || chain.includes(next)) break;
    chain.push(next);
    name = extendedService(doc, next);
  }
  return chain;
}

/** `build:` as compose merges it along `extends:`: each of context, dockerfile and target from the nearest service that sets it (a bare `build: .` sets the context). */
function mergedBuild(doc: Document, chain: readonly YAMLMap[]): { context?: string; dockerfile?: string; target?: string } | undefined {
  const builds = chain.map((b) => lookup(doc, b, 'build')).filter((b) => b !== undefined);
  if (builds.length === 0) return undefined;
  const field = (key: string): string | undefined => {
    for (const b of builds) {
      if (key === 'context' && isScalar(b)) return String(b.value);
      const v = isMap(b) ? b.get(key) : undefined;
      if (typeof v === 'string' && v) return v;
    }
    return undefined;
  };
  return { context: field('context'), dockerfile: field('dockerfile'), target: field('target') };
}

/** The scalar entries of a YAML list (or a map's keys), as strings. */
const scalarStrings = (items: readonly unknown[]): string[] => items.filter((i) => isScalar(i)).map((i) => String((i as { value: unknown }).value));

/**
 * The original compose format (no `version:`, no `services:`): the top-level keys are the services, each a
 * map that builds or pulls its image.
 */
function legacyServices(root: unknown): YAMLMap | undefined {
  if (!isMap(root) || root.has('version') || root.items.length === 0) return undefined;
  const bodies = root.items.map((p) => p.value);
  return bodies.every((b) => isMap(b)) && bodies.some((b) => isMap(b) && (b.has('build') || b.has('image'))) ? root : undefined;
}

export function parseCompose(path: string, text: string): ComposeFacts {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const facts: ComposeFacts = { path, services: [], notes: [] };
  if (doc.errors.length > 0) {
    facts.notes.push(ev(`unparseable ${path}`, path));
    return facts;
  }
  const lineOf = (node: Node | null | undefined): string => (node?.range ? loc(path, lineCounter.linePos(node.range[0]).line) : path);
  const services = doc.get('services', true) ?? legacyServices(doc.contents);
  if (!isMap(services)) return facts;
  const bodies = new Map(services.items.filter((p) => isScalar(p.key) && isMap(p.value)).map((p) => [String((p.key as { value: unknown }).value), p.value as YAMLMap]));
  for (const pair of services.items) {
    if (!isScalar(pair.key)) continue;
    const service: ComposeService = { name: String(pair.key.value), source: lineOf(pair.key), built: false, containerPorts: [], volumes: [] };
    const body = pair.value;
    if (isMap(body)) {
      // What a service `extends:` in this file it runs too, unless it sets the key itself (`dev` extending `base` with another build target and command).
      const chain = extendsChain(doc, bodies, body);
      const get = (key: string): unknown => {
        const own = lookup(doc, body, key);
        return own !== undefined || !EXTENDED_KEYS.has(key) ? own : chain.slice(1).map((b) => lookup(doc, b, key)).find((v) => v !== undefined);
      };
      const image = get('image');
      if (isScalar(image) && typeof image.value === 'string') service.image = { value: image.value, source: lineOf(image) };
      const build = mergedBuild(doc, chain);
      service.built = build !== undefined;
      const other = otherFileExtended(doc, chain[chain.length - 1] ?? body);
      if (other) service.extendsFile = { file: joinPath(dirOf(path), other.file), service: other.service };
      if (build) {
        service.context = joinPath(dirOf(path), build.context ?? '.');
        service.dockerfile = joinPath(service.context, build.dockerfile ?? 'Dockerfile');
        if (build.target) service.target = build.target;
      }
      const shellLine = (node: unknown): Located<string> | undefined =>
        isScalar(node) && typeof node.value === 'string'
          ? { value: node.value.trim(), source: lineOf(node) }
          : isSeq(node) && node.items.every((i) => isScalar(i))
            ? { value: shellJoin(node.items.map((i) => String((i as { value: unknown }).value))), source: lineOf(node) }
            : undefined;
      const command = shellLine(get('command'));
      if (command) service.command = command;
      const entrypoint = shellLine(get('entrypoint'));
      if (entrypoint) service.entrypoint = entrypoint;
      const profiles = get('profiles');
      if (isSeq(profiles)) service.profiles = scalarStrings(profiles.items);
      const depends = get('depends_on');
      const dependsOn = isSeq(depends) ? scalarStrings(depends.items) : isMap(depends) ? scalarStrings(depends.items.map((p) => p.key)) : [];
      if (dependsOn.length) service.dependsOn = dependsOn;
      const completes = isMap(depends) ? scalarStrings(depends.items.filter((p) => isMap(p.value) && p.value.get('condition') === 'service_completed_successfully').map((p) => p.key)) : [];
      if (completes.length) service.awaitsCompletion = completes;
      const environment = get('environment');
      const entries = isSeq(environment) ? scalarStrings(environment.items) : isMap(environment) ? environment.items.filter((p) => isScalar(p.key)).map((p) => `${String((p.key as { value: unknown }).value)}=${isScalar(p.value) ? String(p.value.value ?? '') : ''}`) : [];
      if (entries.length) service.environment = entries;
      const links = get('links');
      if (isSeq(links)) service.links = scalarStrings(links.items).map((l) => l.split(':')[0] ?? l);
      if (get('env_file') !== undefined) service.envFile = true;
      if (get('develop') !== undefined) service.watched = true;
      const volumes = get('volumes');
      for (const item of isSeq(volumes) ? volumes.items : []) {
        const spec = isScalar(item) ? String(item.value).split(':') : isMap(item) ? [String(item.get('source') ?? ''), String(item.get('target') ?? '')] : [];
        if (spec.length >= 2 && spec[0] && spec[1]) service.volumes.push({ value: { source: spec[0], target: spec[1] }, source: lineOf(item as Node) });
      }
      const ports = get('ports');
      for (const item of isSeq(ports) ? ports.items : []) {
        const { host, container } = portMapping(item);
        if (container !== undefined) service.containerPorts.push({ value: container, source: lineOf(item as Node) });
        if (host !== undefined) (service.hostPorts ??= []).push(host);
      }
      // `expose:` publishes no host port but names the port the service listens on for its neighbours (behind a proxy).
      const exposed = get('expose');
      for (const item of isSeq(exposed) ? exposed.items : []) {
        const port = portMapping(item).container;
        if (port !== undefined && !service.containerPorts.some((p) => p.value === port)) service.containerPorts.push({ value: port, source: lineOf(item as Node) });
      }
    }
    facts.services.push(service);
  }
  facts.services.sort((a, b) => compare(a.name, b.name));
  return facts;
}
