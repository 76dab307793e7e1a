// Shapes from the round-35 dev cases and the dev misses left before them: a system of apps (compose building a server and a
// client from their folders, nothing at the root) whose port and start command the root reading took from one image.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a system of a server and a client whose port comes from the server image', () => {
  const files = (serverImage: string) => ({
    'docker-compose.yml': ['services:', '  backend:', '    build:', '      context: .', '      dockerfile: server/Dockerfile', '    ports: ["3001:3001"]', '    depends_on: [postgres]', '  client:', '    build:', '      context: .', '      dockerfile: client/Dockerfile', '    ports: ["3002:3002"]', '  postgres:', '    image: postgres:17', ''].join('\n'),
    'server/Dockerfile': serverImage,
    'server/package.json': '{"name": "server", "scripts": {"start": "node dist/index.js"}, "dependencies": {"fastify": "^5.0.0", "pg": "^8.0.0"}}\n',
    'server/src/index.ts': 'import Fastify from "fastify";\nconst app = Fastify();\napp.listen({ port: 3001, host: "0.0.0.0" });\n',
    'client/Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY client/ .\nRUN npm ci && npm run build\nEXPOSE 3002\nCMD ["npm", "start"]\n',
    'client/package.json': '{"name": "client", "scripts": {"start": "next start -p 3002", "build": "next build"}, "dependencies": {"next": "^15.0.0", "react": "^19.0.0"}}\n',
  });
  const server = ['FROM node:20-alpine', 'WORKDIR /app', 'COPY server/ .', 'RUN npm ci && npm run build', 'COPY server/docker-entrypoint.sh /docker-entrypoint.sh', 'EXPOSE 3001', 'ENTRYPOINT ["/docker-entrypoint.sh"]', 'CMD ["node", "dist/index.js"]', ''].join('\n');

  it('runs the command of the image its port was read from', () => {
    expect(analyzeRepository(snapshot(files(server)))).toMatchObject({ kind: 'web', port: 3001, startCommand: '/docker-entrypoint.sh node dist/index.js' });
  });

  it('keeps no command when the port was read elsewhere than that image (control)', () => {
    const noExpose = server.replace('EXPOSE 3001\n', '');
    expect(analyzeRepository(snapshot(files(noExpose))).startCommand).toBeUndefined();
  });
});

describe('a Next.js workspace whose image script runs the API in the background and the dashboard in the foreground', () => {
  const entry = (api: string) => ['#!/bin/sh', 'npx prisma migrate deploy', api, 'cd packages/dashboard', 'npx next start -p 5000 -H 0.0.0.0', ''].join('\n');
  const files = (api: string) => ({
    'package.json': '{"name": "mail", "private": true, "workspaces": ["packages/*"]}\n',
    'packages/api/package.json': '{"name": "@m/api", "scripts": {"start": "node ./dist/app.js"}, "dependencies": {"express": "^4.19.2", "node-cron": "^3.0.0"}}\n',
    'packages/dashboard/package.json': '{"name": "@m/dashboard", "scripts": {"start": "next start"}, "dependencies": {"next": "14.2.5", "react": "^18.0.0"}}\n',
    'deployment/entry.sh': entry(api),
    Dockerfile: ['FROM node:20-alpine', 'WORKDIR /app', 'COPY . .', 'RUN yarn install && yarn workspace @m/api build && yarn workspace @m/dashboard build', 'COPY deployment/entry.sh /app/', 'EXPOSE 3000 4000 5000', 'CMD ["sh", "/app/entry.sh"]', ''].join('\n'),
  });

  it('is a container of several programs, not a Next.js function', () => {
    expect(analyzeRepository(snapshot(files('nginx &\nnode packages/api/app.js &'))).serverlessAdapter).toBeUndefined();
  });

  it('keeps the Next.js function target when the script only backgrounds the server to wait on it (control)', () => {
    const waits = { ...files('npx prisma db seed'), 'deployment/entry.sh': '#!/bin/sh\ncd packages/dashboard\nnpx next start -p 5000 &\nPID=$!\ntrap "kill $PID" TERM\nwait $PID\n' };
    expect(analyzeRepository(snapshot(waits)).serverlessAdapter?.name).toBe('Next.js function target');
  });

  it('keeps the Next.js function target when the script starts the dashboard alone (control)', () => {
    expect(analyzeRepository(snapshot(files('npx prisma db seed && echo seeded'))).serverlessAdapter?.name).toBe('Next.js function target');
  });
});

