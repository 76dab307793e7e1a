// Round 9: the app's image choosing SQLite in an ENV beside a compose file of database servers, on a small
// synthetic repository.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const image = (db: string) => `FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nEXPOSE 8055\nENV \\\n\tDB_CLIENT="${db}" \\\n\tDB_FILENAME="/app/database/data.db" \\\n\tNODE_ENV="production"\nCMD ["node", "cli.js", "start"]\n`;
const compose = '# Database vendors to debug against.\nservices:\n  postgres:\n    image: postgis/postgis:13-3.1-alpine\n    environment:\n      POSTGRES_PASSWORD: secret\n  mysql:\n    image: mysql:8\n    environment:\n      MYSQL_ROOT_PASSWORD: secret\n';
const app = (db: string) => ({ 'package.json': JSON.stringify({ name: 'cms', dependencies: { express: '^4.19.0' } }), 'index.js': "const express = require('express');\nexpress().listen(8055);\n", Dockerfile: image(db), 'docker-compose.yml': compose });

describe('SQLite chosen by the image', () => {
  it('reads the ENV as the local database and leaves out the servers only compose runs', () => {
    const a = analyzeRepository(snapshot(app('sqlite3')));
    expect(a.localState).toContainEqual({ name: 'SQLite', source: 'Dockerfile:6' });
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional postgres: compose runs it, but the image selects SQLite and nothing points the app at the server', source: 'Dockerfile:6' });
  });

  it('leaves out the other stores of a compose file that runs no service of the app', () => {
    const withRedis = compose + '  redis:\n    image: redis:6-alpine\n';
    expect(analyzeRepository(snapshot({ ...app('sqlite3'), 'docker-compose.yml': withRedis })).stateful).toEqual([]);
    // …unless the env template names the store, or compose runs the app beside it.
    expect(analyzeRepository(snapshot({ ...app('sqlite3'), 'docker-compose.yml': withRedis, '.env.example': 'CACHE_STORE=redis\nREDIS_URL=redis://localhost:6379\n' })).stateful).toEqual(['redis']);
    expect(analyzeRepository(snapshot({ ...app('sqlite3'), 'docker-compose.yml': withRedis + '  app:\n    build: .\n    ports:\n      - 8055:8055\n' })).stateful).toEqual(['redis']);
  });

  it('keeps the servers when the image picks one', () => {
    const a = analyzeRepository(snapshot(app('pg')));
    expect(a.stateful).toEqual(['mysql', 'postgres']);
    expect(a.localState).toEqual([]);
  });
});
