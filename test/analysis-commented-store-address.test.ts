// A store client (bullmq/ioredis) whose address settings the env template lists only commented out (`# REDIS_URL=`
// under a queue mode it leaves off) and that no compose service runs: an opt-in mode of the app, not a store it needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const files = {
  'packages/server/src/index.ts': 'import express from "express";\nexpress().listen(3000);\n',
  Dockerfile: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 3000\nCMD ["npm", "start"]\n',
};

describe('a store whose address the env template lists only commented out', () => {
  const queue = '{ "name": "flows-server", "dependencies": { "express": "4.21.0", "bullmq": "5.0.0", "ioredis": "5.4.0" } }\n';
  const root = '{ "name": "flows", "private": true, "workspaces": ["packages/*"], "scripts": { "start": "cd packages/server && node dist/index.js" } }\n';

  it('is an opt-in mode of the workspace package the root runs', () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': root, 'packages/server/package.json': queue, 'packages/server/.env.example': 'PORT=3000\n# MODE=queue\n# REDIS_URL=\n# REDIS_HOST=localhost\n# REDIS_PORT=6379\n' }));
    expect(a.framework).toBe('express');
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional redis: redis address commented out in the env template', source: 'packages/server/.env.example:3' });
  });

  it('is needed when the template sets it, or compose runs it', () => {
    const set = analyzeRepository(snapshot({ ...files, 'package.json': root, 'packages/server/package.json': queue, 'packages/server/.env.example': 'REDIS_URL=redis://localhost:6379\n' }));
    expect(set.stateful).toEqual(['redis']);
    const composed = analyzeRepository(snapshot({ ...files, 'package.json': root, 'packages/server/package.json': queue, 'packages/server/.env.example': '# REDIS_URL=\n', 'docker-compose.yml': 'services:\n  app:\n    build: .\n  redis:\n    image: redis:7\n' }));
    expect(composed.stateful).toEqual(['redis']);
  });
});
