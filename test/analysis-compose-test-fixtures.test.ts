// Test fixtures in compose: services only the test runner brings up beside its copy of the app (a local stand-in of
// another API, a device simulator, a database reset helper) are not services of the app. Without a copy of the app
// among the runner's dependencies, what the runner depends on may be the system under test, and it stays.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = `services:
  db:
    image: mariadb:10
  app:
    build: ./
    ports:
      - "8080:80"
    depends_on:
      - db
  appfortests:
    build: ./
    depends_on:
      - testdb
  testdb:
    image: mariadb:10
  mfaapi:
    build: ./mfa-api
    depends_on:
      - dynamo
      - dynamoreset
  u2fsim:
    build: ./u2f-simulator
  dynamoreset:
    build: ./dynamoreset
    depends_on:
      - dynamo
  dynamo:
    image: amazon/dynamodb-local
  test:
    image: acme/php:8
    depends_on:
      - appfortests
      - mfaapi
      - u2fsim
    command: ./run-tests.sh
`;
const files = { 'composer.json': '{}', Dockerfile: 'FROM php:8.3-apache\nCOPY . /data\n', 'mfa-api/Dockerfile': 'FROM golang:1.22\nCOPY . .\n', 'u2f-simulator/Dockerfile': 'FROM golang:1.22\nCOPY . .\n', 'dynamoreset/Dockerfile': 'FROM php:8.3\nCOPY . .\n' };
const names = (c: string): string[] => firstPartyServices(snapshot({ ...files, 'docker-compose.yml': c }), parseCompose('docker-compose.yml', c)).map((s) => s.name);

describe('test fixtures beside the copy of the app a test runner tests', () => {
  it('leaves out the services only the test runner brings up', () => {
    expect(names(compose)).toEqual(['app']);
  });

  it('keeps a service the app itself depends on, and what that one needs', () => {
    expect(names(compose.replace('      - db\n  appfortests:', '      - db\n      - mfaapi\n  appfortests:'))).toEqual(['app', 'dynamoreset', 'mfaapi']);
  });

  it('marks nothing when the runner depends on no copy of an app service (it may be testing them)', () => {
    const direct = compose.replace('      - appfortests\n      - mfaapi', '      - mfaapi');
    expect(names(direct)).toEqual(['app', 'dynamoreset', 'mfaapi', 'u2fsim']);
  });

  it('a dependency that publishes a host port is the app itself, not a copy: what the runner tests beside it stays', () => {
    const app = `services:
  web:
    build: .
    ports:
      - "8000:8000"
  worker:
    build: .
    command: celery -A app worker
  frontend:
    build: ./frontend
    ports:
      - "3000:3000"
  e2e:
    image: cypress/included:13.6.0
    depends_on:
      - web
      - frontend
`;
    const own = { 'requirements.txt': 'django\n', Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "app.wsgi"]\n', 'frontend/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["npm", "start"]\n' };
    expect(firstPartyServices(snapshot({ ...own, 'docker-compose.yml': app }), parseCompose('docker-compose.yml', app)).map((s) => s.name)).toEqual(['frontend', 'web', 'worker']);
  });
});

