// The fixture corpus (test/fixtures/apps): one small app per framework, plus serverless, worker,
// scheduled, library and monorepo cases. Each row states the facts a deployment depends on.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotOf } from './helpers/snapshot.js';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { run as analyzeCli } from '../function/src/cli/commands/analyze.js';
import type { Analysis } from '../function/src/types.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'apps');

const fixture = (name: string, prompt?: string): Analysis => analyzeRepository(snapshotOf(join(FIXTURES, name)), prompt ? { prompt } : {});
const sourceOf = (a: Analysis, fact: string) => a.evidence.filter((e) => e.fact === fact).map((e) => e.source);

const CASES: [string, Partial<Analysis>][] = [
  ['streamlit', { kind: 'web', language: 'python', framework: 'streamlit', frameworkVersion: '1.36.0', port: 8501, startCommand: 'streamlit run streamlit_app.py --server.port 8501 --server.address 0.0.0.0' }],
  ['fastify', { kind: 'web', framework: 'fastify', frameworkVersion: '4.28.1', port: 3000, startCommand: 'npm start', stateful: ['postgres'], healthCheckPath: '/healthz' }],
  ['nestjs', { kind: 'web', framework: 'nestjs', port: 3000, startCommand: 'node dist/main.js', buildCommand: 'npm run build', scheduledJobs: ['nestjs-schedule'] }],
  ['nuxt', { kind: 'web', framework: 'nuxt', frameworkVersion: '3.12.3', port: 3000, buildCommand: 'npm run build', startCommand: 'PORT=3000 node .output/server/index.mjs' }],
  ['sveltekit', { kind: 'web', framework: 'sveltekit', frameworkVersion: '2.5.18', startCommand: 'PORT=3000 node build', buildCommand: 'npm run build' }],
  ['remix', { kind: 'web', framework: 'remix', frameworkVersion: '2.10.2', startCommand: 'npm start', buildCommand: 'npm run build' }],
  ['vite-spa', { kind: 'static', language: 'node', framework: 'vite', port: null, packageManager: 'pnpm', buildCommand: 'pnpm run build', envVars: ['VITE_API_URL'] }],
  ['go-echo', { kind: 'web', framework: 'echo', frameworkVersion: 'v4.12.0', port: 1323, stateful: ['redis'], startCommand: './echo-api', buildCommand: 'go build -o echo-api .' }],
  ['go-chi', { kind: 'web', framework: 'chi', port: 8081, buildCommand: 'go build -o chi-svc ./cmd/server' }],
  ['go-fiber', { kind: 'web', framework: 'fiber', port: 3000 }],
  ['go-cron', { kind: 'worker', language: 'go', framework: null, scheduledJobs: ['robfig-cron'], startCommand: './reports' }],
  ['rust-axum', { kind: 'web', language: 'rust', languageVersion: '1.78', framework: 'axum', frameworkVersion: '0.7.5', port: 3000, packageManager: 'cargo', stateful: ['postgres'], healthCheckPath: '/healthz', buildCommand: 'cargo build --release --locked', startCommand: './target/release/axum-api' }],
  ['rust-actix', { kind: 'web', framework: 'actix-web', port: 8088, stateful: ['redis'] }],
  ['spring-maven', { kind: 'web', language: 'java', languageVersion: '21', framework: 'spring-boot', frameworkVersion: '3.3.1', packageManager: 'maven', port: 8081, stateful: ['postgres'], healthCheckPath: '/actuator/health', buildCommand: './mvnw -B package -DskipTests', startCommand: 'java -jar target/*.jar', scheduledJobs: ['spring-scheduled'] }],
  ['spring-gradle-kotlin', { kind: 'web', language: 'kotlin', languageVersion: '17', framework: 'spring-boot', frameworkVersion: '3.3.1', packageManager: 'gradle', port: 8080, buildCommand: './gradlew build -x test' }],
  ['quarkus', { kind: 'web', language: 'java', framework: 'quarkus', port: 8090, healthCheckPath: '/q/health', startCommand: 'java -jar target/quarkus-app/quarkus-run.jar' }],
  ['sinatra', { kind: 'web', language: 'ruby', framework: 'sinatra', frameworkVersion: '4.0.0', port: 4567, startCommand: 'bundle exec rackup -o 0.0.0.0 -p 4567', healthCheckPath: '/health' }],
  // A PHP app has no server of its own (`artisan serve` is a dev server): no port (eval/RUBRIC.md).
  ['laravel', { kind: 'web', language: 'php', languageVersion: '8.2', framework: 'laravel', port: null, packageManager: 'composer', stateful: ['postgres', 'redis'], envVars: ['APP_KEY', 'APP_NAME', 'DB_CONNECTION', 'DB_HOST', 'REDIS_HOST'], scheduledJobs: ['laravel-scheduler'] }],
  ['symfony', { kind: 'web', framework: 'symfony', frameworkVersion: '7.1.*', startCommand: 'php -S 0.0.0.0:8000 -t public' }],
  ['aspnet', { kind: 'web', language: 'dotnet', languageVersion: '8.0', framework: 'aspnet-core', port: 5000, packageManager: 'nuget', stateful: ['postgres', 'redis'], healthCheckPath: '/healthz', startCommand: 'dotnet out/Api.dll' }],
  ['phoenix', { kind: 'web', language: 'elixir', languageVersion: '1.15', framework: 'phoenix', frameworkVersion: '1.7.14', port: 4000, stateful: ['postgres'], backgroundJobs: ['oban'], startCommand: 'mix phx.server' }],
  ['serverless-framework', { kind: 'web', language: 'node', serverless: { platform: 'serverless-framework', functions: ['api', 'nightly'] }, scheduledJobs: ['serverless-framework-schedule'] }],
  ['aws-sam', { kind: 'web', language: 'python', serverless: { platform: 'aws-sam', functions: ['HelloFunction'] } }],
  ['netlify-functions', { serverless: { platform: 'netlify', functions: ['subscribe', 'unsubscribe'] } }],
  ['vercel-functions', { kind: 'web', serverless: { platform: 'vercel', functions: ['cleanup', 'hello'] }, scheduledJobs: ['vercel-schedule'] }],
  ['node-worker', { kind: 'worker', framework: null, backgroundJobs: ['bullmq'], stateful: ['redis'], startCommand: 'npm start' }],
  ['rust-lib', { kind: 'library', language: 'rust' }],
  ['node-library', { kind: 'library', language: 'node' }],
  ['monorepo-go', { kind: 'web', framework: 'gin', monorepo: { candidates: ['services/billing'], chosen: 'services/billing' } }],
];

