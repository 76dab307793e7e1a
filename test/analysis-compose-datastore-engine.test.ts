// An app built with drivers for several SQL servers runs on the one its compose service selects by an engine setting
// (authzed/spicedb: SPICEDB_DATASTORE_ENGINE=cockroachdb beside pgx and go-sql-driver/mysql): the other servers its
// dependencies name are options, not stores it needs. Without such a setting, or with one naming no SQL server, the
// drivers stay the stores.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { sqlServerTheComposeSelects } from '../function/src/analysis/stateful.js';
import { snapshot } from './helpers/snapshot.js';

const repo = (environment: string) => snapshot({
  'go.mod': 'module example.com/authz\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-sql-driver/mysql v1.9.3\n\tgithub.com/jackc/pgx/v5 v5.7.0\n)\n',
  'main.go': 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
  Dockerfile: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /authz .\n\nFROM alpine\nCOPY --from=build /authz /usr/local/bin/authz\nEXPOSE 8080\nENTRYPOINT ["authz"]\n',
  'docker-compose.yml': `services:\n  crdb:\n    image: cockroachdb/cockroach:v25.2.0\n  authz:\n    build: .\n    command: serve\n    environment:\n${environment}\n`,
});

describe('the SQL engine the app\'s compose service selects', () => {
  it('rules out the other SQL servers only its drivers name', () => {
    const a = analyzeRepository(repo('      - "AUTHZ_DATASTORE_ENGINE=cockroachdb"\n      - "AUTHZ_DATASTORE_CONN_URI=postgresql://root@crdb:26257/defaultdb"'));
    expect(a.stateful).toEqual(['postgres']);
    expect(a.evidence.some((e) => e.fact.startsWith('optional mysql: only a driver names it'))).toBe(true);
  });

  it('reads the map form and the usual names (DB_TYPE: mysql)', () => {
    expect(analyzeRepository(repo('      DB_TYPE: mysql')).stateful).toEqual(['mysql']);
  });

  it('leaves the drivers as stores with no engine setting, or one naming no SQL server', () => {
    expect(analyzeRepository(repo('      - LOG_LEVEL=debug')).stateful).toEqual(['mysql', 'postgres']);
    expect(analyzeRepository(repo('      - AUTHZ_DATASTORE_ENGINE=memory')).stateful).toEqual(['mysql', 'postgres']);
  });

  it('does not read a setting that only mentions an engine in a longer value (DB_ENGINE_POOL=postgres-pool)', () => {
    const app = parseCompose('docker-compose.yml', 'services:\n  app:\n    build: .\n    environment:\n      - DB_ENGINE_POOL=postgres\n      - DB_TYPE_HINT=mysql\n').services[0];
    expect(sqlServerTheComposeSelects(app)).toBeUndefined();
  });
});
