// Compose files per environment and the services they build: the production compose file is the deployment
// when no plain one exists, `expose:` names the port a proxied service listens on, and a root package.json
// holding only an e2e runner is not an app manifest beside the services' folders.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const flaskService = (dir: string) => ({
  [`${dir}/requirements.txt`]: 'flask==3.0.3\ngunicorn==22.0.0\npsycopg2-binary==2.9.9\n',
  [`${dir}/manage.py`]: 'from flask import Flask\napp = Flask(__name__)\n',
  [`${dir}/Dockerfile-prod`]: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD gunicorn -b 0.0.0.0:5000 manage:app\n',
  [`${dir}/Dockerfile-dev`]: 'FROM python:3.12\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCMD flask run --host 0.0.0.0 --reload\n',
});
const service = (name: string, dir: string, file: string, extra = '') => `  ${name}:\n    build:\n      context: ./${dir}\n      dockerfile: ${file}\n${extra}`;
const db = '  db:\n    image: postgres:16\n';

describe('per-environment compose files', () => {
  const files = { ...flaskService('services/users'), ...flaskService('services/orders') };
  const dev = `services:\n${service('users', 'services/users', 'Dockerfile-dev', "    volumes:\n      - './services/users:/app'\n")}${db}`;
  const prod = `services:\n${service('users', 'services/users', 'Dockerfile-prod')}${service('orders', 'services/orders', 'Dockerfile-prod')}${db}`;

  it('reads the production one as the deployment when no plain compose file exists', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose-dev.yml': dev, 'docker-compose-prod.yml': prod }));
    expect((a.services ?? []).map((s) => s.name)).toEqual(['orders', 'users']);
    expect(a.stateful).toEqual(['postgres']);
  });

  it('keeps a plain compose file first', () => {
    const plain = `services:\n${service('users', 'services/users', 'Dockerfile-prod')}${db}`;
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': plain, 'docker-compose-prod.yml': prod }));
    expect(a.services?.length ?? 1).toBe(1);
  });
});

describe('compose expose', () => {
  it('is the container port of a service published only to its proxy', () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{ "name": "api", "scripts": { "start": "node server.js" }, "dependencies": { "express": "4.21.0" } }\n',
      'server.js': 'const express = require("express");\nexpress().listen(process.env.PORT || 3000);\n',
      Dockerfile: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n',
      'docker-compose.yml': 'services:\n  api:\n    build: .\n    environment:\n      - PORT=8080\n    expose:\n      - "8080"\n',
    }));
    expect(a.port).toBe(8080);
  });
});

describe('a root package.json holding only an e2e runner', () => {
  const prod = `services:\n${service('users', 'services/users', 'Dockerfile-prod', '    expose:\n      - 5000\n')}${service('orders', 'services/orders', 'Dockerfile-prod')}${service('billing', 'services/billing', 'Dockerfile-prod')}${db}`;
  const files = { ...flaskService('services/users'), ...flaskService('services/orders'), ...flaskService('services/billing'), 'docker-compose.yml': prod };

  it('leaves the system the language its services share', () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': '{ "name": "e2e", "devDependencies": { "testcafe": "3.0.0" } }\n' }));
    expect(a.language).toBe('python');
    expect(a.framework).toBe('flask');
    expect(a.services?.length).toBe(3);
  });

  it('is an app manifest when it has dependencies or a start script', () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': '{ "name": "gateway", "scripts": { "start": "node gateway.js" }, "dependencies": { "express": "4.21.0" } }\n' }));
    expect(a.language).toBe('node');
  });
});
