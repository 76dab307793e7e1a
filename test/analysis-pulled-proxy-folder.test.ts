// A compose proxy that pulls the official nginx image and mounts its config from an nginx/ folder is not a
// service built from that folder: the app is the one service.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = 'services:\n  app:\n    build: .\n    command: gunicorn --bind=0.0.0.0:8000 proj.wsgi:application\n  nginx:\n    image: nginx:1.17\n    volumes:\n      - ./nginx:/etc/nginx/conf.d\n';
const app = { Dockerfile: 'FROM python:3.12\nCOPY proj/ /src\n', 'proj/manage.py': '', 'proj/requirements.txt': 'Django\ngunicorn\n' };

describe('a pulled proxy image beside a folder of the same name', () => {
  it('is not a first-party service when the folder holds only its config', () => {
    const files = snapshot({ ...app, 'nginx/default.conf': 'server { listen 80; }\n', 'docker-compose.yml': compose });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['app']);
  });

  it('still names a pulled image after a folder of the app (org/app-worker for worker/)', () => {
    const c = 'services:\n  app:\n    build: .\n  worker:\n    image: org/app-worker:1\n';
    const files = snapshot({ ...app, 'worker/Dockerfile': 'FROM python:3.12\nCOPY . /w\n', 'worker/main.py': '', 'docker-compose.yml': c });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', c)).map((s) => s.name)).toEqual(['app', 'worker']);
  });
});
