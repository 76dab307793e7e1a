// Shapes from the round-33 dev cases: a CI matrix of objects naming the images compose pulls, add-on services behind an
// `extras` profile, a Tornado server started by a console script, a data-migration tool beside the app in a Maven reactor,
// a HEALTHCHECK of the management port, a mail server's SMTP ports before its web pages, and a click `--port` default.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('images a CI matrix of objects builds, pulled by compose', () => {
  const workflow = (matrix: string) => [
    'name: Publish',
    'on: {push: {tags: ["v*"]}}',
    'jobs:',
    '  push:',
    '    runs-on: ubuntu-latest',
    '    strategy:',
    '      matrix:',
    matrix,
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - id: meta',
    '        uses: docker/metadata-action@v5',
    '        with:',
    '          images: ${{ matrix.repos.image }}',
    '      - uses: docker/build-push-action@v6',
    '        with:',
    '          context: ${{ matrix.repos.context }}',
    '          file: ${{ matrix.repos.file }}',
    '          tags: ${{ steps.meta.outputs.tags }}',
    '',
  ].join('\n');
  const objects = [
    '        repos:',
    '          - image: acme/notes-sync',
    '            file: ./Sync.API/Dockerfile',
    '            context: .',
    '          - image: acme/notes-auth',
    '            file: ./Identity/Dockerfile',
    '            context: .',
  ].join('\n');
  const files = (matrix: string) => ({
    'Sync.API/Sync.API.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
    'Sync.API/Dockerfile': 'FROM mcr.microsoft.com/dotnet/sdk:9.0\nCOPY . .\nENTRYPOINT ["./Sync.API"]\n',
    'Identity/Identity.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
    'Identity/Dockerfile': 'FROM mcr.microsoft.com/dotnet/sdk:9.0\nCOPY . .\nENTRYPOINT ["./Identity"]\n',
    'docker-compose.yml': 'services:\n  sync:\n    image: acme/notes-sync:latest\n    ports: ["5264:5264"]\n  identity:\n    image: acme/notes-auth:latest\n    ports: ["8264:8264"]\n  db:\n    image: mongo:7\n',
    '.github/workflows/publish.yml': workflow(matrix),
  });

  it('are built here: each matrix entry names an image and its Dockerfile', () => {
    expect(analyzeRepository(snapshot(files(objects))).services?.map((s) => s.name)).toEqual(['identity', 'sync']);
  });

  it('are built here when a numeric axis runs beside the objects (`node: [20]`)', () => {
    expect(analyzeRepository(snapshot(files(`${objects}\n        node: [20, 22]`))).services?.map((s) => s.name)).toEqual(['identity', 'sync']);
  });

  it('leaves the images pulled when the matrix lists other images (control)', () => {
    expect(analyzeRepository(snapshot(files(objects.replaceAll('acme/notes-', 'other/notes-')))).services ?? []).toHaveLength(0);
  });
});

describe('services behind an add-on profile', () => {
  const compose = (profile: string) => [
    'services:',
    '  web:',
    '    build: .',
    '    ports: ["8000:8000"]',
    '  inbox:',
    '    build: ./inbox',
    `    profiles: [${profile}]`,
    '',
  ].join('\n');
  const files = (profile: string) => ({
    'requirements.txt': 'flask==3.0.0\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    Dockerfile: 'FROM python:3.12\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
    'inbox/package.json': '{"name": "inbox", "scripts": {"start": "node index.js"}}\n',
    'inbox/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
    'docker-compose.yml': compose(profile),
  });

  it('are optional beside the services that always run: extras are not part of the system', () => {
    expect(analyzeRepository(snapshot(files('extras'))).services?.map((s) => s.name)).toEqual(['web']);
  });

  it('still count when the profile is named for the process it runs (control)', () => {
    expect(analyzeRepository(snapshot(files('inbox'))).services?.map((s) => s.name)).toEqual(['inbox', 'web']);
  });
});

describe('a Tornado server a console script starts, with no container', () => {
  const files = {
    'pyproject.toml': '[project]\nname = "printerd"\ndependencies = ["tornado>=6"]\n\n[project.scripts]\nprinterd = "printerd.server:main"\n',
    'printerd/__init__.py': '',
    'printerd/server.py': 'def main():\n    pass\n',
    'printerd/application.py': 'import tornado.web\n\nclass App:\n    def __init__(self):\n        self.app = tornado.web.Application([])\n',
  };

  it('serves HTTP: it is a web app, not a library', () => {
    expect(analyzeRepository(snapshot(files)).kind).toBe('web');
  });

  it('stays a library when the Tornado application is only in a comment', () => {
    expect(analyzeRepository(snapshot({ ...files, 'printerd/application.py': 'import tornado.escape\n# app = tornado.web.Application([])\n' })).kind).toBe('library');
  });

  it('stays a library when nothing builds a Tornado application (control)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'printerd/application.py': 'import tornado.escape\n' })).kind).toBe('library');
  });
});

describe('a data-migration tool beside the app', () => {
  const files = {
    'apiserver/pom.xml': '<project><artifactId>apiserver</artifactId><packaging>jar</packaging></project>\n',
    'apiserver/Dockerfile': 'FROM eclipse-temurin:21\nCOPY target/app.jar /app.jar\nEXPOSE 8080\nCMD ["java", "-jar", "/app.jar"]\n',
    'support/v4-migrator/pom.xml': '<project><artifactId>migrator</artifactId><packaging>jar</packaging></project>\n',
    'support/v4-migrator/Dockerfile': 'FROM eclipse-temurin:21\nCOPY target/migrator.jar /m.jar\nCMD ["java", "-jar", "/m.jar"]\n',
  };

  it('is not an app of the monorepo: the server is the one app', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.monorepo?.candidates).toEqual(['apiserver']);
    expect(a.port).toBe(8080);
  });

  it('keeps an app folder named for migrating (`migrate-api`) a candidate', () => {
    const renamed = Object.fromEntries(Object.entries(files).map(([p, t]) => [p.replace('support/v4-migrator', 'migrate-api'), t]));
    expect(analyzeRepository(snapshot(renamed)).monorepo?.candidates).toEqual(['apiserver', 'migrate-api']);
  });

  it('leaves a folder of another name a candidate (control)', () => {
    const renamed = Object.fromEntries(Object.entries(files).map(([p, t]) => [p.replace('v4-migrator', 'v4-exporter'), t]));
    expect(analyzeRepository(snapshot(renamed)).monorepo?.candidates).toEqual(['apiserver', 'support/v4-exporter']);
  });
});

