// Shapes from the round-48 dev cases: where the app's manifest, image and port sit when the root says little.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('with no manifest at the root, the one folder holding an app manifest is read', () => {
  const boot = (extra = '') =>
    `<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.8</version></parent><artifactId>clips</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-websocket</artifactId></dependency>${extra}</dependencies></project>`;
  const files = {
    'Backend/pom.xml': boot(),
    'Backend/Dockerfile': 'FROM eclipse-temurin:21-jre\nCOPY target/*.jar app.jar\nEXPOSE 8080\nENTRYPOINT ["java", "-jar", "app.jar"]\n',
    'Backend/src/main/java/org/clips/ClipsApplication.java': 'package org.clips;\n\n@SpringBootApplication\npublic class ClipsApplication {}\n',
    'Backend/src/main/java/org/clips/Cleanup.java': 'package org.clips;\n\npublic class Cleanup { @Scheduled(fixedRate = 60000) void run() {} }\n',
    'docker-compose/docker-compose.yml': 'services:\n  clips:\n    image: example/clips:1.0\n    ports:\n      - "8080:8080"\n',
  };

  it('a Spring Boot backend one folder down beside a compose folder running its published image: Spring Boot, not a worker guessed from files', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.framework).toBe('spring-boot');
    expect(a.kind).toBe('web');
    expect(a.startCommand).toBe('java -jar app.jar');
  });

  it('with a manifest at the root the root is read as before (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'pom.xml': boot().replace('<artifactId>clips</artifactId>', '<artifactId>clips-root</artifactId>') }));
    expect(a.monorepo).toBeUndefined();
  });
});

describe('a JVM app whose base config defaults to an embedded database file', () => {
  const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.8</version></parent><artifactId>clips</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency><dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId></dependency><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency></dependencies></project>';
  const config = (url: string) => `spring.application.name=clips\nspring.datasource.url=${url}\n`;
  const app = (url: string) => analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/resources/application.properties': config(url), 'src/main/java/org/clips/App.java': 'package org.clips;\n' }));

  it('`${DB_URL:jdbc:h2:file:./database/clips}` makes the PostgreSQL driver an option the deployment may switch to', () => {
    const a = app('${DB_URL:jdbc:h2:file:./database/clips;MODE=PostgreSQL}');
    expect(JSON.stringify(a.stateful)).not.toContain('postgres');
    expect(a.evidence).toContainEqual({ fact: 'the base config defaults the datasource to an embedded database file (H2, HSQLDB or Derby)', source: 'src/main/resources/application.properties:2' });
  });

  it('a base config naming a PostgreSQL URL keeps postgres (control)', () => {
    expect(JSON.stringify(app('jdbc:postgresql://db:5432/clips').stateful)).toContain('postgres');
  });
});

describe('an image that only serves a build stage\'s output from nginx is static files', () => {
  const pkg = JSON.stringify({ name: 'chef', main: 'src/node/wrapper.js', scripts: { start: 'npx grunt dev', build: 'npx grunt prod' }, devDependencies: { grunt: '1.6.1', webpack: '5.90.0' } });
  const image = (last: string) => `FROM node:24-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\n${last}`;
  const files = { 'package.json': pkg, 'src/node/wrapper.js': 'module.exports = {};\n', 'src/web/index.js': 'document.title = "chef";\n' };

  it('nginx-unprivileged with `COPY --from=builder /app/build/prod /usr/share/nginx/html/` and no command: static, port 8080, no dev-server start', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: image('FROM nginxinc/nginx-unprivileged:stable-alpine AS site\nCOPY --from=builder /app/build/prod /usr/share/nginx/html/\n') }));
    expect(a.kind).toBe('static');
    expect(a.port).toBe(8080);
    expect(a.startCommand).toBeUndefined();
  });

  it('a node image running the built server stays what it was (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: image('FROM node:24-alpine\nCOPY --from=builder /app/build /app\nCMD ["node", "/app/server.js"]\n') }));
    expect(a.kind).not.toBe('static');
  });
});

describe('of root Dockerfile variants, the release build is the image', () => {
  const cmake = 'cmake_minimum_required(VERSION 3.16)\nproject(lms CXX)\nadd_executable(lms src/main.cpp)\n';
  const build = 'FROM alpine:3.20\nRUN apk add cmake g++ make\nCOPY . /src\nRUN cmake -B /build /src && make -C /build\n';
  const release = 'FROM debian:bookworm AS builder\nCOPY . /src\nRUN cmake -B /build /src && make -C /build\n\nFROM debian:bookworm-slim\nCOPY --from=builder /build/lms /usr/bin/lms\nEXPOSE 5082\nENTRYPOINT ["/usr/bin/lms"]\n';
  const files = { 'CMakeLists.txt': cmake, 'src/main.cpp': 'int main() { return 0; }\n', 'Dockerfile-build-alpine': build };

  it('`Dockerfile-release` beside `Dockerfile-build-alpine`: its port and command', () => {
    const a = analyzeRepository(snapshot({ ...files, 'Dockerfile-release': release }));
    expect(a.port).toBe(5082);
    expect(a.startCommand).toBe('/usr/bin/lms');
  });

  it('with no release variant the build image is still read (control)', () => {
    expect(analyzeRepository(snapshot(files)).evidence).toContainEqual({ fact: 'hasDockerfile', source: 'Dockerfile-build-alpine' });
  });
});

