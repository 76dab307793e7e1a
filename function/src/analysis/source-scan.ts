// Cheap regex scans of application source: explicit ports, health routes, app objects.
// Regexes, not parsers: they find the common spellings and stay silent otherwise.
import type { RepoSnapshot } from '../types.js';
import { ALL_SOURCE_EXTENSIONS, isTestOrVendored, NON_MAIN_RESOURCES, type SourceFile, SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import type { Language, Located } from './model.js';
import { lineAt, loc } from './text.js';
import { composerLibrary } from './manifests/php.js';
import { APACHE_FOREGROUND, COMMAND_WORD_START, NGINX_FOREGROUND } from './server-commands.js';

function validPort(text: string | undefined): number | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/** First match over files in scan order; group 1 is the captured value. */
function firstMatch(files: readonly SourceFile[], patterns: readonly RegExp[]): { file: SourceFile; match: RegExpExecArray } | undefined {
  for (const file of files) {
    for (const pattern of patterns) {
      const match = pattern.exec(file.text);
      if (match) return { file, match };
    }
  }
  return undefined;
}

/** A gunicorn config file's listen address: `bind = "0.0.0.0:8000"`, `bind = ["0.0.0.0:8000"]`. */
const GUNICORN_BIND = /^bind\s*=\s*(?:\[\s*)?["'][^"'\n]*:(\d{2,5})["']/m;

/** The port a gunicorn config file binds, with its line. */
export function gunicornBindPort(text: string): { port: number; line: number } | undefined {
  const m = GUNICORN_BIND.exec(text);
  const port = validPort(m?.[1]);
  return m && port !== undefined ? { port, line: lineAt(text, m.index) } : undefined;
}

/** Words in a default-port constant's name that make it a store's, another protocol's or a side listener's (`defaultRedisPort`, `defaultDNSPort`, `DefaultMetricsPort`), not the app's. */
const NOT_APP_PORT_NAME = 'redis|postgres|pg|mysql|mongo|db|database|smtp|mail|imap|dns|ssh|ftp|ldap|xmpp|grpc|admin|metrics|debug|health|proxy|tls|https';

/**
 * The `Port` field's default in a Go config struct named for the HTTP server (`type HTTPServer struct {` … `Port int
 * `envconfig:"port" default:"8000"``), never a struct named for a store, another protocol or a side listener
 * (`GrpcServer`, `MetricsServer`; `HTTPServer` is no HTTPS one). The match is the field's line; runs are bounded, the struct
 * body stops at its first brace, and the look back runs only at a `port` field's line (else it would run at every character).
 */
const GO_HTTP_STRUCT_PORT = new RegExp(
  String.raw`^(?=[ \t]*port\s)(?<=^type\s+(?![\w]*(?:${NOT_APP_PORT_NAME.replace('https', 'https(?!erver)')}))\w*(?:http|server|web|api|listen)\w*\s+struct\s*\{[^{}]{0,1500}?)^[ \t]*port\s+\w+\s+\`[^\`\n]{0,300}?\b(?:envDefault|default)\s*:\s*":?(\d{2,5})"`,
  'im',
);

const CODE_PORT: Readonly<Record<Language, readonly RegExp[]>> = {
  // app.run(port=5001), uvicorn.run(app, port=8001); gunicorn.conf.py `bind = "0.0.0.0:8000"`
  // …and aiohttp's web.run_app(app, port=8080), waitress's serve(app, port=8080)
  // (argument runs bounded: an unbounded `[^)\n]*` rescans a long line from every call on it)
  python: [/\.run\([^)\n]{0,300}\bport\s*=\s*(\d{2,5})\b/, /\b(?:run_app|serve)\(\s*\w+\s*,[^)\n]{0,300}\bport\s*=\s*(\d{2,5})\b/, GUNICORN_BIND],
  // app.listen(4000), const PORT = process.env.PORT || 4000, fastify.listen({ port: 3000 }), const PORT = 8080
  node: [/\.listen\(\s*(\d{2,5})\s*[,)]/, /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})\b/, /\.listen\(\s*\{[^}]*\bport:\s*(\d{2,5})\b/, /^\s*(?:export\s+)?(?:const|let|var)\s+PORT\s*(?::\s*number\s*)?=\s*(\d{2,5})\s*;?\s*$/m],
  // http.ListenAndServe(":8080", …), r.Run(":8081"), e.Start(":1323"), app.Listen(":3000"), Addr: ":8080",
  // flag/pflag defaults: fs.Int("port", 9898, …), flag.String("addr", ":8080", …)
  // and the fallback after os.Getenv("PORT"): if port == "" { port = "8080" }
  // viper.SetDefault("server.port", 8080)
  // a config struct's env tag with its default: `env:"PORT" envDefault:"8080"` (caarlos0/env), `envconfig:"PORT" default:"8080"`,
  // and the `Port` field's default in an HTTP server's config struct (GO_HTTP_STRUCT_PORT)
  // (go-flags' `env:"PORT" default:` is left out: its groups namespace the variable, an SMTP or TLS port among them)
  go: [/(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen)\(\s*"[\w.-]*:(\d{2,5})"/, /`[^`\n]{0,300}?\b(?:env\s*:\s*"(?:HTTP_|SERVER_|APP_|WEB_)?PORT"[^`\n]{0,300}?\benvDefault|envconfig\s*:\s*"(?:HTTP_|SERVER_|APP_|WEB_)?PORT"[^`\n]{0,300}?\bdefault)\s*:\s*":?(\d{2,5})"[^`\n]{0,300}`/, GO_HTTP_STRUCT_PORT, /\bSetDefault\(\s*"[\w.-]*(?:port|addr)"\s*,\s*"?(?:[\w.-]*:)?(\d{2,5})\b/i, /Getenv\(\s*"PORT"\s*\)[\s\S]{0,120}?if\s+\w+\s*==\s*""\s*\{\s*\w+\s*=\s*":?(\d{2,5})"/, /\bAddr:\s*"[\w.-]*:(\d{2,5})"/, /\.(?:Int|IntP|String|StringP)\(\s*"(?:port|http-port|addr|listen)"\s*,\s*(?:"\w"\s*,\s*)?(?:"[\w.-]*:)?(\d{2,5})\b/],
  // config/puma.rb: port ENV.fetch("PORT") { 3000 }  /  port 3000
  // and a puma bind URL, in puma's config or as the app's own default (`bind "tcp://0.0.0.0:9292"`, `bind: "tcp://0.0.0.0:9292",`)
  ruby: [/^\s*port\s*\(?\s*ENV\.fetch\(\s*["']PORT["']\s*(?:,\s*(\d{2,5})\s*)?\)\s*(?:\{\s*(\d{2,5})\s*\})?/m, /^\s*port\s+(\d{2,5})\b/m, /^\s*set\s+:port,\s*(\d{2,5})\b/m, /\bbind:?\s*\(?\s*["']tcp:\/\/[\w.[\]:-]*:(\d{2,5})["']/],
  // TcpListener::bind("0.0.0.0:3000"), HttpServer::new(…).bind(("0.0.0.0", 8080))
  // SocketAddr::from(([127, 0, 0, 1], 3000)), SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 8088)
  // the config crate's builder default: .set_default("port", 8888) / .set_default("server.port", 8080) (not "database.port")
  // and a port option's fallback: `cli_options.port.unwrap_or(5050)` (not `config.database.port.unwrap_or(5432)`), clap's
  // `#[arg(long, default_value_t = 8080)] port: u16`
  rust: [/\bbind\(\s*"[\w.[\]:-]*:(\d{2,5})"/, /\bbind\(\s*\(\s*"[^"]*"\s*,\s*(\d{2,5})\s*\)/, /SocketAddr(?:V4)?::(?:from|new)\(\s*\(?\s*(?:\[[\d,\s]+\]|Ipv4Addr::[A-Z_]+(?:\.into\(\))?|[\w:]+\([^)]*\))\s*,\s*(\d{2,5})\s*\)?\s*\)/, /\bset_default\(\s*"(?:(?:server|http|web|app)\.)?(?:http_)?port"\s*,\s*"?(\d{2,5})\b/, /(?<!(?:db|database|redis|cache|smtp|mail|postgres|pg|mysql|mongo|metrics)\w*\.)\bport\s*\.unwrap_or\(\s*(\d{2,5})\s*\)/, /\bdefault_value(?:_t)?\s*=\s*"?(\d{2,5})"?[^\]\n]*\)\]\s*(?:pub\s+)?(?:http_)?port\s*:/],
  // Spring/Quarkus ports live in application.properties/yml (see jvmConfigPort), not code.
  java: [],
  php: [],
  // app.Run("http://0.0.0.0:5000"), builder.WebHost.UseUrls("http://*:5000")
  dotnet: [/\b(?:Run|UseUrls)\(\s*"https?:\/\/[^":]*:(\d{2,5})"/],
  // config :my_app, MyAppWeb.Endpoint, http: [port: 4000], or the default of its PORT lookup (`System.get_env("PORT") || "4000"`, `System.get_env("PORT", "80")`)
  elixir: [/\bhttp:\s*\[[^\]]*\bport:\s*(?:String\.to_integer\(System\.get_env\("PORT"\s*(?:\)\s*\|\||,)\s*"(\d{2,5})"\)|(\d{2,5}))/],
};

/**
 * The default of an environment lookup of PORT, in any language: `os.getenv("PORT", "8000")`,
 * `getEnv("PORT", ":8080")`, `process.env['PORT'] || 8080`, `ENV.fetch("PORT") { 3000 }`,
 * `env::var("PORT").unwrap_or("8080"…)`, `Environment.GetEnvironmentVariable("PORT") ?? "5000"`.
 */
const ENV_DEFAULT_PORT: readonly RegExp[] = [
  /["'](?:HTTP_|SERVER_|APP_)?PORT["']\s*,\s*["':]*(\d{2,5})\b/,
  // …with the app's own prefix (`GetIntFromEnv("DELBM_SERVER_PORT", 1323)`), not another server's (SMTP_SERVER_PORT, DB_HTTP_PORT)
  /["'](?![A-Z0-9_]*?(?:E?MAIL|SMTP|IMAP|DB|DATABASE|PG|POSTGRES|MYSQL|REDIS|MONGO|LDAP|PROXY|METRICS|GRPC|ADMIN|DEBUG)_)[A-Z][A-Z0-9]*_(?:SERVER|HTTP|WEB|LISTEN)_PORT["']\s*,\s*["':]*(\d{2,5})\b/,
  /["'](?:HTTP_|SERVER_|APP_)?PORT["']\s*\]?\)?\s*(?:\|\||\?\?|\bor\b)\s*["':]*(\d{2,5})\b/,
  /["']PORT["']\s*\)\s*\{\s*["']?(\d{2,5})\b/,
  /var\(\s*"PORT"\s*\)[^;]{0,80}?unwrap_or[^;]{0,40}?"(\d{2,5})"/,
];

/** The same patterns with the `g` flag, compiled once: every match is tried, past auxiliary listeners. */
const globally = (patterns: readonly RegExp[]): RegExp[] => patterns.map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`));
const GLOBAL_CODE_PORT = Object.fromEntries(Object.entries(CODE_PORT).map(([l, ps]) => [l, globally(ps)])) as Record<Language, RegExp[]>;
const GLOBAL_ENV_DEFAULT_PORT = globally(ENV_DEFAULT_PORT);

/** A listener that only redirects to HTTPS or serves debug/metrics endpoints is not the app's port. */
const AUXILIARY = /redirect|debug|pprof|metrics|prometheus|acme|autocert/i;

/** A function (or method) declaration line, in the languages scanned. */
const FUNCTION_LINE = /^\s*(?:(?:pub\s+)?(?:async\s+)?(?:func|def|fn|function)\b|(?:public|private|protected|static)\b[^=;]*\()/;

/** A comment line's start (`//`, `#` but not `#!` or Rust's `#[`, a block comment's `*`, SQL/Lua `--`): documentation, not code. */
const COMMENT_LINE = /^\s*(?:\/\/|#(?![![])|\*|\/\*|--)/;

/** The matched line and the next one (a handler passed on the following line), and the function it sits in (`func ListenAndServeDebug()`). */
function auxiliary(text: string, index: number): boolean {
  const start = text.lastIndexOf('\n', index) + 1;
  const first = text.indexOf('\n', index);
  const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
  if (text.slice(start, second < 0 ? text.length : second).split('\n').some((line) => !COMMENT_LINE.test(line) && AUXILIARY.test(line))) return true;
  if (FUNCTION_LINE.test(text.slice(start, first < 0 ? text.length : first))) return false;
  // Back to the enclosing declaration, stopping where a previous top-level block closed.
  for (const line of text.slice(0, start).split('\n').slice(-12, -1).reverse()) {
    if (/^[}\]]/.test(line)) return false;
    if (FUNCTION_LINE.test(line)) return AUXILIARY.test(line);
  }
  return false;
}

/** A match on a comment line (`// Addr: ":443",` in a doc example, `# app.run(port=80)`) is documentation, not code. */
export function inComment(text: string, index: number): boolean {
  return COMMENT_LINE.test(text.slice(text.lastIndexOf('\n', index) + 1, index));
}

/** Per-environment config files of the development and test environments (config/dev.exs, config/environments/test.rb). */
const DEV_OR_TEST_CONFIG = /(?:^|\/)config\/(?:(?:dev|development|test)\.exs|environments\/(?:development|test)\.rb)$/;

/** A port the code or its server config names explicitly, else the default of its PORT lookup. */
export function explicitPortInCode(snapshot: RepoSnapshot, language: Language): Located<number> | undefined {
  // A development or test environment's config (Phoenix's config/dev.exs) is read after every other file: its port is the dev server's.
  // (Every pattern over the other files first: prod.exs's `System.get_env("HTTP_PORT", "4000")` outranks test.exs's `port: 4001`.)
  const all = sourceFiles(snapshot, SOURCE_EXTENSIONS[language]);
  const groups = [all.filter((f) => !DEV_OR_TEST_CONFIG.test(f.path)), all.filter((f) => DEV_OR_TEST_CONFIG.test(f.path))];
  for (const [files, patterns] of groups.flatMap((g) => [GLOBAL_CODE_PORT[language], GLOBAL_ENV_DEFAULT_PORT].map((p) => [g, p] as const))) {
    for (const file of files) {
      for (const re of patterns) {
        for (const m of file.text.matchAll(re)) {
          const port = validPort(m[1] ?? m[2]);
          if (port === undefined || inComment(file.text, m.index) || auxiliary(file.text, m.index)) continue;
          return { value: port, source: loc(file.path, lineAt(file.text, m.index)) };
        }
      }
    }
  }
  return undefined;
}

/**
 * A PORT the code requires from the environment: the lookup fails without it (`os.environ["PORT"]`,
 * `ENV.fetch("PORT")`, `env::var("PORT").expect(…)`) or the code stops when it is empty
 * (`if port == "" { log.Fatal("$PORT must be set") }`, `if (!process.env.PORT) throw …`).
 */
const PORT_REQUIRED: readonly RegExp[] = [
  /\benviron\[\s*["']PORT["']\s*\]/,
  /\bENV\.fetch\(\s*["']PORT["']\s*\)(?!\s*\{)/,
  /\bvar\(\s*"PORT"\s*\)\s*\.\s*(?:expect|unwrap)\(/,
  /Getenv\(\s*"PORT"\s*\)[\s\S]{0,160}?==\s*""\s*\{\s*(?:log\.Fatal|panic|os\.Exit)/,
  /if\s*\(\s*!\s*process\.env(?:\.PORT|\[\s*["']PORT["']\s*\])\s*\)\s*\{?\s*(?:throw|process\.exit)/,
];

/**
 * Where the code refuses to start without a PORT from the environment. Called when no default was found:
 * the app listens wherever the platform says, so the framework's own default is not what it binds.
 */
export function requiredPortEnv(snapshot: RepoSnapshot, language: Language): Located<string> | undefined {
  const hit = firstMatch(sourceFiles(snapshot, SOURCE_EXTENSIONS[language]), PORT_REQUIRED);
  return hit ? { value: hit.match[0].split('\n')[0] ?? hit.match[0], source: loc(hit.file.path, lineAt(hit.file.text, hit.match.index)) } : undefined;
}

/**
 * Node code taking PORT from the environment with no fallback beside it (`PORT: process.env.PORT,`,
 * `app.listen(process.env.PORT)`): not followed by `||`, `??` or a ternary. Consulted only when no port
 * default was found anywhere: the server listens wherever the platform says, the framework's default is not it.
 */
const NODE_BARE_PORT = /\bprocess\.env(?:\.PORT|\[\s*["']PORT["']\s*\])(?!\s*(?:\|\||\?\?|\?|&&|[=!]==?|\w))/;

/** Where Node code takes PORT from the environment with no default (see NODE_BARE_PORT). */
export function bareNodePortEnv(snapshot: RepoSnapshot): Located<string> | undefined {
  const hit = firstMatch(sourceFiles(snapshot, SOURCE_EXTENSIONS.node), [NODE_BARE_PORT]);
  return hit ? { value: hit.match[0], source: loc(hit.file.path, lineAt(hit.file.text, hit.match.index)) } : undefined;
}

/** A port value in a command: a number, `${PORT:-8000}` (its default), or a bare `$PORT` (group 2). */
const PORT_VALUE = String.raw`(?:(\d{2,5})\b|\$\{\w*PORT\w*:?-(\d{2,5})\}|(\$\{?\w*PORT\w*\}?))`;
/** PHP's built-in web server up to its `-S` flag (`php -d memory_limit=1G -S 0.0.0.0:8080 -t public`), other flags before it. */
const PHP_BUILTIN_SERVER = String.raw`php\s+(?:-[^S\s]\S*(?:\s+[^-\s]\S*)?\s+)*?-S`;
const COMMAND_PORT: readonly RegExp[] = [
  new RegExp(String.raw`--(?:server\.)?port[= ]${PORT_VALUE}`),
  new RegExp(String.raw`(?:^|\s)-p\s*${PORT_VALUE}`),
  new RegExp(String.raw`--bind[= ]\S*?:${PORT_VALUE}`),
  new RegExp(String.raw`(?:^|\s)-b\s*\S*?:${PORT_VALUE}`),
  // A listen address given as host:port (`--hosts 0.0.0.0:5232`, `--listen :8080`, `--address=[::]:9000`).
  new RegExp(String.raw`--(?:hosts?|listen|address|addr|listen-address)[= ]['"]?[^\s:]*?(?:\[[0-9a-fA-F:]*\])?:${PORT_VALUE}`),
  new RegExp(String.raw`\brunserver\s+(?:\S*?:)?${PORT_VALUE}`),
  // PHP's built-in web server (`php -S 0.0.0.0:8080 -t public`).
  new RegExp(String.raw`\b${PHP_BUILTIN_SERVER}\s*['"]?\S*?:${PORT_VALUE}`),
  /\bPORT=(\d{2,5})\b/,
];

/**
 * Port a start command binds: `--port 8000`, `-b 0.0.0.0:8000`, `--hosts 0.0.0.0:8000`, `runserver 0.0.0.0:8000`, `php -S 0.0.0.0:8000`, `PORT=4000 node …`,
 * `--port ${PORT:-8000}`. `null` when it binds a bare `$PORT`: the platform decides, the repository does not.
 */
export function portInCommand(command: string): number | null | undefined {
  for (const pattern of COMMAND_PORT) {
    const m = pattern.exec(command);
    if (!m) continue;
    const port = validPort(m[1] ?? m[2]);
    if (port !== undefined) return port;
    if (m[3]) return null;
  }
  return undefined;
}

/** Commands that start a web server in the foreground (PHP's built-in server, the php:apache image's, nginx, Caddy, FrankenPHP, PHP's buildpack servers). */
const HTTP_SERVER_COMMAND = new RegExp(String.raw`${COMMAND_WORD_START}(?:${PHP_BUILTIN_SERVER}\s|${APACHE_FOREGROUND}|${NGINX_FOREGROUND}|caddy\s+run\b|frankenphp\s+run\b|heroku-php-(?:apache2|nginx)\b)`, 'i');

/** Whether a start command runs an HTTP server itself: the app serves HTTP even with no framework or port declared. */
export function runsHttpServer(command: string): boolean {
  return HTTP_SERVER_COMMAND.test(command);
}

/**
 * Servers built on an HTTP library the framework list does not name: the call that starts serving. The rubric
 * gives them no framework, but the app still serves HTTP. Rust: warp, hyper, tiny_http. Python: aiohttp's
 * `web.run_app(app)` / `web.TCPSite(runner, …)`, waitress's `serve(app, port=8080)`, Tornado's `tornado.web.Application(…)`.
 */
const SERVE_CALL: Partial<Record<Language, RegExp>> = {
  rust: /\bwarp::serve\s*\(|\bhyper::Server::(?:try_)?bind\s*\(|\btiny_http::Server::http\s*\(/,
  // (aiohttp's runners, waitress, and a Tornado web application, which only exists to be served.)
  python: /\bweb\.(?:run_app|TCPSite)\(|\b(?:waitress\.)?serve\(\s*\w+\s*,[^)\n]{0,300}\bport\s*=|\btornado\.web\.Application\(/,
};

/** Where the code starts an HTTP server without a listed framework (`warp::serve(routes).run(addr)`, `web.run_app(app)`, a `tornado.web.Application`), outside comments. */
export function serveCall(snapshot: RepoSnapshot, language: Language): string | undefined {
  const pattern = SERVE_CALL[language];
  if (!pattern) return undefined;
  // (A commented-out call, `# app = tornado.web.Application(...)`, starts nothing.)
  const global = new RegExp(pattern.source, 'g');
  for (const file of sourceFiles(snapshot, SOURCE_EXTENSIONS[language])) {
    for (const m of file.text.matchAll(global)) if (!inComment(file.text, m.index)) return loc(file.path, lineAt(file.text, m.index));
  }
  return undefined;
}

/**
 * The default of a Python `--port` command-line option (argparse's `add_argument`, click's `option`), when the option's own
 * text names no other service (`help="Postgres port"`). Read after every other pattern of the code: a server call's port wins.
 */
const PYTHON_PORT_OPTION = /\b(?:add_argument|option)\(\s*(?:["']-\w["']\s*,\s*)?["']--(?:port|http-port|web-port)["']([^)]{0,300}?)\bdefault\s*=\s*(\d{2,5})\b([^)]{0,300})/g;
const OTHER_SERVICE_WORD = /\b(?:db|database|postgres(?:ql)?|mysql|redis|mongo(?:db)?|smtp|mail|metrics|prometheus|proxy)\b/i;
export function pythonOptionPort(snapshot: RepoSnapshot): Located<number> | undefined {
  for (const file of sourceFiles(snapshot, SOURCE_EXTENSIONS.python)) {
    for (const m of file.text.matchAll(PYTHON_PORT_OPTION)) {
      const port = validPort(m[2]);
      if (port === undefined || inComment(file.text, m.index) || OTHER_SERVICE_WORD.test(`${m[1] ?? ''} ${m[3] ?? ''}`)) continue;
      return { value: port, source: loc(file.path, lineAt(file.text, m.index)) };
    }
  }
  return undefined;
}

/** Preferred first: a dedicated health endpoint beats readiness, which beats a bare ping. */
const HEALTH_NAMES = ['healthz', 'health', 'healthcheck', 'health-check', 'livez', 'readyz', 'ready', 'ping'];
const HEALTH_ALT = HEALTH_NAMES.join('|');
const HEALTH_PATTERNS: readonly { re: RegExp; path: (m: RegExpExecArray) => string }[] = [
  // '/healthz' as a route literal in any framework
  { re: new RegExp(`(['"\`])(/(?:${HEALTH_ALT})/?)\\1`, 'g'), path: (m) => m[2] ?? '' },
  // Django: path("healthz/", …) has no leading slash
  { re: new RegExp(`\\b(?:re_)?path\\(\\s*r?(['"])\\^?((?:${HEALTH_ALT})/?)\\$?\\1`, 'g'), path: (m) => `/${m[2] ?? ''}` },
  // Rails 7.1 default: get "up" => "rails/health#show"
  { re: /\bget\s+["']\/?(up)["']\s*=>\s*["']rails\/health#show["']/g, path: () => '/up' },
];

function rank(path: string): number {
  const i = HEALTH_NAMES.indexOf(path.replace(/^\/|\/$/g, ''));
  return i < 0 ? HEALTH_NAMES.length : i;
}

/** The best-ranked health route declared in source; ties go to scan order. */
export function healthCheckPathInCode(snapshot: RepoSnapshot): Located<string> | undefined {
  const files = sourceFiles(snapshot, ALL_SOURCE_EXTENSIONS);
  let best: { value: string; source: string; rank: number } | undefined;
  for (const file of files) {
    for (const { re, path } of HEALTH_PATTERNS) {
      for (const m of file.text.matchAll(re)) {
        const value = path(m as RegExpExecArray);
        const r = rank(value);
        if (!best || r < best.rank) best = { value, source: loc(file.path, lineAt(file.text, m.index ?? 0)), rank: r };
      }
    }
  }
  return best ? { value: best.value, source: best.source } : undefined;
}

/** `pkg/app.py` → `pkg.app`; `pkg/__init__.py` → `pkg`. */
export function pythonModule(path: string): string {
  return path.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/').join('.');
}

/** A module-level assignment of a call's result (`app = Flask(__name__)`, `app: FastAPI = FastAPI()`), both given as patterns. */
export const assignedCall = (name: string, call: string): RegExp => new RegExp(`^${name}\\s*(?::\\s*\\w+\\s*)?=\\s*${call}\\(`, 'm');

/**
 * The `module:object` a WSGI/ASGI server should load, from `app = Flask(__name__)` or, failing
 * that, an application factory `def create_app(` (gunicorn accepts `module:create_app()`).
 */
export function pythonAppObject(snapshot: RepoSnapshot, constructor: string): Located<string> | undefined {
  const files = sourceFiles(snapshot, SOURCE_EXTENSIONS.python);
  const assigned = firstMatch(files, [assignedCall('(\\w+)', constructor)]);
  if (assigned) {
    const { file, match } = assigned;
    return { value: `${pythonModule(file.path)}:${match[1]}`, source: loc(file.path, lineAt(file.text, match.index)) };
  }
  const factory = firstMatch(files, [/^def\s+(create_app)\s*\(/m]);
  if (factory && new RegExp(`\\b${constructor}\\(`).test(factory.file.text)) {
    const { file, match } = factory;
    return { value: `${pythonModule(file.path)}:create_app()`, source: loc(file.path, lineAt(file.text, match.index)) };
  }
  return undefined;
}

/** Django project package from manage.py's DJANGO_SETTINGS_MODULE (`mysite.settings` → `mysite`). */
export function djangoProject(snapshot: RepoSnapshot): Located<string> | undefined {
  const hit = firstMatch(sourceFiles(snapshot, SOURCE_EXTENSIONS.python), [/DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+?)\.settings\b/]);
  return hit?.match[1] ? { value: hit.match[1], source: loc(hit.file.path, lineAt(hit.file.text, hit.match.index)) } : undefined;
}

/** Node entry file: package.json `main`, else the usual names. */
export function nodeEntry(snapshot: RepoSnapshot, main: Located<string> | undefined): Located<string> | undefined {
  if (main) return main;
  const names = ['server.js', 'app.js', 'index.js', 'main.js', 'server.mjs', 'index.mjs', 'src/server.js', 'src/app.js', 'src/index.js', 'src/main.js'];
  const found = names.find((n) => snapshot.files.has(n));
  return found ? { value: found, source: found } : undefined;
}

/** Where PHP frameworks and plain apps keep their web root: `public/`, `web/`, the root. */
const PHP_APP_WEB_ROOTS = ['public/index.php', 'web/index.php', 'index.php'];
/**
 * Then hosting's document roots and source folders. (Not `upload/` or `uploads/`: apps drop an empty index.php into upload
 * folders to stop directory listings.)
 */
const PHP_HOSTING_WEB_ROOTS = ['public_html', 'htdocs', 'www', 'html', 'src', 'app'].map((dir) => `${dir}/index.php`);

/** PHP with no statement: the open tag, comments and blanks only (`<?php // Silence is golden`, a guard against directory listings). */
const PHP_NO_CODE = /^\s*(?:<\?php)?(?:\s|\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/)*(?:\?>\s*)?$/;

/**
 * A PHP web root's front controller (`public/index.php`, `index.php` at the root, `htdocs/index.php`, `src/index.php`): a web
 * server hands every request to it, so the app serves HTTP even with no server or framework of its own. Not a file with
 * no code, nor, outside the framework and root places, a Composer library's.
 */
export function phpFrontController(snapshot: RepoSnapshot): string | undefined {
  const library = composerLibrary(snapshot.files.get('composer.json'));
  return [...PHP_APP_WEB_ROOTS, ...(library ? [] : PHP_HOSTING_WEB_ROOTS)].find((p) => snapshot.files.has(p) && !PHP_NO_CODE.test(snapshot.files.get(p) ?? ''));
}

/** Root index.html or public/index.html: a static site when no language claims the repo. */
export function staticEntry(snapshot: RepoSnapshot): string | undefined {
  return ['index.html', 'public/index.html'].find((p) => snapshot.files.has(p));
}

/** Root HTML files that are documents or tooling, not an app's page: site verification, readme and report pages, test runners. */
const NOT_AN_APP_PAGE = /^(?:google[\da-f]+|yandex_[\da-f]+|BingSiteAuth|readme|changelog|license|coverage|report|SpecRunner|test(?:s|runner)?)\.html?$/i;

/**
 * The page at the repository's root a browser opens: `index.html`, or else the one HTML file there when there is only
 * one and it loads a script (a single-file app, `nullboard.html`). Not a document or a test runner's page, nor a browser
 * extension's or an Apps Script project's page: those run inside another host.
 */
export function rootPage(snapshot: RepoSnapshot): string | undefined {
  if (snapshot.files.has('index.html')) return 'index.html';
  const pages = [...snapshot.files.keys()].filter((p) => !p.includes('/') && /\.html?$/i.test(p));
  const [page] = pages;
  if (pages.length !== 1 || page === undefined || NOT_AN_APP_PAGE.test(page) || !/<script\b/i.test(snapshot.files.get(page) ?? '')) return undefined;
  const hosted = snapshot.files.has('appsscript.json') || /"manifest_version"\s*:/.test(snapshot.files.get('manifest.json') ?? '');
  return hosted ? undefined : page;
}

/**
 * JavaScript in translation folders (`i18n/`, `lang/`, `locales/`): a bundled editor's hundreds of language files are data,
 * not the app's code. (In other languages such folders hold code: Go's `lang/` package.)
 */
const TRANSLATIONS_DIR = /^(?:i18n|l10n|langs?|locales?|translations?)$/i;
const translationData = (language: Language, path: string): boolean => language === 'node' && path.split('/').slice(0, -1).some((dir) => TRANSLATIONS_DIR.test(dir));

/** How many source files of `language` the repository has (vendored, test and translation files aside). */
export function languageFileCount(snapshot: RepoSnapshot, language: Language): number {
  return sourceFiles(snapshot, SOURCE_EXTENSIONS[language]).filter((f) => !translationData(language, f.path)).length;
}

/** Majority language by source file count (ties follow `order`), for repos with no manifest. */
export function languageByExtension(snapshot: RepoSnapshot, order: readonly Language[]): Located<Language> | undefined {
  let best: { language: Language; count: number } | undefined;
  for (const language of order) {
    const count = languageFileCount(snapshot, language);
    if (count > 0 && (!best || count > best.count)) best = { language, count };
  }
  return best ? { value: best.language, source: 'rule:file-extensions' } : undefined;
}

/** First application file matching `pattern` (the script that imports streamlit, requires sinatra …). */
export function importer(snapshot: RepoSnapshot, pattern: RegExp, extensions: readonly string[]): Located<string> | undefined {
  const hit = firstMatch(sourceFiles(snapshot, extensions), [pattern]);
  return hit ? { value: hit.file.path, source: loc(hit.file.path, lineAt(hit.file.text, hit.match.index)) } : undefined;
}

/** `server.port` (Spring) or `quarkus.http.port` in an application.properties, or under `server:` in an application.yml. */
function springConfigPort(snapshot: RepoSnapshot, path: string): Located<number> | undefined {
  const text = snapshot.files.get(path);
  if (text === undefined) return undefined;
  if (path.endsWith('.properties')) {
    const m = /^[ \t]*(?:server\.port|quarkus\.http\.port)[ \t]*[=:]\s*(?:\$\{[\w.-]+:)?(\d{2,5})/m.exec(text);
    const port = validPort(m?.[1]);
    return m && port !== undefined ? { value: port, source: loc(path, lineAt(text, m.index)) } : undefined;
  }
  const y = /^server:[ \t]*\r?\n(?:[ \t][^\n]*\n)*?[ \t]+port:\s*["']?(?:\$\{[\w.-]+:)?(\d{2,5})/m.exec(text);
  const port = validPort(y?.[1]);
  return y && port !== undefined ? { value: port, source: loc(path, lineAt(text, y.index + y[0].length)) } : undefined;
}

/** Folders of samples, demos and deployment charts: their config files configure something else. */
const NOT_APP_CONFIG_DIR = /(?:^|\/)(?:samples?|demos?|charts|helm)\//;
/** Spring Boot's config file names, properties before YAML. */
const SPRING_CONFIG_FILES = ['application.properties', 'application.yml', 'application.yaml'];
/** Any of them, in any folder. */
const SPRING_CONFIG_FILE = /(?:^|\/)application\.(?:properties|ya?ml)$/;

/**
 * `server.port` (Spring) or `quarkus.http.port` in application.properties / application.yml (the application project's, `api/`,
 * first), in the folders Spring Boot reads it from (the classpath root and its `config/`, the working folder and its `config/`).
 * A placeholder's default counts: `${KK_SERVER_PORT:8012}` is 8012 unless the deployment sets the variable. With none there,
 * the app's one such file elsewhere outside tests is its config (`server/src/main/config/application.properties`, which the
 * image passes as `spring.config.location`).
 */
export function jvmConfigPort(snapshot: RepoSnapshot, appDir = ''): Located<number> | undefined {
  // (A `config/` folder's file overrides its parent's in Spring Boot: read first.)
  const dirs = [...new Set([`${appDir}src/main/resources/config/`, `${appDir}src/main/resources/`, `${appDir}config/`, appDir, 'src/main/resources/config/', 'src/main/resources/', 'config/', ''])];
  for (const dir of dirs) {
    for (const name of SPRING_CONFIG_FILES) {
      const hit = springConfigPort(snapshot, `${dir}${name}`);
      if (hit) return hit;
    }
  }
  const elsewhere = [...snapshot.files.keys()].filter((p) => p.startsWith(appDir) && SPRING_CONFIG_FILE.test(p) && !isTestOrVendored(p) && !NON_MAIN_RESOURCES.test(p) && !NOT_APP_CONFIG_DIR.test(p.slice(appDir.length)));
  return elsewhere.length === 1 && elsewhere[0] !== undefined ? springConfigPort(snapshot, elsewhere[0]) : undefined;
}

/**
 * Go's named default: `const DefaultPort = 8080`, `GlobalServerDefaultPort = "9000"` in a const block. A store's or
 * a side listener's default is not the app's (NOT_APP_PORT_NAME).
 */
const GO_DEFAULT_PORT_CONST = new RegExp(String.raw`^\s*(?:const\s+|var\s+)?(?!\w*(?:${NOT_APP_PORT_NAME}))\w*default\w*port\s*(?:int\w*\s*|string\s*)?=\s*"?:?(\d{2,5})"?\s*(?:\/\/.*)?$`, 'im');

/**
 * C#'s named default: `public const int DEFAULT_PORT = 9696;`, `static readonly int DefaultHttpPort = 5000;` — the
 * port a self-hosted server falls back to when its settings file names none. A store's or side listener's default is
 * not the app's (NOT_APP_PORT_NAME, and `ssl`), nor a constant of a test project (`src/App.Test/…`).
 */
const DOTNET_DEFAULT_PORT_CONST = new RegExp(
  String.raw`^\s*(?:(?:public|private|internal|protected)\s+)?(?:const|static\s+readonly)\s+(?:int|ushort|string)\s+(?!\w*(?:${NOT_APP_PORT_NAME}|ssl))\w*default\w*port\s*=\s*"?(\d{2,5})"?\s*;`,
  'im',
);
const DOTNET_TEST_PROJECT = /(?:^|\/)[^/]*\btests?\b[^/]*\//i;

/**
 * A setting named `Port` (or `HttpPort`) read with its default, through IConfiguration's `GetValue<int>("Port", 8080)` or an
 * app's own typed accessor (`GetValueInt("Port", 8686)`): the port the server binds when the config file sets none. Not a
 * section's (`GetSection("Postgres").GetValue<int>("Port", 5432)` is the database's).
 */
const DOTNET_PORT_SETTING_DEFAULT = /(?<!GetSection\(\s*"[^"]*"\s*\)\s*\.\s*)\bGetValue\w*(?:<int>)?\s*\(\s*"(?:Http)?Port"\s*,\s*(\d{2,5})\s*\)/;

/** The first C# constant that names the default port (see DOTNET_DEFAULT_PORT_CONST), else the default a `Port` setting is read with. */
export function dotnetNamedDefaultPort(snapshot: RepoSnapshot): Located<number> | undefined {
  for (const pattern of [DOTNET_DEFAULT_PORT_CONST, DOTNET_PORT_SETTING_DEFAULT]) {
    for (const file of sourceFiles(snapshot, SOURCE_EXTENSIONS.dotnet)) {
      if (DOTNET_TEST_PROJECT.test(file.path)) continue;
      const m = pattern.exec(file.text);
      const port = validPort(m?.[1]);
      if (m && port !== undefined && !inComment(file.text, m.index)) return { value: port, source: loc(file.path, lineAt(file.text, m.index)) };
    }
  }
  return undefined;
}

/** The first Go constant or variable that names the default port (see GO_DEFAULT_PORT_CONST). */
export function goNamedDefaultPort(snapshot: RepoSnapshot): Located<number> | undefined {
  for (const file of sourceFiles(snapshot, SOURCE_EXTENSIONS.go)) {
    const m = GO_DEFAULT_PORT_CONST.exec(file.text);
    const port = validPort(m?.[1]);
    if (m && port !== undefined && !inComment(file.text, m.index)) return { value: port, source: loc(file.path, lineAt(file.text, m.index)) };
  }
  return undefined;
}

/**
 * The settings field a Python server takes its port from: `uvicorn.run(app, port=settings.port)`,
 * `app.run(port=int(config.PORT))`, the call spread over several lines. Group 1 is the field's name.
 */
const PY_RUN_PORT_FIELD = /\.run\([^)]*?\bport\s*=\s*(?:int\(\s*)?(?:\w+\.)+(\w+)\b/g;

/**
 * The default of the settings field the server's port comes from (see PY_RUN_PORT_FIELD): a pydantic
 * BaseSettings or dataclass field `port: int = 8090` (or `= Field(default=8090)`). Two different
 * defaults for that name (an app and a database settings class both with `port`) say nothing.
 */
export function pythonSettingsFieldPort(snapshot: RepoSnapshot): Located<number> | undefined {
  const files = sourceFiles(snapshot, SOURCE_EXTENSIONS.python);
  const fields = new Set<string>();
  for (const file of files) {
    if (!file.text.includes('.run(')) continue;
    for (const m of file.text.matchAll(PY_RUN_PORT_FIELD)) if (m[1] && !inComment(file.text, m.index)) fields.add(m[1]);
  }
  const found: Located<number>[] = [];
  for (const field of fields) {
    const declared = new RegExp(String.raw`^[ \t]+${field}[ \t]*(?::[^=\n]*)?=[ \t]*(?:Field\([ \t]*(?:default[ \t]*=[ \t]*)?)?["']?(\d{2,5})\b`, 'gm');
    for (const file of files) {
      for (const m of file.text.matchAll(declared)) {
        const port = validPort(m[1]);
        if (port !== undefined) found.push({ value: port, source: loc(file.path, lineAt(file.text, m.index)) });
      }
    }
  }
  return new Set(found.map((f) => f.value)).size === 1 ? found[0] : undefined;
}
