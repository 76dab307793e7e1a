// A compose file running a SQL server beside an app that embeds SQLite, when the app's service leaves its database
// settings commented out and nothing else points it at the server (no depends_on, links, env file or database
// setting): SQLite stays the app's database, the server an option.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (appService: string) => snapshot({
  'go.mod': 'module example.com/tracker\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/lib/pq v1.10.9\n\tmodernc.org/sqlite v1.29.0\n)\n',
  'main.go': 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-chi/chi/v5"\n)\n\nfunc main() {\n\tr := chi.NewRouter()\n\thttp.ListenAndServe(":7000", r)\n}\n',
  Dockerfile: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /tracker .\n\nFROM alpine\nCOPY --from=build /tracker /usr/local/bin/tracker\nVOLUME /config\nEXPOSE 7000\nENTRYPOINT ["/usr/local/bin/tracker"]\n',
  'docker-compose.yml': `services:\n  tracker:\n    build: .\n    ports:\n      - "7000:7000"\n${appService}\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=postgres\n`,
});

describe('a compose SQL server the app\'s service leaves commented out', () => {
  it('is an option beside the embedded SQLite, not the app\'s store', () => {
    const a = analyzeRepository(app('    volumes:\n      - ./config:/config\n#    environment:\n#      TRACKER_DB_HOST: db'));
    expect(a.stateful).toEqual([]);
    expect(a.evidence.some((e) => e.fact.startsWith('optional postgres: docker-compose.yml runs it, but the app\'s service leaves') && e.source === 'docker-compose.yml:11')).toBe(true);
  });

  it('stays the store with nothing commented out, or when the app depends on it, links to it, is given a database setting or loads an env file', () => {
    expect(analyzeRepository(app('    volumes:\n      - ./config:/config')).stateful).toEqual(['postgres']);
    for (const wiring of ['    depends_on:\n      - db', '    links:\n      - db:database', '    environment:\n      TRACKER_DB_HOST: db', '    environment:\n      - DATABASE_URL=${DATABASE_URL}', '    env_file: .env']) {
      expect(analyzeRepository(app(`${wiring}\n#      TRACKER_DB_PASSWORD: postgres`)).stateful).toEqual(['postgres']);
    }
  });
});