describe('a program the deployment publishes a port for serves on it', () => {
  const files = {
    'package.json': JSON.stringify({ name: 'synctube', scripts: { start: 'node build/server.js' }, dependencies: { ws: '8.18.0' } }),
    'src/Main.hx': 'class Main { static function main() {} }\n',
    Dockerfile: 'FROM haxe:4.3-alpine\nRUN apk add nodejs npm\nCOPY . /app\nWORKDIR /app\nRUN npm ci && haxe build-server.hxml\nCMD ["npm", "start"]\n',
  };
  const compose = (port: string) => `services:\n  synctube:\n    build: .\n    ports:\n      - "${port}:${port}"\n`;

  it('compose publishing 4200 for a server with no framework and no EXPOSE: a web app on 4200', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('4200') }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(4200);
    expect(a.evidence).toContainEqual({ fact: 'kind web', source: 'rule:port-the-deployment-names' });
  });

  it('another protocol\'s port (SMTP 25) leaves it a worker, and so does no port at all (controls)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('25') })).kind).toBe('worker');
    expect(analyzeRepository(snapshot(files)).kind).toBe('worker');
  });
});

describe('a compose service building the Dockerfile\'s development stage', () => {
  const dockerfile = 'FROM node:22 AS development\nWORKDIR /app\nEXPOSE 9000\nCMD ["npm", "run", "dev"]\n\nFROM development AS builder\nRUN npm run build\n\nFROM node:22 AS production\nCOPY --from=builder /app/dist /app/dist\nEXPOSE 8080\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["node", "dist/server/app.js"]\n';
  const compose = (target: string) =>
    `services:\n  service:\n    build:\n      context: .\n      target: ${target}\n    volumes:\n      - .:/app\n    command:\n      - /bin/sh\n      - -c\n      - |\n        while sleep 1000; do :; done\n`;
  const files = { 'package.json': JSON.stringify({ name: 'fonts', dependencies: { express: '4.21.0' } }), 'server/app.js': "require('express')().listen(8080);\n", Dockerfile: dockerfile };

  it('`target: development` with a keep-alive command: the shipped stage\'s port and command are the app\'s', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('development') }));
    expect(a.port).toBe(8080);
    expect(a.startCommand).toBe('/usr/bin/tini -- node dist/server/app.js');
  });

  it('a compose service building a named production stage keeps that stage and its command (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('production').replace(/ {4}command:[\s\S]*$/, '') }));
    expect(a.startCommand).toBe('/usr/bin/tini -- node dist/server/app.js');
  });
});

describe('a Rust server\'s port option default', () => {
  const cargo = '[package]\nname = "music"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.8"\nclap = { version = "4", features = ["derive"] }\n';
  const port = (main: string) => analyzeRepository(snapshot({ 'Cargo.toml': cargo, 'src/main.rs': main })).port;

  it('`cli_options.port.unwrap_or(5050)` and clap\'s `default_value_t = 5050` on a `port` field name the port, not axum\'s convention', () => {
    expect(port('fn main() {\n    let port = cli_options.port.unwrap_or(5050);\n    serve(port);\n}\n')).toBe(5050);
    expect(port('#[derive(Parser)]\nstruct Cli {\n    #[arg(long, default_value_t = 5050)]\n    port: u16,\n}\nfn main() {}\n')).toBe(5050);
  });

  it('another option\'s default (`workers.unwrap_or(4000)`, `default_value_t = 3000` on a timeout) says nothing (control)', () => {
    expect(port('fn main() {\n    let workers = cli.workers.unwrap_or(4000);\n}\n')).toBe(8080);
    expect(port('struct Cli {\n    #[arg(long, default_value_t = 3000)]\n    timeout: u64,\n}\nfn main() {}\n')).toBe(8080);
  });
});

describe('the config template an install copies names the port', () => {
  const files = { 'package.json': JSON.stringify({ name: 'sync', scripts: { start: 'node index.js' }, dependencies: { express: '4.21.0' } }), 'index.js': "require('./src/server');\n" };
  const template = 'listen:\n  - ip: \'\'\n    port: 8080\n    http: true\n\nhttp:\n  # one port must be the default for the links it makes\n  default-port: 8080\n  root-domain: \'localhost\'\n';

  it('`config.template.yaml` with `http:` → `default-port: 8080` gives 8080, not express\'s 3000', () => {
    expect(analyzeRepository(snapshot({ ...files, 'config.template.yaml': template })).port).toBe(8080);
  });

  it('a template of another name is not read (control)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'deploy/values.template.yaml': template })).port).toBe(3000);
  });
});
