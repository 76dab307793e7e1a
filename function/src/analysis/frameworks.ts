// Web framework detection. Declared dependencies decide first; source patterns are the fallback
// (stdlib servers, or code with no manifest). Within a language, rule order is precedence: a
// Next.js app often also depends on express (custom server, API mocks), and Next.js is what runs.
import type { RepoSnapshot } from '../types.js';
import { SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { stripMajorVersion } from './manifests/go.js';
import type { DeclaredDependency, Language } from './model.js';
import { findLine, loc } from './text.js';

export interface FrameworkRule {
  name: string;
  language: Language;
  /** Any of these runtime dependencies signals the framework (Go paths without /vN). */
  packages: readonly string[];
  /** Or any dependency starting with one of these (Quarkus extensions). */
  prefixes?: readonly string[];
  /** Build-time frameworks live in devDependencies (SvelteKit, Nuxt): look there too. */
  devOk?: boolean;
  /** The port the framework's own server listens on when nothing says otherwise. */
  defaultPort: number;
}

/** Ktor's server engine artifacts (`embeddedServer(Netty, …)`, `io.ktor.server.netty.EngineMain`). */
export const KTOR_SERVER_ENGINES: readonly string[] = ['netty', 'cio', 'jetty', 'jetty-jakarta', 'tomcat', 'tomcat-jakarta'].map((e) => `io.ktor:ktor-server-${e}`);

export const FRAMEWORK_RULES: readonly FrameworkRule[] = [
  { name: 'django', language: 'python', packages: ['django'], defaultPort: 8000 },
  { name: 'fastapi', language: 'python', packages: ['fastapi'], defaultPort: 8000 },
  { name: 'flask', language: 'python', packages: ['flask'], defaultPort: 5000 },
  { name: 'streamlit', language: 'python', packages: ['streamlit'], defaultPort: 8501 },
  { name: 'nextjs', language: 'node', packages: ['next'], defaultPort: 3000 },
  { name: 'nuxt', language: 'node', packages: ['nuxt'], defaultPort: 3000, devOk: true },
  // React Router 7's framework mode is Remix's successor: the same server runtime under new package names.
  { name: 'remix', language: 'node', packages: ['@remix-run/node', '@remix-run/serve', '@remix-run/express', '@react-router/node', '@react-router/serve', '@react-router/express'], defaultPort: 3000 },
  { name: 'sveltekit', language: 'node', packages: ['@sveltejs/kit'], defaultPort: 3000, devOk: true },
  { name: 'nestjs', language: 'node', packages: ['@nestjs/core'], defaultPort: 3000 },
  { name: 'fastify', language: 'node', packages: ['fastify'], defaultPort: 3000 },
  { name: 'koa', language: 'node', packages: ['koa'], defaultPort: 3000 },
  // hapi (the scoped package since v19, the bare name before) has no default port of its own; Node's 3000 convention stands.
  { name: 'hapi', language: 'node', packages: ['@hapi/hapi', 'hapi'], defaultPort: 3000 },
  { name: 'express', language: 'node', packages: ['express'], defaultPort: 3000 },
  // Hono runs on Node through @hono/node-server, whose serve() listens on 3000 when given no port.
  { name: 'hono', language: 'node', packages: ['hono', '@hono/node-server'], defaultPort: 3000 },
  { name: 'gin', language: 'go', packages: ['github.com/gin-gonic/gin'], defaultPort: 8080 },
  { name: 'echo', language: 'go', packages: ['github.com/labstack/echo'], defaultPort: 8080 },
  { name: 'chi', language: 'go', packages: ['github.com/go-chi/chi'], defaultPort: 8080 },
  { name: 'fiber', language: 'go', packages: ['github.com/gofiber/fiber'], defaultPort: 8080 },
  // Routers that plug into net/http's own server: the app serves with the standard library.
  { name: 'go-net-http', language: 'go', packages: ['github.com/gorilla/mux', 'github.com/julienschmidt/httprouter', 'github.com/minio/mux', 'github.com/zenazn/goji', 'goji.io'], defaultPort: 8080 },
  { name: 'rails', language: 'ruby', packages: ['rails', 'railties'], defaultPort: 3000 },
  { name: 'sinatra', language: 'ruby', packages: ['sinatra'], defaultPort: 4567 },
  { name: 'axum', language: 'rust', packages: ['axum'], defaultPort: 8080 },
  { name: 'actix-web', language: 'rust', packages: ['actix-web'], defaultPort: 8080 },
  // Rocket listens on 8000 unless Rocket.toml or ROCKET_PORT says otherwise.
  { name: 'rocket', language: 'rust', packages: ['rocket'], defaultPort: 8000 },
  // Spring Cloud's server starters (config server, Eureka, Zuul/Gateway, dashboards) run Spring Boot's web server too,
  // and so do the starters built on spring-boot-starter-web (Data REST, WebSocket, HATEOAS, Web Services).
  {
    name: 'spring-boot',
    language: 'java',
    packages: [
      'org.springframework.boot:spring-boot-starter-web', 'org.springframework.boot:spring-boot-starter-webflux', 'org.springframework.boot:spring-boot-starter-webmvc', 'org.springframework.boot:spring-boot-starter-jersey',
      'org.springframework.boot:spring-boot-starter-data-rest', 'org.springframework.boot:spring-boot-starter-websocket', 'org.springframework.boot:spring-boot-starter-hateoas', 'org.springframework.boot:spring-boot-starter-web-services',
      'org.springframework.cloud:spring-cloud-config-server', 'org.springframework.cloud:spring-cloud-starter-netflix-eureka-server', 'org.springframework.cloud:spring-cloud-starter-netflix-zuul',
      'org.springframework.cloud:spring-cloud-starter-gateway', 'org.springframework.cloud:spring-cloud-starter-gateway-server-webflux', 'org.springframework.cloud:spring-cloud-starter-gateway-server-webmvc',
      'org.springframework.cloud:spring-cloud-starter-netflix-hystrix-dashboard', 'org.springframework.cloud:spring-cloud-starter-netflix-turbine-stream', 'de.codecentric:spring-boot-admin-starter-server',
    ],
    defaultPort: 8080,
  },
  {
    name: 'quarkus',
    language: 'java',
    packages: [],
    prefixes: ['io.quarkus:quarkus-rest', 'io.quarkus:quarkus-resteasy', 'io.quarkus:quarkus-vertx-http', 'io.quarkus:quarkus-undertow', 'io.quarkus:quarkus-funqy-http', 'io.quarkus:quarkus-amazon-lambda-http'],
    defaultPort: 8080,
  },
  // Micronaut serves through its HTTP server module (Netty, or a servlet container's) on 8080 unless micronaut.server.port says otherwise.
  {
    name: 'micronaut',
    language: 'java',
    packages: ['io.micronaut:micronaut-http-server-netty', 'io.micronaut:micronaut-http-server', 'io.micronaut.servlet:micronaut-http-server-jetty', 'io.micronaut.servlet:micronaut-http-server-tomcat', 'io.micronaut.servlet:micronaut-http-server-undertow'],
    defaultPort: 8080,
  },
  // Dropwizard runs its own Jetty on the application connector its YAML config names (8080 by default).
  { name: 'dropwizard', language: 'java', packages: ['io.dropwizard:dropwizard-core'], defaultPort: 8080 },
  // Ktor's server engines: an app that depends on one runs Ktor's own HTTP server (ktor-server-core alone is what plugins and libraries use).
  { name: 'ktor', language: 'java', packages: KTOR_SERVER_ENGINES, defaultPort: 8080 },
  { name: 'laravel', language: 'php', packages: ['laravel/framework'], defaultPort: 8000 },
  { name: 'symfony', language: 'php', packages: ['symfony/framework-bundle'], defaultPort: 8000 },
  { name: 'phoenix', language: 'elixir', packages: ['phoenix'], defaultPort: 4000 },
  // Declared by the project SDK, not a package (see manifests/dotnet.ts).
  { name: 'aspnet-core', language: 'dotnet', packages: [], defaultPort: 8080 },
];

interface SourceRule {
  name: string;
  language: Language;
  defaultPort: number;
  /** Restricts the rule to some files (e.g. manage.py). */
  file?: RegExp;
  /** Every pattern must match the file; the last one locates the evidence line. */
  patterns: readonly RegExp[];
  /**
   * Only when no manifest exists: a library may ship an optional `contrib/flask.py`, so an
   * import alone must not outvote a manifest that does not declare the framework.
   */
  withoutManifestOnly?: boolean;
  /**
   * …or when the manifest declares one of the framework's extensions (`flask-sqlalchemy`, `flask-openapi3` require Flask):
   * an app declaring only extensions runs the framework its code imports.
   */
  extensionPrefix?: string;
}

const SOURCE_RULES: readonly SourceRule[] = [
  { name: 'django', language: 'python', defaultPort: 8000, file: /(^|\/)manage\.py$/, patterns: [/\bdjango\b/] },
  { name: 'fastapi', language: 'python', defaultPort: 8000, patterns: [/^\s*(?:from\s+fastapi\s+import|import\s+fastapi\b)/m], withoutManifestOnly: true },
  { name: 'flask', language: 'python', defaultPort: 5000, patterns: [/^\s*(?:from\s+flask\s+import|import\s+flask\b)/m], withoutManifestOnly: true },
  // (With a manifest declaring only extensions, the code must build the app itself, `Flask(__name__)` or an extension's subclass such as
  // flask-openapi3's `OpenAPI(__name__)`: an Airflow plugin's `Blueprint("x", __name__)` is no Flask app.)
  { name: 'flask', language: 'python', defaultPort: 5000, patterns: [/^\s*(?:from\s+flask\s+import|import\s+flask\b)/m, /\b[A-Z]\w*\s*\(\s*__name__\b/], withoutManifestOnly: true, extensionPrefix: 'flask-' },
  {
    name: 'node-http',
    language: 'node',
    defaultPort: 3000,
    patterns: [/(?:require\(\s*['"](?:node:)?https?['"]\s*\)|from\s+['"](?:node:)?https?['"])/, /\bcreateServer\s*\(/],
  },
  {
    name: 'go-net-http',
    language: 'go',
    defaultPort: 8080,
    patterns: [/"net\/http"/, /\bhttp\.(?:ListenAndServe(?:TLS)?|HandleFunc|Handle|NewServeMux)\s*\(|\bhttp\.Server\s*\{/],
  },
];

export interface DetectedFramework {
  name: string;
  defaultPort: number;
  source: string;
  version?: string;
  versionSource?: string;
  /** Lower-precedence frameworks also present, for the evidence trail. */
  outranked: string[];
}

export function defaultPortOf(framework: string): number | undefined {
  return [...FRAMEWORK_RULES, ...SOURCE_RULES].find((r) => r.name === framework)?.defaultPort;
}

function byDependency(language: Language, deps: readonly DeclaredDependency[], devDeps: readonly DeclaredDependency[]): DetectedFramework | undefined {
  const key = (d: DeclaredDependency) => (language === 'go' ? stripMajorVersion(d.name) : d.name);
  const matches = (rule: FrameworkRule) => (d: DeclaredDependency) => rule.packages.includes(key(d)) || (rule.prefixes ?? []).some((p) => d.name.startsWith(p));
  const hits = FRAMEWORK_RULES.filter((r) => r.language === language)
    .map((rule) => ({ rule, dep: deps.find(matches(rule)) ?? (rule.devOk ? devDeps.find(matches(rule)) : undefined) }))
    .filter((h): h is { rule: FrameworkRule; dep: DeclaredDependency } => h.dep !== undefined);
  const [best, ...rest] = hits;
  if (!best) return undefined;
  const found: DetectedFramework = { name: best.rule.name, defaultPort: best.rule.defaultPort, source: best.dep.source, outranked: rest.map((h) => h.rule.name) };
  if (best.dep.version !== undefined) {
    found.version = best.dep.version;
    found.versionSource = best.dep.lockSource ?? best.dep.source;
  }
  return found;
}

function bySource(snapshot: RepoSnapshot, language: Language, hasManifest: boolean, deps: readonly DeclaredDependency[] = []): DetectedFramework | undefined {
  const files = sourceFiles(snapshot, SOURCE_EXTENSIONS[language]);
  const extended = (r: SourceRule): boolean => r.extensionPrefix !== undefined && deps.some((d) => d.name.startsWith(r.extensionPrefix ?? ''));
  for (const rule of SOURCE_RULES.filter((r) => r.language === language && !(hasManifest && r.withoutManifestOnly && !extended(r)))) {
    for (const file of files) {
      if (rule.file && !rule.file.test(file.path)) continue;
      if (!rule.patterns.every((p) => p.test(file.text))) continue;
      const last = rule.patterns[rule.patterns.length - 1];
      const line = last ? findLine(file.text, last) : undefined;
      return { name: rule.name, defaultPort: rule.defaultPort, source: loc(file.path, line), outranked: [] };
    }
  }
  return undefined;
}

export function detectFramework(
  snapshot: RepoSnapshot,
  language: Language,
  deps: readonly DeclaredDependency[],
  hasManifest: boolean,
  devDeps: readonly DeclaredDependency[] = [],
  isLibrary = false,
): DetectedFramework | undefined {
  // A library's own code uses net/http & co. to offer them, not to serve: only dependencies count.
  return byDependency(language, deps, devDeps) ?? (isLibrary ? undefined : bySource(snapshot, language, hasManifest, deps));
}
