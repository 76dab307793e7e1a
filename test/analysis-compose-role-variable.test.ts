// Two compose services build one image with the same command, one sets a variable the image's entrypoint
// script branches on (`WORKER=true`, `if [ -n "$WORKER" ]; then yarn start:worker`): the API and its queue
// worker, two services, not one service run twice. An environment name (APP_ENV=test) or a variable no script
// tests is a configuration of the same process.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const compose = (secondEnv: string) =>
  `services:\n  main:\n    build: .\n    ports:\n      - '3000:3000'\n    environment:\n      - REDIS_HOST=redis\n  worker:\n    build: .\n    environment:\n      - REDIS_HOST=redis\n      - ${secondEnv}\n  redis:\n    image: redis:7\n`;
const app = (secondEnv: string) => ({
  'package.json': '{ "name": "flows", "scripts": { "start": "node src/server.js", "start:worker": "node src/worker.js" }, "dependencies": { "express": "4.18.2", "bullmq": "5.0.0" } }\n',
  'src/server.js': 'const express = require("express");\nexpress().listen(process.env.PORT || 3000);\n',
  Dockerfile: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn --production\nEXPOSE 3000\nENTRYPOINT ["sh", "/app/entrypoint.sh"]\n',
  'entrypoint.sh': '#!/bin/sh\nset -e\nif [ -n "$WORKER" ]; then\n  yarn start:worker\nelif [ "$APP_ENV" = "test" ]; then\n  yarn test\nelse\n  yarn start\nfi\n',
  'docker-compose.yml': compose(secondEnv),
});
const names = (files: Record<string, string>) => analyzeRepository(snapshot(files)).services?.map((s) => s.name);

describe('a compose service that selects another role of the same image', () => {
  it('counts the service whose variable the entrypoint branches on as a second service', () => {
    expect(names(app('WORKER=true'))).toEqual(['main', 'worker']);
  });

  it('keeps an environment name (APP_ENV=test) as the same service', () => {
    expect(names(app('APP_ENV=test'))).toEqual(['main']);
  });

  it('keeps a variable no script tests (LOG_LEVEL=debug) as the same service', () => {
    expect(names(app('LOG_LEVEL=debug'))).toEqual(['main']);
  });
});