describe('ports of an image with several listeners', () => {
  const go = { 'go.mod': 'module example.com/mail\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n' };

  it('takes the HTTP port over SMTP and IMAP listeners exposed before it', () => {
    const image = 'FROM alpine\nCOPY mox /bin/mox\nEXPOSE 25/tcp\nEXPOSE 993/tcp\nEXPOSE 80/tcp\nCMD ["/bin/mox", "serve"]\n';
    expect(analyzeRepository(snapshot({ ...go, Dockerfile: image })).port).toBe(80);
  });

  // (Round 42: a mail server exposing only SMTP declares no HTTP port; it was port 25 until then. No label names one.)
  it('gives a mail server with no web port no port: it is a worker (control)', () => {
    const image = 'FROM alpine\nCOPY relay /bin/relay\nEXPOSE 25/tcp\nEXPOSE 587/tcp\nCMD ["/bin/relay"]\n';
    const a = analyzeRepository(snapshot({ ...go, Dockerfile: image }));
    expect([a.port, a.kind]).toEqual([null, 'worker']);
  });

  it('keeps SMTP when the other exposed port is an exporter, not a web port', () => {
    const image = 'FROM alpine\nCOPY relay /bin/relay\nEXPOSE 25 9154\nCMD ["/bin/relay"]\n';
    expect(analyzeRepository(snapshot({ ...go, Dockerfile: image })).port).toBe(25);
  });

  const probed = (comment: string) =>
    `FROM alpine\nCOPY app /bin/app\nEXPOSE 8080\nEXPOSE 9000\n${comment}HEALTHCHECK CMD curl -f http://127.0.0.1:9000/health\nCMD ["/bin/app"]\n`;

  it('keeps the first port when the HEALTHCHECK is said to probe the management port', () => {
    expect(analyzeRepository(snapshot({ ...go, Dockerfile: probed('# Health check against the management port\n') })).port).toBe(8080);
  });

  it('keeps the first port when the image names the probed one its management port (`KC_HTTP_MANAGEMENT_PORT`)', () => {
    expect(analyzeRepository(snapshot({ ...go, Dockerfile: probed('ENV KC_HTTP_MANAGEMENT_PORT=9000\n') })).port).toBe(8080);
  });

  it('reads the comment of the final stage only: a commented probe in a builder stage says nothing', () => {
    const image = `FROM golang AS build\n# Health check against the management port\n# HEALTHCHECK CMD true\n${probed('')}`;
    expect(analyzeRepository(snapshot({ ...go, Dockerfile: image })).port).toBe(9000);
  });

  it('takes the probed port when nothing calls it a side listener (control)', () => {
    expect(analyzeRepository(snapshot({ ...go, Dockerfile: probed('') })).port).toBe(9000);
  });
});

describe('a click --port option default', () => {
  const files = {
    'pyproject.toml': `[project]\nname = "music"\ndependencies = ["flask>=2.3", "click"]\n`,
    'music/web.py': 'from flask import Flask\napp = Flask(__name__)\n',
    'music/server.py': [
      'import click',
      '@click.command()',
      '@click.option(',
      '    "-p",',
      '    "--port",',
      '    default=5722,',
      '    help="TCP port on which to listen",',
      ')',
      'def main(port):',
      '    pass',
      '',
    ].join('\n'),
  };

  it('is the port the server listens on', () => {
    expect(analyzeRepository(snapshot(files)).port).toBe(5722);
  });

  it('is not the port of a database option (`help="Postgres port"`), nor one a server call names', () => {
    const db = files['music/server.py'].replace('TCP port on which to listen', 'Postgres port');
    expect(analyzeRepository(snapshot({ ...files, 'music/server.py': db })).port).toBe(5000);
    expect(analyzeRepository(snapshot({ ...files, 'music/web.py': 'from flask import Flask\napp = Flask(__name__)\napp.run(port=8000)\n' })).port).toBe(8000);
  });

  it('leaves the framework default when the option is another one (control)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'music/server.py': files['music/server.py'].replace('--port', '--workers') })).port).toBe(5000);
  });
});

describe('a library', () => {
  it('has no port, whatever its CLI option defaults say', () => {
    const a = analyzeRepository(snapshot({
      'pyproject.toml': '[project]\nname = "webkit"\ndependencies = ["werkzeug"]\n',
      'webkit/cli.py': 'import click\n@click.option("--port", "-p", default=5000, help="The port to bind to.")\ndef run(port):\n    pass\n',
    }));
    expect(a.kind).toBe('library');
    expect(a.port ?? null).toBeNull();
  });

  it('keeps the port a platform file deploys it on (fly.toml)', () => {
    const a = analyzeRepository(snapshot({
      'pyproject.toml': '[project]\nname = "webkit"\ndependencies = ["werkzeug"]\n',
      'webkit/__init__.py': '',
      'fly.toml': 'app = "webkit"\n[http_service]\n  internal_port = 8080\n',
    }));
    expect(a.port).toBe(8080);
  });
});
