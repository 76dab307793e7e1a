// Inputs a review of the round 47–49 rules found them misreading: each rule keeps to what its comment says.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('the round 47–49 rules keep to their word', () => {
  it('a folder holding a Dockerfile alone (k8s/) is no app folder to read instead of the root', () => {
    const a = analyzeRepository(snapshot({ 'main.go': 'package main\n\nfunc main() {}\n', Procfile: 'worker: go run main.go\n', 'k8s/Dockerfile': 'FROM alpine\nCMD ["sleep", "1"]\n' }));
    expect(a.monorepo).toBeUndefined();
    expect(a.startCommand).toBe('go run main.go');
  });

  it('JavaScript beside a server\'s public/index.html is not browser scripts (only a root index.html is)', () => {
    const a = analyzeRepository(snapshot({ 'main.ts': 'import { Application } from "jsr:@oak/oak";\nconst app = new Application();\nawait app.listen({ port: 8000 });\n', 'public/index.html': '<h1>hi</h1>\n', 'public/app.js': 'console.log(1);\n' }));
    expect(a.kind).not.toBe('static');
  });

  it('a deployment setting DB_ENGINE to sqlite3 keeps SQLite the choice', () => {
    const settings = 'import os\nDB_ENGINE = os.environ.get("DB_ENGINE", "sqlite3")\nif DB_ENGINE == "sqlite3":\n    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\nelse:\n    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n';
    const a = analyzeRepository(snapshot({ 'requirements.txt': 'Django==5.1\npsycopg2-binary==2.9.9\n', 'manage.py': 'import django\n', 'app/settings.py': settings, 'docker-compose.yml': 'services:\n  app:\n    build: .\n    environment:\n      DB_ENGINE: sqlite3\n' }));
    expect(JSON.stringify(a.stateful)).not.toContain('postgres');
  });

  it('a .NET section\'s Port (GetSection("Postgres").GetValue<int>("Port", 5432)) is not the app\'s', () => {
    const a = analyzeRepository(snapshot({ 'App/App.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>', 'App/Db.cs': 'var port = config.GetSection("Postgres").GetValue<int>("Port", 5432);\n' }));
    expect(a.port).not.toBe(5432);
  });

  it('a Rust database config\'s `database.port.unwrap_or(5432)` is not the server\'s port', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.8"\n', 'src/main.rs': 'fn main() {\n    let pg = cfg.database.port.unwrap_or(5432);\n}\n' }));
    expect(a.port).toBe(8080);
  });

  it('a commented-out H2 file URL in application.properties defaults nothing', () => {
    const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.8</version></parent><artifactId>app</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency></dependencies></project>';
    const a = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/resources/application.properties': '# for local runs: spring.datasource.url=jdbc:h2:file:./db/app\nspring.datasource.url=${DATABASE_URL}\n' }));
    expect(JSON.stringify(a.stateful)).toContain('postgres');
  });

  it('a development target given through a variable default (`${TARGET:-development}`) is a development setup too', () => {
    const dockerfile = 'FROM node:22 AS development\nEXPOSE 9000\nCMD ["npm", "run", "dev"]\n\nFROM node:22 AS production\nEXPOSE 8080\nCMD ["node", "dist/app.js"]\n';
    const a = analyzeRepository(snapshot({ 'package.json': '{"name":"app","dependencies":{"express":"4.21.0"}}', 'app.js': "require('express')().listen(8080);\n", Dockerfile: dockerfile, 'docker-compose.yml': 'services:\n  app:\n    build:\n      context: .\n      target: ${TARGET:-development}\n' }));
    expect(a.startCommand).toBe('node dist/app.js');
  });

  it('nginx copying files out of a pulled image (`--from=ghcr.io/acme/site`) is not serving a build stage\'s output', () => {
    const a = analyzeRepository(snapshot({ 'package.json': '{"name":"site","scripts":{"start":"node server.js"}}', 'server.js': 'module.exports = {};\n', Dockerfile: 'FROM nginx:1.27\nCOPY --from=ghcr.io/acme/site:latest /dist /usr/share/nginx/html\n' }));
    expect(a.kind).not.toBe('static');
  });

  it('a worker whose env template names PORT stays a worker', () => {
    const a = analyzeRepository(snapshot({ 'package.json': '{"name":"bot","scripts":{"start":"node bot.js"},"dependencies":{"discord.js":"14.0.0"}}', 'bot.js': "const { Client } = require('discord.js');\nnew Client({ intents: [] }).login(process.env.TOKEN);\n", '.env.example': 'TOKEN=\nPORT=3000\n' }));
    expect(a.kind).toBe('worker');
  });
});
