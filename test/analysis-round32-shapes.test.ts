// Shapes from the round-32 dev cases: a Go module at the root beside a helper .csproj in a subfolder, Node code running
// on SQLite unless an env variable picks the server, and an image whose start script puts Caddy in front of the app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a runnable manifest at the root beside one in a subfolder', () => {
  const files = {
    'go.mod': 'module github.com/acme/monitor\n\ngo 1.24\n',
    'monitor.go': 'package monitor\n\nconst Version = "1.0"\n',
    'internal/cmd/hub/hub.go': 'package main\n\nfunc main() {}\n',
    'agent/lhm/monitor_lhm.csproj': '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>\n',
    'agent/lhm/Program.cs': 'class P { static void Main() {} }\n',
  };

  it('is the language: the Go module, not the helper the agent shells out to', () => {
    expect(analyzeRepository(snapshot(files)).language).toBe('go');
  });

  it('leaves a subfolder manifest the language when nothing at the root runs (control)', () => {
    const { 'internal/cmd/hub/hub.go': _main, ...library } = files;
    expect(analyzeRepository(snapshot(library)).language).toBe('dotnet');
  });
});

describe('Node code on SQLite unless a variable picks the server', () => {
  const database = [
    "const { Sequelize } = require('sequelize');",
    'if (process.env.DB_TYPE === "mysql") {',
    "  module.exports = new Sequelize(process.env.DB_NAME, process.env.DB_USER, process.env.DB_PASS, { dialect: 'mysql' });",
    '} else if (!process.env.DB_TYPE || process.env.DB_TYPE === "sqlite") {',
    '  module.exports = new Sequelize({',
    "    dialect: 'sqlite',",
    "    storage: 'data/app.db',",
    '  });',
    '}',
    '',
  ].join('\n');
  const app = (extra: Record<string, string> = {}) => analyzeRepository(snapshot({
    'package.json': '{"name": "app", "scripts": {"start": "node server/index.js"}, "dependencies": {"express": "^4.19.0", "sequelize": "^6.37.0", "mysql2": "^3.9.0", "sqlite3": "^5.1.7"}}\n',
    'server/index.js': "const express = require('express');\nconst app = express();\napp.listen(6989);\n",
    'server/utils/database.js': database,
    Dockerfile: 'FROM node:20\nCOPY . .\nEXPOSE 6989\nCMD ["node", "server/index.js"]\n',
    ...extra,
  }));

  it('runs on the SQLite file when the deployment leaves the variable unset: the MySQL driver is an option', () => {
    const a = app();
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name)).toContain('SQLite');
    expect(a.evidence).toContainEqual({ fact: 'optional SQL server: the code runs on SQLite unless DB_TYPE is set, which the deployment leaves unset', source: 'server/utils/database.js:6' });
  });

  it('runs on MySQL when the image sets the variable, and on SQLite when the env template sets it to sqlite (control)', () => {
    const image = 'FROM node:20\nCOPY . .\nENV DB_TYPE=mysql\nEXPOSE 6989\nCMD ["node", "server/index.js"]\n';
    expect(app({ Dockerfile: image }).stateful).toEqual(['mysql']);
    expect(app({ '.env.example': 'DB_TYPE=sqlite\n' }).stateful).toEqual([]);
  });

  it('reads only the block the condition opens, and skips minified lines (control)', () => {
    const knexfile = "if (!process.env.DATABASE_URL) {\n  console.warn('DATABASE_URL unset');\n}\nmodule.exports = {\n  development: { client: 'sqlite3' },\n  production: { client: 'pg' },\n};\n";
    const a = app({ 'server/utils/database.js': knexfile, 'package.json': '{"name": "app", "scripts": {"start": "node server/index.js"}, "dependencies": {"express": "^4.19.0", "knex": "^3.1.0", "pg": "^8.11.0", "sqlite3": "^5.1.7"}}\n' });
    expect(a.stateful).toEqual(['postgres']);
    const minified = `${'var a=1;'.repeat(100)}if(!process.env.DB_TYPE){\n  dialect: 'sqlite',\n`;
    expect(app({ 'server/utils/database.js': minified }).stateful).toEqual(['mysql']);
  });
});

