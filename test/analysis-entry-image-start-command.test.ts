// Several services, each built from its own folder, and no image at the root: what starts the system is what the entry
// service's image runs (`services/users/Dockerfile-prod`'s `CMD gunicorn …`), else the `command:` compose gives that
// image. A root Dockerfile's own command still wins, and an entry image that declares nothing, given no command, says nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const flaskService = (dir: string) => ({
  [`${dir}/requirements.txt`]: 'flask==3.0.0\ngunicorn==22.0.0\n',
  [`${dir}/manage.py`]: 'from flask import Flask\napp = Flask(__name__)\n',
});
const compose = (usersCommand = '') =>
  [
    'services:',
    '  users:',
    '    build:',
    '      context: ./services/users',
    '      dockerfile: Dockerfile-prod',
    ...(usersCommand ? [`    command: ${usersCommand}`] : []),
    '    ports:',
    '      - 5001:5000',
    '  exercises:',
    '    build:',
    '      context: ./services/exercises',
    '      dockerfile: Dockerfile-prod',
    '  db:',
    '    image: postgres:16',
    '',
  ].join('\n');
const system = (files: Record<string, string>) =>
  analyzeRepository(snapshot({
    ...flaskService('services/users'),
    ...flaskService('services/exercises'),
    'services/exercises/Dockerfile-prod': 'FROM python:3.12-slim\nCOPY . .\nCMD gunicorn -b 0.0.0.0:5000 exercises:app\n',
    ...files,
  }));

describe("the entry service's image command", () => {
  it('is the start command of a system of folder-built services', () => {
    const a = system({
      'docker-compose.yml': compose(),
      'services/users/Dockerfile-prod': 'FROM python:3.12-slim\nWORKDIR /usr/src/app\nCOPY . .\nCMD gunicorn -b 0.0.0.0:5000 manage:app\n',
    });
    expect(a.startCommand).toBe('gunicorn -b 0.0.0.0:5000 manage:app');
    expect(a.evidence.find((e) => e.fact.startsWith('startCommand '))?.source).toBe('services/users/Dockerfile-prod:4');
  });

  it("is compose's command when the entry image declares none", () => {
    const a = system({
      'docker-compose.yml': compose('python manage.py run -h 0.0.0.0'),
      'services/users/Dockerfile-prod': 'FROM python:3.12-slim\nCOPY . .\n',
    });
    expect(a.startCommand).toBe('python manage.py run -h 0.0.0.0');
  });

  it('says nothing when neither the entry image nor compose declares a command', () => {
    const a = system({ 'docker-compose.yml': compose(), 'services/users/Dockerfile-prod': 'FROM python:3.12-slim\nCOPY . .\n' });
    // (Not the other service's command: the entry service's image is the system's front door.)
    expect(a.startCommand).toBeUndefined();
  });

  it("does not replace a root image's own command", () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      Dockerfile: 'FROM python:3.12-slim\nCOPY . .\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n  worker:\n    build:\n      context: ./worker\n',
      'worker/Dockerfile': 'FROM python:3.12-slim\nCMD ["python", "worker.py"]\n',
    }));
    expect(a.startCommand).toBe('gunicorn -b 0.0.0.0:8000 app:app');
  });
});
