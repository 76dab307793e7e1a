// Always-on services that publish the same host port cannot run together: app-cpu and app-cuda, or one app under
// RoadRunner, FrankenPHP and php-fpm, are started one at a time (`docker compose up app-cpu`), one app in several forms.
// Services on ports of their own (a web and its worker, an API and its front-end) still count one each.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'pyproject.toml': '[project]\nname = "asr"\n',
  'app.py': 'from flask import Flask\n',
  'Dockerfile.cpu': 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "app.py"]\n',
  'Dockerfile.cuda': 'FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCOPY . /app\nCMD ["python3", "app.py"]\n',
  'web/Dockerfile': 'FROM node:22-alpine\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
};
const names = (compose: string): string[] => firstPartyServices(snapshot({ ...app, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

const hardware = `services:
  app-cpu:
    build:
      context: .
      dockerfile: Dockerfile.cpu
    ports:
      - "8000:8000"
  app-cuda:
    build:
      context: .
      dockerfile: Dockerfile.cuda
    ports:
      - "8000:8000"
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
`;

describe('always-on compose services publishing the same host port', () => {
  it('are builds of one app for different hardware: the first is kept', () => {
    expect(names(hardware)).toEqual(['app-cpu']);
  });

  it('are alternatives whatever container port each maps it to (php-fpm+nginx on 8080, RoadRunner on 8000)', () => {
    const c = hardware.replace('"8000:8000"\n    deploy', '"${PORT:-8000}:8080"\n    deploy');
    expect(names(c)).toEqual(['app-cpu']);
  });

  it('count only services that could be the app: a seed step holding the port first does not displace it', () => {
    const c = `services:\n  seed:\n    build: .\n    ports:\n      - "8000:8000"\n${hardware.slice('services:\n'.length)}`;
    expect(names(c)).toEqual(['app-cpu']);
  });

  it('leave services on host ports of their own as services: the same image run as a worker, a front-end', () => {
    const c = `${hardware.replace('"8000:8000"\n    deploy', '"8001:8000"\n    deploy')}  worker:
    build:
      context: .
      dockerfile: Dockerfile.cpu
    command: python worker.py
  web:
    build: web
    ports:
      - "3000:3000"
`;
    expect(names(c)).toEqual(['app-cpu', 'app-cuda', 'web', 'worker']);
  });
});
