// Shapes from the round-46 dev cases and from the dev cases the engine still refused as libraries.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a daemon the repository ships a systemd unit for is not a library', () => {
  const pom = '<project><groupId>org.chat</groupId><artifactId>chat-server</artifactId><packaging>bundle</packaging></project>';
  const java = { 'pom.xml': pom, 'src/main/java/org/chat/Server.java': 'package org.chat;\n\npublic class Server {}\n' };
  const unit = '[Unit]\nDescription=Chat server\n\n[Service]\nType=forking\nExecStart=/opt/chat/scripts/chat.sh start etc/chat.conf\n\n[Install]\nWantedBy=multi-user.target\n';

  it('a Maven bundle with no Spring Boot or main class, shipping scripts/systemd/chat.service, is a worker the unit starts', () => {
    const a = analyzeRepository(snapshot({ ...java, 'scripts/systemd/chat.service': unit }));
    expect(a.kind).toBe('worker');
    expect(a.evidence).toContainEqual({ fact: 'entrypoint', source: 'scripts/systemd/chat.service:6' });
  });

  it('the same bundle without the unit stays a library (control)', () => {
    expect(analyzeRepository(snapshot(java)).kind).toBe('library');
  });

  it('a unit under a test, example, sample or extras folder, a one-shot unit, or a D-Bus activation file, starts nothing of the repository\'s', () => {
    for (const dir of ['test/systemd', 'examples', 'sample/systemd', 'extra/systemd']) expect(analyzeRepository(snapshot({ ...java, [`${dir}/chat.service`]: unit })).kind, dir).toBe('library');
    const oneShot = unit.replace('Type=forking', 'Type=oneshot');
    expect(analyzeRepository(snapshot({ ...java, 'scripts/systemd/chat-cleanup.service': oneShot })).kind).toBe('library');
    expect(analyzeRepository(snapshot({ ...java, 'scripts/systemd/chat.service': unit.replace('ExecStart=', 'ExecStart = ') })).kind, 'spaces around =').toBe('worker');
    const dbus = '[D-BUS Service]\nName=org.chat.Server\nExec=/usr/bin/chat-server\n';
    expect(analyzeRepository(snapshot({ ...java, 'data/org.chat.Server.service': dbus })).kind).toBe('library');
  });
});

describe('a private package is not meant to be imported', () => {
  const pkg = (extra: Record<string, unknown>): string => JSON.stringify({ name: 'scheduler', version: '1.0.0', main: 'lib/main.js', dependencies: { async: '2.6.4' }, ...extra });
  const files = { 'lib/main.js': "require('./engine').start();\n", 'lib/engine.js': 'exports.start = () => {};\n' };

  it('"private": true with a "main" entry file is not a library (an app that is never published)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'package.json': pkg({ private: true }) })).kind).toBe('unknown');
  });

  it('a published package with "main" stays a library, and so does a private workspace root (controls)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'package.json': pkg({}) })).kind).toBe('library');
    expect(analyzeRepository(snapshot({ ...files, 'package.json': pkg({ private: true, workspaces: ['packages/*'] }) })).kind).toBe('library');
    expect(analyzeRepository(snapshot({ ...files, 'package.json': pkg({ private: true }), 'pnpm-workspace.yaml': 'packages:\n  - packages/*\n' })).kind, 'pnpm workspace').toBe('library');
    expect(analyzeRepository(snapshot({ ...files, 'package.json': pkg({ private: true, peerDependencies: { host: '^2.0.0' } }) })).kind, 'a plugin of its host').toBe('library');
  });
});

