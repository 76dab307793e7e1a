// A store the compose file offers only as a commented-out service (`# rabbitmq:` / `#   image: rabbitmq:3`) while it
// runs the app and another store: the author left it off, so its client library names an opt-in backend, not a need.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pkg = '{ "name": "reader", "scripts": { "start": "node index.js" }, "dependencies": { "express": "4.21.0", "ioredis": "5.4.0", "amqplib": "0.10.4" } }\n';
const files = {
  'package.json': pkg,
  'index.js': 'const express = require("express");\nexpress().listen(8000);\n',
  Dockerfile: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 8000\nCMD ["node", "index.js"]\n',
  '.env': 'REDIS_URL=redis://127.0.0.1:6379\nRABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672\n',
};
const compose = (rabbit: string) => `services:\n  app:\n    build: .\n    depends_on:\n      - redis\n${rabbit}  redis:\n    image: redis:7-alpine\n`;

describe('a store the compose file leaves commented out', () => {
  it('is an opt-in backend when compose runs no service of it', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('  # rabbitmq:\n  #     image: rabbitmq:3-management-alpine\n  #     ports:\n  #         - "15672:15672"\n') }));
    expect(a.stateful).toEqual(['redis']);
    expect(a.evidence).toContainEqual({ fact: 'optional rabbitmq: rabbitmq service commented out in docker-compose.yml', source: 'docker-compose.yml:7' });
  });

  it('is needed when compose runs it, or nothing comments it out', () => {
    const running = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('  rabbitmq:\n    image: rabbitmq:3\n  # rabbitmq-old:\n  #   image: rabbitmq:2\n') }));
    expect(running.stateful).toEqual(['rabbitmq', 'redis']);
    const plain = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose('') }));
    expect(plain.stateful).toEqual(['rabbitmq', 'redis']);
  });
});
