// Round 9 shape (eval/RUBRIC.md services): a compose service that only builds front-end assets in a
// Node.js image for a server on another runtime (Django, Rails, PHP) is not a runtime service.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const names = (files: Record<string, string>): string[] => {
  const snap = snapshot(files);
  return firstPartyServices(snap, parseCompose('docker-compose.yml', files['docker-compose.yml'] ?? '')).map((s) => s.name);
};

const django = {
  'requirements.txt': 'django==5.0\ngunicorn==22.0.0\n',
  'manage.py': 'import django\n',
  'docker/Dockerfile.python': 'FROM python:3.12-slim\nWORKDIR /app\n',
  'docker/Dockerfile.node': 'FROM node:20-slim\nWORKDIR /app\n',
};
const compose = (assets: string): string =>
  `services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.python\n    command: gunicorn site.wsgi -b 0.0.0.0:8000\n    ports:\n      - "8000:8000"\n  worker:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.python\n    command: python manage.py rqworker default\n${assets}`;

describe('front-end asset builders in compose', () => {
  it('a node-image service running npm run watch / yarn build beside a Python server is not a service', () => {
    const watch = '  static:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.node\n    command: npm run watch\n    volumes:\n      - .:/app\n';
    expect(names({ ...django, 'docker-compose.yml': compose(watch) })).toEqual(['web', 'worker']);
    const build = '  assets:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.node\n    command: sh -c "yarn build:css"\n';
    expect(names({ ...django, 'docker-compose.yml': compose(build) })).toEqual(['web', 'worker']);
    // The image's own CMD counts when compose gives no command.
    const cmd = { ...django, 'docker/Dockerfile.node': 'FROM node:20-slim\nWORKDIR /app\nCMD ["npm", "run", "build"]\n' };
    expect(names({ ...cmd, 'docker-compose.yml': compose('  assets:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.node\n') })).toEqual(['web', 'worker']);
  });

  it('a node image that builds its assets at image build and whose script only hands them over is not a service', () => {
    const files = {
      ...django,
      'assets/Dockerfile': 'FROM node:18\nWORKDIR /src\nCOPY main ./\nRUN yarn install\nRUN npm run build\n',
      'assets/main/entrypoint.sh': '#!/bin/bash\ncp -r /src/dist/ /static/\n',
    };
    const assets = '  assets:\n    build:\n      context: ./assets\n    command: ./entrypoint.sh\n    volumes:\n      - static:/static\n';
    expect(names({ ...files, 'docker-compose.yml': compose(assets) })).toEqual(['web', 'worker']);
    // The same image whose script starts a server is a service.
    const serving = { ...files, 'assets/main/entrypoint.sh': '#!/bin/bash\nexec node server.js\n' };
    expect(names({ ...serving, 'docker-compose.yml': compose(assets) })).toEqual(['assets', 'web', 'worker']);
  });

  it('a node service that serves, publishes a port, or is the app itself stays a service', () => {
    const serves = '  frontend:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.node\n    command: sh -c "npm run build && npm start"\n';
    expect(names({ ...django, 'docker-compose.yml': compose(serves) })).toEqual(['frontend', 'web', 'worker']);
    const port = '  frontend:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.node\n    command: npm run watch\n    ports:\n      - "3000:3000"\n';
    expect(names({ ...django, 'docker-compose.yml': compose(port) })).toEqual(['frontend', 'web', 'worker']);
    // Only Node.js services: a Node app's own build/watch services are not judged here.
    const nodeOnly = {
      'package.json': '{"name":"api","scripts":{"watch":"tsc -w"}}\n',
      'Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "dist/server.js"]\n',
      'docker/Dockerfile.node': 'FROM node:20-slim\n',
      'docker-compose.yml': 'services:\n  api:\n    build: .\n    command: node dist/server.js\n    ports:\n      - "3000:3000"\n  compiler:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile.node\n    command: npm run watch\n',
    };
    expect(names(nodeOnly)).toEqual(['api', 'compiler']);
  });

  it('the assets target of a multi-stage Dockerfile (a node stage before the python stages) running a task-runner build task is not a service', () => {
    const files = {
      'pyproject.toml': '[project]\nname = "hello"\ndependencies = ["flask==3.1.0", "gunicorn==23.0.0", "celery==5.4.0"]\n',
      'hello/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      Dockerfile: 'FROM node:22-slim AS assets\nWORKDIR /app/assets\nRUN ../run yarn:build:js\nCMD ["bash"]\n\nFROM python:3.13-slim AS app\nWORKDIR /app\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "-c", "python:config.gunicorn", "hello.app:app"]\n',
      run: '#!/usr/bin/env bash\nyarn:build:js() {\n  node esbuild.config.mjs\n}\n',
    };
    const app = (name: string, extra: string) => `  ${name}:\n    build:\n      context: "."\n      target: "app"\n${extra}`;
    const assets = (name: string, command: string) => `  ${name}:\n    build:\n      context: "."\n      target: "assets"\n    command: "${command}"\n    volumes:\n      - ".:/app"\n`;
    const yml = `services:\n${app('web', '    ports:\n      - "8000:8000"\n')}${app('worker', '    command: celery -A hello.app.celery_app worker\n')}${assets('js', '../run yarn:build:js')}${assets('css', '../run yarn:build:css')}`;
    expect(names({ ...files, 'docker-compose.yml': yml })).toEqual(['web', 'worker']);
    // A task that is not a build (a dev server) keeps the service.
    expect(names({ ...files, 'docker-compose.yml': `services:\n${app('web', '')}${assets('js', '../run yarn:dev')}` })).toEqual(['js', 'web']);
  });
});
