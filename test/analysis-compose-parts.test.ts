// One compose setup split into part files (`deploy/docker-compose.api.yml`, `deploy/docker-compose.postgres.yml`) that a
// Makefile combines with `docker compose -f … -f …`: with no single compose file, the parts are the deployment when one
// part's service depends on a service only another part defines.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\npsycopg2-binary==2.9.9\ncelery==5.4.0\n',
  'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
  Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 8000\nCMD gunicorn -b 0.0.0.0:8000 app:app\n',
};
const api = (dependsOn: string) => `services:\n  api:\n    build:\n      context: ..\n    ports:\n      - "8000:8000"\n${dependsOn}`;
const worker = 'services:\n  worker:\n    build:\n      context: ..\n    command: celery -A app worker\n';
const postgres = 'services:\n  db:\n    image: postgres:16\n';

describe('compose parts', () => {
  it('are one deployment when a part depends on a service another part defines', () => {
    const a = analyzeRepository(snapshot({ ...app, 'deploy/docker-compose.api.yml': api('    depends_on:\n      - db\n'), 'deploy/docker-compose.worker.yml': worker, 'deploy/docker-compose.postgres.yml': postgres }));
    expect((a.services ?? []).map((s) => s.name)).toEqual(['api', 'worker']);
    expect(a.hasCompose).toBe(true);
  });

  it('are not merged when no part refers to another (whole files of their own)', () => {
    const a = analyzeRepository(snapshot({ ...app, 'deploy/docker-compose.api.yml': api(''), 'deploy/docker-compose.worker.yml': worker }));
    expect(a.services?.length ?? 0).toBeLessThan(2);
  });

  it('leave per-environment variants alone', () => {
    const a = analyzeRepository(snapshot({ ...app, 'deploy/docker-compose.dev.yml': api('    depends_on:\n      - db\n'), 'deploy/docker-compose.test.yml': `${worker}  db:\n    image: postgres:16\n`, 'deploy/docker-compose.ci.yml': postgres }));
    expect(a.services?.length ?? 0).toBeLessThan(2);
  });
});
