// Shapes from the round-47 dev cases and from dev cases whose services, stores or ports the engine still misread.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { findCompose } from '../function/src/analysis/docker.js';
import { subSnapshot } from '../function/src/analysis/monorepo.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const deployment = (name: string, image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image}\n`;

describe('Kubernetes manifests of an example are not the app\'s services', () => {
  const go = { 'go.mod': 'module example.org/registry\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":5000", nil) }\n', Dockerfile: 'FROM golang:1.22\nCOPY . .\nRUN go build -o /registry\nEXPOSE 5000\nCMD ["/registry"]\n' };
  const manifests = (dir: string) => ({ [`${dir}/metrics/minimal/deployment.yaml`]: deployment('registry-minimal', 'registry-minimal:latest'), [`${dir}/metrics/extended/deployment.yaml`]: deployment('registry-extended', 'registry-extended:latest') });

  it('two Deployments under examples/ deploy a demo: neither counts, and the app stays one service', () => {
    const a = analyzeRepository(snapshot({ ...go, ...manifests('examples') }));
    expect(a.services ?? []).toEqual([]);
    expect(a.platforms?.map((p) => p.kind)).not.toContain('k8s');
  });

  it('the same Deployments under deploy/ are the app\'s own manifests (control)', () => {
    const a = analyzeRepository(snapshot({ ...go, ...manifests('deploy') }));
    expect(a.services?.map((s) => s.name)).toEqual(['registry-extended', 'registry-minimal']);
  });
});

describe('a pulled image named like a folder of its configuration is not built here', () => {
  const compose = (image: string): string =>
    `services:\n  backend:\n    build: ./backend\n  frontend:\n    build: ./frontend\n  keycloak:\n    image: ${image}\n    command: start-dev\n`;
  const files = {
    'backend/Dockerfile': 'FROM node:22\nCOPY . .\nCMD ["node", "server.js"]\n',
    'backend/package.json': '{"name":"backend","dependencies":{"express":"4.21.0"}}',
    'backend/server.js': "require('express')().listen(8080);\n",
    'frontend/Dockerfile': 'FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n',
    'frontend/package.json': '{"name":"frontend","scripts":{"build":"vite build"},"devDependencies":{"vite":"5.4.0"}}',
    'keycloak/realm-config/realm.json': '{"realm":"app"}',
    'keycloak/themes/login/theme.properties': 'parent=keycloak\n',
    'keycloak/themes/entrypoint.sh': '#!/bin/sh\nexec /opt/keycloak/bin/kc.sh "$@"\n',
  };
  const names = (f: Record<string, string>, image: string): string[] => {
    const s = snapshot({ ...f, 'docker-compose.yml': compose(image) });
    return firstPartyServices(s, findCompose(s)).map((x) => x.name);
  };

  it('quay.io/keycloak/keycloak beside keycloak/ of realm JSON and themes runs the vendor\'s image', () => {
    expect(names(files, 'quay.io/keycloak/keycloak:26.5')).toEqual(['backend', 'frontend']);
  });

  it('an image named after a folder holding code is still the repository\'s own (control)', () => {
    const withCode = { ...files, 'keycloak/package.json': '{"name":"keycloak-theme"}', 'keycloak/index.js': 'module.exports = {};\n' };
    expect(names(withCode, 'org/app-keycloak:1.0')).toEqual(['backend', 'frontend', 'keycloak']);
  });
});

