// Compose services that extend a service of another compose file (`extends: {file: docker-compose-base.yml, service: base}`,
// the base with `build: .`) build the app's image as the base does: they are the app's services, and the web one's
// ports are the app's. A service that names its own image, or a base file the repository does not hold, builds nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { findCompose } from '../function/src/analysis/docker.js';
import { snapshot } from './helpers/snapshot.js';

const base = "version: '2'\nservices:\n  base:\n    build: .\n    image: monitor:web\n    command: \"false\"\n    env_file:\n      - conf/default.env\n";
const compose = [
  "version: '2'",
  'services:',
  '  web:',
  '    extends:',
  '      file: docker-compose-base.yml',
  '      service: base',
  '    command: python manage.py runserver 0.0.0.0:5001',
  '    ports:',
  '      - "5001:5001"',
  '  worker:',
  '    extends:',
  '      file: docker-compose-base.yml',
  '      service: base',
  '    command: celery worker -A monitor',
  '  db:',
  '    image: postgres:alpine',
  '',
].join('\n');
const app = {
  'requirements.txt': 'Django==4.2\ncelery==5.4.0\npsycopg2==2.9.9\n',
  'manage.py': 'import django\n',
  Dockerfile: 'FROM python:3.12-slim\nCOPY . /code\nWORKDIR /code\nENTRYPOINT ["./docker-entrypoint.sh"]\n',
};

describe('services extending a built service of another compose file', () => {
  it('build the app image, and the web service gives the port', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose, 'docker-compose-base.yml': base }));
    expect(a.port).toBe(5001);
    expect((a.services ?? []).map((s) => s.name).sort()).toEqual(['web', 'worker']);
    const web = findCompose(snapshot({ 'docker-compose.yml': compose, 'docker-compose-base.yml': base }))?.services.find((s) => s.name === 'web');
    expect(web).toMatchObject({ built: true, context: '', dockerfile: 'Dockerfile', command: { value: 'python manage.py runserver 0.0.0.0:5001' } });
  });
});

describe('extends the repository cannot follow', () => {
  it('builds nothing when the base file is absent', () => {
    const c = findCompose(snapshot({ 'docker-compose.yml': compose }));
    expect(c?.services.filter((s) => s.built)).toEqual([]);
  });

  it('builds nothing for a service that pulls its own image', () => {
    const pulled = compose.replace('    command: celery worker -A monitor', '    image: monitor/worker:1.0\n    command: celery worker -A monitor');
    const worker = findCompose(snapshot({ 'docker-compose.yml': pulled, 'docker-compose-base.yml': base }))?.services.find((s) => s.name === 'worker');
    expect(worker?.built).toBe(false);
    expect(worker?.image?.value).toBe('monitor/worker:1.0');
  });
});
