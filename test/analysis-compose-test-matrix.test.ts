// Round 6 (compiled servers with a JS front-end): a compose file that is an end-to-end test matrix, and
// a data folder the server creates in code. Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const dockerfile = 'FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /app\nFROM scratch\nCOPY --from=build /app /app\nEXPOSE 8080\nENTRYPOINT ["/app"]\n';

describe('compose test matrix', () => {
  const matrix = [
    'services:',
    '  plain:\n    build:\n      context: .\n    ports:\n      - 8080:8080',
    '  with-auth:\n    build:\n      context: .\n    environment:\n      - AUTH=simple',
    '  agent:\n    build:\n      context: .\n    command: agent',
    '  with-agent:\n    build:\n      context: .\n    environment:\n      - REMOTE_AGENT=agent:7007\n    depends_on:\n      agent:\n        condition: service_healthy',
    '  playwright:\n    image: mcr.microsoft.com/playwright:v1.50.0-jammy\n    command: npx playwright test\n    depends_on:\n      plain:\n        condition: service_started\n      with-auth:\n        condition: service_healthy\n      with-agent:\n        condition: service_healthy',
    '',
  ].join('\n');

  it('reads depends_on in list and map form', () => {
    const c = parseCompose('docker-compose.yml', 'services:\n  a:\n    image: x\n    depends_on: [db, cache]\n  b:\n    image: y\n    depends_on:\n      db:\n        condition: service_healthy\n');
    expect(c.services.map((s) => s.dependsOn)).toEqual([['db', 'cache'], ['db']]);
  });

  it('a test runner depending on several instances of one image: the instances and that image in another mode are one app', () => {
    const files = snapshot({ 'go.mod': 'module x\n', Dockerfile: dockerfile, 'docker-compose.yml': matrix });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', matrix)).map((s) => s.name)).toEqual(['plain']);
  });

  it('a runner depending on one instance leaves a worker of the same image a service of its own', () => {
    const app = [
      'services:',
      '  web:\n    build: .\n    ports:\n      - 8000:8000',
      '  worker:\n    build: .\n    command: celery -A app worker',
      '  e2e:\n    image: cypress/included:13.0.0\n    depends_on:\n      - web',
      '',
    ].join('\n');
    const files = snapshot({ 'requirements.txt': 'flask\n', Dockerfile: 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n', 'docker-compose.yml': app });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', app)).map((s) => s.name)).toEqual(['web', 'worker']);
  });
});

describe('a data folder the app creates in code', () => {
  const goMod = 'module example.com/app\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.0\n';
  const main = (dir: string): string => `package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\tif err := os.MkdirAll("${dir}", 0755); err != nil {\n\t\tpanic(err)\n\t}\n\thttp.ListenAndServe(":8080", nil)\n}\n`;

  it('os.MkdirAll("./data") keeps what the app writes there on local disk', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main('./data'), Dockerfile: dockerfile }));
    expect(a.localState).toEqual([{ name: 'data folder on local disk (./data)', source: 'main.go:9' }]);
  });

  it('a cache or temp folder is not data', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main('./data/cache'), Dockerfile: dockerfile }));
    expect(a.localState).toEqual([]);
  });
});
