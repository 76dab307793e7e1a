// Round 20: the app's image selecting SQLite under the app's own prefix (`ENV GITNESS_DATABASE_DRIVER sqlite3`) is the
// image's choice of engine, and with it a single SQL-server driver beside the embedded SQLite one is the alternative.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { imageSelectsSqlite } from '../function/src/analysis/stateful.js';
import { snapshot } from './helpers/snapshot.js';

const goMod = 'module example.com/forge\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jackc/pgx/v5 v5.5.0\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n)\n';
const dockerfile = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /forge ./cmd/forge\n\nFROM alpine:3.20\nVOLUME /data\nENV FORGE_DATABASE_DRIVER sqlite3\nENV FORGE_DATABASE_DATASOURCE /data/database.sqlite\nCOPY --from=build /forge /app/forge\nEXPOSE 3000\nENTRYPOINT ["/app/forge", "server"]\n';
const main = 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-chi/chi/v5"\n)\n\nfunc main() { http.ListenAndServe(":3000", chi.NewRouter()) }\n';
const forge = (extra: Record<string, string> = {}) => analyzeRepository(snapshot({ 'go.mod': goMod, Dockerfile: dockerfile, 'cmd/forge/main.go': main, ...extra }));

describe('image selecting SQLite under the app prefix', () => {
  it('reads an app-prefixed database setting (legacy `ENV NAME value` form too) as the image choosing SQLite', () => {
    expect(imageSelectsSqlite(snapshot({ Dockerfile: dockerfile }), 'Dockerfile')).toEqual({ value: 'sqlite', source: 'Dockerfile:8' });
    expect(imageSelectsSqlite(snapshot({ Dockerfile: 'FROM alpine\nENV FLAGR_DB_DBDRIVER=sqlite3\n' }), 'Dockerfile')).toEqual({ value: 'sqlite', source: 'Dockerfile:2' });
  });

  it('makes a single Postgres driver beside the embedded SQLite an option', () => {
    const a = forge();
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional postgres: one of several SQL engines the app supports beside its embedded SQLite', source: 'go.mod:7' });
    expect(a.evidence).toContainEqual({ fact: 'the app\'s image selects SQLite', source: 'Dockerfile:8' });
  });

  it('keeps Postgres when the image selects it, or says nothing', () => {
    expect(forge({ Dockerfile: dockerfile.replace('FORGE_DATABASE_DRIVER sqlite3', 'FORGE_DATABASE_DRIVER postgres') }).stateful).toEqual(['postgres']);
    expect(forge({ Dockerfile: dockerfile.replace('ENV FORGE_DATABASE_DRIVER sqlite3\n', '') }).stateful).toEqual(['postgres']);
    expect(imageSelectsSqlite(snapshot({ Dockerfile: 'FROM alpine\nENV FORGE_DATABASE_DRIVER=sqlite3x\nENV NOTDB_TYPE=sqlite\n' }), 'Dockerfile')).toBeUndefined();
  });

  it('runs in linear time on a long line', () => {
    const t = Date.now();
    imageSelectsSqlite(snapshot({ Dockerfile: `ENV ${'A_'.repeat(50_000)}DB_TYPE\n` }), 'Dockerfile');
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