describe('a repository that ships a systemd unit for one of its folders deploys that folder', () => {
  const pom = (artifact: string): string => `<project><groupId>org.meet</groupId><artifactId>${artifact}</artifactId></project>`;
  const unit = '[Unit]\nDescription=Meetings\n\n[Service]\nExecStart=/opt/meet/bin/meet.sh run\n';
  const files = {
    'pom.xml': '<project><groupId>org.meet</groupId><artifactId>parent</artifactId><packaging>pom</packaging><modules><module>meet-server</module></modules></project>',
    'meet-install/go.mod': 'module example.org/meet-install\n\ngo 1.22\n',
    'meet-install/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("installing") }\n',
    'meet-server/pom.xml': pom('meet-server'),
    'meet-server/src/main/java/org/meet/Server.java': 'package org.meet;\n\npublic class Server {}\n',
  };

  it('a helper\'s unit beside a web server without one picks nothing (control)', () => {
    const web = { 'api/go.mod': 'module example.org/api\n\ngo 1.22\n', 'api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' };
    const agent = { 'agent/go.mod': 'module example.org/agent\n\ngo 1.22\n', 'agent/main.go': 'package main\n\nfunc main() {}\n', 'agent/agent.service': unit };
    expect(analyzeRepository(snapshot({ ...web, ...agent })).monorepo?.chosen).not.toBe('agent');
  });

  it('an installer CLI beside the server module: the module with the unit is the app', () => {
    expect(analyzeRepository(snapshot(files)).monorepo?.chosen, 'without the unit').not.toBe('meet-server');
    const a = analyzeRepository(snapshot({ ...files, 'meet-server/src/main/assembly/meet.service': unit }));
    expect(a.monorepo?.chosen).toBe('meet-server');
    expect(a.evidence.find((e) => e.fact === 'monorepo app meet-server')?.source).toBe('rule:systemd-unit-runs-app (meet-server/src/main/assembly/meet.service:5)');
  });
});

describe('a folder holding only an image recipe is a variant of the app\'s image, not an app', () => {
  const backend = {
    'backend/setup.py': "from setuptools import setup\nsetup(name='collab', install_requires=['pyramid'])\n",
    'backend/collab/app.py': 'from pyramid.config import Configurator\n\ndef main(global_config, **settings):\n    return Configurator(settings=settings).make_wsgi_app()\n',
    'backend/Dockerfile': 'FROM python:3.11\nCOPY . /app\nRUN pip install /app\nEXPOSE 8080\nCMD ["pserve", "/app/production.ini"]\n',
  };
  const variant = (name: string) => ({
    [`tools_docker/${name}/Dockerfile`]: 'FROM debian:bookworm\nCOPY clone_repo.sh /clone_repo.sh\nRUN /clone_repo.sh\nCMD ["/entrypoint.sh"]\n',
    [`tools_docker/${name}/clone_repo.sh`]: '#!/bin/sh\ngit clone https://example.org/collab.git /collab\n',
    [`tools_docker/${name}/uwsgi.ini.sample`]: '[uwsgi]\nhttp-socket = :8080\n',
  });

  it('Debian and ARM image folders beside the backend do not make the repository hold three apps', () => {
    const a = analyzeRepository(snapshot({ ...backend, ...variant('Debian_Uwsgi'), ...variant('Debian_Uwsgi_ARM64') }));
    expect(a.monorepo?.candidates).toEqual(['backend']);
    expect(a.kind).not.toBe('unknown');
  });

  it('a folder of static pages or C code with a Dockerfile is no recipe (controls)', () => {
    const site = { 'site/Dockerfile': 'FROM nginx\nCOPY . /usr/share/nginx/html\n', 'site/index.html': '<!doctype html><p>hi</p>\n' };
    expect(analyzeRepository(snapshot({ ...backend, ...site })).monorepo?.candidates).toContain('site');
  });

  it('a folder with code of its own beside them is still an app (control)', () => {
    const a = analyzeRepository(snapshot({ ...backend, ...variant('Debian_Uwsgi'), 'worker/main.go': 'package main\n\nfunc main() {}\n', 'worker/go.mod': 'module example.org/worker\n\ngo 1.22\n' }));
    expect(a.monorepo?.candidates).toEqual(['backend', 'worker']);
  });
});

describe('a package.json of test tooling only says nothing of the app', () => {
  const pkg = JSON.stringify({ name: 'family-tree', version: '1.0.0', main: 'index.js', scripts: { test: 'jest' }, devDependencies: { jest: '^30.0.0' } });
  const site = { 'index.html': '<!doctype html><html><body><script src="js/app.js"></script></body></html>\n', 'js/app.js': 'document.title = "tree";\n', 'tests/app.test.js': 'test("x", () => {});\n' };

  it('a plain HTML app whose package.json only runs jest (its "main" names no file) is static files, not a library', () => {
    const a = analyzeRepository(snapshot({ ...site, 'package.json': pkg }));
    expect(a.kind).toBe('static');
  });

  it('with the main file present, or a main under a build folder, it stays a library (controls)', () => {
    expect(analyzeRepository(snapshot({ ...site, 'package.json': pkg, 'index.js': 'module.exports = {};\n' })).kind).toBe('library');
    expect(analyzeRepository(snapshot({ ...site, 'package.json': pkg.replace('"index.js"', '"dist/index.js"') })).kind).toBe('library');
  });
});

