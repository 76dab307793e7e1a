// A compose file's top-level `include:` (Compose 2.20+) pulls other files' services into the same `docker compose up`.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { findCompose } from '../function/src/analysis/docker.js';
import { snapshot } from './helpers/snapshot.js';

const composer = JSON.stringify({ name: 'acme/till', type: 'project', require: { 'codeigniter4/framework': '^4.6' } });
const dockerfile = 'FROM php:8.2-apache\nCOPY . /app\n';
const app = ['services:', '  till:', '    image: acme/till:latest', '    depends_on: [mysql]', '    ports: ["80:80"]', '    environment:', '      - MYSQL_HOST_NAME=mysql', ''];
const database = ['services:', '  mysql:', '    image: mariadb:10.5', '    volumes:', '      - mysql:/var/lib/mysql', 'volumes:', '  mysql:', ''].join('\n');

describe('compose include', () => {
  it('runs the services of the files the compose file includes, relative to it', () => {
    const files = { 'composer.json': composer, Dockerfile: dockerfile, 'docker-compose.yml': ['include:', '  - docker/docker-mysql.yml', '', ...app].join('\n'), 'docker/docker-mysql.yml': database };
    expect(findCompose(snapshot(files))?.services.map((s) => s.name)).toEqual(['mysql', 'till']);
    expect(analyzeRepository(snapshot(files)).stateful).toEqual(['mysql']);
    // The long form, `path:` with a list, reads the same.
    const long = { ...files, 'docker-compose.yml': ['include:', '  - path:', '      - ./docker/docker-mysql.yml', '', ...app].join('\n') };
    expect(findCompose(snapshot(long))?.services.map((s) => s.name)).toEqual(['mysql', 'till']);
  });

  it('leaves out compose files beside it that it does not include', () => {
    const files = { 'composer.json': composer, Dockerfile: dockerfile, 'docker-compose.yml': app.join('\n'), 'docker/docker-mysql.yml': database };
    expect(findCompose(snapshot(files))?.services.map((s) => s.name)).toEqual(['till']);
    // A service key named include is not the top-level directive.
    const nested = { ...files, 'docker-compose.yml': [...app.slice(0, -1), '    labels:', '      include: docker/docker-mysql.yml', ''].join('\n') };
    expect(findCompose(snapshot(nested))?.services.map((s) => s.name)).toEqual(['till']);
  });
});