describe('a Python project declaring Flask and FastAPI whose server command serves the Flask app', () => {
  const files = (target: string) => ({
    'pyproject.toml': '[project]\nname = "events"\ndependencies = ["flask==1.1.2", "fastapi>=0.95", "gunicorn", "psycopg2-binary"]\n',
    'app/instance.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
    'app/asgi.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
    'scripts/container_start.sh': `#!/bin/sh\nexport PORT=\${PORT:-8080}\ngunicorn -b 0.0.0.0:\${PORT} ${target} -w 4\n`,
    Dockerfile: 'FROM python:3.11\nCOPY . .\nEXPOSE 8080\nCMD ["sh", "scripts/container_start.sh"]\n',
  });

  it('runs Flask, whose app object gunicorn serves', () => {
    expect(analyzeRepository(snapshot(files('app.instance:app')))).toMatchObject({ kind: 'web', framework: 'flask', port: 8080 });
  });

  it('runs FastAPI when the server serves the FastAPI object (control)', () => {
    expect(analyzeRepository(snapshot(files('-k uvicorn.workers.UvicornWorker app.asgi:app'))).framework).toBe('fastapi');
  });
});

describe('stores compose runs beside the app, and a time-series client', () => {
  const compose = (image: string) => ['services:', '  app:', '    build: .', '    ports: ["3000:3000"]', '  store:', `    image: ${image}`, ''].join('\n');
  const app = { 'package.json': '{"name": "a", "scripts": {"start": "node index.js"}, "dependencies": {"express": "^4.0.0"}}\n', 'index.js': 'require("express")().listen(3000);\n', Dockerfile: 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n' };

  it('lists the ClickHouse, Meilisearch and InfluxDB servers compose runs', () => {
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('clickhouse/clickhouse-server:25.4') })).stateful).toEqual(['clickhouse']);
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('getmeili/meilisearch:v1.10') })).stateful).toEqual(['meilisearch']);
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('influxdb:2.8') })).stateful).toEqual(['influxdb']);
  });

  it('does not list memcached, a cache the app runs without (control)', () => {
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('memcached:1.6') })).stateful).toEqual([]);
  });

  it('lists InfluxDB for a Go app using its client', () => {
    const go = { 'go.mod': 'module example.com/m\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/influxdata/influxdb-client-go/v2 v2.14.0\n)\n', 'main.go': 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() { gin.Default().Run(":8080") }\n' };
    expect(analyzeRepository(snapshot(go)).stateful).toEqual(['influxdb']);
  });
});

describe('a compose system pulling the images of its git submodules, beside one app folder it does not run', () => {
  const files = (gitmodules: string) => ({
    '.gitmodules': gitmodules,
    'docker-compose.yml': ['services:', '  db:', '    image: postgres:15', '  api:', '    image: acme/api:v1.50.0', '    command: ["./scripts/start.api.sh"]', '    ports: ["3000:3000"]', '  api-worker:', '    image: acme/api:v1.50.0', '    command: ["./scripts/start.worker.sh"]', '  front:', '    image: acme/front:v1.50.0', '    ports: ["80:80"]', ''].join('\n'),
    'events-processor/go.mod': 'module github.com/acme/billing/events-processor\n\ngo 1.22\n',
    'events-processor/main.go': 'package main\n\nfunc main() { for { consume() } }\n\nfunc consume() {}\n',
    'docker/Dockerfile': 'FROM ruby:3.3\nCOPY api /app/api\nEXPOSE 80\nCMD ["./runner.sh"]\n',
  });

  it('is a system of the submodules\' services, not the one folder it does not run', () => {
    const a = analyzeRepository(snapshot(files('[submodule "api"]\n\tpath = api\n\turl = git@github.com:acme/billing-api.git\n[submodule "front"]\n\tpath = front\n\turl = git@github.com:acme/billing-front.git\n')));
    expect(a.services?.map((s) => s.name)).toEqual(['api', 'api-worker', 'front']);
    expect(a).toMatchObject({ kind: 'web', language: 'ruby' });
  });

  it('counts no service of a vendored submodule a folder deeper (control)', () => {
    expect(analyzeRepository(snapshot(files('[submodule "third_party/api"]\n\tpath = third_party/api\n\turl = https://github.com/other/api.git\n'))).services ?? []).toEqual([]);
  });

  it('counts no service of images that no folder or submodule of the repository is named for (control)', () => {
    expect(analyzeRepository(snapshot(files(''))).services ?? []).toEqual([]);
  });
});

describe('a docker folder holding a development build and a production one', () => {
  const files = (prod: string) => ({
    'requirements.txt': 'Django==4.2\ngunicorn==21.2\npsycopg2-binary==2.9\n',
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "photos.web.settings")\n',
    'docker/Dockerfile.dev': 'FROM python:3.11\nCOPY . .\nEXPOSE 8000\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
    [`docker/${prod}`]: 'FROM python:3.11\nCOPY . .\nEXPOSE 80\nCMD ["./system/run.sh"]\n',
  });

  it('ships the production build: its port and command are the app\'s', () => {
    expect(analyzeRepository(snapshot(files('Dockerfile.prd')))).toMatchObject({ port: 80, startCommand: './system/run.sh' });
  });

  it('does not pick a side image (nginx) beside the development build (control)', () => {
    expect(analyzeRepository(snapshot(files('Dockerfile.nginx'))).startCommand).not.toBe('./system/run.sh');
  });

  it('does not pick a test build beside the development one (control)', () => {
    expect(analyzeRepository(snapshot(files('Dockerfile.test'))).startCommand).not.toBe('./system/run.sh');
  });
});

