// Round 5 (Node/compose shapes): compose profiles, sub-app platform files, one Dockerfile building
// several apps, local-disk state. Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });

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