describe('a root CI folder\'s image is not how the app is packaged', () => {
  const goApp = { 'go.mod': 'module github.com/org/relay\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' };

  it('ci/Dockerfile and hack/Dockerfile running the checks list no dockerfile platform', () => {
    for (const dir of ['ci', 'hack']) {
      const a = analyzeRepository(snapshot({ ...goApp, [`${dir}/Dockerfile`]: 'FROM golang:1.22\nCOPY . .\nCMD ["make", "test"]\n' }));
      expect(a.platforms?.map((p) => p.kind) ?? [], dir).not.toContain('dockerfile');
    }
  });

  it('the release image a CI folder builds still is (control)', () => {
    const a = analyzeRepository(snapshot({ ...goApp, 'ci/Dockerfile': 'FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /relay .\n\nFROM gcr.io/distroless/base\nCOPY --from=build /relay /relay\nCMD ["/relay"]\n' }));
    expect(a.platforms?.map((p) => [p.kind, p.source])).toContainEqual(['dockerfile', 'ci/Dockerfile']);
  });
});

describe('an unpackaged Python project\'s one entry script starts it', () => {
  const main = 'import sys\n\n\ndef run():\n    print("serving")\n\n\nif __name__ == "__main__":\n    run()\n';
  const project = { 'requirements.txt': 'requests==2.32.0\n', 'subtitles.py': main, 'subtitles/__init__.py': '', 'frontend/package.json': JSON.stringify({ name: 'ui', scripts: { build: 'vite build', start: 'vite' }, devDependencies: { vite: '^5.0.0' } }), 'frontend/index.html': '<!doctype html><div id="app"></div>\n' };

  it('requirements.txt and subtitles.py with a __main__ guard: the root is the app (not its front-end folder), started by that script', () => {
    const a = analyzeRepository(snapshot(project));
    expect(a.language).toBe('python');
    expect(a.startCommand).toBe('python subtitles.py');
    expect(a.evidence).toContainEqual({ fact: 'startCommand python subtitles.py', source: 'subtitles.py:8' });
  });

  it('a Go program with a helper Python script is still a Go program (control)', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': 'module example.org/relay\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n', 'requirements.txt': 'jinja2==3.1.0\n', 'gen_config.py': main, 'render.py': main }));
    expect(a.language).toBe('go');
    const one = analyzeRepository(snapshot({ 'go.mod': 'module example.org/relay\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n', 'requirements.txt': 'jinja2==3.1.0\n', 'render.py': main }));
    expect(one.language).toBe('go');
    expect(one.startCommand).not.toBe('python render.py');
  });

  it('two such scripts, a tooling script, or a packaged project name no entry (controls)', () => {
    expect(analyzeRepository(snapshot({ ...project, 'worker.py': main })).startCommand ?? null).toBeNull();
    expect(analyzeRepository(snapshot({ ...project, 'run_tests.py': main, 'example_client.py': main })).startCommand, 'tooling scripts beside it').toBe('python subtitles.py');
    const { 'subtitles.py': _drop, ...rest } = project;
    expect(analyzeRepository(snapshot({ ...rest, 'setup.py': `from setuptools import setup\nsetup(name='x')\n${main}` })).startCommand ?? null).toBeNull();
    expect(analyzeRepository(snapshot({ ...project, 'pyproject.toml': '[project]\nname = "subtitles"\nversion = "1.0"\n' })).kind).toBe('library');
  });
});

describe('an operations or packaging tree\'s docker/ folder holds the app\'s image', () => {
  const pom = '<project><groupId>io.diagrams</groupId><artifactId>gateway</artifactId><dependencies><dependency><groupId>io.vertx</groupId><artifactId>vertx-web</artifactId></dependency></dependencies></project>';
  const image = 'FROM eclipse-temurin:21-jre\nCOPY target/gateway.jar /app/gateway.jar\nEXPOSE 8000\nCMD ["java", "-jar", "/app/gateway.jar"]\n';
  const module = { 'pom.xml': pom, 'src/main/java/io/diagrams/Server.java': 'package io.diagrams;\n\npublic class Server {\n  public static void main(String[] args) {}\n}\n' };

  it('a Vert.x module with ops/docker/Dockerfile (or packaging/docker/) is a web app on the image\'s port, not a library', () => {
    for (const dir of ['ops', 'packaging']) {
      const a = analyzeRepository(snapshot({ ...module, [`${dir}/docker/Dockerfile`]: image }));
      expect([a.kind, a.port], dir).toEqual(['web', 8000]);
    }
  });

  it('a tools/docker/ image is not looked for there (control)', () => {
    expect(analyzeRepository(snapshot({ ...module, 'tools/docker/Dockerfile': image })).kind).toBe('library');
  });
});

