// Round 5 shapes of self-hosted Python/Ruby/PHP/Elixir apps (eval/RUBRIC.md facts): compose files that
// pull the image the repository publishes, broker extras nothing configures.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });

describe('a compose file that pulls the image published under the project name', () => {
  const django = {
    'setup.py': 'from setuptools import setup\nsetup(\n    name="trackerapp",\n    version="1.0",\n)\n',
    'requirements.txt': 'Django==5.0\nmysqlclient\n',
    'manage.py': 'import django\n',
    Dockerfile: 'FROM python:3.12\nCOPY . /app\nEXPOSE 8080\nCMD /app/run.sh\n',
  };
  const compose = (image: string): string =>
    `services:\n  db:\n    image: mariadb:latest\n  web:\n    image: ${image}\n    ports:\n      - 80:8080\n    volumes:\n      - uploads:/srv/app/uploads\nvolumes:\n  uploads:\n`;

  it('is the app service: its upload volume is the app state', () => {
    const a = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('registry.example.com/trackerapp/tracker:latest') }));
    expect(a.services?.map((s) => s.name)).toEqual(['web']);
    expect(a.localState?.map((s) => s.name)).toEqual(['data volume /srv/app/uploads']);
  });

  it('an image of another org is not, nor a store published under the same name', () => {
    const other = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('someone/tracker:latest') }));
    expect(other.services).toEqual([]);
    expect(other.localState).toEqual([]);
    const store = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('trackerapp/postgres:16') }));
    expect(store.services).toEqual([]);
  });
});
