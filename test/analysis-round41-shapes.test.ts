// Shapes from the round-41 dev cases and the older dev cases they generalise.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { feasibility } from '../function/src/decision/feasibility.js';
import { budgetLimit } from '../function/src/decision/budget.js';
import { decide } from '../function/src/decision/decide.js';
import { appWeight } from '../function/src/decision/facts.js';
import { parseIntent } from '../function/src/decision/intent.js';
import { cloudProviderSpecSchema, deploymentSpecSchema } from '../function/src/api/claim.js';
import { snapshot } from './helpers/snapshot.js';

describe('a compose file running several SQL engines beside the one the configuration selects', () => {
  const laravel = (connection: string, extra: Record<string, string> = {}, dependsOn = 'db') => ({
    'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11.0' } }),
    artisan: '#!/usr/bin/env php\n',
    'public/index.php': '<?php\nrequire __DIR__."/../vendor/autoload.php";\n',
    '.env.example': `APP_NAME=Links\nDB_CONNECTION=${connection}\nDB_HOST=db\n`,
    'docker-compose.yml': `services:\n  db:\n    image: mariadb:11.2\n  pg-db:\n    image: postgres:14\n  php:\n    build: .\n    depends_on:\n      - ${dependsOn}\n`,
    ...extra,
  });

  it('keeps the selected engine and sets the other aside as an option', () => {
    const a = analyzeRepository(snapshot(laravel('mysql')));
    expect(a.stateful).toEqual(['mysql']);
    expect(a.evidence).toContainEqual({ fact: 'optional postgres: compose runs it beside the SQL server the app\'s configuration selects', source: 'docker-compose.yml:5' });
    expect(analyzeRepository(snapshot(laravel('pgsql', {}, 'pg-db'))).stateful).toEqual(['postgres']);
  });

  it('keeps a server another service waits on: that service\'s database, not an option (control)', () => {
    const keycloak = { 'docker-compose.yml': 'services:\n  db:\n    image: mariadb:11.2\n  keycloak-db:\n    image: postgres:16\n  keycloak:\n    image: quay.io/keycloak/keycloak:26\n    depends_on:\n      - keycloak-db\n  php:\n    build: .\n    depends_on:\n      - db\n' };
    expect(analyzeRepository(snapshot(laravel('mysql', keycloak))).stateful).toEqual(['mysql', 'postgres']);
  });

  it('keeps both when nothing selects one, or when a driver of the app names the other (controls)', () => {
    const none = laravel('mysql');
    delete (none as Record<string, string>)['.env.example'];
    expect(analyzeRepository(snapshot(none)).stateful).toEqual(['mysql', 'postgres']);
    const node = {
      'package.json': JSON.stringify({ name: 'shop', dependencies: { express: '^4', pg: '^8', mysql2: '^3' }, scripts: { start: 'node server.js' } }),
      'server.js': 'require("express")().listen(3000);\n',
      '.env.example': 'DATABASE_URL=mysql://app@db/app\n',
      'config.js': 'module.exports = { url: process.env.DATABASE_URL };\n',
      'docker-compose.yml': 'services:\n  db:\n    image: mysql:8\n  reports:\n    image: postgres:16\n  app:\n    build: .\n',
    };
    expect(analyzeRepository(snapshot(node)).stateful).toEqual(['mysql', 'postgres']);
  });
});

describe('a package.json that only builds assets beside a PHP app', () => {
  const php = {
    'composer.json': JSON.stringify({ name: 'acme/catalogue', type: 'project', require: { php: '>=8.1', 'ext-pdo_mysql': '*' } }),
    'index.php': '<?php\nrequire "app/bootstrap.php";\n$app->dispatch($_SERVER["REQUEST_URI"]);\n',
    'webpack.config.js': 'module.exports = { entry: "./js/main.js" };\n',
    'js/main.js': 'import $ from "jquery";\n$(() => {});\n',
  };
  const packageJson = (extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'catalogue-assets', dependencies: { express: '^4.20.0', jquery: '^3.6.0', webpack: '^5' }, ...extra });

  it('is a PHP app when no source loads the Node framework and no start script runs it', () => {
    const a = analyzeRepository(snapshot({ ...php, 'package.json': packageJson() }));
    expect([a.language, a.framework]).toEqual(['php', null]);
  });

  it('is a PHP app when the image runs PHP, even if a script loads the framework', () => {
    const a = analyzeRepository(snapshot({ ...php, 'package.json': packageJson(), 'tools/preview.js': 'const express = require("express");\nexpress().listen(9000);\n', Dockerfile: 'FROM php:8.2-apache\nCOPY . /var/www/html\n' }));
    expect(a.language).toBe('php');
  });

  it('stays a Node app when a source loads the framework, or a start script runs it (controls)', () => {
    const loads = analyzeRepository(snapshot({ ...php, 'package.json': packageJson(), 'server.js': 'const express = require("express");\nexpress().listen(3000);\n' }));
    expect([loads.language, loads.framework]).toEqual(['node', 'express']);
    const started = analyzeRepository(snapshot({ ...php, 'package.json': packageJson({ scripts: { start: 'node index.js' } }) }));
    expect(started.language).toBe('node');
  });
});

