// Development harness beside the app in compose: a CSS watcher (`tailwind watch`), a docs preview server
// (`mkdocs serve`) and an on-demand shell (the app's image, no command, behind a profile) are not services; the
// web app and its task worker are.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = `x-app: &app
  build:
    context: .
    dockerfile: ./docker/Dockerfile-dev
services:
  web:
    <<: *app
    command: ["/start-dev.sh"]
    ports:
      - "8000:8000"
  worker:
    <<: *app
    command: ["python", "manage.py", "qcluster"]
  tailwind:
    <<: *app
    command: ["python", "manage.py", "tailwind", "watch"]
  docs:
    <<: *app
    command: ["mkdocs", "serve", "--dev-addr", "0.0.0.0:4000"]
    profiles: [docs]
  utility:
    <<: *app
    profiles: [utility]
  postgres:
    image: postgres:17
`;
const files = { 'manage.py': '', 'pyproject.toml': '[project]\ndependencies = ["Django>5"]\n', 'docker/Dockerfile-dev': 'FROM python:3.12\nCOPY . .\n', 'docker-compose.yml': compose };

describe('development harness services in compose', () => {
  it('leaves watchers, docs servers and on-demand shells out', () => {
    expect(firstPartyServices(snapshot(files), parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('keeps a profiled service that runs a command of its own (a worker started on demand)', () => {
    const c = compose.replace('  utility:\n    <<: *app\n    profiles: [utility]\n', '  beat:\n    <<: *app\n    command: ["celery", "-A", "proj", "beat"]\n    profiles: [beat]\n');
    expect(firstPartyServices(snapshot({ ...files, 'docker-compose.yml': c }), parseCompose('docker-compose.yml', c)).map((s) => s.name)).toEqual(['beat', 'web', 'worker']);
  });
});
