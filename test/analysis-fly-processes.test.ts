// Round 8 shapes of a Node server deployed on fly.io (eval/RUBRIC.md services/state): fly.toml process
// groups are the services, a libsql client with a file URL is a local SQLite database.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (deps: Record<string, string>) => ({
  'package.json': JSON.stringify({ name: 'docs-server', type: 'module', scripts: { start: 'node dist/index.js' }, dependencies: { hono: '4.6.0', '@hono/node-server': '1.13.0', ...deps } }),
  'src/index.ts': "import { serve } from '@hono/node-server';\nimport { app } from './app';\nserve({ fetch: app.fetch, port: 1221 });\n",
  Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 1221\nCMD ["npm", "start"]\n',
});

const fly = (processes: string) => `app = 'docs-server'\n\n[deploy]\nrelease_command = "npm run migrate"\n\n${processes}[http_service]\ninternal_port = 1221\nprocesses = ['web']\n`;

describe('fly.toml process groups', () => {
  it('are the services when no Procfile or compose names them', () => {
    const a = analyzeRepository(snapshot({ ...app({}), 'fly.toml': fly('[processes]\nweb = "env MODE=web npm start"\nworker = "env MODE=worker npm start"\n\n') }));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('a single group (or none) leaves the one plain service', () => {
    const one = analyzeRepository(snapshot({ ...app({}), 'fly.toml': fly('[processes]\napp = "npm start"\n\n') }));
    const none = analyzeRepository(snapshot({ ...app({}), 'fly.toml': fly('') }));
    expect(one.services?.length ?? 0).toBeLessThan(2);
    expect(none.services?.length ?? 0).toBeLessThan(2);
  });
});

describe('a libsql client', () => {
  it('is an embedded SQLite database: local-file state, no network store', () => {
    const a = analyzeRepository(snapshot(app({ '@libsql/client': '0.14.0' })));
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name)).toContain('SQLite (libsql)');
  });
});