describe('the database extension a plain PHP project requires', () => {
  const app = (require: Record<string, string>, type = 'project') => ({
    'composer.json': JSON.stringify({ name: 'acme/social', type, require: { php: '>=7.2', ...require } }, null, 2),
    'index.php': '<?php\nrequire "Idno/start.php";\n\\Idno\\Core\\PageHandler::serve();\n',
  });

  it('names the server when it requires one SQL server\'s extension', () => {
    const a = analyzeRepository(snapshot(app({ 'ext-pdo_mysql': '*', 'ext-gd': '*' })));
    expect(a.stateful).toEqual(['mysql']);
    expect(a.evidence).toContainEqual({ fact: 'stateful mysql', source: 'composer.json:6' });
    expect(analyzeRepository(snapshot(app({ 'ext-pgsql': '*' }))).stateful).toEqual(['postgres']);
  });

  it('names none when it requires several engines\' extensions, SQLite among them, or is a library (controls)', () => {
    expect(analyzeRepository(snapshot(app({ 'ext-pdo_mysql': '*', 'ext-pdo_pgsql': '*' }))).stateful).toEqual([]);
    expect(analyzeRepository(snapshot(app({ 'ext-mysqli': '*', 'ext-sqlite3': '*' }))).stateful).toEqual([]);
    expect(analyzeRepository(snapshot(app({ 'ext-pdo_mysql': '*' }, 'library'))).stateful).toEqual([]);
  });
});

describe('an image whose CMD only prints usage', () => {
  const files = (cmd: string) => ({
    'settings.gradle': 'rootProject.name = "orchestrator"\n',
    'build.gradle': 'plugins { id "java" }\n',
    Dockerfile: `FROM eclipse-temurin:21-jre\nCOPY build/executable/* /app/orchestrator\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ${cmd}\n`,
    'docker-compose.yml': 'services:\n  postgres:\n    image: postgres:16\n  orchestrator:\n    image: acme/orchestrator:latest\n    command: server standalone\n    ports:\n      - "8080:8080"\n',
  });

  // The rubric's precedence: the image's declared command comes before compose's `command:`, even one that only prints usage.
  it('keeps the image\'s own command before the one compose gives', () => {
    const a = analyzeRepository(snapshot(files('["--help"]')));
    expect(a.startCommand).toBe('docker-entrypoint.sh --help');
  });

  it('keeps a CMD that starts something (control)', () => {
    expect(analyzeRepository(snapshot(files('["server", "local"]'))).startCommand).toBe('docker-entrypoint.sh server local');
  });
});

describe('configuration that only a test or an example reads', () => {
  it('does not name the app\'s database', () => {
    const files = {
      'pom.xml': '<project><dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency></dependencies></project>\n',
      'src/main/resources/application.yml': 'spring:\n  datasource:\n    url: jdbc:postgresql://db/app\n',
      'jdbc-mysql/src/test/resources/application-test.yml': 'datasources:\n  mysql:\n    url: jdbc:mysql://localhost:3306/test\n',
    };
    expect(analyzeRepository(snapshot(files)).stateful).toEqual(['postgres']);
    // (The same file in the app's own resources does name it.)
    const own = { ...files, 'src/main/resources/application-mysql.yml': 'datasources:\n  mysql:\n    url: jdbc:mysql://db:3306/app\n' };
    expect(analyzeRepository(snapshot(own)).stateful).toEqual(['mysql', 'postgres']);
  });
});

describe('a release bundle pulling its product\'s images under the namespace its README names', () => {
  const compose = 'services:\n  database:\n    image: docker.io/mongo\n  api:\n    image: ghcr.io/stoatchat/api:v0.13.8\n  events:\n    image: ghcr.io/stoatchat/events:v0.13.8\n  web:\n    image: ghcr.io/stoatchat/for-web:746bee5\n    ports:\n      - "80:5000"\n';
  it('counts each pulled role as a first-party service', () => {
    const a = analyzeRepository(snapshot({ 'README.md': '<div align="center">\n<h1>\n  Stoat Self-Hosted\n  [![Stars](https://img.shields.io/github/stars/x)](y)\n</h1>\n', 'compose.yml': compose }));
    expect(a.services?.map((s) => s.name).sort()).toEqual(['api', 'events', 'web']);
  });

  it('leaves them third-party when the title names another product, or a shell comment comes first (controls)', () => {
    expect(analyzeRepository(snapshot({ 'README.md': '# Chat stack demo\n', 'compose.yml': compose })).services ?? []).toEqual([]);
    expect(analyzeRepository(snapshot({ 'README.md': 'Setup:\n```\n# stoat install\n```\n', 'compose.yml': compose })).services ?? []).toEqual([]);
  });
});

