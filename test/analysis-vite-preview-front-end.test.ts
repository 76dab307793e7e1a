// A compose front-end whose image serves its build with Vite's preview server (`CMD yarn preview` with
// `"preview": "vite preview"`, or `vite preview` itself) is a static front-end, as one in nginx is: the entry service
// whose image and command describe the system is the API beside it. A front-end running its own server is not.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const compose = [
  'services:',
  '  django:',
  '    build:',
  '      context: ./api',
  '    command: /start',
  '    ports:',
  '      - "8000:8000"',
  '  ui:',
  '    build:',
  '      context: ./ui',
  '    ports:',
  '      - "4000:4000"',
  '    depends_on:',
  '      - django',
  '',
].join('\n');
const system = (uiCommand: string, preview: string) =>
  analyzeRepository(snapshot({
    'docker-compose.yml': compose,
    'api/requirements.txt': 'django==5.0\ngunicorn==22.0.0\n',
    'api/manage.py': 'import django\n',
    'api/Dockerfile': 'FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT ["/entrypoint"]\n',
    'ui/package.json': JSON.stringify({ scripts: { build: 'vite build', preview }, devDependencies: { vite: '5.0.0' } }),
    'ui/index.html': '<div id="root"></div>\n',
    'ui/Dockerfile': `FROM node:22\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\nEXPOSE 4000\nCMD ${uiCommand}\n`,
  }));

describe("a front-end served by Vite's preview server", () => {
  it('is not the entry service: the API beside it is', () => {
    expect(system('["sh", "-c", "yarn preview --host 0.0.0.0 --port 4000"]', 'vite preview').startCommand).toBe('/entrypoint');
    expect(system('["npx", "vite", "preview", "--port", "4000"]', 'vite preview').startCommand).toBe('/entrypoint');
  });

  it('is the entry service when its script runs a server of its own', () => {
    expect(system('["sh", "-c", "yarn preview --port 4000"]', 'node server.js').startCommand).toBe("sh -c 'yarn preview --port 4000'");
  });
});
