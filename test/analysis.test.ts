import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseDockerfile } from '../function/src/analysis/docker.js';
import { parseGemfile } from '../function/src/analysis/manifests/ruby.js';
import { parseRequirement, parseRequirementsTxt } from '../function/src/analysis/manifests/python.js';
import { parseGoMod } from '../function/src/analysis/manifests/go.js';
import { minimumVersion } from '../function/src/analysis/versions.js';
import type { Analysis, RepoSnapshot } from '../function/src/types.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/apps/', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/apps/flask-app/', import.meta.url));

/** Every file under `dir` keyed by relative POSIX path; `.gitkeep` only keeps empty fixtures in git. */
function snapshotOf(dir: string, reverse = false): RepoSnapshot {
  const entries: [string, string][] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name !== '.gitkeep') entries.push([path, readFileSync(join(dir, path), 'utf8')]);
    }
  };
  walk('');
  return { files: new Map(reverse ? entries.reverse() : entries) };
}

const fixture = (name: string): Analysis => analyzeRepository(snapshotOf(join(FIXTURES, name)));
const snapshot = (files: Record<string, string>, commit?: string): RepoSnapshot => ({ files: new Map(Object.entries(files)), ...(commit ? { commit } : {}) });
const sourceOf = (a: Analysis, fact: string): string[] => a.evidence.filter((e) => e.fact === fact).map((e) => e.source);

