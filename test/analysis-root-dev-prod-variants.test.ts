// Round 14: root Dockerfile variants named for their environment (`Dockerfile.dev`, `Dockerfile.prod`) with no plain
// `Dockerfile`, compose building the development one: the app's image is the production build, whatever sorts first.
// Synthetic in-memory repositories; the rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'package.json': '{"name":"api","scripts":{"start":"node dist/server.js","dev":"nodemon src/server.ts"},"dependencies":{"express":"^4.18.1"}}',
  'src/server.ts': 'import express from "express";\nconst app = express();\napp.listen(process.env.PORT || 3000);\n',
  'Dockerfile.dev': 'FROM node:20\nCOPY . /app\nWORKDIR /app\nRUN npm install\nEXPOSE 3000\nCMD ["npm", "run", "dev"]\n',
  'Dockerfile.prod': 'FROM node:20\nCOPY . /app\nWORKDIR /app\nRUN npm install\nEXPOSE 3000\nCMD ["npm", "run", "start"]\n',
  'docker-compose.yml': 'services:\n  server:\n    build:\n      context: ./\n      dockerfile: Dockerfile.dev\n    volumes:\n      - ./:/app\n',
};

describe('root Dockerfile variants for development and production', () => {
  it('takes the production build as the app image, not the development one compose builds', () => {
    const a = analyzeRepository(snapshot(app));
    expect(a.startCommand).toBe('npm run start');
  });

  it('puts test and CI builds after the production one too', () => {
    const a = analyzeRepository(snapshot({ ...app, 'Dockerfile.ci': 'FROM node:20\nCOPY . /app\nCMD ["npm", "test"]\n' }));
    expect(a.startCommand).toBe('npm run start');
  });

  it('keeps a lone development build when it is the only one', () => {
    const { ['Dockerfile.prod']: _prod, ...dev } = app;
    expect(analyzeRepository(snapshot(dev)).startCommand).toBe('npm run dev');
  });
});
