// A development compose file around one app image: a service that only builds the image the web service runs under
// its name, a Composer shell, migrations and a setup script run once, and the test suite called by its vendor path.
// None is a second service of the app; a worker running the image with a command of its own is.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = `services:
  base:
    build: .
    image: acme/portal:local
  web:
    image: acme/portal:local
    ports:
      - "80:80"
  composer:
    image: acme/portal:local
    working_dir: /data
    command: bash
  yiimigrate:
    image: acme/portal:local
    command: bash -c "whenavail db 3306 100 ./yiic migrate --interactive=0"
  axlesetup:
    image: acme/portal:local
    command: setup-gateway.sh
  phpunit:
    image: acme/portal:local
    command: whenavail testdb 3306 100 ../../vendor/bin/phpunit --testsuite Portal
  db:
    image: mariadb:10
`;
const files = { 'application/composer.json': '{}', Dockerfile: 'FROM php:8.1-apache\nCOPY application/ /data/\nCMD ["/data/run.sh"]\n' };
const names = (c: string): string[] => firstPartyServices(snapshot({ ...files, 'docker-compose.yml': c }), parseCompose('docker-compose.yml', c)).map((s) => s.name);

describe('tool shells, one-shot steps and path-called test runners around one app image', () => {
  it('count one service', () => {
    expect(names(compose)).toEqual(['base']);
  });

  it('keep a worker that runs the image with a command of its own', () => {
    expect(names(`${compose}  worker:\n    image: acme/portal:local\n    command: ./yiic queue/listen\n`)).toEqual(['base', 'worker']);
  });

  it('keep a service whose command migrates and then serves', () => {
    expect(names(`${compose}  django:\n    build: ./django\n    command: bash -c "python manage.py migrate && gunicorn app.wsgi"\n`)).toEqual(['base', 'django']);
  });

  it('keep a service named like a tool that publishes a port (a console UI)', () => {
    expect(names(`${compose}  console:\n    build: ./console\n    ports:\n      - "3000:3000"\n`)).toEqual(['base', 'console']);
  });

  it('keep a service that publishes a port whatever its script is named (setup then serve)', () => {
    expect(names(`${compose}  api:\n    build: ./api\n    ports:\n      - "8000:8000"\n    command: ./setup.sh\n`)).toEqual(['api', 'base']);
  });

  it('keep a service whose script is named for running as well as a one-off step', () => {
    expect(names(`${compose}  api:\n    build: ./api\n    command: ./init_and_run.sh\n`)).toEqual(['api', 'base']);
  });

  it('keep a server given a path that ends in a test runner\'s name as an argument', () => {
    expect(names(`${compose}  coverage:\n    build: ./coverage\n    ports:\n      - "9000:9000"\n    command: python -m http.server 9000 --directory /srv/coverage/jest\n`)).toEqual(['base', 'coverage']);
  });

  it('keep a service named like a tool that builds an image with a command of its own', () => {
    const c = `${compose}  console:\n    build: ./console\n`;
    const own = { ...files, 'console/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "consumer.js"]\n', 'docker-compose.yml': c };
    expect(firstPartyServices(snapshot(own), parseCompose('docker-compose.yml', c)).map((s) => s.name)).toEqual(['base', 'console']);
  });
});
