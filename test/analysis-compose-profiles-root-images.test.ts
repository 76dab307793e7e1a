// Round 5 (Node/compose shapes): compose profiles, sub-app platform files, one Dockerfile building
// several apps, local-disk state. Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

describe('compose profiles', () => {
  const dockerfile = 'FROM node:20 AS base\nCOPY . .\nFROM base AS backend\nCMD ["node", "api.js"]\nFROM base AS app\nCMD ["node", "web.js"]\nFROM base AS aio\nCMD ["node", "all.js"]\n';
  const compose = [
    'services:',
    '  backend:\n    profiles: ["backend", "app"]\n    build:\n      context: .\n      target: backend\n    command: node api.js',
    '  app:\n    profiles: ["app"]\n    build:\n      context: .\n      target: app\n    command: node web.js',
    '  aio:\n    profiles: ["default"]\n    build:\n      context: .\n      target: aio',
    '  aio-no-db:\n    profiles: ["default-no-db"]\n    build:\n      context: .\n      target: aio',
    '  old-backend:\n    profiles: ["deprecated"]\n    build:\n      context: .\n      dockerfile: legacy/Dockerfile',
    '  db:\n    profiles: ["default", "app"]\n    image: postgres:16',
    '',
  ].join('\n');

  it('reads profiles', () => {
    expect(parseCompose('docker-compose.yml', compose).services.find((s) => s.name === 'backend')?.profiles).toEqual(['backend', 'app']);
  });

  it('a profile named default is the run the file designates: services only in other profiles are alternatives', () => {
    const files = snapshot({ 'package.json': '{"name":"x"}', Dockerfile: dockerfile, 'legacy/Dockerfile': 'FROM node:20\nCMD ["node", "old.js"]\n', 'docker-compose.yml': compose });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['aio']);
  });

  it('without a default profile every profiled service still counts', () => {
    const plain = compose.replace(/"default"/g, '"all"');
    const files = snapshot({ 'package.json': '{"name":"x"}', Dockerfile: dockerfile, 'legacy/Dockerfile': 'FROM node:20\nCMD ["node", "old.js"]\n', 'docker-compose.yml': plain });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', plain)).length).toBeGreaterThan(1);
  });
});

describe('a workspace whose root compose runs one all-in-one image', () => {
  it('is one app, not its package folders', () => {
    const files = snapshot({
      'package.json': '{"name":"suite","private":true}',
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'prod.Dockerfile': 'FROM node:20 AS aio\nCOPY . .\nEXPOSE 3000\nCMD ["node", "aio_run.mjs"]\n',
      'docker-compose.yml': 'services:\n  suite-aio:\n    build:\n      context: .\n      dockerfile: prod.Dockerfile\n      target: aio\n  db:\n    image: postgres:16\n',
      'packages/backend/package.json': '{"name":"backend","dependencies":{"@nestjs/core":"10.0.0"},"scripts":{"start":"node dist/main.js"}}',
      'packages/backend/src/main.ts': 'app.listen(3170)\n',
      'packages/web/package.json': '{"name":"web","dependencies":{"express":"4.0.0"},"scripts":{"start":"node server.js"}}',
      'packages/web/server.js': 'require("express")().listen(3000)\n',
    });
    const a = analyzeRepository(files);
    expect(a.services?.map((s) => s.name)).toEqual(['suite-aio']);
    expect(a.startCommand).toBe('node aio_run.mjs');
  });
});

describe('a workspace whose root compose builds one app folder', () => {
  it('still has its app folders: the image is that app, not the repository', () => {
    const files = snapshot({
      'package.json': '{"name":"suite","private":true}',
      'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
      'docker-compose.yml': 'services:\n  selfhosted:\n    build:\n      context: .\n      dockerfile: ./apps/web/Dockerfile\n  db:\n    image: postgres:16\n',
      'apps/web/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "apps/web/server.js"]\n',
      'apps/web/package.json': '{"name":"web","dependencies":{"express":"4.0.0"},"scripts":{"start":"node server.js"}}',
      'apps/web/server.js': 'require("express")().listen(3000)\n',
      'apps/landing/package.json': '{"name":"landing","dependencies":{"express":"4.0.0"},"scripts":{"start":"node server.js"}}',
      'apps/landing/server.js': 'require("express")().listen(3001)\n',
    });
    expect(analyzeRepository(files).services?.length).toBe(2);
  });
});

describe('a stale netlify.toml', () => {
  const server = { 'package.json': '{"name":"api","dependencies":{"express":"4.0.0"},"scripts":{"start":"node server.js"}}', 'server.js': 'const app = require("express")();\napp.listen(3000);\n', Dockerfile: 'FROM node:20\nCOPY . .\nCMD ["node", "server.js"]\n' };
  it('publishing a folder built in a package that no longer exists is not a hosting target', () => {
    const a = analyzeRepository(snapshot({ ...server, 'netlify.toml': '[build]\n  base = "/"\n  publish = "packages/old-web/dist"\n' }));
    expect(a.serverlessAdapter ?? null).toBeNull();
  });
  it('publishing a folder of an existing package still is', () => {
    const a = analyzeRepository(snapshot({ ...server, 'packages/web/package.json': '{"name":"web"}', 'netlify.toml': '[build]\n  publish = "packages/web/dist"\n' }));
    expect(a.serverlessAdapter).toBeTruthy();
  });
});

