// A Next.js app that keeps one Prisma schema per engine (prisma/sqlite, prisma/pgsql, prisma/mysql) and whose
// image picks the engine with a build argument defaulting to SQLite (`ARG DB_TYPE=sqlite`, `ENV DB_TYPE=$DB_TYPE`):
// the image runs on a SQLite file, and the server engines' schemas are alternatives, not stores it needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const schema = (provider: string) => `generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider = "${provider}"\n  url      = env("DB_URL")\n}\n`;
const image = (arg: string) => `FROM node:18-alpine\nARG DB_TYPE=${arg}\nENV DB_TYPE=$DB_TYPE\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 3000\nCMD ["npm", "run", "start:with-migrate"]\n`;
const app = (files: Record<string, string>) => snapshot({
  'package.json': JSON.stringify({ name: 'comments', scripts: { build: 'next build', start: 'next start', 'start:with-migrate': 'prisma migrate deploy --schema ./prisma/$DB_TYPE/schema.prisma && next start -p 3000' }, dependencies: { next: '13.4.9', '@prisma/client': '5.0.0' }, devDependencies: { prisma: '5.0.0' } }),
  'pages/index.tsx': 'export default function Home() { return null }\n',
  'prisma/sqlite/schema.prisma': schema('sqlite'),
  'prisma/pgsql/schema.prisma': schema('postgresql'),
  'prisma/mysql/schema.prisma': schema('mysql'),
  ...files,
});

describe('per-engine Prisma schemas with the image on SQLite', () => {
  it('reads SQLite as the local database and leaves the server schemas out', () => {
    const a = analyzeRepository(app({ Dockerfile: image('sqlite') }));
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name)).toEqual(['SQLite']);
    expect(a.evidence).toContainEqual({ fact: 'optional postgres: one of the per-engine Prisma schemas, and the image selects SQLite', source: 'prisma/pgsql/schema.prisma:6' });
  });

  it('keeps the servers when the build argument defaults to one, or there is no image', () => {
    expect(analyzeRepository(app({ Dockerfile: image('pgsql') })).stateful).toEqual(['mysql', 'postgres']);
    expect(analyzeRepository(app({})).stateful).toEqual(['mysql', 'postgres']);
  });

  it('keeps the server when no schema is a SQLite one', () => {
    expect(analyzeRepository(app({ Dockerfile: image('sqlite'), 'prisma/sqlite/schema.prisma': schema('postgresql'), 'prisma/mysql/schema.prisma': '' })).stateful).toEqual(['postgres']);
  });
});