describe('python fixtures', () => {
  it('flask: requirements.txt with -r, extras, markers and ranges; defaults for port and command', () => {
    const a = fixture('flask');
    expect(a).toMatchObject({ kind: 'web', language: 'python', framework: 'flask', frameworkVersion: '3.0.3', languageVersion: '3.11.9', packageManager: 'pip' });
    // -r is followed (numpy lives in the included file: real repositories split requirements so,
    // flasky's requirements.txt is only `-r requirements/heroku.txt`) and -e editables are skipped.
    expect(a.dependencies).toEqual([
      { name: 'flask', version: '3.0.3' },
      { name: 'gunicorn', version: '22.0.0' },
      { name: 'numpy', version: '1.26.4' },
      { name: 'python-dotenv', version: '~=1.0' },
      { name: 'requests', version: '>=2.31,<3' },
    ]);
    expect(a.port).toBe(5000);
    expect(sourceOf(a, 'port 5000')).toEqual(['rule:flask-default-port']);
    expect(a.startCommand).toBe('gunicorn --bind 0.0.0.0:5000 app:app');
    expect(sourceOf(a, 'entrypoint app:app')).toEqual(['app.py:3']);
    // /health outranks /ping, which the file declares first.
    expect(a.healthCheckPath).toBe('/health');
    expect(sourceOf(a, 'healthCheckPath /health')).toEqual(['app.py:16']);
    expect(sourceOf(a, 'framework flask')).toEqual(['requirements.txt:3']);
    expect(sourceOf(a, 'languageVersion 3.11.9')).toEqual(['.python-version:1']);
    expect(a.stateful).toEqual([]);
    expect(a.backgroundJobs).toEqual([]);
    expect(a.hasDockerfile).toBe(false);
  });

  it('django: manage.py project, psycopg → postgres, runtime.txt version, path("healthz/")', () => {
    const a = fixture('django');
    expect(a).toMatchObject({ kind: 'web', framework: 'django', frameworkVersion: '5.0.6', languageVersion: '3.12.3', port: 8000 });
    expect(a.dependencies.map((d) => d.name)).toEqual(['django', 'gunicorn', 'psycopg']);
    expect(a.stateful).toEqual(['postgres']);
    expect(sourceOf(a, 'stateful postgres')).toEqual(['requirements.txt:2']);
    expect(a.startCommand).toBe('gunicorn --bind 0.0.0.0:8000 mysite.wsgi:application');
    expect(sourceOf(a, 'entrypoint mysite')).toEqual(['manage.py:7']);
    expect(a.healthCheckPath).toBe('/healthz/');
    expect(sourceOf(a, 'languageVersion 3.12.3')).toEqual(['runtime.txt:1']);
  });

  it('fastapi: PEP 621 dependencies and requires-python; uvicorn.run(port=…) beats the default', () => {
    const a = fixture('fastapi');
    expect(a).toMatchObject({ kind: 'web', framework: 'fastapi', frameworkVersion: '>=0.110', languageVersion: '3.11', port: 8081 });
    expect(a.dependencies).toEqual([
      { name: 'asyncpg', version: '0.29.0' },
      { name: 'fastapi', version: '>=0.110' },
      { name: 'redis', version: '>=5.0' },
      { name: 'sqlalchemy', version: '>=2.0,<3' },
      { name: 'uvicorn', version: '0.29.0' },
    ]);
    expect(sourceOf(a, 'port 8081')).toEqual(['main.py:18']);
    expect(a.startCommand).toBe('uvicorn main:app --host 0.0.0.0 --port 8081');
    expect(a.stateful).toEqual(['postgres', 'redis']);
    expect(sourceOf(a, 'languageVersion 3.11')).toEqual(['pyproject.toml:8']);
    expect(sourceOf(a, 'dependency asyncpg 0.29.0')).toEqual(['pyproject.toml:13']);
  });

  it('poetry-fastapi: Poetry tables, dev group excluded, versions from poetry.lock', () => {
    const a = fixture('poetry-fastapi');
    expect(a).toMatchObject({ framework: 'fastapi', frameworkVersion: '0.111.0', languageVersion: '3.12', packageManager: 'poetry', port: 8000 });
    expect(a.dependencies).toEqual([
      { name: 'fastapi', version: '0.111.0' },
      { name: 'pymongo', version: '4.7.2' },
      { name: 'uvicorn', version: '0.30.1' },
    ]);
    expect(sourceOf(a, 'frameworkVersion 0.111.0')).toEqual(['poetry.lock:4']);
    expect(sourceOf(a, 'dependency fastapi')).toEqual(['pyproject.toml:9']);
    expect(a.startCommand).toBe('uvicorn orders.main:app --host 0.0.0.0 --port 8000');
    expect(a.stateful).toEqual(['mongodb']);
  });

  it('celery-worker: celery without a web framework is a worker with no port', () => {
    const a = fixture('celery-worker');
    expect(a).toMatchObject({ kind: 'worker', language: 'python', framework: null, port: null, backgroundJobs: ['celery'] });
    // celery[redis] extra names the broker.
    expect(a.stateful).toEqual(['redis']);
    expect(a.startCommand).toBe('celery -A tasks worker --loglevel=info');
    expect(a.healthCheckPath).toBeUndefined();
    expect(sourceOf(a, 'kind worker')).toEqual(['rule:background-jobs-without-web-framework']);
  });

  it('python-library: a package with no entrypoint is a library with nothing to run', () => {
    const a = fixture('python-library');
    expect(a).toMatchObject({ kind: 'library', language: 'python', framework: null, port: null, languageVersion: '3.9' });
    expect(a.startCommand).toBeUndefined();
    expect(a.dependencies).toEqual([{ name: 'unidecode', version: '>=1.3' }]);
    expect(sourceOf(a, 'package slugkit')).toEqual(['pyproject.toml:6']);
  });

  it('compose-app: postgres and redis services from compose images; port of the built service', () => {
    const a = fixture('compose-app');
    expect(a).toMatchObject({ hasCompose: true, framework: 'flask', stateful: ['postgres', 'redis'], port: 5050 });
    expect(sourceOf(a, 'stateful postgres')).toEqual(['compose.yaml:14']);
    expect(sourceOf(a, 'stateful redis')).toEqual(['compose.yaml:19']);
    expect(sourceOf(a, 'port 5050')).toEqual(['compose.yaml:5']);
  });
});