describe('in one app folder, a compose build from another folder is not the app\'s service', () => {
  const repo = {
    'backend/setup.py': "from setuptools import setup\nsetup(name='collab')\n",
    'backend/requirements.txt': 'pyramid==2.0\n',
    'backend/collab/app.py': 'from pyramid.config import Configurator\n',
    'backend/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["pserve", "production.ini"]\n',
    'tools_docker/search/Dockerfile': 'FROM elasticsearch:7.16.1\nRUN bin/elasticsearch-plugin install --batch ingest-attachment\n',
    'tools_docker/pushpin/Dockerfile': 'FROM debian:bookworm\nRUN apt-get update && apt-get install -y pushpin\nCMD ["pushpin"]\n',
  };
  const services = (compose: string): string[] => {
    const s = subSnapshot(snapshot({ ...repo, 'backend/docker-compose.yml': compose }), 'backend');
    return firstPartyServices(s, findCompose(s)).map((x) => x.name);
  };

  it('backend/docker-compose.yml building ../tools_docker/pushpin and ../tools_docker/search counts neither', () => {
    expect(services('services:\n  pushpin:\n    build: ../tools_docker/pushpin\n  search:\n    build: ../tools_docker/search\n  db:\n    image: postgres:16\n')).toEqual([]);
  });

  it('the folder\'s own image built with the repository root as context stays the app (control)', () => {
    expect(services('services:\n  web:\n    build:\n      context: ..\n      dockerfile: backend/Dockerfile\n  db:\n    image: postgres:16\n')).toEqual(['web']);
  });
});

describe('Jib\'s container block is the image\'s EXPOSE, VOLUME and command', () => {
  const jib = `<plugin><groupId>com.google.cloud.tools</groupId><artifactId>jib-maven-plugin</artifactId><configuration><container>
    <mainClass>org.trips.Main</mainClass>
    <entrypoint>/docker-entrypoint.sh</entrypoint>
    <volumes>
      <volume>
        /var/trips/
      </volume>
    </volumes>
    <ports><port>8080</port><port>8081</port></ports>
  </container></configuration></plugin>`;
  const root = (plugins: string) =>
    `<project><groupId>org.trips</groupId><artifactId>trips-parent</artifactId><packaging>pom</packaging><modules><module>application</module><module>utils</module></modules><build><plugins>${plugins}</plugins></build></project>`;
  const files = {
    'application/pom.xml': '<project><artifactId>application</artifactId><dependencies><dependency><groupId>org.glassfish.grizzly</groupId><artifactId>grizzly-http-server</artifactId></dependency></dependencies></project>',
    'application/src/main/java/org/trips/Main.java': 'package org.trips;\n\npublic class Main { public static void main(String[] args) { Server.run(); } }\n',
    'utils/pom.xml': '<project><artifactId>utils</artifactId></project>',
    'utils/src/main/java/org/trips/Strings.java': 'package org.trips;\n\npublic class Strings {}\n',
    'client/package.json': '{"name":"debug-client","scripts":{"build":"vite build","dev":"vite"},"devDependencies":{"vite":"8.0.1"},"dependencies":{"react":"19.0.0"}}',
    'client/index.html': '<div id="root"></div>\n',
  };

  it('a reactor whose root pom has Jib build the image is the app: Java, a web port, its data volume, not the client/ front end', () => {
    const a = analyzeRepository(snapshot({ ...files, 'pom.xml': root(jib) }));
    expect(a.language).toBe('java');
    expect(a.kind).toBe('web');
    expect(a.port).toBe(8080);
    expect(a.startCommand).toBe('/docker-entrypoint.sh');
    expect(a.evidence).toContainEqual({ fact: 'local state: data volume /var/trips', source: expect.stringMatching(/^pom\.xml:\d+$/) });
  });

  it('without Jib the reactor has no image and its one app folder, the front end, is chosen (control)', () => {
    expect(analyzeRepository(snapshot({ ...files, 'pom.xml': root('') })).language).toBe('node');
  });
});

