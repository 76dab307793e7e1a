// A compose system of an API and its front-end built into an nginx image (`FROM nginx` + the SPA's build):
// the front-end serves files and runs none of the repository's code, so the API is the app whose
// framework, port and start command describe the system, whichever service is entered first.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const front = {
  'frontend/package.json': '{\n  "name": "client",\n  "scripts": { "build": "vite build" },\n  "devDependencies": { "vite": "^5.0.0" }\n}\n',
  'frontend/index.html': '<div id="app"></div>\n',
  'frontend/Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\n',
  'frontend/nginx.conf': 'server { listen 80; location /api { proxy_pass http://api:8000; } }\n',
};
const api = {
  'api/requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n',
  'api/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
};
const compose = 'services:\n  frontend:\n    build: ./frontend\n    ports:\n      - "80:80"\n  api:\n    build: ./api\n    ports:\n      - "8000:8000"\n';

describe('an API beside its front-end built into nginx', () => {
  it('reads the API as the app: its framework, port and start command', () => {
    const a = analyzeRepository(snapshot({ ...front, ...api, 'docker-compose.yml': compose }));
    expect([a.kind, a.language, a.framework, a.port, a.startCommand]).toEqual(['web', 'python', 'flask', 8000, 'gunicorn -b 0.0.0.0:8000 app:app']);
    expect(a.services?.map((s) => s.name).sort()).toEqual(['api', 'frontend']);
  });

  it('keeps the nginx image as the app when it is the only one (a static site)', () => {
    const a = analyzeRepository(snapshot({ ...front, 'docker-compose.yml': 'services:\n  frontend:\n    build: ./frontend\n    ports:\n      - "80:80"\n' }));
    expect([a.kind, a.port]).toEqual(['static', 80]);
  });
});

// The same front-end run by compose in its development form (`target: development`, the dev server): the stage
// is the one the nginx stage's build starts FROM, so it still runs none of the repository's server code.
const devFront = {
  'frontend/package.json': '{\n  "name": "client",\n  "scripts": { "start": "react-scripts start", "build": "react-scripts build" },\n  "devDependencies": { "react-scripts": "^5.0.0" }\n}\n',
  'frontend/public/index.html': '<div id="root"></div>\n',
  'frontend/Dockerfile': 'FROM node:lts AS development\nWORKDIR /code\nCOPY . .\nRUN npm ci\nCMD ["npm", "start"]\n\nFROM development AS build\nRUN npm run build\n\nFROM nginx:1.13-alpine\nCOPY --from=build /code/build /usr/share/nginx/html\n',
};
const devCompose = 'services:\n  frontend:\n    build:\n      context: frontend\n      target: development\n    ports:\n      - "3000:3000"\n  api:\n    build: ./api\n    ports:\n      - "8000:8000"\n';

describe('an API beside its front-end that compose runs at the dev-server stage of an nginx image', () => {
  it('reads the API as the app, and still counts the front-end as a service', () => {
    const a = analyzeRepository(snapshot({ ...devFront, ...api, 'docker-compose.yml': devCompose }));
    expect([a.kind, a.language, a.framework, a.port, a.startCommand]).toEqual(['web', 'python', 'flask', 8000, 'gunicorn -b 0.0.0.0:8000 app:app']);
    expect(a.services?.map((s) => s.name).sort()).toEqual(['api', 'frontend']);
  });

  it('keeps a targeted stage the nginx stage does not serve as code (a server-side render stage beside the static one)', () => {
    const ssr = { ...devFront, 'frontend/Dockerfile': 'FROM node:lts AS development\nCMD ["npm", "start"]\n\nFROM node:lts AS ssr\nCMD ["node", "server.js"]\n\nFROM development AS build\nRUN npm run build\n\nFROM nginx:1.13-alpine\nCOPY --from=build /code/build /usr/share/nginx/html\n' };
    const a = analyzeRepository(snapshot({ ...ssr, ...api, 'docker-compose.yml': devCompose.replace('target: development', 'target: ssr') }));
    expect(a.port).toBe(3000);
  });
});
