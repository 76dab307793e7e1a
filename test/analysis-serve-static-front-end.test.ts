// Round 24: a compose front-end whose image serves the React build with the npm `serve` package (`npm install -g serve`
// in its last stage, a run script that execs `serve -s … build/`, or `serve -s build` as the command) is a static
// front-end, as one in nginx is: the entry service whose image, port and command describe the system is the API beside it
// (your_spotify: Dockerfile.client.production beside Dockerfile.server.production). A front-end image that runs Node itself is not.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const compose = [
  'services:',
  '  app:',
  '    build:',
  '      context: .',
  '      dockerfile: Dockerfile.server.production',
  '    ports:',
  '      - "8080:8080"',
  '  mongo:',
  '    image: mongo:8',
  '  web:',
  '    build:',
  '      context: .',
  '      dockerfile: Dockerfile.client.production',
  '    ports:',
  '      - "3000:3000"',
  '',
].join('\n');
const system = (clientRuntime: string) =>
  analyzeRepository(snapshot({
    'docker-compose-prod.yml': compose,
    'package.json': JSON.stringify({ name: 'root', private: true }),
    'pnpm-workspace.yaml': 'packages:\n  - apps/*\n',
    'apps/server/package.json': JSON.stringify({ name: 'server', scripts: { start: 'node build/index.js' }, dependencies: { express: '^5.0.0', mongoose: '^9.0.0' } }),
    'apps/server/src/index.ts': 'import express from "express";\nconst app = express();\napp.listen(Number(process.env.PORT ?? 8080));\n',
    'apps/client/package.json': JSON.stringify({ name: 'client', scripts: { build: 'rsbuild build' }, devDependencies: { '@rsbuild/core': '1.0.0' } }),
    'apps/client/src/index.tsx': 'export const App = () => null;\n',
    'Dockerfile.server.production': 'FROM node:22-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN pnpm install && pnpm build\nFROM node:22-alpine\nWORKDIR /app\nCOPY --from=builder /app/apps/server/build/ apps/server/build/\nENTRYPOINT [ "sh", "/app/apps/server/scripts/run/run.sh" ]\n',
    'Dockerfile.client.production': `FROM node:22-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN pnpm install && pnpm build\nFROM node:22-alpine\nWORKDIR /app\n${clientRuntime}`,
  }));

describe('a front-end image served by the npm `serve` package', () => {
  it('is not the entry service: the API beside it is', () => {
    const a = system('RUN npm install -g serve\nCOPY --from=builder /app/apps/client/build/ apps/client/build/\nENTRYPOINT [ "sh", "/app/apps/client/scripts/run/run.sh" ]\n');
    expect(a.startCommand).toBe('sh /app/apps/server/scripts/run/run.sh');
    expect(a.port).toBe(8080);
    expect(a.framework).toBe('express');
  });

  it('…nor when its command runs `serve -s` itself', () => {
    const a = system('COPY --from=builder /app/apps/client/build/ build/\nCMD ["npx", "serve", "-s", "build", "-l", "3000"]\n');
    expect(a.startCommand).toBe('sh /app/apps/server/scripts/run/run.sh');
  });

  it('is the entry service when its image runs Node code of its own beside serve', () => {
    const a = system('RUN npm install -g serve\nCOPY --from=builder /app/apps/client/build/ apps/client/build/\nCMD ["node", "apps/client/server.js"]\n');
    expect(a.startCommand).toBe('node apps/client/server.js');
  });

  it('serve-static (an express middleware) is not the `serve` server', () => {
    const a = system('RUN npm install -g serve-static\nCOPY --from=builder /app/apps/client/build/ apps/client/build/\nENTRYPOINT [ "sh", "/app/apps/client/scripts/run/run.sh" ]\n');
    expect(a.startCommand).toBe('sh /app/apps/client/scripts/run/run.sh');
  });
});