describe('a workspace whose image runs the binary a rust stage builds from a package folder that also holds a package.json', () => {
  const image = (entry: string) => ['FROM node:24-alpine AS client', 'WORKDIR /tmp', 'COPY . .', 'RUN pnpm install && pnpm run build', 'FROM rust:1.95-alpine AS backend', 'WORKDIR /tmp', 'COPY ./packages/backend ./', 'RUN cargo build --release', 'FROM alpine:3', 'WORKDIR /app', 'COPY --from=backend /tmp/target/release/notes .', 'COPY --from=client /tmp/packages/frontend/build ./frontend', 'EXPOSE 8000', `ENTRYPOINT [ "${entry}" ]`, ''].join('\n');
  const files = (entry: string) => ({
    'package.json': '{"private": true, "scripts": {"build": "pnpm run --recursive build"}}\n',
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    'packages/frontend/package.json': '{"name": "@n/frontend", "scripts": {"build": "vite build"}, "devDependencies": {"@sveltejs/kit": "^2.61.1", "@sveltejs/adapter-static": "^3.0.0", "vite": "^7.0.0"}}\n',
    'packages/backend/package.json': '{"name": "@n/backend", "scripts": {"dev": "cargo watch -x run", "build": "cargo build --release"}}\n',
    'packages/backend/Cargo.toml': '[package]\nname = "notes"\nversion = "1.0.0"\n\n[dependencies]\naxum = "0.8"\ntokio = { version = "1", features = ["full"] }\nredis = "0.27"\n',
    'packages/backend/src/main.rs': 'fn main() {}\n',
    Dockerfile: image(entry),
  });

  it('is the rust server the image runs, not the SvelteKit front-end it serves', () => {
    const a = analyzeRepository(snapshot(files('/app/notes')));
    expect(a).toMatchObject({ language: 'rust', framework: 'axum', port: 8000 });
    expect(a.serverlessAdapter).toBeUndefined();
  });

  it('stays the workspace when the command is not the rust stage\'s binary (control)', () => {
    expect(analyzeRepository(snapshot(files('/app/frontend/serve'))).language).toBe('node');
  });
});

describe('a Gradle multi-project whose own Kubernetes manifests deploy its services, with no Dockerfile at the root', () => {
  const deployment = (name: string) => ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, 'spec:', '  template:', '    spec:', '      containers:', `        - name: ${name}`, `          image: acme/${name}:latest`, '          ports:', '            - containerPort: 8080', ''].join('\n');
  const files = (manifests: boolean) => ({
    'settings.gradle': "include 'customer-service', 'order-service'\n",
    'build.gradle': "plugins { id 'java-library' }\ngroup = 'io.acme'\n",
    'customer-service/build.gradle': "plugins { id 'java' }\n",
    ...(manifests ? { 'deployment/kubernetes/customer-service.yaml': deployment('customer-service'), 'deployment/kubernetes/order-service.yaml': deployment('order-service') } : {}),
  });

  it('is not a library: its manifests deploy it', () => {
    expect(analyzeRepository(snapshot(files(true))).kind).not.toBe('library');
  });

  it('is a library with no manifests and no Dockerfile (control)', () => {
    expect(analyzeRepository(snapshot(files(false))).kind).toBe('library');
  });
});

describe('a production compose file kept in the docker folder', () => {
  const files = (name: string) => ({
    'backend/pyproject.toml': '[project]\nname = "labels"\ndependencies = ["django>=4.2", "celery", "psycopg2-binary"]\n',
    'backend/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n',
    'frontend/package.json': '{"name": "frontend", "scripts": {"build": "nuxt generate"}, "dependencies": {"nuxt": "^2.15.0"}}\n',
    'docker/Dockerfile': 'FROM python:3.11\nCOPY backend /backend\nEXPOSE 8000\nCMD ["/backend/run.sh"]\n',
    [`docker/${name}`]: ['services:', '  backend:', '    image: acme/backend:1.0', '  celery:', '    image: acme/backend:1.0', '    entrypoint: ["/opt/bin/prod-celery.sh"]', '  nginx:', '    image: acme/frontend:1.0', '    ports: ["80:8080"]', '  rabbitmq:', '    image: rabbitmq:3', '  postgres:', '    image: postgres:15', ''].join('\n'),
  });

  it('is the deployment: its services are counted', () => {
    expect(analyzeRepository(snapshot(files('docker-compose.prod.yml'))).services?.map((s) => s.name)).toEqual(['backend', 'celery', 'nginx']);
  });

  it('leaves a development compose file in that folder unread (control)', () => {
    expect(analyzeRepository(snapshot(files('docker-compose.dev.yml'))).services ?? []).toHaveLength(0);
  });
});
