// An app with an embedded SQL driver whose env template offers a server database only as a
// commented-out URL: the server driver is an option, SQLite the default.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (env: string) =>
  snapshot({
    'pyproject.toml': '[project]\nname = "wallet"\ndependencies = [\n    "fastapi==0.116.1",\n    "uvicorn==0.40.0",\n    "aiosqlite==0.22.1",\n    "asyncpg==0.31.0",\n]\n',
    'wallet/app.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
    '.env.example': env,
  });

describe('server database URL commented out in the env template', () => {
  it('keeps the server driver as an option and SQLite as the state', () => {
    const a = analyzeRepository(app('# to use PostgreSQL, set WALLET_DATABASE_URL\nWALLET_DATA_FOLDER="./data"\n# WALLET_DATABASE_URL="postgres://user:password@host:5432/db"\n'));
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name)).toContain('SQLite');
    expect(a.evidence.some((e) => /leaves WALLET_DATABASE_URL commented out/.test(e.fact) && e.source === '.env.example:3')).toBe(true);
  });

  it('does not take a test network compose (docker/regtest/) for the deployment', () => {
    const files = Object.fromEntries(app('WALLET_DATA_FOLDER="./data"\n# WALLET_DATABASE_URL="postgres://user:password@host:5432/db"\n').files);
    const harness = 'services:\n  wallet:\n    image: example/wallet\n    volumes:\n      - wallet-data:/app/data\n  node:\n    image: example/node\n    depends_on:\n      - node-postgres\n  node-postgres:\n    image: postgres:14-alpine\nvolumes:\n  wallet-data:\n';
    const a = analyzeRepository(snapshot({ ...files, 'docker/regtest/docker-compose.yml': harness }));
    expect(a.hasCompose).toBe(false);
    expect(a.stateful).toEqual([]);
  });

  it('keeps the server when the template sets the URL', () => {
    const a = analyzeRepository(app('WALLET_DATABASE_URL="postgres://user:password@host:5432/db"\n# WALLET_DATABASE_URL="postgres://other"\n'));
    expect(a.stateful).toContain('postgres');
  });
});
