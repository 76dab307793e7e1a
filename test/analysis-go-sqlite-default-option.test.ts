// A Go app embedding SQLite beside one SQL server driver, whose database option defaults to a SQLite file in the code
// (`long:"db" env:"DB" default:"tg-spam.db"`, `flag.String("db", "data/store.db", …)`): run as shipped it writes that
// file, so the server is what the option can be pointed at, not a store the deployment needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const GO_MOD = 'module example.com/guard\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tmodernc.org/sqlite v1.29.0\n)\n';
const DOCKERFILE = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /guard .\n\nFROM alpine\nCOPY --from=build /guard /srv/guard\nEXPOSE 8080\nENTRYPOINT ["/srv/guard"]\n';
const app = (options: string, extra: Record<string, string> = {}) => snapshot({
  'go.mod': GO_MOD,
  Dockerfile: DOCKERFILE,
  'main.go': `package main\n\nimport "net/http"\n\nvar opts struct {\n${options}\n}\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n`,
  ...extra,
});

describe('a Go database option defaulting to a SQLite file', () => {
  it('makes the single server driver an option (struct tag or flag default)', () => {
    const a = analyzeRepository(app('\tDB string `long:"db" env:"DB" default:"guard.db" description:"database URL"`'));
    expect(a.stateful).toEqual([]);
    expect((a.localState ?? []).map((s) => s.name)).toContain('SQLite');
    expect(a.evidence.some((e) => e.fact === 'optional SQL server: the code\'s database option defaults to the SQLite file guard.db' && e.source === 'main.go:6')).toBe(true);
    const flagged = analyzeRepository(app('\tDSN string\n}\n\nvar dbPath = flag.String("db-path", "data/guard.sqlite3", "path to database")\nvar _ = struct {'));
    expect(flagged.stateful).toEqual([]);
  });

  it('leaves the server when the default is not a SQLite file, the option is not the database, or compose runs the server for the app', () => {
    expect(analyzeRepository(app('\tDB string `long:"db" env:"DB" default:"postgres://localhost/guard"`')).stateful).toEqual(['postgres']);
    expect(analyzeRepository(app('\tFile string `long:"file" env:"FILE" default:"./var/pictures.db"`')).stateful).toEqual(['postgres']);
    const composed = app('\tDB string `long:"db" env:"DB" default:"guard.db"`', {
      'docker-compose.yml': 'services:\n  guard:\n    build: .\n    environment:\n      - DB=postgres://guard:secret@db/guard\n    depends_on:\n      - db\n  db:\n    image: postgres:16\n',
    });
    expect(analyzeRepository(composed).stateful).toEqual(['postgres']);
  });
});