describe('a root start script handed over through another script runs that workspace package', () => {
  const pkg = (start: string) =>
    JSON.stringify({ name: 'mindmaps', private: false, scripts: { start, 'start:prod': 'pnpm --filter mindmaps-backend run start:prod', dev: 'pnpm --filter mindmaps-frontend start' }, devDependencies: { typescript: '5.9.3' } });
  const files = {
    'pnpm-workspace.yaml': "packages:\n  - 'mindmaps-backend'\n  - 'mindmaps-frontend'\n",
    'mindmaps-backend/package.json': JSON.stringify({ name: 'mindmaps-backend', scripts: { 'start:prod': 'node dist/main' }, dependencies: { '@nestjs/core': '11.1.19', '@nestjs/platform-express': '11.1.19', pg: '8.16.0' } }),
    'mindmaps-backend/src/main.ts': "import { NestFactory } from '@nestjs/core';\n",
    'mindmaps-frontend/package.json': JSON.stringify({ name: 'mindmaps-frontend', scripts: { start: 'ng serve' }, dependencies: { '@angular/core': '20.0.0' } }),
    Dockerfile: 'FROM node:22\nCOPY . .\nRUN pnpm install && pnpm run build\nCMD ["pnpm", "start"]\n',
  };

  it('"start": "pnpm run start:prod" whose start:prod filters mindmaps-backend: NestJS is the framework', () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': pkg('pnpm run start:prod') }));
    expect(a.framework).toBe('nestjs');
    expect(a.kind).toBe('web');
  });

  it('a start script that runs a script of its own doing something else hands over nothing (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': pkg('pnpm run serve').replace('"dev":', '"serve":"node tools/serve.js","dev":') }));
    expect(a.framework).toBeNull();
  });
});

describe('a Python app the deployment points at SQLite', () => {
  const files = {
    'requirements.txt': 'Django==3.0.2\ndj-database-url==0.5.0\npsycopg2-binary==2.9.9\nredis==5.0.0\ncelery==5.3.0\n',
    'manage.py': 'import django\n',
    'app/settings.py': "import dj_database_url\nDATABASES = {'default': dj_database_url.config(default='sqlite:///db.sqlite3')}\n",
    Dockerfile: 'FROM python:3.12\nCOPY . .\nEXPOSE 80\nCMD ["uvicorn", "app.asgi:application", "--port", "80"]\n',
  };
  const compose = (url: string) =>
    `services:\n  app:\n    build: .\n    environment:\n      DATABASE_URL: "${url}"\n      REDIS_HOST: redis\n    volumes:\n      - app-db:/app-db\n  redis:\n    image: redis\nvolumes:\n  app-db:\n`;

  it('compose\'s DATABASE_URL=sqlite:////app-db/db.sqlite3 makes the psycopg2 driver an option and the state a local file', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('sqlite:////app-db/db.sqlite3') }));
    expect(a.stateful).not.toContain('postgres');
    expect(a.evidence.some((e) => e.fact.startsWith('local state: SQLite'))).toBe(true);
  });

  it('compose pointing DATABASE_URL at a Postgres server keeps postgres (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('postgres://app@db/app') }));
    expect(a.stateful).toContain('postgres');
  });
});

describe('.NET ports', () => {
  const host = {
    'src/App.Console/App.Console.csproj': '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>',
    'src/App.Hub/App.Hub.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><OutputType>Library</OutputType><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>',
    'src/App.Hub/Properties/launchSettings.json': '{"profiles":{"App.Hub":{"commandName":"Project","applicationUrl":"http://localhost:5000"}}}',
    'src/App.Core/Configuration/ConfigFileProvider.cs': 'namespace App.Core;\n\npublic class ConfigFileProvider\n{\n    public int Port => _options.Port ?? GetValueInt("Port", 8686);\n}\n',
  };

  it('a setting read with its default, GetValueInt("Port", 8686), is the port; a class library\'s launchSettings is not', () => {
    expect(analyzeRepository(snapshot(host)).port).toBe(8686);
  });

  it('the launchSettings of a runnable web project still counts first (control)', () => {
    const runnable = { ...host, 'src/App.Hub/App.Hub.csproj': host['src/App.Hub/App.Hub.csproj'].replace('<OutputType>Library</OutputType>', '') };
    expect(analyzeRepository(snapshot(runnable)).port).toBe(5000);
  });
});

describe('Dropwizard', () => {
  it('an app on dropwizard-core serves HTTP with Dropwizard', () => {
    const pom = '<project><artifactId>routing-web</artifactId><dependencies><dependency><groupId>io.dropwizard</groupId><artifactId>dropwizard-core</artifactId></dependency></dependencies></project>';
    const a = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/java/org/routing/Application.java': 'package org.routing;\n\npublic class Application {}\n' }));
    expect(a.framework).toBe('dropwizard');
    expect(a.kind).toBe('web');
  });
});
