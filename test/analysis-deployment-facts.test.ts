// Detection rules behind the eval's analyser facts (eval/RUBRIC.md): port precedence, compose
// commands, Dockerfiles outside the root, data volumes, first-party services, and apps whose
// manifests sit in the folder their Dockerfile copies in.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { appService, isDevelopmentBuild, parseCompose, parseDockerfile } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { explicitPortInCode, goNamedDefaultPort, portInCommand } from '../function/src/analysis/source-scan.js';
import type { Analysis } from '../function/src/types.js';
import { snapshot } from './helpers/snapshot.js';

const sourceOf = (a: Analysis, fact: string): string[] => a.evidence.filter((e) => e.fact === fact).map((e) => e.source);
const flask = { 'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' };

describe('port', () => {
  it('a start command binding a bare $PORT has no port; ${PORT:-N} has N', () => {
    expect(portInCommand('gunicorn autoapp:app -b 0.0.0.0:$PORT -w 3')).toBeNull();
    expect(portInCommand('rails s -p ${PORT}')).toBeNull();
    expect(portInCommand('uvicorn main:app --port ${PORT:-8000}')).toBe(8000);
    expect(portInCommand('gunicorn -b :5000 app:app')).toBe(5000);
    expect(portInCommand('java -jar app.jar')).toBeUndefined();
    // A listen address given as host:port.
    expect(portInCommand("/app/bin/python /app/bin/radicale --hosts '0.0.0.0:5232,[::]:5232'")).toBe(5232);
    expect(portInCommand('server --listen :8080')).toBe(8080);
    expect(portInCommand('server --address=[::]:9000')).toBe(9000);
    expect(portInCommand('server --listen 0.0.0.0:$PORT')).toBeNull();
    expect(portInCommand('uvicorn main:app --host 0.0.0.0')).toBeUndefined();

    const a = analyzeRepository(snapshot({ ...flask, Procfile: 'web: gunicorn app:app -b 0.0.0.0:$PORT\n' }));
    expect(a.port).toBeNull();
    expect(sourceOf(a, 'no port: the start command binds $PORT, which has no default')).toEqual(['Procfile:1']);
    // …unless a platform file says which port the platform routes to.
    const fly = analyzeRepository(snapshot({ ...flask, Procfile: 'web: gunicorn app:app -b 0.0.0.0:$PORT\n', 'fly.toml': '[http_service]\n  internal_port = 8080\n' }));
    expect(fly.port).toBe(8080);
  });

  it('an image whose command binds host:port serves HTTP even with no framework or EXPOSE', () => {
    const a = analyzeRepository(snapshot({ 'pyproject.toml': '[project]\nname = "caldav"\ndependencies = ["vobject"]\n', 'caldav/__main__.py': 'print(1)\n', Dockerfile: 'FROM python:3-alpine\nCOPY . /app\nENTRYPOINT ["/app/bin/python", "/app/bin/caldav"]\nCMD ["--hosts", "0.0.0.0:5232"]\n' }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(5232);
  });

  it('the Dockerfile ENV that sets the listen address: a port, or none when it is a placeholder', () => {
    const d = parseDockerfile('Dockerfile', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base\nENV ASPNETCORE_URLS=http://+:5080\nFROM base AS final\nENTRYPOINT ["dotnet", "App.dll"]\n');
    expect(d.listenPort).toEqual({ value: 5080, source: 'Dockerfile:2' });
    // The final stage starts from `base`: its ENV and ENTRYPOINT carry over.
    expect(d.command?.value).toBe('dotnet App.dll');
    const placeholder = parseDockerfile('Dockerfile', 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENV ASPNETCORE_URLS=http://+:<port>\n');
    expect(placeholder.listenPort).toEqual({ value: null, source: 'Dockerfile:2' });

    const dotnet = {
      'App.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n',
      'Properties/launchSettings.json': '{ "profiles": { "http": { "applicationUrl": "http://localhost:5043" } } }\n',
    };
    expect(analyzeRepository(snapshot(dotnet)).port).toBe(5043);
    expect(analyzeRepository(snapshot({ ...dotnet, Dockerfile: 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENV ASPNETCORE_URLS=http://+:<port>\nENTRYPOINT ["dotnet", "App.dll"]\n' })).port).toBeNull();
    expect(analyzeRepository(snapshot({ ...dotnet, Dockerfile: 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENV PORT=7000\n' })).port).toBe(7000);
  });

  it('PHP frameworks have no server of their own; a Lambda adapter drops the framework default', () => {
    const laravel = analyzeRepository(snapshot({ 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^11.0' } }), artisan: '#!/usr/bin/env php\n' }));
    expect(laravel).toMatchObject({ kind: 'web', framework: 'laravel', port: null });
    const mangum = analyzeRepository(snapshot({ 'requirements.txt': 'fastapi\nmangum\n', 'main.py': 'from fastapi import FastAPI\nfrom mangum import Mangum\napp = FastAPI()\nhandler = Mangum(app)\n' }));
    expect(mangum).toMatchObject({ framework: 'fastapi', port: null });
    // A port the code names still counts.
    const run = analyzeRepository(snapshot({ 'requirements.txt': 'fastapi\nmangum\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\nuvicorn.run(app, port=8001)\n' }));
    expect(run.port).toBe(8001);
  });

  it('env example PORT, env lookups with a default, and listeners that only redirect', () => {
    const env = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ dependencies: { express: '4' } }), '.env.example': 'NODE_ENV=production\nPORT=4100\n', 'index.js': 'app.listen(process.env.PORT)\n' }));
    expect(env.port).toBe(4100);
    expect(sourceOf(env, 'port 4100')).toEqual(['.env.example:2']);

    const files = (text: string, path = 'main.py') => snapshot({ [path]: text });
    expect(explicitPortInCode(files('port = int(os.environ.get("PORT", 5001))\n'), 'python')?.value).toBe(5001);
    expect(explicitPortInCode(files("const port = process.env['PORT'] || 8080\n", 'index.js'), 'node')?.value).toBe(8080);
    expect(explicitPortInCode(files('port := os.Getenv("PORT")\nif port == "" {\n\tport = "8082"\n}\n', 'main.go'), 'go')?.value).toBe(8082);
    expect(explicitPortInCode(files('addr := getEnv("PORT", ":9000")\n', 'main.go'), 'go')?.value).toBe(9000);
    expect(explicitPortInCode(files('let port = env::var("PORT").unwrap_or_else(|_| "3001".to_string());\n', 'src/main.rs'), 'rust')?.value).toBe(3001);
    expect(explicitPortInCode(files('await fastify.listen({ host: "0.0.0.0", port: 3030 })\n', 'server.js'), 'node')?.value).toBe(3030);
    expect(explicitPortInCode(files('const PORT = 4040;\napp.listen(PORT);\n', 'server.js'), 'node')?.value).toBe(4040);
    expect(explicitPortInCode(files('viper.SetDefault("server.port", 8090)\n', 'config.go'), 'go')?.value).toBe(8090);
    expect(explicitPortInCode(files('let addr = SocketAddr::from(([127, 0, 0, 1], 3002));\n', 'src/main.rs'), 'rust')?.value).toBe(3002);
    const redirect = 'func redirect() error {\n\treturn http.ListenAndServe(":80", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n\t\thttp.Redirect(w, r, "https://x", 302)\n\t}))\n}\nfunc serve() { http.ListenAndServe(":8443", nil) }\n';
    expect(explicitPortInCode(files(redirect, 'main.go'), 'go')?.value).toBe(8443);
  });

  it('a Go constant naming the default port, for a web app only, and not a store\'s or a side listener\'s', () => {
    const files = (text: string) => snapshot({ 'cmd/globals.go': text });
    expect(goNamedDefaultPort(files('package cmd\n\nconst (\n\tGlobalServerDefaultPort = "9000"\n)\n'))?.value).toBe(9000);
    expect(goNamedDefaultPort(files('package cmd\n\nvar defaultHTTPPort int = 3001 // listen here\n'))?.value).toBe(3001);
    expect(goNamedDefaultPort(files('package cmd\n\nconst (\n\tDefaultRedisPort = 6379\n\tdefaultMetricsPort = 9090\n)\n'))).toBeUndefined();
    const app = (require: string) => ({ 'go.mod': `module example.com/store\n\ngo 1.22\n${require}`, 'main.go': 'package main\n\nfunc main() {}\n', 'cmd/globals.go': 'package cmd\n\nconst DefaultStorePort = 9000\n' });
    expect(analyzeRepository(snapshot(app('\nrequire github.com/gorilla/mux v1.8.1\n')))).toMatchObject({ kind: 'web', port: 9000 });
    // A worker's constant is its metrics listener: workers have no port.
    expect(analyzeRepository(snapshot(app('')))).toMatchObject({ kind: 'worker', port: null });
  });

  it('compose: the platform port comes before a default in code', () => {
    const a = analyzeRepository(snapshot({ ...flask, 'app.py': `${flask['app.py']}app.run(port=5000)\n`, 'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - "8000:8080"\n' }));
    expect(a.port).toBe(8080);
    expect(sourceOf(a, 'port 8080')).toEqual(['docker-compose.yml:5']);
  });
});

describe('start command and Dockerfile', () => {
  it("compose's command: for the service built from the root comes after the image's CMD, before the Procfile", () => {
    const compose = 'services:\n  db:\n    image: postgres:16\n  django:\n    build:\n      context: .\n      dockerfile: docker/local.Dockerfile\n    command: python manage.py runserver 0.0.0.0:8000\n    ports:\n      - "8000:8000"\n  celery:\n    build: .\n    command: celery -A app worker\n';
    const files = { 'requirements.txt': 'django\n', 'manage.py': 'import django\n', 'docker/local.Dockerfile': 'FROM python:3.12\nCOPY . /app\n', Procfile: 'web: gunicorn app.wsgi\n', 'docker-compose.yml': compose };
    const a = analyzeRepository(snapshot(files));
    expect(a.startCommand).toBe('python manage.py runserver 0.0.0.0:8000');
    expect(sourceOf(a, `startCommand ${a.startCommand}`)).toEqual(['docker-compose.yml:8']);
    expect(a.hasDockerfile).toBe(true);
    const withCmd = analyzeRepository(snapshot({ ...files, 'docker/local.Dockerfile': 'FROM python:3.12\nCMD ["gunicorn", "app.wsgi"]\n' }));
    expect(withCmd.startCommand).toBe('gunicorn app.wsgi');
  });

  it("a Jib image's container entrypoint is the image command (before a Procfile), from Gradle or Maven", () => {
    const gradle = 'plugins {\n  id "org.springframework.boot" version "3.3.0"\n  id "com.google.cloud.tools.jib" version "3.4.0"\n}\ndependencies {\n  implementation "org.springframework.boot:spring-boot-starter-web"\n}\napply from: "gradle/docker.gradle"\n';
    const jib = 'jib {\n  to {\n    image = "app:latest"\n  }\n  container {\n    entrypoint = ["bash", "-c", "/entrypoint.sh"]\n    ports = ["8080"]\n  }\n}\n';
    const files = { 'build.gradle': gradle, 'gradle/docker.gradle': jib, 'src/main/java/App.java': '@SpringBootApplication\npublic class App {}\n', Procfile: 'web: java -jar build/libs/*.jar\n' };
    const a = analyzeRepository(snapshot(files));
    expect(a.startCommand).toBe('bash -c /entrypoint.sh');
    expect(sourceOf(a, 'startCommand bash -c /entrypoint.sh')).toEqual(['gradle/docker.gradle:6']);
    // Kotlin DSL lists and Maven's <entrypoint> items read the same; INHERIT keeps the base image's command.
    const kts = analyzeRepository(snapshot({ ...files, 'gradle/docker.gradle': 'jib {\n  container {\n    entrypoint = listOf("java", "-jar", "/app.jar")\n  }\n}\n' }));
    expect(kts.startCommand).toBe('java -jar /app.jar');
    const pom = '<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>\n  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>\n  <build><plugins><plugin>\n    <groupId>com.google.cloud.tools</groupId>\n    <artifactId>jib-maven-plugin</artifactId>\n    <configuration><container>\n      <entrypoint>\n        <shell>bash</shell>\n        <option>-c</option>\n        <arg>/entrypoint.sh</arg>\n      </entrypoint>\n    </container></configuration>\n  </plugin></plugins></build>\n</project>\n';
    const maven = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/java/App.java': '@SpringBootApplication\npublic class App {}\n' }));
    expect(maven.startCommand).toBe('bash -c /entrypoint.sh');
    // The build's <plugins> may name Jib bare while <pluginManagement> configures its container.
    const managed = '<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>\n  <dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>\n  <build>\n    <plugins>\n      <plugin>\n        <groupId>com.google.cloud.tools</groupId>\n        <artifactId>jib-maven-plugin</artifactId>\n      </plugin>\n    </plugins>\n    <pluginManagement><plugins><plugin>\n      <groupId>com.google.cloud.tools</groupId>\n      <artifactId>jib-maven-plugin</artifactId>\n      <configuration><container>\n        <entrypoint><arg>java</arg><arg>-jar</arg><arg>/app.jar</arg></entrypoint>\n      </container></configuration>\n    </plugin></plugins></pluginManagement>\n  </build>\n</project>\n';
    const managedMaven = analyzeRepository(snapshot({ 'pom.xml': managed, 'src/main/java/App.java': '@SpringBootApplication\npublic class App {}\n' }));
    expect(managedMaven.startCommand).toBe('java -jar /app.jar');
    expect(sourceOf(managedMaven, 'startCommand java -jar /app.jar')).toEqual(['pom.xml:15']);
    const inherit = analyzeRepository(snapshot({ ...files, 'gradle/docker.gradle': 'jib {\n  container {\n    entrypoint = ["INHERIT"]\n  }\n}\n' }));
    expect(inherit.startCommand).toBe('java -jar build/libs/*.jar');
  });

  it("a Render blueprint's startCommand declares the start like a Procfile web: line; its bare $PORT leaves no port", () => {
    const fastapi = { 'requirements.txt': 'fastapi\nuvicorn\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
    const blueprint = 'services:\n  - type: worker\n    name: jobs\n    startCommand: python jobs.py\n  - type: web\n    name: api\n    runtime: python\n    startCommand: uvicorn main:app --host 0.0.0.0 --port $PORT\n';
    const a = analyzeRepository(snapshot({ ...fastapi, 'render.yaml': blueprint }));
    expect(a.startCommand).toBe('uvicorn main:app --host 0.0.0.0 --port $PORT');
    expect(sourceOf(a, `startCommand ${a.startCommand}`)).toEqual(['render.yaml:8']);
    // The framework's default port does not apply to a command that binds $PORT.
    expect(a.port).toBeNull();
    // A Procfile's web: line comes first; without a blueprint the framework's defaults stand.
    expect(analyzeRepository(snapshot({ ...fastapi, 'render.yaml': blueprint, Procfile: 'web: gunicorn -k uvicorn.workers.UvicornWorker main:app\n' })).startCommand).toBe('gunicorn -k uvicorn.workers.UvicornWorker main:app');
    const plain = analyzeRepository(snapshot(fastapi));
    expect(plain.startCommand).not.toBe('uvicorn main:app --host 0.0.0.0 --port $PORT');
    expect(plain.port).toBe(8000);
  });

  it("compose building a development Dockerfile beside the production one: the app's image is the production build", () => {
    expect(isDevelopmentBuild('docker/dev.Dockerfile')).toBe(true);
    expect(isDevelopmentBuild('Dockerfile.development')).toBe(true);
    expect(isDevelopmentBuild('docker/selfhosted.Dockerfile')).toBe(false);
    expect(isDevelopmentBuild('docker/Dockerfile')).toBe(false);
    const compose = "services:\n  app:\n    build:\n      context: .\n      dockerfile: ./docker/dev.Dockerfile\n    volumes:\n      - '.:/app'\n    ports:\n      - '4008:4008'\n    command: bash -c docker/run-dev.sh\n";
    const files = { ...flask, 'docker-compose.yml': compose, 'docker/dev.Dockerfile': 'FROM python:3.12\nEXPOSE 4008\n', 'docker/prod.Dockerfile': 'FROM python:3.12\nCOPY . /app\nARG PORT=8945\nENV PORT=${PORT}\nEXPOSE ${PORT}\nCMD ["/app/bin/start"]\n' };
    const a = analyzeRepository(snapshot(files));
    expect(a.port).toBe(8945);
    expect(a.startCommand).toBe('/app/bin/start');
    // The production image without a command of its own: compose's dev command is not the app's either.
    const noCmd = analyzeRepository(snapshot({ ...files, 'docker/prod.Dockerfile': 'FROM python:3.12\nCOPY . /app\nEXPOSE 8945\n' }));
    expect(noCmd.startCommand).not.toBe('bash -c docker/run-dev.sh');
    // With only the development build, compose's image and command stand.
    const devOnly = analyzeRepository(snapshot({ ...flask, 'docker-compose.yml': compose, 'docker/dev.Dockerfile': 'FROM python:3.12\nEXPOSE 4008\n' }));
    expect(devOnly.port).toBe(4008);
    expect(devOnly.startCommand).toBe('bash -c docker/run-dev.sh');
  });

  it('parses compose build contexts, commands and volumes; picks the entry service', () => {
    const c = parseCompose('docker-compose.yml', 'services:\n  config:\n    image: org/config\n    ports: ["8888:8888"]\n  api-gateway:\n    build: ./gateway\n    ports: ["8080:8080"]\n  worker:\n    build:\n      context: ./worker\n      dockerfile: Dockerfile.prod\n    command: ["node", "worker.js"]\n    volumes:\n      - ./data:/app/data\n');
    const worker = c.services.find((s) => s.name === 'worker');
    expect(worker).toMatchObject({ context: 'worker', dockerfile: 'worker/Dockerfile.prod', command: { value: 'node worker.js' }, volumes: [{ value: { source: './data', target: '/app/data' } }] });
    expect(appService(c)?.name).toBe('api-gateway');
    expect(appService(c, (s) => s.name !== 'api-gateway')?.name).toBe('config');
  });

  it('a lone Dockerfile in docker/ is the app image', () => {
    const a = analyzeRepository(snapshot({ 'pom.xml': '<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n', 'docker/Dockerfile': 'FROM eclipse-temurin:17\nENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]\n' }));
    expect(a.startCommand).toBe('java org.springframework.boot.loader.launch.JarLauncher');
    expect(sourceOf(a, `startCommand ${a.startCommand}`)).toEqual(['docker/Dockerfile:2']);
  });

  it('manifests in the folder the Dockerfile copies in are the app (evidence names them in place)', () => {
    const a = analyzeRepository(snapshot({
      Dockerfile: 'FROM public.ecr.aws/docker/library/ruby:3.3\nWORKDIR /var/task\nCOPY ./src ./\nRUN bundle install\nCMD ["bundle", "exec", "ruby", "app.rb", "-o", "0.0.0.0", "-p", "8080"]\n',
      'src/Gemfile': "source 'https://rubygems.org'\ngem 'sinatra'\n",
      'src/app.rb': "require 'sinatra'\nget('/') { 'hi' }\n",
    }));
    expect(a).toMatchObject({ kind: 'web', language: 'ruby', framework: 'sinatra', port: 8080 });
    expect(sourceOf(a, 'framework sinatra')).toEqual(['src/Gemfile:2']);
    expect(sourceOf(a, 'app source src (copied into the image)')).toEqual(['Dockerfile:3']);
  });
});

describe('state and services', () => {
  it('a VOLUME of the image or a data folder compose mounts into the app is local state; a source mount is not', () => {
    const volume = analyzeRepository(snapshot({ ...flask, Dockerfile: 'FROM python:3.12\nVOLUME ["/srv/app/data", "/tmp"]\nCMD ["gunicorn", "app:app"]\n' }));
    expect(volume.localState).toEqual([{ name: 'data volume /srv/app/data', source: 'Dockerfile:2' }]);
    const mounted = analyzeRepository(snapshot({ ...flask, 'docker-compose.yml': 'services:\n  app:\n    build: .\n    volumes:\n      - .:/app\n      - ./uploads:/app/uploads\n' }));
    expect(mounted.localState).toEqual([{ name: 'data volume /app/uploads', source: 'docker-compose.yml:6' }]);
    const dev = analyzeRepository(snapshot({ ...flask, 'docker-compose.yml': 'services:\n  app:\n    build: .\n    volumes:\n      - .:/app\n' }));
    expect(dev.localState).toEqual([]);
    // With an object-storage backend, a media volume is a fallback, not the system of record.
    const s3 = analyzeRepository(snapshot({ ...flask, 'requirements.txt': 'flask\ndjango-storages\n', Dockerfile: 'FROM python:3.12\nVOLUME /srv/media\n' }));
    expect(s3.localState).toEqual([]);
  });

  it('an embedded H2/HSQLDB as the only database is in-memory state', () => {
    const pom = (deps: string) => `<project><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>${deps}</dependencies></project>\n`;
    const h2 = '<dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId><scope>runtime</scope></dependency>';
    expect(analyzeRepository(snapshot({ 'pom.xml': pom(h2) })).localState?.map((s) => s.name)).toEqual(['in-memory database (H2)']);
    const pg = '<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>';
    expect(analyzeRepository(snapshot({ 'pom.xml': pom(h2 + pg) })).localState).toEqual([]);
  });

  it('first-party services: images named after a folder or the package, not tools or stores built here', () => {
    const compose = [
      'services:',
      '  customers-service:',
      '    image: org/customers-service:latest',
      '  api-gateway:',
      '    image: org/api-gateway:latest',
      '  tracing-server:',
      '    image: openzipkin/zipkin',
      '  grafana-server:',
      '    build: ./docker/grafana',
      '  cache:',
      '    build: ./cache',
      '',
    ].join('\n');
    const snap = snapshot({
      'docker-compose.yml': compose,
      'customers-service/pom.xml': '<project/>',
      'api-gateway/pom.xml': '<project/>',
      'docker/grafana/Dockerfile': 'FROM grafana/grafana:10\nCOPY dashboards /etc/grafana\n',
      'cache/Dockerfile': 'FROM redis:7\n',
    });
    expect(firstPartyServices(snap, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['api-gateway', 'customers-service']);
  });

  it('one image deployed from two registries is one service', () => {
    const deployment = (name: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${image}\n`;
    const snap = snapshot({ 'deploy/a/deployment.yaml': deployment('backend', 'ghcr.io/acme/podinfo:6.1'), 'deploy/b/deployment.yaml': deployment('frontend', 'docker.io/someone/podinfo:secure') });
    expect(firstPartyServices(snap, undefined)).toHaveLength(1);
  });

  it('a Lift queue construct is an SQS queue with a worker function', () => {
    const yml = 'service: jobs\nprovider:\n  name: aws\n  runtime: python3.12\nconstructs:\n  jobs:\n    type: queue\n    worker:\n      handler: handler.consumer\nfunctions:\n  producer:\n    handler: handler.producer\n    events:\n      - httpApi:\n          method: post\n          path: /produce\nplugins:\n  - serverless-lift\n';
    const a = analyzeRepository(snapshot({ 'serverless.yml': yml, 'handler.py': 'def producer(event, context):\n    return {}\n' }));
    expect(a.serverless?.functions).toEqual(['jobs-worker', 'producer']);
    expect(a.stateful).toContain('sqs');
    expect(a.kind).toBe('web');
  });

  it('a root with no manifest whose compose builds several folders is a system: no one app’s language', () => {
    const a = analyzeRepository(snapshot({
      'docker-compose.yml': 'services:\n  vote:\n    build: ./vote\n    ports: ["8080:80"]\n  result:\n    build: ./result\n  worker:\n    build: ./worker\n  seed:\n    build: ./seed-data\n',
      'result/package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4' } }),
      'result/server.js': 'app.listen(80)\n',
      'vote/requirements.txt': 'flask\n',
      'vote/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'vote/Dockerfile': 'FROM python:3.11\nEXPOSE 80\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:80"]\n',
      'worker/Worker.csproj': '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>\n',
      'worker/Program.cs': 'class P { static void Main() {} }\n',
      'seed-data/Dockerfile': 'FROM python:3.11\nCMD ["python", "make-data.py"]\n',
      'seed-data/make-data.py': 'print(1)\n',
    }));
    expect(a).toMatchObject({ kind: 'web', language: null, framework: null });
    expect(a.services?.map((s) => s.name)).toEqual(['result', 'vote', 'worker']);
    // No one app's convention, but what the entry service's own image (vote, which publishes the port) runs.
    expect(a.startCommand).toBe('gunicorn app:app -b 0.0.0.0:80');
  });
});

describe('weak shapes found on new dev cases', () => {
  const django = {
    'project/requirements.txt': 'Django==4.1.4\ncelery==5.2.7\nredis==4.4.0\nflower==1.2.0\n',
    'project/manage.py': 'import django\n',
    'project/core/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
    'project/Dockerfile': 'FROM python:3.11-alpine\nCOPY . /usr/src/app/\nENTRYPOINT ["/usr/src/app/entrypoint.sh"]\n',
  };
  const compose = (extra: string) =>
    `services:\n  web:\n    build: ./project\n    command: python manage.py runserver 0.0.0.0:8000\n    ports:\n      - 1337:8000\n  celery:\n    build: ./project\n    command: celery --app=core worker\n  redis:\n    image: redis:7-alpine\n${extra}`;

  it('web and a celery worker built from the one app folder are two services; flower from the same image is a tool', () => {
    const a = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('  dashboard:\n    build: ./project\n    command: celery flower -A core --port=5555\n    ports:\n      - 5555:5555\n') }));
    expect(a.framework).toBe('django');
    expect(a.services?.map((s) => s.name)).toEqual(['celery', 'web']);
    // Without the worker the folder is one service, whatever the dashboard is.
    const alone = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': 'services:\n  web:\n    build: ./project\n    ports:\n      - 8000:8000\n  dashboard:\n    build: ./project\n    command: celery flower -A core\n' }));
    expect(alone.services?.length ?? 1).toBe(1);
  });

  it('a service running the image another service builds (`image: web`) is first-party; rq-dashboard and promtail are tools', () => {
    const c = parseCompose('docker-compose.yml', 'services:\n  web:\n    build: .\n    image: web\n    ports:\n      - 5004:5000\n  worker:\n    image: web\n    command: python manage.py run_worker\n  dashboard:\n    build: ./project/dashboard\n    command: rq-dashboard -H redis\n  promtail:\n    image: grafana/promtail:2.9.0\n  redis:\n    image: redis:6.2-alpine\n');
    expect(firstPartyServices(snapshot({ 'project/dashboard/Dockerfile': 'FROM python:3.10-alpine\nCMD ["rq-dashboard"]\n' }), c).map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it("compose's only build in a subfolder is the app's Dockerfile; SQL Server images are sqlserver", () => {
    const a = analyzeRepository(snapshot({
      'app/web/web.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n',
      'app/web/Dockerfile': 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out .\nENTRYPOINT ["dotnet", "web.dll"]\n',
      'compose.yaml': 'services:\n  web:\n    build: app/web\n    ports:\n      - 80:8080\n  db:\n    image: mcr.microsoft.com/mssql/server:2022-latest\n  edge:\n    image: mcr.microsoft.com/azure-sql-edge:1.0.4\n',
    }));
    expect(a.startCommand).toBe('dotnet web.dll');
    expect(sourceOf(a, 'startCommand dotnet web.dll')).toEqual(['app/web/Dockerfile:3']);
    expect(a.stateful).toEqual(['sqlserver']);
  });

  it('Rust: sqlx features over several lines, actix-session redis, DATABASE_URL in .env, the port in configuration/base.yaml', () => {
    const a = analyzeRepository(snapshot({
      'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\nactix-web = "4"\nsqlx = { version = "0.8", default-features = false, features = [\n    "runtime-tokio-rustls",\n    "macros",\n    "postgres",\n] }\nactix-session = { version = "0.10", features = ["redis-session-rustls"] }\n',
      'src/main.rs': 'fn main() {}\n',
      'configuration/base.yaml': 'application:\n  port: 8000\n  host: 0.0.0.0\ndatabase:\n  port: 5432\n',
    }));
    expect(a.stateful).toEqual(['postgres', 'redis']);
    expect(a.port).toBe(8000);
    expect(sourceOf(a, 'port 8000')).toEqual(['configuration/base.yaml:2']);
    const env = analyzeRepository(snapshot({ 'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\naxum = "0.7"\nsqlx = "0.8"\n', 'src/main.rs': 'fn main() {}\n', '.env': 'DATABASE_URL="postgres://u:p@localhost:5432/db"\n' }));
    expect(env.stateful).toEqual(['postgres']);
    // A database section's port is the database's, not the app's.
    const db = analyzeRepository(snapshot({ 'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\naxum = "0.7"\n', 'src/main.rs': 'fn main() {}\n', 'configuration/base.yaml': 'database:\n  port: 5432\n' }));
    expect(db.port).not.toBe(5432);
  });
});

describe('compose replicas', () => {
  it('two services built from one folder with the same command are one service; a different command is another', () => {
    const c = parseCompose('compose.yaml', "services:\n  web1:\n    build: ./web\n    ports:\n      - '81:5000'\n  web2:\n    build: ./web\n    ports:\n      - '82:5000'\n  worker:\n    build: ./web\n    command: node worker.js\n  nginx:\n    build: ./nginx\n");
    const files = snapshot({ 'nginx/Dockerfile': 'FROM nginx:1.21.6\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n', 'web/Dockerfile': 'FROM node:20\nCMD ["npm","start"]\n' });
    expect(firstPartyServices(files, c).map((s) => s.name)).toEqual(['web1', 'worker']);
  });
});

describe('compose development helpers', () => {
  it('mail catchers, admin UIs, emulators and test runners beside the app are not first-party services, built here or pulled', () => {
    const compose = [
      'services:',
      '  app:\n    build: .\n    ports:\n      - "8080:3000"',
      '  maildev:\n    build: ./docker/maildev\n    ports:\n      - "1080:1080"',
      '  mail:\n    image: rnwood/smtp4dev\n    ports:\n      - "5000:80"',
      '  redis-commander:\n    image: rediscommander/redis-commander\n    ports:\n      - "8081:8081"',
      '  aws:\n    image: localstack/localstack\n    ports:\n      - "4566:4566"',
      '  e2e:\n    build:\n      context: .\n      dockerfile: e2e/Dockerfile',
      '  check:\n    build: .\n    command: npm run test:ci',
      '  db:\n    image: postgres:16',
      '',
    ].join('\n');
    const files = snapshot({
      'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4.21.2', pg: '8.0.0' } }),
      'server.js': 'app.listen(process.env.PORT || 3000);\n',
      Dockerfile: 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n',
      'docker/maildev/Dockerfile': 'FROM maildev/maildev:2.1.0\nENV MAILDEV_WEB_PORT=1080\n',
      'e2e/Dockerfile': 'FROM mcr.microsoft.com/playwright:v1.48.0\nCOPY . .\nCMD ["npx", "playwright", "test"]\n',
      'docker-compose.yml': compose,
    });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['app']);
    const a = analyzeRepository(files);
    expect(a.services?.length ?? 1).toBe(1);
    // The port is the app's, not a helper's published one.
    expect(a.port).toBe(3000);
    // A first-party service that merely mentions mail in its name (a mailer worker) stays.
    const mailer = parseCompose('docker-compose.yml', 'services:\n  app:\n    build: .\n  mailer:\n    build: .\n    command: node mailer.js\n');
    expect(firstPartyServices(files, mailer).map((s) => s.name)).toEqual(['app', 'mailer']);
  });

  it('a service built like the app but running a dev server is the same app in its development variant', () => {
    const files = snapshot({ Dockerfile: 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n' });
    const variants = parseCompose('compose.yaml', 'services:\n  app:\n    build: .\n    ports:\n      - "3000:3000"\n  app-dev:\n    build:\n      context: .\n      target: dev\n    command: npm run dev\n    profiles: [dev]\n');
    expect(firstPartyServices(files, variants).map((s) => s.name)).toEqual(['app']);
    // A worker with its own command beside a web app under a watcher is a second service.
    const webWorker = parseCompose('compose.yaml', 'services:\n  web:\n    build: .\n    command: nodemon server.js\n  worker:\n    build: .\n    command: node worker.js\n');
    expect(firstPartyServices(files, webWorker).map((s) => s.name)).toEqual(['web', 'worker']);
  });
});

describe('image build folders', () => {
  it('Dockerfiles under docker/ build the root app: they are not apps of a workspace', () => {
    const a = analyzeRepository(snapshot({
      'composer.json': JSON.stringify({ require: { 'laravel/framework': '^12.0', 'laravel/octane': '^2.3' } }),
      'package.json': JSON.stringify({ private: true, workspaces: ['extensions/*'], scripts: { build: 'vite build' } }),
      'artisan': '',
      '.env.example': 'DB_CONNECTION=pgsql\n',
      'docker-compose.yml': 'services:\n  laravel.test:\n    build:\n      context: ./docker/local/8.3\n  pgsql:\n    image: postgres:15\n  mailpit:\n    image: axllent/mailpit\n  playwright:\n    image: mcr.microsoft.com/playwright:v1.60.0-jammy\n    command: ["npx", "playwright", "test"]\n',
      'docker/local/8.3/Dockerfile': 'FROM ubuntu:22.04\nRUN apt-get install -y php8.3-cli\nCOPY start-container /usr/local/bin/start-container\nEXPOSE 8000\nENTRYPOINT ["start-container"]\n',
      'docker/prod/Dockerfile': 'FROM dunglas/frankenphp:1-php8.3\nCOPY . ./\nEXPOSE 8000\nENTRYPOINT ["start-container"]\n',
    }));
    expect(a.framework).toBe('laravel');
    expect(a.services?.map((s) => s.name)).toEqual(['laravel.test']);
    expect(a.monorepo).toBeUndefined();
  });
});

describe('compose kept in a docker/ folder', () => {
  it('a workspace whose docker/ compose runs two of its app folders is one system of those services, with the entry image read from the folder', () => {
    const files = snapshot({
      'package.json': JSON.stringify({ name: 'pad', private: true, workspaces: ['backend', 'frontend'], scripts: { start: 'turbo run start' } }),
      'turbo.json': '{}\n',
      'backend/package.json': JSON.stringify({ name: 'backend', scripts: { start: 'node dist/main.js' }, dependencies: { '@nestjs/core': '10.0.0', '@nestjs/platform-express': '10.0.0', pg: '8.0.0' } }),
      'backend/src/main.ts': 'await app.listen(3000);\n',
      'backend/docker/Dockerfile': 'FROM node:22\nENTRYPOINT ["tini", "--"]\nEXPOSE 3000/tcp\nCMD ["node", "dist/main.js"]\n',
      'frontend/package.json': JSON.stringify({ name: 'frontend', scripts: { start: 'next start' }, dependencies: { next: '14.2.0', react: '18.0.0' } }),
      'frontend/docker/Dockerfile': 'FROM node:22\nEXPOSE 3001\nCMD ["node", "server.js"]\n',
      'docker/docker-compose.yml': 'services:\n  backend:\n    image: ghcr.io/org/pad/backend:1\n    volumes:\n      - uploads:/app/uploads\n  frontend:\n    image: ghcr.io/org/pad/frontend:1\n  db:\n    image: postgres:15\n  proxy:\n    image: caddy:2\n    ports:\n      - "80:80"\n',
    });
    const a = analyzeRepository(files);
    expect(a.kind).toBe('web');
    expect(a.services?.map((s) => s.name)).toEqual(['backend', 'frontend']);
    expect(a.stateful).toEqual(['postgres']);
    expect(a.port).toBe(3000);
    expect(a.startCommand).toBe('tini -- node dist/main.js');
    // The apps differ in framework: the system's is the one of the app its compose entry runs (the reading port and start command came from).
    expect(a.framework).toBe('nestjs');
    // A compose file at the root still wins over one in docker/.
    const root = analyzeRepository(snapshot({ ...Object.fromEntries(files.files), 'docker-compose.yml': 'services:\n  db:\n    image: mysql:8\n' }));
    expect(root.stateful).toContain('mysql');
  });
});

describe('compose kept in a variant folder under docker/ (round 4)', () => {
  it('reads the plain variant of several (docker/standard/, not docker/oidc/) and skips test variants', () => {
    const pyproject = '[project]\nname = "docs"\ndependencies = ["fastapi", "uvicorn", "psycopg2-binary"]\n';
    const variant = (name: string) => `services:\n  db:\n    image: postgres:17\n  app:\n    build:\n      context: ../..\n      dockerfile: docker/${name}/Dockerfile\n    ports:\n      - "7000:80"\n    volumes:\n      - app_data:/srv/app/media\n`;
    const files = {
      'pyproject.toml': pyproject,
      'app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      'docker/oidc/Dockerfile': 'FROM python:3.13\nEXPOSE 8080\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["oidc"]\n',
      'docker/oidc/docker-compose.yml': variant('oidc'),
      'docker/standard/Dockerfile': 'FROM python:3.13\nEXPOSE 80\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["server"]\n',
      'docker/standard/docker-compose.yml': variant('standard'),
    };
    const a = analyzeRepository(snapshot(files));
    expect(a).toMatchObject({ port: 80, startCommand: '/entrypoint.sh server' });
    expect(a.localState).toEqual([{ name: 'data volume /srv/app/media', source: 'docker/standard/docker-compose.yml:11' }]);
    // A test compose is not the deployment: without a plain variant nothing is read from the folder.
    const test = analyzeRepository(snapshot({ 'pyproject.toml': pyproject, 'app/main.py': files['app/main.py'], 'docker/test/docker-compose.yml': 'services:\n  app:\n    build: ../..\n  cache:\n    image: redis:7\n' }));
    expect(test.stateful).not.toContain('redis');
  });
});

describe('proxies built from the repository', () => {
  it('an nginx image that only copies its config is not a service; one that serves a built front-end is', () => {
    const c = parseCompose('compose.yaml', 'services:\n  api:\n    build: ./api\n  proxy:\n    build: ./proxy\n  ui:\n    build: ./ui\n');
    const files = snapshot({
      'api/Dockerfile': 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n',
      'proxy/Dockerfile': 'FROM nginx:1.13-alpine\nCOPY conf /etc/nginx/conf.d/default.conf\nCOPY --chown=nginx:nginx start.sh /app/start.sh\n',
      'ui/Dockerfile': 'FROM node:20 AS build\nRUN npm run build\nFROM nginx:1.25\nCOPY --from=build /app/dist /usr/share/nginx/html\n',
    });
    expect(firstPartyServices(files, c).map((s) => s.name)).toEqual(['api', 'ui']);
    // A static site copied straight into nginx is the site.
    const site = snapshot({ 'proxy/Dockerfile': 'FROM nginx:1.25\nCOPY public/ /usr/share/nginx/html\n' });
    expect(firstPartyServices(site, parseCompose('compose.yaml', 'services:\n  proxy:\n    build: ./proxy\n')).map((s) => s.name)).toEqual(['proxy']);
  });
});

describe('compose building one folder', () => {
  it("the folder's manifests name the framework; compose's stores and port still count", () => {
    const a = analyzeRepository(snapshot({
      'compose.yaml': 'services:\n  backend:\n    build: backend\n    ports:\n      - 9000:9000\n  cache:\n    image: redis:7\n',
      'backend/pom.xml': '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n',
      'backend/src/main/java/App.java': 'class App {}\n',
      'backend/Dockerfile': 'FROM eclipse-temurin:17-jre\nCOPY app.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n',
    }));
    expect(a.framework).toBe('spring-boot');
    expect(a.startCommand).toBe('java -jar /app.jar');
    expect(a.stateful).toEqual(['redis']);
    expect(a.port).toBe(9000);
  });
});

describe('local uploads', () => {
  it('a Flask app saving uploads into its MEDIA_FOLDER keeps state on local disk', () => {
    const a = analyzeRepository(snapshot({
      ...flask,
      'project/config.py': 'class Config:\n    SQLALCHEMY_DATABASE_URI = os.getenv("DATABASE_URL")\n    MEDIA_FOLDER = f"{os.getenv(\'APP_FOLDER\')}/project/media"\n',
      'project/views.py': 'def upload():\n    file.save(os.path.join(app.config["MEDIA_FOLDER"], filename))\n',
    }));
    expect(a.localState?.map((s) => s.name)).toContain('uploads on local disk');
  });

  it("Django code saving through FileSystemStorage (MEDIA_ROOT on the app's disk) keeps state locally", () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'Django==4.2\n',
      'manage.py': 'import django\n',
      'upload/views.py': 'from django.core.files.storage import FileSystemStorage\n\ndef upload(request):\n    fs = FileSystemStorage()\n    fs.save(f.name, f)\n',
    }));
    expect(a.localState?.map((s) => s.name)).toContain('uploads on local disk');
  });

  it("Django settings keeping the default storage on local FileSystemStorage, with upload fields, keep state locally; django-storages makes it an option", () => {
    const files = {
      'requirements.txt': 'Django==5.2\npsycopg==3.2\n',
      'manage.py': 'import django\n',
      'site/settings/prod.py': 'MEDIA_ROOT = DATA_DIR / "media"\nSTORAGES = {\n    "default": {\n        "BACKEND": "django.core.files.storage.FileSystemStorage",\n    },\n}\n',
      'blog/models.py': 'from django.db import models\n\nclass Entry(models.Model):\n    image = models.FileField(upload_to="blog/images/")\n',
    };
    const a = analyzeRepository(snapshot(files));
    expect(a.localState?.map((s) => s.name)).toContain('uploads on local disk (Django FileSystemStorage)');
    expect(a.localState?.find((s) => s.name === 'uploads on local disk (Django FileSystemStorage)')?.source).toBe('site/settings/prod.py:3');
    // No model takes a file: nothing is uploaded.
    const noFields = analyzeRepository(snapshot({ ...files, 'blog/models.py': 'from django.db import models\n' }));
    expect(noFields.localState?.map((s) => s.name) ?? []).not.toContain('uploads on local disk (Django FileSystemStorage)');
    // An object-store backend in the dependencies: local storage is one option.
    const s3 = analyzeRepository(snapshot({ ...files, 'requirements.txt': 'Django==5.2\ndjango-storages==1.14\n' }));
    expect(s3.localState?.map((s) => s.name) ?? []).not.toContain('uploads on local disk (Django FileSystemStorage)');
  });
});

describe('shapes behind the port, start and state misses (grown dev corpus)', () => {
  const gomod = (requires: string[]) => `module example.com/app\n\ngo 1.22\n\nrequire (\n${requires.map((r) => `\t${r} v1.0.0\n`).join('')})\n`;
  const echoMain = 'package main\n\nimport "github.com/labstack/echo/v4"\n\nfunc main() {\n\te := echo.New()\n\te.Logger.Fatal(e.Start(":8081"))\n}\n';

  it("uses the repository's only Dockerfile kept in a folder of its own when it copies the root in", () => {
    const files = {
      'go.mod': gomod(['github.com/labstack/echo/v4']),
      'main.go': echoMain,
      'scripts/Dockerfile': 'FROM golang:1.22 AS build\nCOPY go.mod ./\nCOPY . .\nRUN go build -o /app .\nFROM alpine\nCOPY --from=build /app /usr/local/bin/app\nENV APP_PORT=5230\nEXPOSE 5230\nENTRYPOINT ["/usr/local/bin/entrypoint.sh", "/usr/local/bin/app"]\n',
    };
    const a = analyzeRepository(snapshot(files));
    expect(a).toMatchObject({ port: 5230, startCommand: '/usr/local/bin/entrypoint.sh /usr/local/bin/app', hasDockerfile: true });
    expect(sourceOf(a, 'port 5230')).toEqual(['scripts/Dockerfile:8']);
    // A dev container, or a folder that is an app of its own, builds something else: the code's port stands.
    const dev = analyzeRepository(snapshot({ 'go.mod': files['go.mod'], 'main.go': echoMain, '.devcontainer/Dockerfile': files['scripts/Dockerfile'] }));
    expect(dev).toMatchObject({ port: 8081, hasDockerfile: false });
    const own = analyzeRepository(snapshot({ 'go.mod': files['go.mod'], 'main.go': echoMain, 'tools/Dockerfile': files['scripts/Dockerfile'], 'tools/package.json': '{"name":"tools"}' }));
    expect(own.port).toBe(8081);
  });

  it("takes the app's Dockerfile when compose builds it beside a proxy built from its config file", () => {
    const a = analyzeRepository(snapshot({
      'compose.yaml': 'services:\n  db:\n    image: mariadb:10\n  backend:\n    build:\n      context: backend\n    ports:\n      - 8000:8000\n  proxy:\n    build: proxy\n    ports:\n      - 80:80\n',
      'backend/Dockerfile': 'FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nENV FLASK_RUN_PORT 8000\nEXPOSE 8000\nCMD ["flask", "run"]\n',
      'backend/requirements.txt': 'flask\nmysql-connector-python\n',
      'backend/hello.py': 'from flask import Flask\nserver = Flask(__name__)\n',
      'proxy/Dockerfile': 'FROM nginx:1.25\nCOPY conf /etc/nginx/conf.d/default.conf\n',
      'proxy/conf': 'server { listen 80; }\n',
    }));
    expect(a).toMatchObject({ framework: 'flask', port: 8000, startCommand: 'flask run', stateful: ['mysql'] });
    expect(a.services).toHaveLength(1);
  });

  it('a PORT the code requires from the environment has no port, not the framework default', () => {
    const gin = (body: string) => analyzeRepository(snapshot({ 'go.mod': gomod(['github.com/gin-gonic/gin']), 'main.go': `package main\n\nimport (\n\t"os"\n\t"github.com/gin-gonic/gin"\n)\n\nfunc main() {\n${body}\n}\n` }));
    const required = gin('\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tlog.Fatal("$PORT must be set")\n\t}\n\trouter := gin.New()\n\trouter.Run(":" + port)');
    expect(required.port).toBeNull();
    expect(sourceOf(required, 'no port: the code requires PORT from the environment, with no default')).toEqual(['main.go:9']);
    expect(analyzeRepository(snapshot({ ...flask, 'app.py': `${flask['app.py']}app.run(host="0.0.0.0", port=int(os.environ["PORT"]))\n` })).port).toBeNull();
    expect(gin('\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "3000"\n\t}\n\tgin.New().Run(":" + port)').port).toBe(3000);
    expect(gin('\tgin.New().Run()').port).toBe(8080);
  });

  it("reads the port of a Node app's config module", () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{"scripts":{"start":"node index start"},"dependencies":{"express":"4"}}',
      'index.js': "require('./server')\n",
      'server.js': "const app = require('express')();\napp.listen(config.port);\n",
      'defaults/config.js': '"use strict";\nmodule.exports = {\n\tpublic: false,\n\tport: 9000,\n\tirc: {\n\t\tport: 6697,\n\t},\n};\n',
    }));
    expect(a.port).toBe(9000);
    expect(sourceOf(a, 'port 9000')).toEqual(['defaults/config.js:4']);
  });

  it('a store whose address the code reads with an empty default, and no compose file or env template sets, is opt-in', () => {
    const files = {
      'requirements.txt': 'django\npsycopg2-binary\nredis\n',
      'app/settings.py': "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nREDIS_HOST = os.getenv('REDIS_HOST', None)\nif REDIS_HOST:\n    CACHES = {'default': {'LOCATION': f'redis://{REDIS_HOST}:6379'}}\n",
      '.env.template': 'DB_ENGINE=django.db.backends.postgresql\nPOSTGRES_HOST=db\n',
    };
    const optIn = analyzeRepository(snapshot(files));
    expect(optIn.stateful).toEqual(['postgres']);
    expect(sourceOf(optIn, 'optional redis: its address is read with an empty default and no compose file or env template sets it')).toEqual(['app/settings.py:3']);
    // The env template setting it, or an address with a real default, makes it a need.
    expect(analyzeRepository(snapshot({ ...files, '.env.template': 'REDIS_HOST=redis\n' })).stateful).toEqual(['postgres', 'redis']);
    expect(analyzeRepository(snapshot({ ...files, 'app/settings.py': "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\nREDIS_URL = os.getenv('REDIS_URL', 'redis://localhost:6379')\n" })).stateful).toEqual(['postgres', 'redis']);
  });

  it("a package.json of dev tooling only does not make a PHP image's app a Node app", () => {
    const tooling = '{"name":"site","scripts":{"lint":"eslint *.js"},"devDependencies":{"eslint":"^8.0.0","prettier":"^3.0.0"}}';
    const files = { 'package.json': tooling, 'index.php': '<?php echo "hi";\n', 'speed.js': 'export const x = 1;\n', Dockerfile: 'FROM php:8-apache\nCOPY . /var/www/html\nEXPOSE 80\n' };
    const php = analyzeRepository(snapshot(files));
    expect(php.language).toBe('php');
    expect(sourceOf(php, 'language php')).toEqual(['Dockerfile:1']);
    // A package.json with a start script or runtime dependencies is the app's own manifest.
    expect(analyzeRepository(snapshot({ ...files, 'package.json': '{"scripts":{"start":"node server.js"}}' })).language).toBe('node');
    expect(analyzeRepository(snapshot({ ...files, 'package.json': '{"dependencies":{"ws":"8"}}' })).language).toBe('node');
  });

  it("reads the port from the start script the image's command runs", () => {
    const app = { 'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' };
    const entry = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nCOPY . /srv/app\nENTRYPOINT ["/srv/app/docker/entrypoint.sh"]\n', 'docker/entrypoint.sh': '#!/bin/sh\nset -e\nflask db upgrade\n# exec flask run -p 5000\nexec gunicorn app:app --bind 0.0.0.0:7000\n' }));
    expect(entry.port).toBe(7000);
    expect(sourceOf(entry, 'port 7000')).toEqual(['docker/entrypoint.sh:5']);
    // Behind tini, through a variable the script defaults.
    const tini = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["./start.sh"]\n', 'start.sh': '#!/bin/sh\nPORT=${PORT:-8050}\nexec gunicorn -b 0.0.0.0:$PORT app:app\n' }));
    expect(tini.port).toBe(8050);
    expect(sourceOf(tini, 'port 8050')).toEqual(['start.sh:3']);
    // A bare $PORT, a loopback bind behind a proxy, or an EXPOSE in the image: the script does not decide.
    const bare = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nCMD ["./start.sh"]\n', 'start.sh': '#!/bin/sh\nexec gunicorn -b 0.0.0.0:$PORT app:app\n' }));
    expect(bare.port).toBe(5000);
    const loopback = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nCMD ["./start.sh"]\n', 'start.sh': '#!/bin/sh\nnginx\nexec gunicorn -b 127.0.0.1:8001 app:app\n' }));
    expect(loopback.port).toBe(5000);
    const exposed = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nEXPOSE 80\nCMD ["./start.sh"]\n', 'start.sh': '#!/bin/sh\nexec gunicorn -b 0.0.0.0:8001 app:app\n' }));
    expect(exposed.port).toBe(80);
    // An entrypoint that execs its arguments: the compose `command:` it is given binds the port.
    const args = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nENTRYPOINT ["/app/entrypoint.sh"]\n', 'entrypoint.sh': '#!/bin/sh\nflask db upgrade\nexec "$@"\n', 'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn app:app --bind 0.0.0.0:9000\n' }));
    expect(args).toMatchObject({ port: 9000, startCommand: '/app/entrypoint.sh' });
    expect(sourceOf(args, 'port 9000')).toEqual(['docker-compose.yml:4']);
    // Only shell scripts are read: a Python or Ruby launcher's text is code, not a command line.
    const python = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM python:3.12\nCMD ["./serve"]\n', serve: '#!/usr/bin/env python3\nimport os\nos.system("gunicorn -b 0.0.0.0:8001 app:app")\n' }));
    expect(python.port).toBe(5000);
  });

  it('a SQL server is an option when the app ships a database config per engine, a SQLite one among them', () => {
    const files = {
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'sqlite3'\ngem 'trilogy'\n",
      'config/database.yml': '<%= ERB.new(File.read("config/database.#{ENV.fetch("DATABASE_ADAPTER", "sqlite")}.yml")).result %>\n',
      'config/database.sqlite.yml': 'production:\n  adapter: sqlite3\n  database: storage/production.sqlite3\n',
      'config/database.mysql.yml': 'production:\n  adapter: trilogy\n  database: app_production\n',
    };
    const perEngine = analyzeRepository(snapshot(files));
    expect(perEngine.stateful).toEqual([]);
    expect(perEngine.localState?.map((s) => s.name)).toEqual(['SQLite']);
    expect(sourceOf(perEngine, 'optional mysql: one of several SQL engines the app supports beside its embedded SQLite')).toEqual(['Gemfile:4']);
    // Without the SQLite variant the server is what it runs on.
    const { 'config/database.sqlite.yml': _sqlite, ...serverOnly } = files;
    expect(analyzeRepository(snapshot({ ...serverOnly, 'config/database.pg.yml': 'production:\n  adapter: postgresql\n' })).stateful).toEqual(['mysql']);
  });

  it('an Elasticsearch client or Spring Data starter names Elasticsearch as a store when the deployment sets its address', () => {
    const gradle = 'plugins {\n  id "org.springframework.boot" version "3.3.0"\n}\ndependencies {\n  implementation "org.springframework.boot:spring-boot-starter-web"\n  implementation "org.springframework.boot:spring-boot-starter-data-elasticsearch"\n}\n';
    const app = { 'build.gradle': gradle, 'src/main/java/App.java': '@SpringBootApplication\npublic class App {}\n' };
    // Spring Boot's own setting of the address, in YAML or as a property.
    const spring = analyzeRepository(snapshot({ ...app, 'src/main/resources/config/application-prod.yml': 'spring:\n  elasticsearch:\n    uris: http://search:9200\n' }));
    expect(spring.stateful).toEqual(['elasticsearch']);
    expect(sourceOf(spring, 'stateful elasticsearch')).toEqual(['build.gradle:6']);
    expect(analyzeRepository(snapshot({ ...app, 'src/main/resources/application.properties': 'spring.elasticsearch.uris=http://search:9200\n' })).stateful).toEqual(['elasticsearch']);
    // A prefixed variable in a compose file (SPRING_ELASTICSEARCH_URIS) sets it too.
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': 'services:\n  app:\n    build: .\n    environment:\n      - SPRING_ELASTICSEARCH_URIS=http://search:9200\n' })).stateful).toEqual(['elasticsearch']);
    // The starter alone, or a Python client whose address nothing sets, is a backend the app can be pointed at.
    expect(analyzeRepository(snapshot(app)).stateful).toEqual([]);
    const optIn = analyzeRepository(snapshot({ ...flask, 'requirements.txt': 'flask==3.0.3\nelasticsearch==8.14.0\n', 'settings.py': 'import os\nELASTICSEARCH_URL = os.getenv("ELASTICSEARCH_URL", "")\nif ELASTICSEARCH_URL:\n    SEARCH = ELASTICSEARCH_URL\n' }));
    expect(optIn.stateful).toEqual([]);
    expect(sourceOf(optIn, 'optional elasticsearch: only a client library names it; no env, compose or Spring config file sets its address')).toEqual(['requirements.txt:2']);
  });

  it('a single SQL server driver is an option when the app config file selects SQLite', () => {
    const deps = ['github.com/gorilla/mux', 'github.com/go-sql-driver/mysql', 'github.com/mattn/go-sqlite3'];
    const main = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":3333", nil) }\n';
    const config = '{\n  "listen_url": "0.0.0.0:3333",\n  "db_name": "sqlite3",\n  "db_path": "app.db"\n}\n';
    const sqlite = analyzeRepository(snapshot({ 'go.mod': gomod(deps), 'main.go': main, 'config.json': config }));
    expect(sqlite.stateful).toEqual([]);
    expect(sqlite.localState?.map((s) => s.name)).toEqual(['SQLite']);
    expect(sourceOf(sqlite, 'the app config selects SQLite')).toEqual(['config.json:3']);
    // A YAML config naming the engine under its database section reads the same.
    expect(analyzeRepository(snapshot({ 'go.mod': gomod(deps), 'main.go': main, 'config.yml': 'database:\n  driver: sqlite3\n  path: app.db\n' })).stateful).toEqual([]);
    // Without that choice the one server driver is what it runs on.
    expect(analyzeRepository(snapshot({ 'go.mod': gomod(deps), 'main.go': main })).stateful).toEqual(['mysql']);
    expect(analyzeRepository(snapshot({ 'go.mod': gomod(deps), 'main.go': main, 'config.json': config.replace('sqlite3', 'mysql') })).stateful).toEqual(['mysql']);
  });

  it('a compose database is not a need when the env template selects SQLite and compose points the app nowhere else', () => {
    const files = {
      'composer.json': '{"require":{"laravel/framework":"^12.0"}}',
      '.env.example': 'APP_NAME=Demo\nDB_CONNECTION=sqlite\n# DB_HOST=\n',
      'compose.yaml': "services:\n  app:\n    build: ./docker\n    ports:\n      - '80:80'\n  pgsql:\n    image: postgres:17\n    environment:\n      POSTGRES_DB: '${DB_DATABASE}'\n",
    };
    const sqlite = analyzeRepository(snapshot(files));
    expect(sqlite.stateful).toEqual([]);
    expect(sqlite.localState?.map((s) => s.name)).toEqual(['SQLite']);
    expect(sourceOf(sqlite, 'optional postgres: compose runs it, but the env template selects SQLite and nothing points the app at the server')).toEqual(['.env.example:2']);
    // Compose pointing the app at the server (or an env template selecting it) keeps the server.
    const pointed = analyzeRepository(snapshot({ ...files, 'compose.yaml': files['compose.yaml'].replace('    build: ./docker\n', '    build: ./docker\n    environment:\n      DB_CONNECTION: pgsql\n') }));
    expect(pointed.stateful).toEqual(['postgres']);
    const server = analyzeRepository(snapshot({ ...files, '.env.example': 'DB_CONNECTION=pgsql\n' }));
    expect(server.stateful).toEqual(['postgres']);
  });

  it('SQL servers are options, not needs, when the app also ships an embedded SQLite driver', () => {
    const deps = ['github.com/labstack/echo/v4', 'github.com/go-sql-driver/mysql', 'github.com/lib/pq', 'modernc.org/sqlite'];
    const multi = analyzeRepository(snapshot({ 'go.mod': gomod(deps), 'main.go': echoMain }));
    expect(multi.stateful).toEqual([]);
    expect(multi.localState?.map((s) => s.name)).toEqual(['SQLite']);
    expect(sourceOf(multi, 'optional postgres: one of several SQL engines the app supports beside its embedded SQLite')).toEqual(['go.mod:8']);
    // A compose file running exactly one of them is the deployment's choice.
    const chosen = analyzeRepository(snapshot({ 'go.mod': gomod(deps), 'main.go': echoMain, 'docker-compose.yml': 'services:\n  app:\n    build: .\n  db:\n    image: postgres:16\n' }));
    expect(chosen.stateful).toEqual(['postgres']);
    expect(chosen.localState ?? []).toEqual([]);
    // One SQL server beside SQLite: the server is what it runs on.
    const one = analyzeRepository(snapshot({ 'go.mod': gomod(['github.com/labstack/echo/v4', 'github.com/lib/pq', 'modernc.org/sqlite']), 'main.go': echoMain }));
    expect(one.stateful).toEqual(['postgres']);
  });

  it('a DATABASE_URL in an env file names a store only when something reads the variable', () => {
    const files = { 'go.mod': gomod(['github.com/labstack/echo/v4']), 'main.go': echoMain, '.env': 'DATABASE_URL="postgres://localhost:5432/app"\n' };
    expect(analyzeRepository(snapshot(files)).stateful).toEqual([]);
    const read = analyzeRepository(snapshot({ ...files, 'db.go': 'package main\n\nvar dsn = os.Getenv("DATABASE_URL")\n' }));
    expect(read.stateful).toEqual(['postgres']);
  });

  it('of several builds in docker/, the plainly named Dockerfile is the app (its stage commands carry over)', () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{"scripts":{"start":"tsx ./backend/index.ts"},"dependencies":{"express":"4"}}',
      'backend/index.ts': "import express from 'express';\nexpress().listen(5001);\n",
      'docker/Base.Dockerfile': 'FROM node:22\nRUN apt-get install -y git\n',
      'docker/Dockerfile': 'FROM acme/base AS release\nCOPY . .\nEXPOSE 5001\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD ["tsx", "./backend/index.ts"]\n\nFROM release AS nightly\nRUN npm run mark-as-nightly\n',
    }));
    expect(a).toMatchObject({ port: 5001, startCommand: '/usr/bin/dumb-init -- tsx ./backend/index.ts' });
    expect(sourceOf(a, 'hasDockerfile')).toEqual(['docker/Dockerfile']);
  });

  it('the Dockerfile in deploy/docker/ is the app\'s build, like docker/Dockerfile', () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{"scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}',
      'server.js': "require('express')().listen(3000);\n",
      'deploy/docker/Dockerfile': 'FROM node:22\nCOPY . /app\nEXPOSE 3000\nENTRYPOINT ["/bin/sh", "/app/entrypoint.sh"]\nCMD ["node", "server.js"]\n',
      'deploy/heroku/Dockerfile': 'FROM acme/app:latest\n',
    }));
    expect(a).toMatchObject({ port: 3000, startCommand: '/bin/sh /app/entrypoint.sh node server.js' });
    expect(sourceOf(a, 'hasDockerfile')).toEqual(['deploy/docker/Dockerfile']);
  });

  it('an all-in-one image exposing its bundled database first: the app port is the other exposed one', () => {
    expect(parseDockerfile('Dockerfile', 'FROM ubuntu\nEXPOSE 27017\nEXPOSE 3000\nEXPOSE 3443\nCMD ["supervisord"]\n').exposedPort?.value).toBe(3000);
    expect(parseDockerfile('Dockerfile', 'FROM ubuntu\nEXPOSE 6379 8080\n').exposedPort?.value).toBe(8080);
    // A store's port alone is still the image's port (an image that is the database).
    expect(parseDockerfile('Dockerfile', 'FROM redis\nEXPOSE 6379\n').exposedPort?.value).toBe(6379);
  });

  it('a multi-target Dockerfile ships its release stage, not a CI target appended after it', () => {
    const text = 'FROM node:22 AS build\nRUN npm ci\n\nFROM node:22-slim AS release\nCOPY --from=build /app /app\nEXPOSE 3001\nENTRYPOINT ["/usr/bin/dumb-init", "--"]\nCMD ["node", "server/server.js"]\n\nFROM release AS nightly\nRUN npm run mark-as-nightly\n\nFROM node:22 AS pr-test\nEXPOSE 3000\nCMD ["npm", "run", "start-pr-test"]\n';
    const d = parseDockerfile('docker/dockerfile', text);
    expect(d.command).toEqual({ value: '/usr/bin/dumb-init -- node server/server.js', source: 'docker/dockerfile:7' });
    expect(d.exposedPort?.value).toBe(3001);
    // A last stage that starts from the release (nightly) is still the release image.
    expect(parseDockerfile('Dockerfile', text.slice(0, text.indexOf('FROM node:22 AS pr-test'))).command?.value).toBe('/usr/bin/dumb-init -- node server/server.js');
  });

  it('a scoped fork of sqlite3 is SQLite, and makes the SQL servers beside it options', () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{"scripts":{"start":"node server.js"},"dependencies":{"express":"4","@acme/sqlite3":"5","mysql2":"3","pg":"8"}}',
      'server.js': "require('express')().listen(3001);\n",
    }));
    expect(a.stateful).toEqual([]);
    expect(a.localState).toEqual([{ name: 'SQLite', source: 'package.json:1' }]);
  });

  it("ASP.NET Core: the port of the repository's ASP.NET image (80 before .NET 8, 8080 after); an EF provider the code never configures is not a store", () => {
    const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net6.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="6.0.1" /><PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" Version="6.0.1" /></ItemGroup></Project>';
    const program = 'var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddDbContext<Db>(o => o.UseSqlite("Data Source=local.db"));\nvar app = builder.Build();\napp.Run();\n';
    const a = analyzeRepository(snapshot({ 'App.csproj': csproj, 'Program.cs': program }));
    expect(a).toMatchObject({ framework: 'aspnet-core', stateful: [] });
    expect(a.localState?.map((s) => s.name)).toEqual(['SQLite']);
    const image = (tag: string) => analyzeRepository(snapshot({ 'App.csproj': csproj, 'Program.cs': program, Dockerfile: `FROM mcr.microsoft.com/dotnet/sdk:${tag} AS build\nCOPY . .\nRUN dotnet publish -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:${tag}\nCOPY --from=build /out .\nENTRYPOINT ["dotnet", "App.dll"]\n` })).port;
    expect(image('6.0')).toBe(80);
    expect(image('8.0')).toBe(8080);
    // Configured in code, the server is the store.
    const server = analyzeRepository(snapshot({ 'App.csproj': csproj, 'Program.cs': program.replace('UseSqlite("Data Source=local.db")', 'UseSqlServer(cs)') }));
    expect(server.stateful).toEqual(['sqlserver']);
  });

  it("Node's built-in SQLite module is local state", () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{"scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}',
      'server.js': "require('express')().listen(3000);\n",
      'src/storage.ts': 'import {DatabaseSync} from "node:sqlite";\nexport const db = new DatabaseSync("data/app.sqlite3");\n',
    }));
    expect(a.localState).toEqual([{ name: 'SQLite', source: 'src/storage.ts:1' }]);
  });

  it('a listener inside a debug/metrics function is not the app port', () => {
    const text = 'package http\n\n// ListenAndServeDebug runs an HTTP server with /debug endpoints.\nfunc ListenAndServeDebug() error {\n\th := http.NewServeMux()\n\th.Handle("/x", promhttp.Handler())\n\treturn http.ListenAndServe(":6060", h)\n}\n\nfunc Serve() error {\n\treturn http.ListenAndServe(":8080", nil)\n}\n';
    expect(explicitPortInCode(snapshot({ 'http/server.go': text }), 'go')).toEqual({ value: 8080, source: 'http/server.go:11' });
  });
});

describe('JS/PHP shapes (grown dev corpus, issue 11)', () => {
  it('Dockerfile ENV values are expanded when set (ARG PORT then ENV PORT=${PORT}); comments inside a continuation do not end it', () => {
    const d = parseDockerfile(
      'Dockerfile',
      ['FROM node:24-alpine AS final', 'ARG PORT=3000', 'ENV NODE_ENV=production \\', '    PORT=${PORT} \\', '    # a comment line inside the continuation', '    NODE_OPTIONS="--x"', 'EXPOSE ${PORT}', 'CMD ["node", "build/main.js"]'].join('\n'),
    );
    expect(d.exposedPort).toEqual({ value: 3000, source: 'Dockerfile:7' });
    expect(d.listenPort).toEqual({ value: 3000, source: 'Dockerfile:3' });
    expect(parseDockerfile('Dockerfile', 'FROM node:22\nENV A=1 \\\n  # note\n  PORT=8081\n').listenPort?.value).toBe(8081);
  });

  it("a Procfile's web and worker are two services unless the image runs the Procfile itself; release and store processes are not services", () => {
    const pkg = JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { koa: '3.0.0' } });
    const two = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', Procfile: 'release: node migrate.js\nweb: node server.js --services=web\nworker: node server.js --services=worker\nredis: redis-server\n', Dockerfile: 'FROM node:22\nEXPOSE 3000\nCMD ["node", "server.js"]\n' }));
    expect(two.services?.map((s) => s.name)).toEqual(['web', 'worker']);
    expect(two.startCommand).toBe('node server.js');
    // The image boots every process type itself (a Procfile runner or a script reading the Procfile): one service.
    const boot = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', Procfile: 'web: node server.js\nworker: node worker.js\n', 'bin/boot': '#!/bin/sh\nexec overmind s -f Procfile\n', Dockerfile: 'FROM node:22\nCMD ["bin/boot"]\n' }));
    expect(boot.services).toEqual([]);
    const foreman = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', Procfile: 'web: node server.js\nworker: node worker.js\n', Dockerfile: 'FROM node:22\nCMD foreman start\n' }));
    expect(foreman.services).toEqual([]);
  });

  it('a start command running a web server (php:apache, nginx) serves HTTP: kind web with no framework or EXPOSE', () => {
    const a = analyzeRepository(snapshot({ 'app/index.php': '<?php echo "hi";\n', 'app/Dockerfile': 'FROM php:8.3-apache AS builder\nCMD ["apache2-foreground"]\n', 'compose.yaml': 'services:\n  web:\n    build:\n      context: app\n    ports:\n      - "80:80"\n' }));
    expect(a).toMatchObject({ kind: 'web', language: 'php', framework: null, port: 80, startCommand: 'apache2-foreground' });
    const worker = analyzeRepository(snapshot({ 'worker.php': '<?php while (true) { sleep(1); }\n', Dockerfile: 'FROM php:8.3-cli\nCMD ["php", "worker.php"]\n' }));
    expect(worker.kind).toBe('worker');
  });

  it("Google Cloud Spanner/Firestore clients are backing stores; Laravel's Docker env template names its database", () => {
    const spanner = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4.21.2', '@google-cloud/spanner': '8.6.0' } }), 'server.js': 'app.listen(8080);\n' }));
    expect(spanner.stateful).toEqual(['spanner']);
    // The MinIO client talks to an S3-compatible bucket.
    const minio = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4.21.2', minio: '8.0.6' } }), 'server.js': 'app.listen(8080);\n' }));
    expect(minio.stateful).toEqual(['s3']);
    const goMinio = analyzeRepository(snapshot({ 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/minio/minio-go/v7 v7.0.70\n', 'main.go': 'package main\n\nfunc main() {}\n' }));
    expect(goMinio.stateful).toEqual(['s3']);
    // Redisson is a Redis client (locks, caches, queues on Redis).
    const redisson = analyzeRepository(snapshot({ 'pom.xml': '<project>\n  <dependencies>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n    <dependency><groupId>org.redisson</groupId><artifactId>redisson-spring-boot-starter</artifactId></dependency>\n  </dependencies>\n</project>\n' }));
    expect(redisson.stateful).toEqual(['redis']);
    const laravel = analyzeRepository(snapshot({ 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^10.0' } }), '.env.docker': 'APP_NAME=x\nDB_CONNECTION="mysql"\n' }));
    expect(laravel.stateful).toEqual(['mysql']);
    expect(sourceOf(laravel, 'stateful mysql')).toEqual(['.env.docker:2']);
  });

  it('an env template choosing local file storage keeps uploads on disk, and the S3 client beside it is an option', () => {
    const pkg = JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { koa: '3.0.0', pg: '8.0.0', '@aws-sdk/client-s3': '3.0.0' } });
    const local = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.sample': 'DATABASE_URL=postgres://u:p@db/x\n# "s3" or "local"\nFILE_STORAGE=local\n' }));
    expect(local.stateful).toEqual(['postgres']);
    expect(local.localState?.map((s) => s.source)).toEqual(['.env.sample:3']);
    expect(sourceOf(local, 'optional s3: uploads on local disk (the env template chooses local storage)')).toEqual(['.env.sample:3']);
    const s3 = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.sample': 'FILE_STORAGE=s3\n' }));
    expect(s3.stateful).toEqual(['postgres', 's3']);
    expect(s3.localState).toEqual([]);
    // Any data kind's storage setting (`PRESENTATION_STORAGE=local`) counts; sessions, caches and logs are not the app's data.
    const named = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.sample': 'DATABASE_URL=postgres://u:p@db/x\n\nPRESENTATION_STORAGE=local\nPRESENTATION_STORAGE_DIR=/app/uploads\n' }));
    expect(named.localState?.map((s) => s.source)).toEqual(['.env.sample:3']);
    expect(named.stateful).toEqual(['postgres']);
    const session = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.sample': 'DATABASE_URL=postgres://u:p@db/x\nSESSION_STORAGE=file\nCACHE_STORAGE=local\n' }));
    expect(session.localState).toEqual([]);
    // Django-style template with a quoted value and a trailing comment.
    const django = analyzeRepository(snapshot({ ...flask, '.env.example': 'FILE_UPLOAD_STORAGE="local" # s3\n' }));
    expect(django.localState?.map((s) => s.source)).toEqual(['.env.example:1']);
  });

  it("the app config's storage section choosing local disk keeps files on disk; its S3 client is the other option", () => {
    const goMod = 'module example.com/books\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/minio/minio-go/v7 v7.0.70\n)\n';
    const main = 'package main\n\nfunc main() { r := gin.Default(); r.Run(":8080") }\n';
    const ini = '[server]\nhttp_port = 8080\n\n[storage]\n# Object storage type, supports "local_filesystem" and "minio"\ntype = local_filesystem\nlocal_filesystem_path = storage/\n';
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main, 'conf/app.ini': ini }));
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.source)).toEqual(['conf/app.ini:4']);
    const yml = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main, 'config.yml': 'storage:\n  # local or s3\n  active: local\n  local:\n    path: storage\n' }));
    expect(yml.localState?.map((s) => s.source)).toEqual(['config.yml:1']);
    // Choosing the object store keeps it.
    const minio = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main, 'conf/app.ini': ini.replace('type = local_filesystem', 'type = minio') }));
    expect(minio.stateful).toEqual(['s3']);
    expect(minio.localState).toEqual([]);
  });

  it('a bare STORAGE_DRIVER=local in the env template is local file storage, and the S3 driver beside it an option', () => {
    const pkg = JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4.21.2', pg: '8.0.0', '@aws-sdk/client-s3': '3.0.0' } });
    const local = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.example': 'DATABASE_URL=postgres://u:p@db/x\n# options: local | s3\nSTORAGE_DRIVER=local\n' }));
    expect(local.stateful).toEqual(['postgres']);
    expect(local.localState?.map((s) => s.source)).toEqual(['.env.example:3']);
    const s3 = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.example': 'STORAGE_DRIVER=s3\n' }));
    expect(s3.stateful).toEqual(['postgres', 's3']);
    // A cache or session store on local disk is not the app's files.
    const cache = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': '', '.env.example': 'CACHE_STORAGE_DRIVER=file\n' }));
    expect(cache.localState).toEqual([]);
  });

  it("the app's own config file names its port and database engine (config.yml, config/default.json)", () => {
    const pkg = JSON.stringify({ scripts: { start: 'node server/index.js' }, dependencies: { express: '4.21.2', knex: '3.0.0' } });
    const yml = analyzeRepository(snapshot({ 'package.json': pkg, 'server/index.js': '', 'config.sample.yml': 'port: 3000\nserver:\n  port: 4000\ndb:\n  type: postgres\n  host: localhost\n' }));
    expect(yml.stateful).toEqual(['postgres']);
    expect(sourceOf(yml, 'stateful postgres')).toEqual(['config.sample.yml:4']);
    const json = analyzeRepository(snapshot({ 'package.json': pkg, 'server/index.js': '', 'config/default.json': '{\n  "port": 8080,\n  "database": {\n    "client": "mysql2",\n    "connection": {}\n  }\n}\n' }));
    expect(json.stateful).toEqual(['mysql']);
    expect(json.port).toBe(8080);
    // A SQLite client is local state, not a server store.
    const lite = analyzeRepository(snapshot({ 'package.json': pkg, 'server/index.js': '', 'config/default.json': '{\n  "database": { "client": "sqlite3" }\n}\n' }));
    expect(lite.stateful).toEqual([]);
  });

  it("a workspace root's start script that runs one package takes that package's framework and drivers", () => {
    const root = (start: string) => JSON.stringify({ name: 'app', private: true, scripts: { start }, dependencies: { react: '19.0.0' } });
    const server = JSON.stringify({ name: '@app/server', scripts: { 'start:prod': 'node dist/main' }, dependencies: { '@nestjs/core': '11.0.0', '@nestjs/platform-express': '11.0.0', pg: '8.0.0' } });
    for (const start of ['pnpm --filter ./apps/server run start:prod', 'pnpm --filter @app/server start:prod', 'npm run start:prod --workspace=apps/server', 'cd apps/server && npm run start:prod']) {
      const a = analyzeRepository(snapshot({ 'package.json': root(start), 'pnpm-workspace.yaml': 'packages:\n  - apps/*\n', 'apps/server/package.json': server, Dockerfile: 'FROM node:22\nCOPY . .\nEXPOSE 3000\nCMD ["pnpm", "start"]\n' }));
      expect(a.framework, start).toBe('nestjs');
      expect(a.stateful, start).toEqual(['postgres']);
    }
    // That package's env template counts too: an S3 block it heads as optional is an option.
    const s3 = JSON.stringify({ name: '@app/server', dependencies: { '@nestjs/core': '11.0.0', pg: '8.0.0', '@aws-sdk/client-s3': '3.0.0' } });
    const files = (env: string) => snapshot({ 'package.json': root('pnpm --filter @app/server start:prod'), 'apps/server/package.json': s3, 'apps/server/.env.sample': env });
    expect(analyzeRepository(files('# Object storage (optional)\nS3_BUCKET=x\n')).stateful).toEqual(['postgres']);
    expect(analyzeRepository(files('S3_BUCKET=x\n')).stateful).toEqual(['postgres', 's3']);
    // A start script that names no package keeps the root's own dependencies.
    const plain = analyzeRepository(snapshot({ 'package.json': root('node server.js'), 'server.js': '', 'apps/server/package.json': server }));
    expect(plain.framework).not.toBe('nestjs');
  });

  it("Laravel keeps files on its local disk unless its env picks S3: the flysystem S3 adapter alone does not hide a storage volume", () => {
    const composer = JSON.stringify({ require: { 'laravel/framework': '^10.0', 'league/flysystem-aws-s3-v3': '^3.0' } });
    const compose = 'services:\n  web:\n    build: .\n    volumes:\n      - "${STORAGE_PATH}:/var/www/storage"\n';
    const local = analyzeRepository(snapshot({ 'composer.json': composer, 'compose.yaml': compose, '.env.docker': 'DB_CONNECTION=mysql\n#FILESYSTEM_CLOUD="s3"\n' }));
    expect(local.localState?.map((s) => s.name)).toEqual(['data volume /var/www/storage']);
    const s3 = analyzeRepository(snapshot({ 'composer.json': composer, 'compose.yaml': compose, '.env.example': 'DB_CONNECTION=mysql\nFILESYSTEM_DISK=s3\n' }));
    expect(s3.localState).toEqual([]);
    // The default disk on S3 is a bucket the app needs; FILESYSTEM_CLOUD alone only names an optional one.
    expect(s3.stateful).toEqual(['mysql', 's3']);
    expect(local.stateful).toEqual(['mysql']);
  });

  it('an S3 client whose settings the env template lists only commented out is an opt-in feature, not a needed store', () => {
    const pkg = JSON.stringify({ scripts: { start: 'next start' }, dependencies: { next: '16.0.0', postgres: '3.4.5', '@aws-sdk/client-s3': '3.0.0' } });
    const optIn = analyzeRepository(snapshot({ 'package.json': pkg, '.env.local.example': 'DATABASE_URL=[YOUR_DATABASE_URL]\n# If not configured, file upload is disabled.\n# R2_ACCESS_KEY_ID=[KEY]\n# S3_ENDPOINT=[URL]\n' }));
    expect(optIn.stateful).toEqual(['postgres']);
    expect(optIn.localState).toEqual([]);
    expect(sourceOf(optIn, 'optional s3: object storage commented out in the env template')).toEqual(['.env.local.example:3']);
    const needed = analyzeRepository(snapshot({ 'package.json': pkg, '.env.local.example': '# R2_ACCOUNT_ID=[ID]\nS3_BUCKET=uploads\n' }));
    expect(needed.stateful).toEqual(['postgres', 's3']);
  });

  it('an S3 block the env template heads as optional is an option, whatever values it suggests for development', () => {
    const pkg = JSON.stringify({ scripts: { start: 'next start' }, dependencies: { next: '16.0.0', pg: '8.0.0', '@aws-sdk/client-s3': '3.0.0' } });
    const env = 'DATABASE_URL=postgres://u:p@localhost/app\n\n# Object Storage (S3) (optional)\n# Defaults point at the dev compose\nS3_BUCKET_NAME=app\nS3_ENDPOINT=http://localhost:3900\n';
    const optional = analyzeRepository(snapshot({ 'package.json': pkg, '.env.example': env }));
    expect(optional.stateful).toEqual(['postgres']);
    expect(sourceOf(optional, 'optional s3: object storage marked optional in the env template')).toEqual(['.env.example:5']);
    // "optional" in an earlier, separate block does not describe the object store.
    const separate = analyzeRepository(snapshot({ 'package.json': pkg, '.env.example': '# Optional analytics\nANALYTICS_ID=\n\n# Storage\nS3_BUCKET_NAME=app\n' }));
    expect(separate.stateful).toEqual(['postgres', 's3']);
  });
});

describe('compose anchors, example compose files and Rails uploads', () => {
  const rails = {
    Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'pg'\ngem 'sidekiq'\ngem 'sqlite3'\ngem 'trilogy'\ngem 'aws-sdk-s3', require: false\n",
    'app/models/document.rb': 'class Document < ApplicationRecord\n  has_one_attached :file\nend\n',
    'config/storage.yml': 'local:\n  service: Disk\n  root: <%= Rails.root.join("storage") %>\n\namazon:\n  service: S3\n  bucket: <%= ENV["S3_BUCKET"] %>\n',
    'config/database.yml': 'production:\n  adapter: postgresql\n',
  };

  it('services sharing `build:` and `command:` through a YAML anchor (`<<: *app`) are built from the repository', () => {
    const c = parseCompose(
      'compose.yaml',
      'x-app: &app\n  build:\n    context: .\n  volumes:\n    - .:/app\nservices:\n  server:\n    <<: *app\n    command: server\n    ports:\n      - "5001:5000"\n  worker:\n    <<: [*app]\n    command: worker\n  redis:\n    image: redis:7\n',
    );
    expect(c.services.map((s) => [s.name, s.built, s.context, s.command?.value])).toEqual([
      ['redis', false, undefined, undefined],
      ['server', true, '', 'server'],
      ['worker', true, '', 'worker'],
    ]);
    expect(firstPartyServices(snapshot({}), c).map((s) => s.name)).toEqual(['server', 'worker']);
  });

  it('a compose example file is the deployment when no compose file is committed', () => {
    const files = { ...rails, 'package.json': '{ "name": "ledger" }\n', 'compose.example.yml': 'services:\n  web:\n    image: ghcr.io/acme/ledger:latest\n    ports:\n      - 3000:3000\n  worker:\n    image: ghcr.io/acme/ledger:latest\n    command: bundle exec sidekiq\n  db:\n    image: postgres:16\n' };
    const a = analyzeRepository(snapshot(files));
    expect(a.services?.map((s) => s.source)).toEqual(['compose.example.yml:2', 'compose.example.yml:6']);
    // A committed compose file wins over the example.
    const both = analyzeRepository(snapshot({ ...files, 'compose.yaml': 'services:\n  web:\n    build: .\n' }));
    expect(both.services?.map((s) => s.name)).toEqual(['web']);
  });

  it("Rails uploads on an Active Storage Disk service in production are local state, even beside an S3 gem", () => {
    const fetch = analyzeRepository(snapshot({ ...rails, 'config/environments/production.rb': 'Rails.application.configure do\n  config.active_storage.service = ENV.fetch("ACTIVE_STORAGE_SERVICE", "local").to_sym\nend\n' }));
    expect(fetch.localState).toEqual([{ name: 'uploads on local disk (Active Storage local: Disk)', source: 'config/environments/production.rb:2' }]);
    const conditional = analyzeRepository(snapshot({
      ...rails,
      'config/environments/production.rb': 'Rails.application.configure do\n  config.active_storage.service =\n    if ENV["S3_BUCKET"].present?\n      :amazon\n    else\n      :local\n    end\nend\n',
    }));
    expect(conditional.localState?.map((s) => s.source)).toEqual(['config/environments/production.rb:2']);
    // Production on S3, or no model attaching files: nothing kept on local disk.
    expect(analyzeRepository(snapshot({ ...rails, 'config/environments/production.rb': '  config.active_storage.service = :amazon\n' })).localState).toEqual([]);
    const { 'app/models/document.rb': _, ...noAttachments } = rails;
    expect(analyzeRepository(snapshot({ ...noAttachments, 'config/environments/production.rb': '  config.active_storage.service = :local\n' })).localState).toEqual([]);
  });

  it('a Rails app with the sqlite3 gem and drivers for two SQL servers needs only the one its config names', () => {
    const a = analyzeRepository(snapshot(rails));
    expect(a.stateful).toEqual(['postgres', 'redis']);
  });
});

describe('Rust and multi-stage shapes (Rocket, SQLite-only ORMs, front-end + back-end images)', () => {
  it('Rocket is a web framework with its own default port 8000', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': '[package]\nname = "app"\n\n[dependencies]\nrocket = "0.5.1"\n', 'src/main.rs': '#[macro_use] extern crate rocket;\n#[launch]\nfn rocket() -> _ { rocket::build() }\n' }));
    expect(a).toMatchObject({ kind: 'web', language: 'rust', framework: 'rocket', port: 8000 });
  });

  it('an ORM built for SQLite only, or a Rocket pool on a file, is local state; with a server driver too it is not', () => {
    const cargo = (features: string) => `[package]\nname = "app"\n\n[dependencies]\nrocket = "0.5.1"\ndiesel = { version = "2", features = [${features}] }\n`;
    const main = { 'src/main.rs': 'fn main() {}\n' };
    const sqliteOnly = analyzeRepository(snapshot({ 'Cargo.toml': cargo('"sqlite", "r2d2"'), ...main }));
    expect(sqliteOnly.localState).toEqual([{ name: 'SQLite', source: 'Cargo.toml:6' }]);
    expect(analyzeRepository(snapshot({ 'Cargo.toml': cargo('"sqlite", "postgres"'), ...main })).localState ?? []).toEqual([]);
    const pool = analyzeRepository(snapshot({ 'Cargo.toml': cargo('"r2d2"'), 'Rocket.toml': '[default]\ntemplate_dir = "static"\n\n[default.databases.main]\nurl = "db/db.sqlite"\n', ...main }));
    expect(pool.localState).toEqual([{ name: 'SQLite', source: 'Rocket.toml:4' }]);
  });

  it('of two source folders a multi-stage Dockerfile copies, the app is the one whose stage builds the command', () => {
    const dockerfile = [
      'FROM node:20 AS build-frontend',
      'COPY ./frontend/ /srv/frontend/',
      'RUN cd /srv/frontend && npm ci && npm run build',
      'FROM golang:1.22 AS build-backend',
      'ADD backend /build/backend',
      'WORKDIR /build/backend',
      'RUN go build -o server ./cmd/server',
      'FROM alpine:3.20',
      'COPY --from=build-backend /build/backend/server /srv/server',
      'COPY --from=build-frontend /srv/frontend/dist/ /srv/web/',
      'EXPOSE 8080',
      'CMD ["/srv/server"]',
    ].join('\n');
    expect(parseDockerfile('Dockerfile', dockerfile).commandStage).toBe('build-backend');
    const a = analyzeRepository(snapshot({
      Dockerfile: `${dockerfile}\n`,
      'frontend/package.json': JSON.stringify({ name: 'widget', scripts: { build: 'vite build' }, devDependencies: { vite: '5' } }),
      'backend/go.mod': 'module example.com/server\n\ngo 1.22\n\nrequire go.etcd.io/bbolt v1.3.10\n',
      'backend/cmd/server/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
    }));
    expect(a).toMatchObject({ language: 'go', port: 8080, startCommand: '/srv/server' });
    expect(a.localState).toEqual([{ name: 'a bbolt file', source: 'backend/go.mod:5' }]);
    // A copy into a folder keeps the file's name; the stage is found the same way.
    expect(parseDockerfile('Dockerfile', 'FROM golang AS build\nCOPY . /src\nFROM alpine\nCOPY --from=build /src/bin/app ./\nENTRYPOINT ["./app", "serve"]\n').commandStage).toBe('build');
  });
});

describe('a system deployed by its own Kubernetes manifests', () => {
  const deployment = (name: string, images: { init?: string; main: string }) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      '  template:',
      '    spec:',
      ...(images.init ? ['      initContainers:', '        - name: wait', `          image: ${images.init}`] : []),
      '      containers:',
      `        - name: ${name}`,
      `          image: ${images.main}`,
    ].join('\n');
  const manifests = [
    deployment('orders', { init: 'groundnuty/k8s-wait-for:v1.7', main: 'quay.io/shop/orders:1.0' }),
    deployment('payments', { main: 'quay.io/shop/payments:1.0' }),
    deployment('orders-db', { main: 'docker.io/mongo:8' }),
    deployment('payments-db', { init: 'registry.access.redhat.com/ubi8-minimal:8.6', main: 'postgres:18' }),
    deployment('broker', { main: 'apache/kafka-native:4.2.0' }),
    deployment('schemas', { main: 'quay.io/apicurio/apicurio-registry:3.1.7' }),
    deployment('otel', { init: 'registry.access.redhat.com/ubi8-minimal:8.6', main: 'docker.io/grafana/otel-lgtm:0.24.0' }),
  ].join('\n---\n');

  it('counts the workloads running its own images, by their main container, each at its own line', () => {
    const files = { 'deploy/k8s/app.yml': `${manifests}\n` };
    expect(firstPartyServices(snapshot(files), undefined)).toEqual([
      { name: 'orders', source: 'deploy/k8s/app.yml:2' },
      { name: 'payments', source: 'deploy/k8s/app.yml:16' },
    ]);
  });

  it('the stores its manifests deploy are backing services, as compose images are', () => {
    const a = analyzeRepository(snapshot({ 'deploy/k8s/app.yml': `${manifests}\n`, 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' }));
    expect(a.stateful).toEqual(['kafka', 'mongodb', 'postgres']);
    expect(sourceOf(a, 'stateful mongodb')).toEqual(['deploy/k8s/app.yml:27']);
  });
});

describe('a root manifest that only runs tasks, and an image built from another folder', () => {
  const dockerfile = [
    'FROM golang:1.22 AS backend-build',
    'COPY ./backend /src/backend',
    'RUN cd /src/backend && go build -o ./server ./cmd',
    'FROM node:22 AS frontend',
    'COPY ./frontend /src/frontend',
    'RUN cd /src/frontend && npm ci && npm run build',
    'FROM alpine:3.20',
    'COPY --from=backend-build /src/backend/server /app/server',
    'COPY --from=frontend /src/frontend/build /app/static',
    'EXPOSE 4466',
    'ENTRYPOINT ["/app/server", "-static", "/app/static"]',
  ].join('\n');
  const files = {
    Dockerfile: `${dockerfile}\n`,
    'package.json': JSON.stringify({ name: 'root', private: true, scripts: { start: 'concurrently "npm:backend" "npm:frontend"' }, devDependencies: { concurrently: '8' } }),
    'backend/go.mod': 'module example.com/server\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.1\n',
    'backend/cmd/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":4466", nil) }\n',
    'frontend/package.json': JSON.stringify({ name: 'ui', dependencies: { react: '18' }, devDependencies: { vite: '5' } }),
  };

  it('is the folder whose build stage makes the image command, when its ecosystem differs from the root manifest', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a).toMatchObject({ language: 'go', framework: 'go-net-http', port: 4466, startCommand: '/app/server -static /app/static' });
    expect(sourceOf(a, 'app source backend (copied into the image)')).toEqual(['Dockerfile:2']);
  });

  it('keeps the root manifest when the image is a single stage or the folder is the same ecosystem', () => {
    const single = analyzeRepository(snapshot({ ...files, Dockerfile: 'FROM golang:1.22\nCOPY ./backend /src\nRUN go build -o /server ./cmd\nCMD ["/server"]\n' }));
    expect(single.language).toBe('node');
    const sameEcosystem = analyzeRepository(snapshot({ ...files, 'package.json': JSON.stringify({ name: 'root', dependencies: { express: '4' } }), Dockerfile: 'FROM node:22 AS build\nCOPY ./frontend /src\nRUN npm run build\nFROM node:22-slim\nCOPY --from=build /src/dist/server.js /app/server.js\nCMD ["server.js"]\n' }));
    expect(sameEcosystem).toMatchObject({ language: 'node', framework: 'express' });
  });

  it('is the folder the shipped stage copies, not a builder stage\'s front-end, when no root manifest exists', () => {
    const combined = {
      Dockerfile: [
        'FROM node:22-alpine AS builder',
        'COPY frontend .',
        'RUN npm ci && npm run build',
        'FROM python:3.12-slim',
        'COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/',
        'COPY backend /app',
        'COPY --from=builder /app/dist /app/frontend-dist',
        'EXPOSE 8400',
        'CMD ["uv", "run", "--", "gunicorn", "-k", "uvicorn.workers.UvicornWorker", "api.app:app", "--bind", "0.0.0.0:8400"]',
      ].join('\n'),
      'frontend/package.json': JSON.stringify({ name: 'ui', scripts: { build: 'vite build' }, dependencies: { react: '19' }, devDependencies: { vite: '7' } }),
      'backend/pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi==0.115.0", "gunicorn==23.0.0", "uvicorn==0.30.0"]\n',
      'backend/api/app.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    };
    const a = analyzeRepository(snapshot(combined));
    expect(a).toMatchObject({ kind: 'web', language: 'python', framework: 'fastapi', port: 8400 });
    expect(sourceOf(a, 'app source backend (copied into the image)')).toEqual(['Dockerfile:6']);
  });

  it('jaeger images run beside the app as tools, not services', () => {
    const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: jaeger\nspec:\n  template:\n    spec:\n      containers:\n        - image: jaegertracing/all-in-one:latest\n';
    expect(firstPartyServices(snapshot({ 'monitoring.yaml': manifest }), undefined)).toEqual([]);
  });

  it('a Kustomize component patching the Deployment with a sidecar is that workload, not a second service', () => {
    const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: stats\nspec:\n  template:\n    spec:\n      containers:\n        - name: stats\n          image: example.org/stats:1.0\n';
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: stats\nspec:\n  template:\n    spec:\n      containers:\n        - name: stats\n          resources: {}\n        - name: resizer\n          image: example.org/addon-resizer:1.8\n';
    const other = base.replace(/stats/g, 'reports');
    const files = { 'manifests/base/deployment.yaml': base, 'manifests/components/resize/patch.yaml': patch };
    expect(firstPartyServices(snapshot(files), undefined)).toEqual([{ name: 'stats', source: 'manifests/base/deployment.yaml:2' }]);
    // A differently named workload still counts.
    expect(firstPartyServices(snapshot({ ...files, 'manifests/base/reports.yaml': other }), undefined).map((s) => s.name)).toEqual(['reports', 'stats']);
  });

  it('a Go app routed by gorilla/mux or httprouter serves with net/http even when no handler file is read', () => {
    for (const router of ['github.com/gorilla/mux v1.8.1', 'github.com/julienschmidt/httprouter v1.3.0']) {
      const a = analyzeRepository(snapshot({ 'go.mod': `module example.com/store\n\ngo 1.22\n\nrequire ${router}\n`, 'main.go': 'package main\n\nimport "example.com/store/cmd"\n\nfunc main() { cmd.Main() }\n' }));
      expect(a).toMatchObject({ kind: 'web', framework: 'go-net-http' });
    }
  });
});

describe('a compose system that pulls the images its folders build', () => {
  const springModule = (starter: string) => `<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent><artifactId>m</artifactId><dependencies><dependency><groupId>${starter.split(':')[0]}</groupId><artifactId>${starter.split(':')[1]}</artifactId></dependency></dependencies></project>\n`;
  const compose = [
    'services:',
    '  rabbitmq:',
    '    image: rabbitmq:3-management',
    '  config:',
    '    image: acme/shop-config',
    '  gateway:',
    '    image: acme/shop-gateway',
    '    ports:',
    '      - 80:4000',
    '  account-service:',
    '    image: acme/shop-account-service',
    '  account-mongodb:',
    '    image: acme/shop-mongodb',
  ].join('\n');
  const files = {
    'docker-compose.yml': `${compose}\n`,
    'pom.xml': '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent><artifactId>shop</artifactId><packaging>pom</packaging><modules><module>config</module><module>gateway</module><module>account-service</module></modules></project>\n',
    'config/pom.xml': springModule('org.springframework.cloud:spring-cloud-config-server'),
    'config/Dockerfile': 'FROM eclipse-temurin:21-jre\nADD ./target/config.jar /app/\nCMD ["java", "-jar", "/app/config.jar"]\nEXPOSE 8888\n',
    'gateway/pom.xml': springModule('org.springframework.cloud:spring-cloud-starter-gateway'),
    'gateway/Dockerfile': 'FROM eclipse-temurin:21-jre\nADD ./target/gateway.jar /app/\nCMD ["java", "-jar", "/app/gateway.jar"]\nEXPOSE 4000\n',
    'account-service/pom.xml': springModule('org.springframework.boot:spring-boot-starter-web'),
    'account-service/Dockerfile': 'FROM eclipse-temurin:21-jre\nADD ./target/account.jar /app/\nCMD ["java", "-jar", "/app/account.jar"]\nEXPOSE 6000\n',
    'mongodb/Dockerfile': 'FROM mongo:7\nADD init.sh /init.sh\nENTRYPOINT ["/init.sh"]\n',
  };

  it('counts the services whose images are named after its folders, and a store image it builds as a store', () => {
    const compose_ = parseCompose('docker-compose.yml', files['docker-compose.yml']);
    expect(firstPartyServices(snapshot(files), compose_).map((s) => s.name)).toEqual(['account-service', 'config', 'gateway']);
    const a = analyzeRepository(snapshot(files));
    expect(a.stateful).toEqual(['mongodb', 'rabbitmq']);
    // (`acme/shop-mongodb` names its store after the product, so the image line itself says mongodb.)
    expect(sourceOf(a, 'stateful mongodb')).toEqual(['docker-compose.yml:13']);
  });

  it('reads the entry service from the Dockerfile of the folder its image is named after; Spring Cloud servers are Spring Boot', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a).toMatchObject({ language: 'java', framework: 'spring-boot', port: 4000, startCommand: 'java -jar /app/gateway.jar' });
    expect(sourceOf(a, 'startCommand java -jar /app/gateway.jar')).toEqual(['gateway/Dockerfile:3']);
  });
});

describe('ports in comments', () => {
  it('a port in a doc comment or a commented-out line is not the code binding it', () => {
    const doc = 'package ca\n\n// Usage:\n//\n//\tsrv, err := ca.BootstrapServer(ctx, token, &http.Server{\n//\t    Addr: ":443",\n//\t})\nfunc BootstrapServer() {}\n';
    expect(explicitPortInCode(snapshot({ 'ca/bootstrap.go': doc }), 'go')).toBeUndefined();
    const code = `${doc}\nfunc main() {\n\thttp.ListenAndServe(":9000", nil)\n}\n`;
    expect(explicitPortInCode(snapshot({ 'ca/bootstrap.go': code }), 'go')).toEqual({ value: 9000, source: 'ca/bootstrap.go:11' });
    expect(explicitPortInCode(snapshot({ 'app.py': 'from flask import Flask\napp = Flask(__name__)\n# app.run(port=80)\napp.run(port=5001)\n' }), 'python')).toEqual({ value: 5001, source: 'app.py:4' });
  });
});

describe('commented-out arguments, clock-only Procfiles and upload folders set by the image', () => {
  it('a commented-out `#debug=True` beside the port argument does not make the listener a debug one', () => {
    const app = "import os\nfrom flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(\n        host='0.0.0.0',\n        port=int(os.environ.get('PORT', 8080)),\n        #debug=True,\n        threaded=True)\n";
    expect(explicitPortInCode(snapshot({ 'app.py': app }), 'python')).toEqual({ value: 8080, source: 'app.py:7' });
    // A debug flag that is code still marks it.
    expect(explicitPortInCode(snapshot({ 'app.py': app.replace('#debug=True', 'debug=True') }), 'python')).toBeUndefined();
  });

  it("a Procfile whose only process is a clock declares the start command; release runs once and does not count", () => {
    const files = { 'requirements.txt': 'schedule==1.1.0\n', 'clock.py': 'import schedule\n' };
    expect(analyzeRepository(snapshot({ ...files, Procfile: 'release: python migrate.py\nclock: python clock.py\n' })).startCommand).toBe('python clock.py');
    expect(analyzeRepository(snapshot({ ...files, Procfile: 'clock: python clock.py\nsync: python sync.py\n' })).startCommand).toBeUndefined();
  });

  it("an upload folder the image's start script sets to a local path is local state, even beside django-storages", () => {
    const files = {
      'requirements.txt': 'Django==5.2\npsycopg2-binary==2.9\ndjango-storages==1.14\n',
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\nimport django\n",
      Dockerfile: 'FROM python:3.13\nCOPY . .\nENTRYPOINT ["/sbin/tini", "--", "/opt/app/boot.sh"]\n',
      'boot.sh': '#!/bin/sh\nexport MEDIA_ROOT=${MEDIA_ROOT:-/opt/app/mediafiles};\nexec gunicorn site.wsgi\n',
    };
    expect(analyzeRepository(snapshot(files)).localState).toEqual([{ name: 'uploads on local disk (MEDIA_ROOT /opt/app/mediafiles)', source: 'boot.sh:2' }]);
    // A script the image does not run, or a cache folder, says nothing.
    expect(analyzeRepository(snapshot({ ...files, Dockerfile: 'FROM python:3.13\nCOPY . .\nCMD ["gunicorn", "site.wsgi"]\n' })).localState).toEqual([]);
    expect(analyzeRepository(snapshot({ ...files, 'boot.sh': 'export MEDIA_ROOT=/tmp/media\n' })).localState).toEqual([]);
  });
});

describe('Gradle version catalogs and a root build that only aggregates projects', () => {
  const catalog = [
    '[versions]',
    'spring-boot = "3.5.0"',
    '[plugins]',
    'spring-boot = { id = "org.springframework.boot", version.ref = "spring-boot" }',
    '[libraries]',
    'spring-starter-webflux = { module = "org.springframework.boot:spring-boot-starter-webflux", version.ref = "spring-boot" }',
    'kafka_clients = "org.apache.kafka:kafka-clients:3.7.0"',
    'pg = { group = "org.postgresql", name = "postgresql" }',
    '',
  ].join('\n');
  const app = 'plugins {\n    alias(libs.plugins.spring.boot)\n}\ndependencies {\n    implementation libs.spring.starter.webflux\n    implementation libs.kafka.clients\n    testImplementation libs.pg\n}\n';
  // A generated API contract: Spring types on its classpath, but no Boot plugin, so not the app.
  const contract = 'dependencies {\n    implementation libs.spring.starter.webflux\n}\n';
  const repo = {
    'settings.gradle': 'rootProject.name = "ui"\ninclude "contract"\ninclude "api"\n',
    'build.gradle': 'subprojects {\n    repositories { mavenCentral() }\n}\n',
    'gradle/libs.versions.toml': catalog,
    'contract/build.gradle': contract,
    'api/build.gradle': app,
  };

  it('reads dependencies written as catalog accessors, and the included project that applies the Boot plugin', () => {
    const a = analyzeRepository(snapshot(repo));
    expect(a).toMatchObject({ kind: 'web', language: 'java', framework: 'spring-boot', port: 8080, stateful: ['kafka'] });
    expect(sourceOf(a, 'framework spring-boot')).toEqual(['api/build.gradle:5']);
  });

  it("the Dockerfile beside the application project's build file is its image", () => {
    const a = analyzeRepository(snapshot({ ...repo, 'api/Dockerfile': 'FROM eclipse-temurin:21-jre\nCOPY build/libs/api.jar /api.jar\nEXPOSE 9090\nCMD java $JAVA_OPTS -jar /api.jar\n' }));
    expect(a).toMatchObject({ port: 9090, startCommand: 'java $JAVA_OPTS -jar /api.jar' });
    expect(sourceOf(a, 'startCommand java $JAVA_OPTS -jar /api.jar')).toEqual(['api/Dockerfile:4']);
  });

  it('keeps the root build when it declares dependencies itself, or when no included project is the app', () => {
    const rootApp = analyzeRepository(snapshot({ ...repo, 'build.gradle': "plugins { id 'org.springframework.boot' version '3.3.0' }\ndependencies {\n    implementation 'org.springframework.boot:spring-boot-starter-web'\n}\n" }));
    expect(sourceOf(rootApp, 'framework spring-boot')).toEqual(['build.gradle:3']);
    const noApp = analyzeRepository(snapshot({ ...repo, 'api/build.gradle': contract }));
    expect(noApp.framework).not.toBe('spring-boot');
  });
});

describe('apps in a sub-project, a backend/ folder or a Cargo workspace (round 3)', () => {
  const gradleRepo = {
    'settings.gradle': "include 'server'\ninclude 'desktop'\n",
    'build.gradle.kts': 'plugins {\n  kotlin("jvm") version "2.0.0"\n}\n',
    'server/build.gradle.kts': 'plugins {\n  id("org.springframework.boot") version "3.3.0"\n}\ndependencies {\n  implementation("org.springframework.boot:spring-boot-starter-web")\n}\n',
    'desktop/build.gradle.kts': 'dependencies {\n  implementation(project(":server"))\n}\n',
  };

  it("reads server.port from the application project's own resources", () => {
    const a = analyzeRepository(snapshot({ ...gradleRepo, 'server/src/main/resources/application.yml': 'spring:\n  main:\n    banner-mode: off\nserver:\n  shutdown: graceful\n  port: 25600\n' }));
    expect(a).toMatchObject({ kind: 'web', framework: 'spring-boot', port: 25600 });
    expect(a.evidence).toContainEqual({ fact: 'port 25600', source: 'server/src/main/resources/application.yml:6' });
  });

  it("finds the application project's image in its docker/ folder when none sits beside its build file", () => {
    const a = analyzeRepository(snapshot({ ...gradleRepo, 'server/docker/Dockerfile.tpl': 'FROM eclipse-temurin:21-jre\nCOPY app.jar app.jar\nENTRYPOINT ["java", "-jar", "app.jar"]\nEXPOSE 9000\n' }));
    expect(a).toMatchObject({ port: 9000, startCommand: 'java -jar app.jar' });
    expect(sourceOf(a, 'startCommand java -jar app.jar')).toEqual(['server/docker/Dockerfile.tpl:3']);
  });

  it('a binary copied onto an existing folder (`COPY --from=build /go/bin/api /app`) names the stage that builds the app', () => {
    const dockerfile = [
      'FROM node:22-alpine AS frontend',
      'COPY frontend .',
      'RUN npm ci && npm run build',
      'FROM golang:alpine AS builder',
      'COPY ./backend .',
      'RUN go build -o /go/bin/api ./app/api',
      'FROM alpine:latest',
      'RUN mkdir /app',
      'COPY --from=builder /go/bin/api /app',
      'COPY --from=frontend /app/.output/public /app/public',
      'EXPOSE 7745',
      'ENTRYPOINT ["/app/api"]',
    ].join('\n');
    expect(parseDockerfile('Dockerfile', dockerfile).commandStage).toBe('builder');
    const a = analyzeRepository(snapshot({
      Dockerfile: `${dockerfile}\n`,
      'frontend/package.json': JSON.stringify({ name: 'ui', scripts: { build: 'nuxt generate' }, dependencies: { nuxt: '3.12.0' } }),
      'backend/go.mod': 'module example.com/inventory\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n',
      'backend/app/api/main.go': 'package main\n\nimport "github.com/go-chi/chi/v5"\n\nfunc main() { _ = chi.NewRouter() }\n',
    }));
    expect(a).toMatchObject({ language: 'go', framework: 'chi', port: 7745, startCommand: '/app/api' });
  });

  it("a store named only by a client library is an option when compose runs the app alone and the app's image declares its data VOLUME", () => {
    const files = {
      'go.mod': 'module example.com/inventory\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jackc/pgx/v5 v5.6.0\n\tmodernc.org/sqlite v1.30.0\n)\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      'docker-compose.yml': 'services:\n  app:\n    build: .\n    ports:\n      - 3100:7745\n',
    };
    const withVolume = analyzeRepository(snapshot({ ...files, Dockerfile: 'FROM golang AS build\nCOPY . .\nRUN go build -o /api .\nFROM alpine\nCOPY --from=build /api /api\nVOLUME ["/data"]\nEXPOSE 7745\nENTRYPOINT ["/api"]\n' }));
    expect(withVolume.stateful).toEqual([]);
    expect(sourceOf(withVolume, 'optional postgres: only a client library names it; docker-compose.yml runs the app alone with its data in a volume')).toEqual(['go.mod:7']);
    // Without a volume anywhere the driver still says what the app needs.
    const noVolume = analyzeRepository(snapshot({ ...files, Dockerfile: 'FROM golang AS build\nCOPY . .\nRUN go build -o /api .\nFROM alpine\nCOPY --from=build /api /api\nEXPOSE 7745\nENTRYPOINT ["/api"]\n' }));
    expect(noVolume.stateful).toEqual(['postgres']);
  });

  it('library crates of a Cargo workspace are not apps; the binary crates are the candidates', () => {
    const lib = (name: string, deps: string) => `[package]\nname = "${name}"\nversion = "0.1.0"\n\n[dependencies]\n${deps}`;
    const repo = {
      'Cargo.toml': '[workspace]\nmembers = ["crates/api", "crates/core", "crates/server"]\n',
      'crates/api/Cargo.toml': lib('api', 'axum = "0.7"\n'),
      'crates/api/src/lib.rs': 'pub fn router() {}\n',
      'crates/core/Cargo.toml': lib('core', 'serde = "1"\n'),
      'crates/core/src/lib.rs': 'pub struct User;\n',
      'crates/server/Cargo.toml': lib('server', 'api = { path = "../api" }\naxum = "0.7"\ntokio = "1"\n'),
      'crates/server/src/main.rs': 'fn main() {}\n',
    };
    const a = analyzeRepository(snapshot(repo));
    expect(a).toMatchObject({ kind: 'web', language: 'rust', framework: 'axum', monorepo: { candidates: ['crates/server'], chosen: 'crates/server' } });
    // A crate whose program sits in src/bin/ is runnable too.
    const bin = analyzeRepository(snapshot({ 'Cargo.toml': lib('tool', 'axum = "0.7"\n'), 'src/bin/serve.rs': 'fn main() {}\n' }));
    expect(bin).toMatchObject({ kind: 'web', framework: 'axum' });
    expect(analyzeRepository(snapshot({ 'Cargo.toml': lib('tool', 'axum = "0.7"\n'), 'src/lib.rs': 'pub fn f() {}\n' })).kind).toBe('library');
    // A root library crate whose workspace holds the server: the server is the app.
    const rootLib = analyzeRepository(snapshot({
      'Cargo.toml': `${lib('blog', 'axum = "0.7"\n')}\n[workspace]\nmembers = ["server"]\n`,
      'src/lib.rs': 'pub fn router() {}\n',
      'server/Cargo.toml': lib('blog-server', 'blog = { path = ".." }\naxum = "0.7"\n'),
      'server/src/main.rs': 'fn main() {}\n',
    }));
    expect(rootLib).toMatchObject({ kind: 'web', framework: 'axum', monorepo: { chosen: 'server' } });
    // …but a library whose member is only a command-line tool stays a library.
    const withCli = analyzeRepository(snapshot({
      'Cargo.toml': `${lib('parser', 'serde = "1"\n')}\n[workspace]\nmembers = ["cli"]\n`,
      'src/lib.rs': 'pub fn parse() {}\n',
      'cli/Cargo.toml': lib('parser-cli', 'parser = { path = ".." }\nclap = "4"\n'),
      'cli/src/main.rs': 'fn main() {}\n',
    }));
    expect(withCli.kind).toBe('library');
  });
});

describe('upload folders named by a setting the code reads (round 3)', () => {
  it('an upload-directory setting read in code keeps uploads on local disk', () => {
    const cargo = '[package]\nname = "blog"\n\n[dependencies]\nrocket = "0.5.1"\n';
    const a = analyzeRepository(snapshot({
      'Cargo.toml': cargo,
      'src/main.rs': 'fn main() {}\n',
      'src/config.rs': 'pub fn media_dir() -> String {\n    std::env::var("MEDIA_UPLOAD_DIRECTORY").unwrap_or_else(|_| "static/media".to_owned())\n}\n',
    }));
    expect(a.localState).toEqual([{ name: 'uploads on local disk', source: 'src/config.rs:2' }]);
    // A setting that is not an upload folder says nothing about files.
    const b = analyzeRepository(snapshot({ 'Cargo.toml': cargo, 'src/main.rs': 'fn main() {}\n', 'src/config.rs': 'pub fn dir() -> String { std::env::var("TEMPLATE_DIR").unwrap() }\n' }));
    expect(b.localState ?? []).toEqual([]);
  });

  it('a settings schema whose files folder comes from FILE_DIR keeps the files on local disk (round 4)', () => {
    const pkg = JSON.stringify({ name: 'share', dependencies: { express: '^4.18.0', convict: '^6.2.4' } });
    const config = (env: string) =>
      `const convict = require('convict');\nmodule.exports = convict({\n  port: { format: 'port', default: 8080, env: 'PORT' },\n  dir: { format: String, default: '/tmp/share', env: '${env}' }\n}).getProperties();\n`;
    const a = analyzeRepository(snapshot({ 'package.json': pkg, 'server/index.js': "require('express')().listen(8080);\n", 'server/config.js': config('FILE_DIR') }));
    expect(a.localState).toEqual([{ name: 'uploads on local disk', source: 'server/config.js:4' }]);
    // Another file's folder (logs) is not where the app keeps its files.
    const b = analyzeRepository(snapshot({ 'package.json': pkg, 'server/index.js': "require('express')().listen(8080);\n", 'server/config.js': config('LOG_FILE_DIR') }));
    expect(b.localState ?? []).toEqual([]);
  });

  it('a Spring upload written to a local path (MultipartFile.transferTo a Path or File) keeps uploads on local disk (round 5)', () => {
    const pom = '<project>\n  <dependencies>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n  </dependencies>\n</project>\n';
    const save = (call: string) => `package org.example;\n\npublic class Uploads {\n  void save(MultipartFile file, String absPath) throws Exception {\n    ${call};\n  }\n}\n`;
    const a = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/java/org/example/Uploads.java': save('file.transferTo(Paths.get(absPath))') }));
    expect(a.localState).toEqual([{ name: 'uploads on local disk', source: 'src/main/java/org/example/Uploads.java:5' }]);
    // Streaming the upload to an object store is not.
    const b = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/java/org/example/Uploads.java': save('s3.putObject(bucket, absPath, file.getInputStream(), null)') }));
    expect(b.localState ?? []).toEqual([]);
  });
});

describe('Go config structs that carry the port default in an env tag (round 3)', () => {
  it('reads `env:"PORT" envDefault:"N"` and `envconfig:"PORT" default:"N"`, not go-flags groups', () => {
    const go = (code: string) => analyzeRepository(snapshot({ 'go.mod': 'module example.com/share\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(addr(), nil) }\n', 'config.go': code }));
    expect(go('package main\n\ntype Env struct {\n\tWebserverPort int `env:"PORT" envDefault:"53842" onlyPositive:"true"`\n}\n').port).toBe(53842);
    expect(go('package main\n\ntype Spec struct {\n\tPort string `envconfig:"HTTP_PORT" default:":9000"`\n}\n').port).toBe(9000);
    // go-flags: `default:` beside env names a group's variable (here an SMTP port), not the server's.
    expect(go('package main\n\ntype SMTP struct {\n\tPort int `long:"port" env:"PORT" default:"587"`\n}\n').port).toBe(8080);
  });
});

describe("a workspace whose own image ships one member's program", () => {
  const axumServer = { 'apps/server/Cargo.toml': '[package]\nname = "shelf_server"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.8"\ntokio = "1"\n', 'apps/server/src/main.rs': 'fn main() {}\n' };
  const cli = { 'crates/cli/Cargo.toml': '[package]\nname = "shelf_cli"\nversion = "0.1.0"\n\n[dependencies]\nclap = "4"\n', 'crates/cli/src/main.rs': 'fn main() {}\n' };
  const web = { 'apps/web/package.json': JSON.stringify({ name: '@shelf/web', scripts: { build: 'vite build', dev: 'vite' }, devDependencies: { vite: '5.0.0' } }), 'apps/web/index.html': '<!doctype html>\n' };
  const image = 'FROM node:20 AS frontend\nCOPY . .\nRUN yarn web build\n\nFROM rust:1.85 AS builder\nCOPY . .\nRUN cargo build --release -p shelf_server && cp target/release/shelf_server /app/shelf_server\n\nFROM debian:bookworm-slim\nCOPY --from=builder /app/shelf_server /app/shelf\nCOPY --from=frontend /app/apps/web/dist /app/client\nENV SHELF_CONFIG_DIR=/config \\\n    SHELF_PORT=10801\nENTRYPOINT ["/entrypoint.sh"]\n';
  const files = {
    'Cargo.toml': '[workspace]\nmembers = ["apps/server", "crates/*"]\n',
    'package.json': JSON.stringify({ name: '@shelf/monorepo', private: true, workspaces: ['apps/*'] }),
    ...axumServer, ...cli, ...web,
    'docker/Dockerfile': image,
    'docker/entrypoint.sh': '#!/bin/sh\nexec /app/shelf\n',
  };

  it('is the member the image runs, with the image command and the port its own variable sets', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.monorepo?.chosen).toBe('apps/server');
    expect(sourceOf(a, 'monorepo app apps/server')).toEqual(['rule:image-ships-app']);
    expect([a.kind, a.language, a.framework]).toEqual(['web', 'rust', 'axum']);
    expect(a.startCommand).toBe('/entrypoint.sh');
    expect(a.port).toBe(10801);
    expect(sourceOf(a, 'port 10801')).toEqual(['docker/Dockerfile:13']);
    expect(a.platforms?.map((p) => p.kind)).toEqual(['dockerfile']);
  });

  it('without an image shipping one member the workspace still needs a path', () => {
    const { 'docker/Dockerfile': _image, ...noImage } = files;
    expect(analyzeRepository(snapshot(noImage)).monorepo?.chosen).toBeUndefined();
    // An image that ships no member's binary names no app either.
    const other = analyzeRepository(snapshot({ ...files, 'docker/Dockerfile': image.replace(/shelf_server/g, 'tool') }));
    expect(other.monorepo?.chosen).toBeUndefined();
  });

  it("a port variable counts only when it is named for a program the image ships", () => {
    const facts = parseDockerfile('Dockerfile', 'FROM rust AS b\nRUN cargo build\nFROM debian\nCOPY --from=b /src/target/release/shelf /usr/bin/shelf\nENV DB_PORT=5432 SHELF_HTTP_PORT=9000\nCMD ["shelf"]\n');
    expect(facts.listenPort?.value).toBe(9000);
    const none = parseDockerfile('Dockerfile', 'FROM rust AS b\nRUN cargo build\nFROM debian\nCOPY --from=b /src/target/release/shelf /usr/bin/shelf\nENV DB_PORT=5432\nCMD ["shelf"]\n');
    expect(none.listenPort).toBeUndefined();
  });
});

describe('compose one-shot jobs', () => {
  it('a service the others wait on until it completes successfully is a one-shot, not a runtime service', () => {
    const compose = "services:\n  web:\n    build: .\n    depends_on:\n      initializer:\n        condition: service_completed_successfully\n      db:\n        condition: service_started\n  worker:\n    build: .\n    command: celery -A app worker\n    depends_on:\n      initializer:\n        condition: service_completed_successfully\n  initializer:\n    build: .\n    command: python manage.py bootstrap\n  db:\n    image: postgres:16\n";
    const files = { 'requirements.txt': 'django\ncelery\n', 'manage.py': 'import django\n', Dockerfile: 'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "app.wsgi", "-b", ":8000"]\n', 'docker-compose.yml': compose };
    const a = analyzeRepository(snapshot(files));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
    // Waiting only for it to start keeps it a service.
    const started = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose.replace(/service_completed_successfully/g, 'service_started') }));
    expect(started.services?.map((s) => s.name)).toEqual(['initializer', 'web', 'worker']);
  });
});