/** A Rails blog attaching images, its production.rb and the image's ENV lines given. */
const railsBlog = (production: string, env: string) => ({
  Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 7.1"\ngem "pg"\ngem "aws-sdk-s3"\n',
  'config/application.rb': 'module Blog\n  class Application < Rails::Application\n  end\nend\n',
  'app/models/post.rb': 'class Post < ApplicationRecord\n  has_many_attached :images\nend\n',
  'config/environments/production.rb': production,
  'config/storage.yml': 'local:\n  service: Disk\n  root: <%= Rails.root.join("storage") %>\namazon:\n  service: S3\n  bucket: blog\n',
  Dockerfile: `FROM ruby:3.3\nCOPY . /app\n${env}CMD ["bin/rails", "server"]\n`,
});

describe('a Rails storage service chosen under a condition the deployment meets', () => {
  const files = (env: string) => railsBlog('Rails.application.configure do\n  config.active_storage.service = :amazon\n  if ENV["BLOG_DEPLOY"]=="local"\n    config.active_storage.service = :local\n  end\nend\n', env);

  it('keeps the uploads on local disk when the image sets the condition', () => {
    const a = analyzeRepository(snapshot(files('ENV BLOG_DEPLOY="local"\n')));
    expect(a.stateful).toEqual(['postgres']);
    expect(a.localState).toContainEqual({ name: 'uploads on local disk (Active Storage local: Disk)', source: 'config/environments/production.rb:4' });
  });

  it('keeps production\'s bucket when the deployment leaves the condition unmet (control)', () => {
    expect(analyzeRepository(snapshot(files(''))).stateful).toEqual(['postgres', 's3']);
    expect(analyzeRepository(snapshot(files('ENV BLOG_DEPLOY="cloud"\n'))).stateful).toEqual(['postgres', 's3']);
  });
});

describe('a Spring port behind a placeholder, or in a config folder Spring reads', () => {
  const app = (files: Record<string, string>) => ({
    'pom.xml': '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n',
    ...files,
  });

  it('reads the placeholder\'s default', () => {
    expect(analyzeRepository(snapshot(app({ 'src/main/resources/application.properties': 'server.port = ${KK_SERVER_PORT:8012}\n' }))).port).toBe(8012);
    expect(analyzeRepository(snapshot(app({ 'src/main/resources/application.yml': 'server:\n  port: ${APP_PORT:9090}\n' }))).port).toBe(9090);
  });

  it('reads config/application.properties', () => {
    expect(analyzeRepository(snapshot(app({ 'src/main/resources/config/application.properties': 'server.port=8181\n' }))).port).toBe(8181);
  });

  it('falls back to the framework default without a default in the placeholder (control)', () => {
    expect(analyzeRepository(snapshot(app({ 'src/main/resources/application.properties': 'server.port = ${SERVER_PORT}\n' }))).port).toBe(8080);
  });
});

describe('a module named serverless.ts in the app\'s code', () => {
  const app = {
    'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/server.js' }, dependencies: { express: '^4' } }),
    'src/server.ts': 'import express from "express";\nexpress().listen(8000);\n',
  };

  it('is a handler module, not the Serverless Framework\'s config', () => {
    const a = analyzeRepository(snapshot({ ...app, 'src/serverless.ts': '// A serverless-friendly entrypoint: the Express app as a (req, res) handler.\nexport default async function handler(req, res) {}\n' }));
    expect(a.platforms?.map((p) => p.kind) ?? []).not.toContain('serverless');
  });

  it('is the Framework\'s config when it names a provider and functions (control)', () => {
    const config = 'const config = { service: "api", provider: { name: "aws", runtime: "nodejs20.x" }, functions: { api: { handler: "src/handler.main" } } };\nmodule.exports = config;\n';
    const a = analyzeRepository(snapshot({ ...app, 'serverless.ts': config }));
    expect(a.platforms?.map((p) => p.kind)).toContain('serverless');
  });
});

describe('a shipped function template that the system\'s services rule out', () => {
  it('gives way to the cluster the services settle, not to a single VM', () => {
    const base = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4' } }), 'server.js': 'require("express")().listen(8000);\n' }));
    const services = ['api', 'app', 'worker'].map((name) => ({ name, source: `packages/${name}`, build: `packages/${name}`, role: false }));
    const a = { ...base, platforms: [{ kind: 'sam' as const, source: 'template.yaml:2' }], services };
    const feas = feasibility(a, 'aws');
    expect(feas.excluded.serverless?.rule).toBe('multi-service');
    expect(feas.settled?.strategy).toBe('kubernetes');
    expect(feas.settled?.rule).toBe('multi-service');
  });
});