describe('node fixtures', () => {
  it('express: runtime dependencies only, lockfile versions, listen(4000)', () => {
    const a = fixture('express');
    expect(a).toMatchObject({ kind: 'web', language: 'node', framework: 'express', frameworkVersion: '4.19.2', languageVersion: '20', packageManager: 'npm' });
    expect(a.dependencies).toEqual([
      { name: 'express', version: '4.19.2' },
      { name: 'ioredis', version: '5.4.1' },
      { name: 'pg', version: '8.11.5' },
    ]);
    expect(a.port).toBe(4000);
    expect(sourceOf(a, 'port 4000')).toEqual(['server.js:9']);
    expect(a.startCommand).toBe('npm start');
    expect(sourceOf(a, 'startCommand npm start')).toEqual(['package.json:10']);
    expect(a.stateful).toEqual(['postgres', 'redis']);
    expect(a.healthCheckPath).toBe('/healthz');
    expect(sourceOf(a, 'dependency express locked at 4.19.2')).toEqual(['package-lock.json:16']);
  });

  it('nextjs: next wins over express; packageManager field; .nvmrc beats engines', () => {
    const a = fixture('nextjs');
    expect(a).toMatchObject({ kind: 'web', framework: 'nextjs', frameworkVersion: '14.2.3', packageManager: 'pnpm', port: 3000, languageVersion: '20.12.2' });
    expect(a.dependencies.map((d) => d.name)).toEqual(['express', 'next', 'react', 'react-dom']);
    expect(a.startCommand).toBe('pnpm start');
    expect(sourceOf(a, 'framework nextjs')).toEqual(['package.json:16']);
    expect(sourceOf(a, 'framework nextjs preferred over express')).toEqual(['rule:framework-precedence']);
    expect(sourceOf(a, 'languageVersion 20.12.2')).toEqual(['.nvmrc:1']);
  });

  it('a package.json with no framework is not express (v1 regression)', () => {
    const lib = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ name: 'left-pad2', version: '1.0.0', main: 'index.js', dependencies: { lodash: '^4.17.21' } }), 'index.js': 'module.exports = (s) => s;\n' }));
    expect(lib).toMatchObject({ kind: 'library', framework: null, port: null });
    expect(lib.startCommand).toBeUndefined();

    const worker = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ name: 'mailer', private: true, scripts: { start: 'node worker.js' }, dependencies: { bullmq: '5.7.0' } }, null, 2), 'worker.js': "const { Worker } = require('bullmq');\n" }));
    expect(worker).toMatchObject({ kind: 'worker', framework: null, port: null, startCommand: 'npm start', backgroundJobs: ['bullmq'], stateful: ['redis'] });
  });

  it('hapi (@hapi/hapi, or the pre-v19 bare name) is the framework, with a node entry as its start command', () => {
    const files = (dep: string) => ({
      'package.json': JSON.stringify({ name: 'api', main: 'server.js', dependencies: { [dep]: '21.3.0', sqlite3: '5.1.7' } }),
      'server.js': "const Hapi = require('" + dep + "');\nconst server = Hapi.server({ port: process.env.PORT || 8000 });\nserver.start();\n",
    });
    for (const dep of ['@hapi/hapi', 'hapi']) {
      const a = analyzeRepository(snapshot(files(dep)));
      expect(a).toMatchObject({ kind: 'web', language: 'node', framework: 'hapi', port: 8000, startCommand: 'node server.js' });
    }
  });

  it('hono (with @hono/node-server) is the framework, not an unknown node server', () => {
    const pkg = JSON.stringify({ name: 'notes', type: 'module', scripts: { start: 'node dist/index.js' }, dependencies: { hono: '4.6.0', '@hono/node-server': '1.13.0' } });
    const server = "import { serve } from '@hono/node-server';\nimport { Hono } from 'hono';\nconst app = new Hono();\nserve({ fetch: app.fetch, port: +(process.env.PORT || 8787) });\n";
    const a = analyzeRepository(snapshot({ 'package.json': pkg, 'src/index.ts': server }));
    expect(a).toMatchObject({ kind: 'web', language: 'node', framework: 'hono', port: 8787, startCommand: 'npm start' });
  });

  it('client libraries for stores a single-service compose with a data volume never mentions are options, not needs', () => {
    const pkg = JSON.stringify({ name: 'monitor', main: 'server.js', dependencies: { express: '4.19.2', 'better-sqlite3': '11.0.0', ioredis: '5.4.0', mysql2: '3.9.0', '@aws-sdk/client-s3': '3.0.0' } });
    const server = "const express = require('express');\nexpress().listen(process.env.PORT || 3001);\n";
    const compose = (extra: string) => `services:\n  app:\n    image: example/monitor:1\n    volumes:\n      - ./data:/app/data\n${extra}`;
    const analyse = (files: Record<string, string>) => analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': server, ...files })).stateful;
    // Probing redis and an optional MariaDB beside SQLite: the deployment runs neither. The S3 client is an option
    // wherever a deployment file exists and none names a bucket (unconfiguredObjectStore); with no such file it stands.
    expect(analyse({ 'compose.yaml': compose('') })).toEqual([]);
    // The same compose naming REDIS_URL, or an env template naming MySQL, keeps that store.
    expect(analyse({ 'compose.yaml': compose('    environment:\n      REDIS_URL: redis://cache:6379\n') })).toEqual(['redis']);
    expect(analyse({ 'compose.yaml': compose(''), '.env.example': 'DB_TYPE=mariadb\n' })).toEqual(['mysql']);
    // No volume (the data lives elsewhere), no compose, or a compose with a store beside the app: the libraries stand.
    expect(analyse({ 'compose.yaml': 'services:\n  app:\n    image: example/monitor:1\n' })).toEqual(['mysql', 'redis']);
    expect(analyse({})).toEqual(['mysql', 'redis', 's3']);
    expect(analyse({ 'compose.yaml': compose('  db:\n    image: postgres:16\n') })).toEqual(['mysql', 'postgres', 'redis']);
    // A compose naming the bucket keeps s3 beside the others.
    expect(analyse({ 'compose.yaml': compose('    environment:\n      S3_BUCKET: monitor-backups\n') })).toEqual(['s3']);
  });

  it('PORT in the start script is an explicit port', () => {
    const a = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ scripts: { start: 'PORT=4500 node app.js' }, dependencies: { express: '4.19.2' } }), 'yarn.lock': '' }));
    expect(a).toMatchObject({ framework: 'express', port: 4500, startCommand: 'yarn start', packageManager: 'yarn' });
  });
});