describe('a JSON file written under a temp folder is scratch, not records', () => {
  const server = (path: string) => ({
    'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node index.js' }, dependencies: { express: '^4.19.0' } }),
    'index.js': "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
    'tasks.js': `const fs = require('fs');\nexports.exportAssets = async (tmpTaskFolder, os, assets) => {\n  fs.writeFileSync(\`${path}\`, JSON.stringify(assets));\n};\n`,
  });

  it('`${tmpTaskFolder}/assets.json` and `${os.tmpdir()}/export.json` are no local state', () => {
    for (const path of ['${tmpTaskFolder}/assets.json', '${os.tmpdir()}/export.json', '${TEMP_DIR}/assets.json']) {
      expect(analyzeRepository(snapshot(server(path))).localState ?? [], path).toEqual([]);
    }
  });

  it('a data folder, or a name that only starts like one (`${temperatureDir}`), still is (controls)', () => {
    for (const path of ['${dataDir}/assets.json', '${temperatureDir}/readings.json']) {
      expect(analyzeRepository(snapshot(server(path))).localState?.map((s) => s.name), path).toEqual([`data kept in a JSON file (${path})`]);
    }
  });
});

describe('an express server that only serves the repository\'s files leaves static files', () => {
  const pkg = JSON.stringify({ name: 'game', private: true, scripts: { start: 'node dev-server.js' }, dependencies: { express: '^4.17.1' } });
  const server = "import express from 'express';\n\nconst app = express();\napp.use(express.static('.'));\n\napp.listen(8080);\n";
  const site = { 'package.json': pkg, 'index.html': '<!doctype html><script src="script/engine.js"></script>\n', 'script/engine.js': 'var Engine = {};\n' };

  it('`npm start` runs app.use(express.static(\'.\')) and nothing else: kind static, no framework', () => {
    const a = analyzeRepository(snapshot({ ...site, 'dev-server.js': server }));
    expect([a.kind, a.framework]).toEqual(['static', null]);
    expect(a.evidence).toContainEqual({ fact: 'serves only static files', source: 'dev-server.js:4' });
  });

  it('a route, a proxy or a module of its own makes it a server (controls)', () => {
    const variants = [
      server.replace('app.listen', "app.post('/score', (req, res) => res.json({}));\napp.listen"),
      server.replace('app.listen', "app.use('/api', createProxyMiddleware({ target: 'http://api' }));\napp.listen"),
      server.replace("import express from 'express';", "import express from 'express';\nimport { scores } from './scores.js';"),
    ];
    for (const text of variants) expect(analyzeRepository(snapshot({ ...site, 'dev-server.js': text })).kind, text).toBe('web');
  });
});

describe('a Django model file field written over several lines keeps uploads on local disk', () => {
  const django = {
    'requirements.txt': 'Django==5.0.6\ngunicorn==22.0.0\n',
    'manage.py': "import os\nimport sys\n\nif __name__ == '__main__':\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'crm.settings')\n",
    'crm/settings.py': "INSTALLED_APPS = ['crm']\nMEDIA_ROOT = BASE_DIR / 'media'\n",
  };

  it('models.ImageField( with upload_to= on a later line, and no storage setting, stores in the default FileSystemStorage', () => {
    const a = analyzeRepository(snapshot({ ...django, 'crm/models.py': "from django.db import models\n\n\nclass Company(models.Model):\n    logo = models.ImageField(\n        blank=True, null=True,\n        upload_to='company_logos/%Y/',\n    )\n" }));
    expect(a.localState?.map((s) => [s.name, s.source])).toEqual([['uploads on local disk (Django default FileSystemStorage)', 'crm/models.py:5']]);
  });

  it('a form\'s or serializer\'s FileField stores nothing (controls)', () => {
    for (const field of ['forms.FileField(', 'serializers.ImageField(']) {
      const a = analyzeRepository(snapshot({ ...django, 'crm/forms.py': `from django import forms\n\n\nclass Upload(forms.Form):\n    file = ${field}\n        label='Your Excel file',\n    )\n` }));
      expect(a.localState ?? [], field).toEqual([]);
    }
  });
});