describe('a Django monolith its authors ship as a Cloud Run service', () => {
  const decided = (files: Record<string, string>) => {
    const analysis = analyzeRepository(snapshot(files));
    const spec = deploymentSpecSchema.parse({ repository: { url: 'https://example.com/a.git' }, cloudProvider: 'p', prompt: 'Deploy this application', budget: { maxMonthlyCost: 500 } });
    const provider = cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1' });
    const facts = { analysis, intent: parseIntent(spec.prompt), cloud: 'aws' as const, policies: [], neighbors: [], weight: appWeight(analysis), budget: budgetLimit(spec, provider) };
    return decide({ facts, requested: 'auto', region: 'us-east-1', traffic: { requestsPerMonth: 1_000_000, avgDurationMs: 200 } }).decision;
  };
  const django = {
    'requirements.txt': 'Django==5.0\ngunicorn==22.0\npsycopg[binary]==3.1\n',
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
    'app/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
    Procfile: 'web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n',
  };

  it('runs as the function its adapter makes it', () => {
    const tf = 'resource "google_cloud_run_v2_service" "app" {\n  name = "app"\n  template {\n    containers {\n      image = var.image\n    }\n  }\n}\n';
    expect(decided({ ...django, 'terraform/main.tf': tf }).strategy).toBe('serverless');
  });

  it('stays a long-lived process on a VM without one (control)', () => {
    expect(decided(django).strategy).toBe('vm');
  });
});

describe('controls the review of round 41 asked for', () => {
  it('finds the Node framework by name in a one-line package.json', () => {
    const a = analyzeRepository(snapshot({
      'composer.json': JSON.stringify({ name: 'acme/site', type: 'project', require: { php: '>=8.1' } }),
      'index.php': '<?php\necho "hi";\n',
      'package.json': '{"name":"site","dependencies":{"body-parser":"^1","express":"^4"}}',
      'server.js': 'const express = require("express");\nexpress().listen(3000);\n',
    }));
    expect([a.language, a.framework]).toEqual(['node', 'express']);
  });

  it('leaves a multi-product publisher\'s images, generic titles and one-shot jobs third-party', () => {
    const linuxserver = 'services:\n  sonarr:\n    image: lscr.io/linuxserver/sonarr:4\n  radarr:\n    image: lscr.io/linuxserver/radarr:5\n';
    expect(analyzeRepository(snapshot({ 'README.md': '# Linuxserver media stack\n', 'compose.yml': linuxserver })).services ?? []).toEqual([]);
    const home = 'services:\n  ha:\n    image: ghcr.io/home-assistant/home-assistant:2025.1\n  mqtt:\n    image: ghcr.io/home-assistant/amd64-addon-mosquitto:6\n';
    expect(analyzeRepository(snapshot({ 'README.md': '# Home automation\n', 'compose.yml': home })).services ?? []).toEqual([]);
    const keycloak = 'services:\n  keycloak:\n    image: quay.io/keycloak/keycloak:26\n  config:\n    image: quay.io/keycloak/keycloak-config-cli:6\n';
    expect(analyzeRepository(snapshot({ 'README.md': '# Keycloak with Postgres\n', 'compose.yml': keycloak })).services ?? []).toEqual([]);
  });

  it('reads a Rails storage override only inside its own branch, and not over a later assignment', () => {
    const files = (production: string) => railsBlog(production, 'ENV DEPLOY=local\n');
    const elseBranch = 'Rails.application.configure do\n  config.active_storage.service = :local\n  if ENV["DEPLOY"] == "local"\n    config.force_ssl = false\n  else\n    config.active_storage.service = :amazon\n  end\nend\n';
    expect(analyzeRepository(snapshot(files(elseBranch))).stateful).toEqual(['postgres']);
    const later = 'Rails.application.configure do\n  config.active_storage.service = :amazon\n  if ENV["DEPLOY"] == "local"\n    config.active_storage.service = :local\n  end\n  config.active_storage.service = :amazon\nend\n';
    expect(analyzeRepository(snapshot(files(later))).stateful).toEqual(['postgres', 's3']);
  });

  it('reads Spring\'s config/ folder over its parent, and points at the port\'s own line', () => {
    const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n';
    const a = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/resources/application.properties': 'spring.application.name=x\n\n\n\nserver.port=${P:8012}\n', 'src/main/resources/config/application.properties': 'server.port=9000\n' }));
    expect(a.port).toBe(9000);
    const b = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/resources/application.properties': 'spring.application.name=x\n\n\n\nserver.port=${P:8012}\n' }));
    expect(b.evidence).toContainEqual({ fact: 'port 8012', source: 'src/main/resources/application.properties:5' });
  });
});