describe('go fixtures', () => {
  it('go-gin: go.mod requires (indirect skipped), r.Run(":8081"), pgx/v5 → postgres', () => {
    const a = fixture('go-gin');
    expect(a).toMatchObject({ kind: 'web', language: 'go', framework: 'gin', frameworkVersion: 'v1.10.0', languageVersion: '1.22', port: 8081 });
    expect(a.dependencies).toEqual([
      { name: 'github.com/gin-gonic/gin', version: 'v1.10.0' },
      { name: 'github.com/jackc/pgx/v5', version: 'v5.5.5' },
    ]);
    expect(sourceOf(a, 'port 8081')).toEqual(['main.go:15']);
    expect(a.startCommand).toBe('./orders-api');
    expect(a.stateful).toEqual(['postgres']);
    expect(sourceOf(a, 'framework gin')).toEqual(['go.mod:6']);
  });

  it('go-stdlib: net/http server, default port (the _test.go port is ignored)', () => {
    const a = fixture('go-stdlib');
    expect(a).toMatchObject({ kind: 'web', framework: 'go-net-http', languageVersion: '1.21.5', port: 8080, startCommand: './hello', healthCheckPath: '/health' });
    expect(sourceOf(a, 'framework go-net-http')).toEqual(['main.go:11']);
    expect(a.dependencies).toEqual([]);
  });

  it('a go module without package main is a library', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': 'module example.com/mathx\n\ngo 1.22\n', 'mathx.go': 'package mathx\n\nfunc Add(a, b int) int { return a + b }\n' }));
    expect(a).toMatchObject({ kind: 'library', language: 'go', framework: null, port: null });
  });
});

describe('ruby fixtures', () => {
  it('rails: Gemfile groups, Gemfile.lock versions, puma port, sidekiq, /up health route', () => {
    const a = fixture('rails');
    expect(a).toMatchObject({ kind: 'web', language: 'ruby', framework: 'rails', frameworkVersion: '7.1.3.4', languageVersion: '3.3.1', packageManager: 'bundler', port: 3000 });
    expect(a.dependencies).toEqual([
      { name: 'bootsnap', version: '1.18.3' },
      { name: 'pg', version: '1.5.6' },
      { name: 'puma', version: '6.4.2' },
      { name: 'rails', version: '7.1.3.4' },
      { name: 'sidekiq', version: '7.2.4' },
    ]);
    expect(sourceOf(a, 'port 3000')).toEqual(['config/puma.rb:3']);
    expect(sourceOf(a, 'languageVersion 3.3.1')).toEqual(['Gemfile:3']);
    expect(sourceOf(a, 'frameworkVersion 7.1.3.4')).toEqual(['Gemfile.lock:12']);
    expect(a.backgroundJobs).toEqual(['sidekiq']);
    expect(a.stateful).toEqual(['postgres', 'redis']);
    expect(a.healthCheckPath).toBe('/up');
    expect(a.startCommand).toBe('bundle exec rails server -b 0.0.0.0 -p 3000');
  });
});

