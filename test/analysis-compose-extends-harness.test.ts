// Round 19: a compose file kept to build and test one image (docker/docker-compose.yaml: `base` holds the build, `prod`
// runs it, `dev` and `test` extend it with the development stage, `node-assets` builds its asset stage). Compose's
// `extends:` gives a service the build and command of the one it extends; Django's `manage.py runserver` is a development
// server; a service building only a Node asset stage that runs nothing builds files. One service, not four.
// Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const names = (files: Record<string, string>, path: string): string[] => firstPartyServices(snapshot(files), parseCompose(path, files[path] ?? '')).map((s) => s.name);

const dockerfile = [
  'FROM python:3.12 AS base-python',
  'FROM node:20 AS node-builder',
  'COPY package.json assets ./',
  'RUN npm ci && npm run build',
  'FROM base-python AS app-prod',
  'COPY . /app',
  'COPY --from=node-builder /assets/dist /app/assets/dist',
  'EXPOSE 8000',
  'CMD ["gunicorn", "app.wsgi"]',
  'FROM base-python AS app-dev',
  'ENTRYPOINT ["/app/docker/entrypoints/dev.sh"]',
  '',
].join('\n');

const harness = `services:
  base:
    build:
      context: ..
      dockerfile: docker/Dockerfile
      target: app-prod
    ports:
      - "8000:8000"
  prod:
    image: app
    extends:
      service: base
  dev:
    extends:
      service: base
    image: app-dev
    build:
      target: app-dev
    volumes:
      - ..:/app
    command: uvicorn app.asgi:application --host 0.0.0.0 --reload
  test:
    extends: dev
    command: pytest
`;
const files = { 'pyproject.toml': '[project]\nname = "app"\ndependencies = ["django"]\n', 'manage.py': '', 'app/wsgi.py': '', 'docker/Dockerfile': dockerfile, 'docker/docker-compose.yaml': harness };

describe('compose extends', () => {
  it('gives a service the build context, Dockerfile and command of the one it extends, its own keys first', () => {
    const byName = new Map(parseCompose('docker/docker-compose.yaml', harness).services.map((s) => [s.name, s]));
    expect(byName.get('prod')).toMatchObject({ built: true, context: '', dockerfile: 'docker/Dockerfile', target: 'app-prod', image: { value: 'app' } });
    expect(byName.get('dev')).toMatchObject({ built: true, context: '', dockerfile: 'docker/Dockerfile', target: 'app-dev', image: { value: 'app-dev' } });
    expect(byName.get('test')).toMatchObject({ built: true, context: '', target: 'app-dev', command: { value: 'pytest' } });
    // Ports stay with the service that declares them.
    expect(byName.get('dev')?.containerPorts).toEqual([]);
  });

  it('reads the development service of a build-and-test harness as a variant of the one image', () => {
    expect(names(files, 'docker/docker-compose.yaml')).toEqual(['base']);
  });

  it('keeps a worker that extends the app with a command of its own', () => {
    const c = `${harness}  worker:\n    extends:\n      service: base\n    command: celery -A app worker\n`;
    expect(names({ ...files, 'docker/docker-compose.yaml': c }, 'docker/docker-compose.yaml')).toEqual(['base', 'worker']);
  });

  it('does not follow an extends into another file', () => {
    const c = harness.replace('    extends:\n      service: base\n    image: app-dev', '    extends:\n      file: common.yml\n      service: base\n    image: app-dev');
    expect(parseCompose('docker/docker-compose.yaml', c).services.find((s) => s.name === 'dev')).toMatchObject({ context: 'docker', dockerfile: 'docker/Dockerfile' });
  });
});

describe('Django runserver as a development variant', () => {
  const root = { ...files, Dockerfile: 'FROM python:3.12\nCOPY . /app\nCMD ["gunicorn", "app.wsgi"]\n' };
  it('leaves out a service running manage.py runserver beside the image run with its own command', () => {
    const c = 'services:\n  web:\n    build: .\n    ports:\n      - "8000:8000"\n  dev:\n    build: .\n    command: /app/manage.py runserver 0.0.0.0:8000\n    volumes:\n      - .:/app\n';
    expect(names({ ...root, 'docker-compose.yml': c }, 'docker-compose.yml')).toEqual(['web']);
  });

  it('keeps a runserver web service beside a worker with a command of its own', () => {
    const c = 'services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n  worker:\n    build: .\n    command: celery -A app worker\n';
    expect(names({ ...root, 'docker-compose.yml': c }, 'docker-compose.yml')).toEqual(['web', 'worker']);
  });
});

describe('a Node asset stage built by compose', () => {
  const c = 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n      target: app-prod\n    ports:\n      - "8000:8000"\n  assets:\n    build:\n      context: .\n      dockerfile: docker/assets.Dockerfile\n    volumes:\n      - .:/app\n';
  const assets = 'FROM node:20\nCOPY package.json assets ./\nRUN npm ci && npm run build\n';
  it('is not a service when its image built the assets and runs nothing', () => {
    expect(names({ ...files, 'docker/assets.Dockerfile': assets, 'docker-compose.yml': c }, 'docker-compose.yml')).toEqual(['app']);
  });

  it('stays a service when its image starts a server after the build', () => {
    const serving = { ...files, 'docker/assets.Dockerfile': `${assets}CMD ["node", "server.js"]\n`, 'docker-compose.yml': c };
    expect(names(serving, 'docker-compose.yml')).toEqual(['app', 'assets']);
  });
});