describe('an image whose start script puts Caddy in front of the app', () => {
  const files = {
    'Cargo.toml': '[package]\nname = "backend"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.8"\ntokio = { version = "1", features = ["full"] }\n',
    'src/main.rs': 'fn main() {}\n',
    'ci/run-container.sh': '#!/bin/sh\nset -eu\nproxy_command="caddy run --config /etc/caddy/Caddyfile"\nbackend_command="BACKEND_PORT=5000 /usr/local/bin/backend"\nfrontend_command="PORT=3000 npx react-router-serve ./build/server/index.js"\nexec concurrently --kill-others "$proxy_command" "$backend_command" "$frontend_command"\n',
    'ci/Caddyfile': '{\n\tadmin off\n}\n\n:{$PORT:8000} {\n\treverse_proxy 127.0.0.1:3000\n}\n',
    Dockerfile: 'FROM rust:1 AS build\nCOPY . .\nRUN cargo build --release\nFROM node:22-slim\nCOPY ci/Caddyfile /etc/caddy/Caddyfile\nCOPY ci/run-container.sh /usr/local/bin/run-container.sh\nCOPY --from=build /target/release/backend /usr/local/bin/backend\nCMD ["/usr/local/bin/run-container.sh"]\n',
  };

  it("listens on the Caddyfile's site address, not the port of a process behind it", () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.port).toBe(8000);
    expect(a.evidence).toContainEqual({ fact: 'port 8000', source: 'ci/Caddyfile:5' });
  });

  it('takes the first site block only, and no port when it names none (control)', () => {
    const two = '{\n\tadmin off\n}\n\n{$SITE_DOMAIN} {\n\treverse_proxy 127.0.0.1:3000\n}\n\n:2019 {\n\tmetrics\n}\n';
    expect(analyzeRepository(snapshot({ ...files, 'ci/Caddyfile': two })).port).not.toBe(2019);
    const echo = files['ci/run-container.sh'].replace('proxy_command="caddy run --config /etc/caddy/Caddyfile"', 'echo "skipping caddy start"');
    expect(analyzeRepository(snapshot({ ...files, 'ci/run-container.sh': echo })).port).toBe(3000);
  });

  it('reads the script as before when it starts no Caddy (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'ci/run-container.sh': files['ci/run-container.sh'].replace('caddy run --config /etc/caddy/Caddyfile', 'true') }));
    expect(a.port).toBe(3000);
  });
});

describe('a compose service named like a tool that runs its own command on the app image', () => {
  const compose = (smtp: string) => `services:\n  web:\n    build:\n      context: .\n      dockerfile: dockerfiles/web\n    ports:\n      - "3000:3000"\n  smtp:\n${smtp}  db:\n    image: postgres:16\n`;
  const rails = {
    Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'pg'\n",
    'dockerfiles/web': 'FROM ruby:3.3\nCOPY . /app\nCMD ["bundle", "exec", "rails", "s", "-b", "0.0.0.0"]\n',
  };

  it('is one of the app’s processes (`smtp: bundle exec rake app:smtp` on the web image)', () => {
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.yml': compose('    build:\n      context: .\n      dockerfile: dockerfiles/web\n    command: bundle exec rake app:smtp\n    ports:\n      - "2525:2525"\n') }));
    expect(a.services?.map((s) => s.name)).toEqual(['smtp', 'web']);
  });

  it('leaves a dashboard built on the app image a tool (`flower` with `/start-flower`; control)', () => {
    const flower = `services:\n  web:\n    build:\n      context: .\n      dockerfile: dockerfiles/web\n    ports:\n      - "3000:3000"\n  flower:\n    build:\n      context: .\n      dockerfile: dockerfiles/web\n    command: /start-flower\n`;
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.yml': flower }));
    expect(a.services?.map((s) => s.name)).toEqual(['web']);
  });
});

describe('the only app folder, built from the root context, beside other services the compose builds', () => {
  const compose = (web: string) => `services:\n  webserver:\n    build:\n${web}    ports:\n      - "8000:8000"\n  scheduler:\n    build:\n      context: ..\n      dockerfile: scheduler/Dockerfile\n    command: scheduler\n  worker:\n    build:\n      context: ..\n      dockerfile: scheduler/Dockerfile\n    command: celery worker\n  postgres:\n    image: postgres:15\n`;
  const files = {
    'web/requirements.txt': 'Django==5.1\ngunicorn==23.0\npsycopg==3.2\n',
    'web/manage.py': 'import django\n',
    'web/Dockerfile': 'FROM python:3.12\nCOPY web /app\nCMD ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8000"]\n',
    'scheduler/Dockerfile': 'FROM apache/airflow:2.10.0\nCOPY scheduler/dags /opt/airflow/dags\n',
  };

  it('runs as one system with them (`dockerfile: web/Dockerfile` in the root context is the web folder’s build)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker/docker-compose.yaml': compose('      context: ..\n      dockerfile: web/Dockerfile\n') }));
    expect(a.services?.map((s) => s.name)).toEqual(['scheduler', 'webserver', 'worker']);
  });

  it('counts a root-context build whose Dockerfile is outside the folder as no build of it (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker/web.Dockerfile': files['web/Dockerfile'], 'docker/docker-compose.yaml': compose('      context: ..\n      dockerfile: docker/web.Dockerfile\n') }));
    expect(a.services?.map((s) => s.name)).not.toEqual(['scheduler', 'webserver', 'worker']);
  });

  it('as it does when the compose builds the folder as its context (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker/docker-compose.yaml': compose('      context: ../web\n') }));
    expect(a.services?.map((s) => s.name)).toEqual(['scheduler', 'webserver', 'worker']);
  });
});