describe('docker and precedence', () => {
  it('examples/apps/flask-app: Dockerfile EXPOSE, CMD and FROM tag win', () => {
    const a = analyzeRepository(snapshotOf(EXAMPLE));
    expect(a).toMatchObject({ kind: 'web', framework: 'flask', frameworkVersion: '3.0.3', hasDockerfile: true, port: 8000, languageVersion: '3.12', healthCheckPath: '/healthz', stateful: [] });
    expect(a.startCommand).toBe('gunicorn --bind 0.0.0.0:8000 --workers 2 --access-logfile - app:app');
    expect(sourceOf(a, 'port 8000')).toEqual(['Dockerfile:20']);
    expect(sourceOf(a, `startCommand ${a.startCommand}`)).toEqual(['Dockerfile:21']);
    expect(sourceOf(a, 'languageVersion 3.12')).toEqual(['Dockerfile:1']);
    expect(a.dependencies.map((d) => d.name)).toEqual(['flask', 'gunicorn', 'pydantic']);
  });

  it('EXPOSE beats the code port; Procfile web beats package.json start', () => {
    const a = analyzeRepository(
      snapshot({
        'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4.19.2' } }),
        'server.js': 'app.listen(4000);\n',
        Procfile: 'release: node migrate.js\nweb: node --max-old-space-size=512 server.js\n',
        Dockerfile: 'FROM node:20.12-alpine\nENV PORT=9000\nEXPOSE $PORT\n',
      }),
    );
    expect(a.port).toBe(9000);
    expect(sourceOf(a, 'port 9000')).toEqual(['Dockerfile:3']);
    expect(a.startCommand).toBe('node --max-old-space-size=512 server.js');
    expect(sourceOf(a, `startCommand ${a.startCommand}`)).toEqual(['Procfile:2']);
    expect(a.languageVersion).toBe('20.12');
  });

  it('with no manifest: language from the Dockerfile image, else from source files', () => {
    const docker = analyzeRepository(snapshot({ Dockerfile: 'FROM node:20-alpine\nCOPY . .\nEXPOSE 8080\nCMD ["node", "index.js"]\n', 'index.js': 'console.log(1);\n' }));
    expect(docker).toMatchObject({ kind: 'web', language: 'node', languageVersion: '20', framework: null, port: 8080, startCommand: 'node index.js' });
    expect(sourceOf(docker, 'language node')).toEqual(['Dockerfile:1']);
    expect(sourceOf(docker, 'kind web')).toEqual(['rule:declared-http-port']);

    const bare = analyzeRepository(snapshot({ 'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n' }));
    expect(bare).toMatchObject({ kind: 'web', language: 'python', framework: 'flask', port: 5000, startCommand: 'gunicorn --bind 0.0.0.0:5000 app:app' });
    expect(sourceOf(bare, 'language python')).toEqual(['rule:file-extensions']);
    expect(sourceOf(bare, 'framework flask')).toEqual(['app.py:1']);
  });

  it('parses exec and shell forms, ENTRYPOINT + CMD, final stage only, HEALTHCHECK URL', () => {
    const d = parseDockerfile(
      'Dockerfile',
      [
        'ARG GO_VERSION=1.22',
        'FROM golang:${GO_VERSION} AS build',
        'EXPOSE 1111',
        'CMD ["go", "run", "."]',
        'FROM gcr.io/distroless/static:nonroot',
        '# runtime',
        'EXPOSE 8080/tcp 9090',
        'HEALTHCHECK --interval=30s CMD wget -qO- http://localhost:8080/readyz || exit 1',
        'ENTRYPOINT ["/app/server", \\',
        '  "--log-format=json"]',
        'CMD ["--name", "hello world"]',
      ].join('\n'),
    );
    expect(d.images.map((i) => i.value)).toEqual(['golang:1.22', 'gcr.io/distroless/static:nonroot']);
    expect(d.exposedPort).toEqual({ value: 8080, source: 'Dockerfile:7' });
    expect(d.command).toEqual({ value: "/app/server --log-format=json --name 'hello world'", source: 'Dockerfile:9' });
    expect(d.healthCheckPath?.value).toBe('/readyz');

    const shell = parseDockerfile('Dockerfile', 'FROM python:3.12\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n');
    expect(shell.command?.value).toBe('gunicorn -b 0.0.0.0:$PORT app:app');
    expect(shell.exposedPort).toBeUndefined();
  });

  it('the stage a compose build.target selects is the image, its ${VAR} resolved from .env or the committed template', () => {
    const dockerfile = [
      'FROM php:8.3-apache AS shared',
      'ENTRYPOINT ["/docker/entrypoint.sh"]',
      'FROM shared AS apache-runtime',
      'EXPOSE 80',
      'CMD ["apache2-foreground"]',
      'FROM shared AS nginx-runtime',
      'EXPOSE 8080',
      'CMD ["forego", "start", "-r"]',
      '',
    ].join('\n');
    expect(parseDockerfile('Dockerfile', dockerfile, 'apache-runtime').command?.value).toBe('/docker/entrypoint.sh apache2-foreground');
    expect(parseDockerfile('Dockerfile', dockerfile, 'missing').command?.value).toBe('/docker/entrypoint.sh forego start -r');
    const compose = (target: string) => `services:\n  web:\n    build:\n      context: .\n      target: ${target}\n`;
    const app = (files: Record<string, string>) => analyzeRepository(snapshot({ 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11.0' } }), Dockerfile: dockerfile, ...files }));
    expect(app({ 'docker-compose.yml': compose('${RUNTIME}-runtime'), '.env.example': 'RUNTIME="apache"\n' })).toMatchObject({ port: 80, startCommand: '/docker/entrypoint.sh apache2-foreground' });
    expect(app({ 'docker-compose.yml': compose('${RUNTIME:-apache}-runtime') })).toMatchObject({ port: 80, startCommand: '/docker/entrypoint.sh apache2-foreground' });
    // An unresolvable target leaves the guess: the last stage.
    expect(app({ 'docker-compose.yml': compose('${RUNTIME}-runtime') })).toMatchObject({ port: 8080, startCommand: '/docker/entrypoint.sh forego start -r' });
  });
});

describe('manifest parsers', () => {
  it('parseRequirement: names, extras, markers, specifiers', () => {
    expect(parseRequirement('requests[socks, security] >= 2.31 ; python_version < "3.12"')).toEqual({ name: 'requests', extras: ['security', 'socks'], version: '>=2.31' });
    expect(parseRequirement('Flask_SQLAlchemy==3.1.1')).toEqual({ name: 'flask-sqlalchemy', extras: [], version: '3.1.1' });
    expect(parseRequirement('Django')).toEqual({ name: 'django', extras: [] });
    expect(parseRequirement('mylib @ https://example.com/mylib-1.0.tar.gz')).toEqual({ name: 'mylib', extras: [] });
    expect(parseRequirement('numpy==1.26.*')).toEqual({ name: 'numpy', extras: [], version: '==1.26.*' });
  });

  it('parseRequirementsTxt: comments, continuations, options and includes', () => {
    const deps = parseRequirementsTxt('requirements.txt', '--index-url https://pypi.org/simple\n-c constraints.txt\n# c\nflask==3.0.3 \\\n    --hash=sha256:abc\n./local-pkg\nhttps://x.example/a.whl\nredis>=5 # cache\n');
    expect(deps).toEqual([
      { name: 'flask', version: '3.0.3', source: 'requirements.txt:4' },
      { name: 'redis', version: '>=5', source: 'requirements.txt:8' },
    ]);
  });

  it('parseGemfile: inline dev groups and multi-constraint versions', () => {
    const g = parseGemfile('gem "rspec-rails", group: [:development, :test]\ngem "nokogiri", ">= 1.15", "< 2"\ngem "puma", "= 6.4.2"\n');
    expect(g.development.map((d) => d.name)).toEqual(['rspec-rails']);
    expect(g.runtime.map(({ name, version }) => ({ name, version }))).toEqual([
      { name: 'nokogiri', version: '>= 1.15, < 2' },
      { name: 'puma', version: '6.4.2' },
    ]);
  });

  it('parseGoMod: single-line require and indirect filtering', () => {
    const mod = parseGoMod('module example.com/x/v2\n\ngo 1.21\ntoolchain go1.22.1\nrequire github.com/go-chi/chi/v5 v5.0.12\nrequire golang.org/x/sys v0.20.0 // indirect\n');
    expect(mod.module?.value).toBe('example.com/x/v2');
    expect(mod.go).toEqual({ value: '1.21', source: 'go.mod:3' });
    expect(mod.requires.map((r) => r.name)).toEqual(['github.com/go-chi/chi/v5']);
  });

  it('minimumVersion: the lowest version a range admits', () => {
    expect(minimumVersion('>=3.9,<4')).toBe('3.9');
    expect(minimumVersion('^3.12')).toBe('3.12');
    expect(minimumVersion('>= 18.17.0 < 21')).toBe('18.17.0');
    expect(minimumVersion('20.x')).toBe('20');
    expect(minimumVersion('~> 3.2')).toBe('3.2');
    expect(minimumVersion('<4')).toBeUndefined();
    expect(minimumVersion('*')).toBeUndefined();
  });
});

describe('empty and unknown', () => {
  it('empty fixture and empty map are unknown with nothing inferred', () => {
    for (const a of [fixture('empty'), analyzeRepository({ files: new Map() })]) {
      expect(a).toEqual({
        kind: 'unknown',
        language: null,
        framework: null,
        dependencies: [],
        port: null,
        hasDockerfile: false,
        hasCompose: false,
        stateful: [],
        backgroundJobs: [],
        evidence: [{ fact: 'kind unknown', source: 'rule:empty-snapshot' }],
      });
    }
  });

  it('files with no recognisable ecosystem are unknown; the commit passes through', () => {
    const a = analyzeRepository(snapshot({ 'README.md': '# notes\n', 'LICENSE': 'MIT\n' }, 'abc123'));
    expect(a).toMatchObject({ commit: 'abc123', kind: 'unknown', language: null, framework: null, port: null });
  });

  it('an html-only repository is static', () => {
    expect(analyzeRepository(snapshot({ 'index.html': '<!doctype html><title>x</title>' })).kind).toBe('static');
  });
});

describe('determinism and evidence', () => {
  const names = readdirSync(FIXTURES).sort();

  it('has every fixture the suite expects', () => {
    expect(names).toEqual(['aspnet', 'aws-sam', 'celery-worker', 'compose-app', 'django', 'empty', 'express', 'fastapi', 'fastapi-mangum', 'fastify', 'flask', 'go-chi', 'go-cron', 'go-echo', 'go-fiber', 'go-gin', 'go-stdlib', 'laravel', 'monorepo', 'monorepo-go', 'nestjs', 'netlify-functions', 'nextjs', 'node-library', 'node-worker', 'nuxt', 'phoenix', 'poetry-fastapi', 'python-library', 'quarkus', 'rails', 'remix', 'rust-actix', 'rust-axum', 'rust-lib', 'serverless-framework', 'sinatra', 'spring-gradle-kotlin', 'spring-maven', 'streamlit', 'sveltekit', 'symfony', 'vercel-functions', 'vite-spa']);
  });

  it.each(names)('%s: same files in any order give deep-equal, sorted output', (name) => {
    const a = analyzeRepository(snapshotOf(join(FIXTURES, name)));
    const b = analyzeRepository(snapshotOf(join(FIXTURES, name), true));
    expect(b).toStrictEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const sorted = <T>(xs: T[], key: (x: T) => string) => xs.map(key).every((k, i, all) => i === 0 || (all[i - 1] ?? '') <= k);
    expect(sorted(a.dependencies, (d) => d.name)).toBe(true);
    expect(sorted(a.stateful, (s) => s)).toBe(true);
    expect(sorted(a.evidence, (e) => `${e.fact}\u0000${e.source}`)).toBe(true);
  });

  it.each(names)('%s: every evidence source is a rule or a real file (and line) of the snapshot', (name) => {
    const snap = snapshotOf(join(FIXTURES, name));
    for (const { source } of analyzeRepository(snap).evidence) {
      if (source.startsWith('rule:')) continue;
      const m = /^(.+?)(?::(\d+))?$/.exec(source);
      const text = snap.files.get(m?.[1] ?? '');
      expect(text, source).toBeDefined();
      if (m?.[2]) expect(Number(m[2]), source).toBeLessThanOrEqual((text ?? '').split('\n').length);
    }
  });
});
