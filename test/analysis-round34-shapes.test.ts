// Shapes from the round-34 dev cases: one image building a Vue front-end in a node stage and shipping a Python back-end,
// a Flask app declaring only Flask extensions, and a workspace whose root start script runs the client while its image
// ships the server package copied from the build context.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('an image whose node stage builds the front-end and whose python stage ships the back-end', () => {
  const image = (runtime: string) => [
    'FROM node:24-slim AS frontend-build',
    'WORKDIR /tmp/frontend',
    'COPY frontend/app/package*.json ./',
    'RUN npm ci',
    'COPY frontend/app ./',
    'RUN npm run build',
    'FROM python:3.13-alpine AS requirements-stage',
    'WORKDIR /tmp/backend',
    'COPY backend/pyproject.toml backend/poetry.lock* ./',
    'RUN pip install poetry && poetry export -o requirements.txt',
    `FROM ${runtime}`,
    'WORKDIR /app/frontend',
    'COPY --from=frontend-build /tmp/frontend/dist ./dist',
    'WORKDIR /app/backend',
    'COPY --from=requirements-stage /tmp/backend/requirements.txt ./requirements.txt',
    'COPY backend/app ./',
    'EXPOSE 8080',
    'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"]',
    '',
  ].join('\n');
  const files = (runtime: string) => ({
    'docker/Dockerfile': image(runtime),
    'frontend/app/package.json': '{"name": "web", "scripts": {"build": "vite build", "dev": "vite"}, "dependencies": {"vue": "^3.5.0"}, "devDependencies": {"vite": "^7.1.0"}}\n',
    'frontend/app/index.html': '<div id="app"></div>\n',
    'backend/pyproject.toml': '[tool.poetry]\nname = "api"\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = "^3.13"\nfastapi = "^0.121"\nuvicorn = "^0.34"\n',
    'backend/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
  });

  it('is the python app the image runs, not the static front-end it builds', () => {
    expect(analyzeRepository(snapshot(files('python:3.13-alpine')))).toMatchObject({ kind: 'web', language: 'python', framework: 'fastapi', port: 8080 });
  });

  it('stays the front-end when the shipped image is a node one (control)', () => {
    expect(analyzeRepository(snapshot(files('node:24-slim'))).language).toBe('node');
  });
});

describe('a Flask app that declares only Flask extensions', () => {
  const files = (code: string) => ({
    'requirements.txt': 'flask-sqlalchemy==3.1.1\nflask-migrate==4.0.7\ncelery==5.4.0\n',
    'registry/__init__.py': code,
    Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["flask", "run", "--host=0.0.0.0"]\n',
  });

  it('runs Flask, which its code imports: a web app', () => {
    expect(analyzeRepository(snapshot(files('from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n')))).toMatchObject({ kind: 'web', framework: 'flask' });
  });

  it('names no framework when the code only imports from Flask without building an app (an Airflow plugin)', () => {
    expect(analyzeRepository(snapshot(files('from flask import Blueprint\nbp = Blueprint("x", __name__)\n'))).framework).toBeNull();
  });

  it('names no framework when the code does not import Flask (control)', () => {
    expect(analyzeRepository(snapshot(files('import celery\n'))).framework).toBeNull();
  });
});

describe('a workspace whose start script runs the client and whose image ships the server package', () => {
  const files = (serverDeps: string) => ({
    'package.json': '{"name": "snippets", "scripts": {"start": "cd client && npm start"}, "workspaces": ["client", "server"]}\n',
    'client/package.json': '{"name": "client", "scripts": {"start": "react-scripts start"}, "dependencies": {"react": "^18.3.0"}}\n',
    'server/package.json': `{"name": "server", "scripts": {"start": "node src/app.js"}, "dependencies": ${serverDeps}}\n`,
    'server/src/app.js': "const express = require('express');\nexpress().listen(5000);\n",
    Dockerfile: [
      'FROM node:22-alpine AS client-build',
      'WORKDIR /app/client',
      'COPY client/ ./',
      'RUN npm ci && npm run build',
      'FROM node:22-alpine',
      'WORKDIR /app',
      'COPY server/package.json ./',
      'RUN npm install --omit=dev',
      'COPY server/src ./src',
      'COPY --from=client-build /app/client/build /client/build',
      'EXPOSE 5000',
      'CMD ["node", "src/app.js"]',
      '',
    ].join('\n'),
  });

  it("takes the server's framework from the package the image copies in, without the client's dependencies", () => {
    const a = analyzeRepository(snapshot(files('{"express": "^4.21.1"}')));
    expect(a.framework).toBe('express');
    expect(a.dependencies.map((d) => d.name)).not.toContain('react');
  });

  it('matches a copied folder from its start: `packages/api` is not the top-level `api/`', () => {
    const a = analyzeRepository(snapshot({
      ...files('{"zod": "^3.23.0"}'),
      'api/package.json': '{"name": "mock", "dependencies": {"express": "^4.21.1"}}\n',
    }));
    expect(a.framework).toBeNull();
  });

  it('names none when the copied package has no web framework (control)', () => {
    expect(analyzeRepository(snapshot(files('{"lodash": "^4.17.0"}'))).framework).toBeNull();
  });
});

describe('one image serving the same app object under several servers', () => {
  const compose = (second: string) => [
    'services:',
    '  api:',
    '    build: .',
    '    ports: ["8000:8000"]',
    '    command: ["uvicorn", "tiles.main:app", "--host", "0.0.0.0", "--port", "8000"]',
    '  api-gunicorn:',
    '    build: .',
    '    ports: ["8001:8001"]',
    `    command: ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "${second}", "--bind", "0.0.0.0:8001"]`,
    '  worker:',
    '    build: .',
    '    command: ["celery", "-A", "tiles.tasks", "worker"]',
    '',
  ].join('\n');
  const files = (second: string) => ({
    'requirements.txt': 'fastapi==0.115.0\nuvicorn\ngunicorn\ncelery\n',
    'tiles/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["uvicorn", "tiles.main:app"]\n',
    'docker-compose.yml': compose(second),
  });

  it('is one service run two ways, beside its worker', () => {
    expect(analyzeRepository(snapshot(files('tiles.main:app'))).services?.map((s) => s.name)).toEqual(['api', 'worker']);
  });

  it('counts a second app object as a service of its own (control)', () => {
    expect(analyzeRepository(snapshot(files('tiles.admin:app'))).services?.map((s) => s.name)).toEqual(['api', 'api-gunicorn', 'worker']);
  });
});
