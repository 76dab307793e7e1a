// Round 8 shape of a Django app (eval/RUBRIC.md services): a compose file that only runs a development image
// does not outvote the Procfile's process types.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (dockerfile: string) => ({
  'requirements.txt': 'Django==5.1\ngunicorn\ndjango-q2\npsycopg[binary]\n',
  'manage.py': 'import django\n',
  Procfile: 'release: python manage.py migrate\nweb: gunicorn app.wsgi\nworker: python manage.py qcluster\n',
  [dockerfile]: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n',
  'docker-compose.yml': `services:\n  db:\n    image: postgres:16\n  web:\n    build:\n      context: .\n      dockerfile: ./${dockerfile}\n    ports:\n      - "8000:8000"\n    volumes:\n      - .:/app\n`,
});

describe('a compose file with one app service', () => {
  it('built from a development Dockerfile: the Procfile process types are the services', () => {
    const a = analyzeRepository(snapshot(app('Dockerfile-dev')));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('built from the app image: it stays the one service', () => {
    const a = analyzeRepository(snapshot(app('Dockerfile')));
    expect(a.services?.map((s) => s.name)).toEqual(['web']);
  });
});