describe('compose helpers around a system of services', () => {
  const web = { 'web/package.json': '{"name":"web","dependencies":{"express":"4.0.0"}}', 'web/server.js': 'require("express")().listen(3000)\n', 'web/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "server.js"]\n' };
  const api = { 'api/requirements.txt': 'django==4.2\n', 'api/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["./bin/api.sh"]\n' };

  it('a migrator service is a one-shot job', () => {
    const compose = 'services:\n  web:\n    build: ./web\n  api:\n    build: ./api\n  migrator:\n    build: ./api\n    restart: "no"\n    command: ./bin/migrate.sh\n';
    expect(firstPartyServices(snapshot({ ...web, ...api, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['api', 'web']);
  });

  it('a Caddy image compiled with plugins in a caddy builder stage, plus its Caddyfile, is a proxy', () => {
    const proxy = 'FROM caddy:2-builder-alpine AS caddy-builder\nRUN xcaddy build --with github.com/caddy-dns/cloudflare\nFROM caddy:2-alpine\nCOPY --from=caddy-builder /usr/bin/caddy /usr/bin/caddy\nCOPY Caddyfile.ce /etc/caddy/Caddyfile\n';
    const compose = 'services:\n  web:\n    build: ./web\n  api:\n    build: ./api\n  proxy:\n    build:\n      context: ./proxy\n      dockerfile: Dockerfile.ce\n';
    const files = snapshot({ ...web, ...api, 'proxy/Dockerfile.ce': proxy, 'proxy/Caddyfile.ce': ':80\n', 'docker-compose.yml': compose });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['api', 'web']);
    // A stage that builds the app is code, not the proxy's.
    const app = 'FROM node:20 AS build\nCOPY . .\nRUN npm run build\nFROM caddy:2-alpine\nCOPY --from=build /app/dist /srv\n';
    const withApp = snapshot({ ...web, ...api, 'proxy/Dockerfile.ce': app, 'docker-compose.yml': compose });
    expect(firstPartyServices(withApp, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['api', 'proxy', 'web']);
  });
});

describe('a Temporal server', () => {
  it('is a backing service of an app with a Temporal client, and of a compose running its server image', () => {
    const api = { 'package.json': '{"name":"api","dependencies":{"express":"4.0.0","@temporalio/client":"1.14.0","pg":"8.0.0"}}', 'server.js': 'require("express")().listen(3000)\n' };
    expect(analyzeRepository(snapshot(api)).stateful).toEqual(['postgres', 'temporal']);
    const compose = 'services:\n  app:\n    build: .\n  temporal:\n    image: temporalio/auto-setup:1.28.1\n  db:\n    image: postgres:16\n';
    const plain = { 'package.json': '{"name":"api","dependencies":{"express":"4.0.0"}}', 'server.js': 'require("express")().listen(3000)\n', 'docker-compose.yml': compose };
    expect(analyzeRepository(snapshot(plain)).stateful).toEqual(['postgres', 'temporal']);
  });
});

describe('a workspace whose only image is a root Dockerfile variant', () => {
  const apps = {
    // One root manifest holds every app's dependencies (the apps' package.json files only hold scripts).
    'package.json': '{"name":"suite","private":true,"scripts":{"pm2":"pm2 start all"},"dependencies":{"@nestjs/core":"10.0.0","next":"14.0.0"}}',
    'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
    'apps/backend/package.json': '{"name":"backend","dependencies":{"@nestjs/core":"10.0.0"},"scripts":{"start":"node dist/main.js"}}',
    'apps/backend/src/main.ts': 'app.listen(3000)\n',
    'apps/frontend/package.json': '{"name":"frontend","dependencies":{"next":"14.0.0"},"scripts":{"start":"next start"}}',
    'apps/frontend/app/page.tsx': 'export default function Page() { return null }\n',
  };
  it('is one app: that image runs the workspace', () => {
    const a = analyzeRepository(snapshot({ ...apps, 'Dockerfile.prod': 'FROM node:22\nCOPY . /app\nRUN pnpm install && pnpm run build\nEXPOSE 5000\nCMD ["sh", "-c", "pnpm run pm2"]\n' }));
    expect(a.kind).toBe('web');
    expect(Math.max(1, a.services?.length ?? 0)).toBe(1);
    expect(a.startCommand).toBe("sh -c 'pnpm run pm2'");
  });
  it('but not when an app folder builds an image of its own', () => {
    const a = analyzeRepository(snapshot({ ...apps, 'Dockerfile.prod': 'FROM node:22\nCOPY . /app\nCMD ["node", "apps/backend/dist/main.js"]\n', 'apps/frontend/Dockerfile': 'FROM node:22\nCOPY . .\nCMD ["npx", "next", "start"]\n', 'docker-compose.yml': 'services:\n  api:\n    build:\n      context: .\n      dockerfile: Dockerfile.prod\n  web:\n    build: ./apps/frontend\n' }));
    expect(a.services?.length).toBe(2);
  });
});