describe('fixture corpus', () => {
  it.each(CASES)('%s', (name, expected) => {
    expect(fixture(name)).toMatchObject(expected);
  });

  it('every fact carries evidence: file and line, or a rule', () => {
    const a = fixture('spring-maven');
    expect(sourceOf(a, 'framework spring-boot')).toEqual(['pom.xml:16']);
    expect(sourceOf(a, 'frameworkVersion 3.3.1')).toEqual(['pom.xml:4']);
    expect(sourceOf(a, 'port 8081')).toEqual(['src/main/resources/application.properties:1']);
    expect(sourceOf(a, 'stateful postgres')).toEqual(['pom.xml:24']);
    expect(sourceOf(a, 'healthCheckPath /actuator/health')).toEqual(['pom.xml:20']);
    expect(sourceOf(fixture('laravel'), 'envVar DB_HOST')).toEqual(['.env.example:4']);
    expect(sourceOf(fixture('rust-axum'), 'port 3000')).toEqual(['src/main.rs:6']);
    for (const [name] of CASES) for (const e of fixture(name).evidence) expect(e.source, `${name}: ${e.fact}`).toMatch(/^(rule:|[^\s:]+(:\d+)?$)/);
  });

  it('dev/test dependencies stay out: spring-boot-starter-test, floki (only: :test), phpunit', () => {
    expect(fixture('spring-maven').dependencies.map((d) => d.name)).not.toContain('org.springframework.boot:spring-boot-starter-test');
    expect(fixture('phoenix').dependencies.map((d) => d.name)).toEqual(['oban', 'phoenix', 'postgrex']);
    expect(fixture('laravel').dependencies.map((d) => d.name)).toEqual(['laravel/framework', 'predis/predis']);
  });
});

describe('monorepos', () => {
  it('without path or a naming prompt: no app is guessed, the candidates are listed (libraries excluded)', () => {
    const a = fixture('monorepo');
    expect(a).toMatchObject({ kind: 'unknown', port: null, monorepo: { candidates: ['apps/api', 'apps/web'] } });
    expect(a.monorepo?.chosen).toBeUndefined();
    expect(a.startCommand).toBeUndefined();
    expect(sourceOf(a, 'workspace root (turbo.json)')).toEqual(['turbo.json']);
  });

  it('the prompt picks an app by directory or package name, evidence paths are repository-relative', () => {
    const api = fixture('monorepo', 'the api service, under $50/month');
    expect(api).toMatchObject({ framework: 'express', port: 4000, stateful: ['postgres'], monorepo: { chosen: 'apps/api' } });
    expect(sourceOf(api, 'port 4000')).toEqual(['apps/api/server.js:3']);
    expect(fixture('monorepo', 'deploy the storefront').monorepo?.chosen).toBe('apps/web');
    expect(fixture('monorepo', 'web and api together').monorepo?.chosen).toBeUndefined();
  });
});

describe('scai analyze', () => {
  const io = () => {
    const o = { out: '', err: '' };
    return { o, io: { out: (s: string) => void (o.out += s), err: (s: string) => void (o.err += s) } };
  };

  it('prints facts with evidence for a directory, and JSON with --json', async () => {
    const a = io();
    expect(await analyzeCli([join(FIXTURES, 'rust-axum')], a.io)).toBe(0);
    expect(a.o.out).toContain('framework:      axum 0.7.5');
    expect(a.o.out).toContain('port 3000  (src/main.rs:6)');
    const b = io();
    expect(await analyzeCli([FIXTURES, '--path', 'monorepo', '--prompt', 'the api', '--json'], b.io)).toBe(0);
    expect(JSON.parse(b.o.out)).toMatchObject({ framework: 'express', monorepo: { chosen: 'apps/api' } });
  });

  it('refuses local transports in URLs and reports usage errors', async () => {
    const a = io();
    expect(await analyzeCli(['ext::sh -c id'], a.io)).toBe(1);
    expect(a.o.err).toMatch(/spec\.repository\.url .* refused/);
    const b = io();
    expect(await analyzeCli(['https://127.0.0.1/acme/web.git'], b.io)).toBe(1);
    expect(b.o.err).toMatch(/loopback, private or link-local/);
    const c = io();
    expect(await analyzeCli([], c.io)).toBe(2);
  });
});
