// Shapes from the round-35 dev cases and the dev misses left before them: a system of apps (compose building a server and a
// client from their folders, nothing at the root) whose port and start command the root reading took from one image.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });

describe('a system of a server and a client whose port comes from the server image', () => {
  const files = (serverImage: string) => ({
    'docker-compose.yml': ['services:', '  backend:', '    build:', '      context: .', '      dockerfile: server/Dockerfile', '    ports: ["3001:3001"]', '    depends_on: [postgres]', '  client:', '    build:', '      context: .', '      dockerfile: client/Dockerfile', '    ports: ["3002:3002"]', '  postgres:', '    image: postgres:17', ''].join('\n'),
    'server/Dockerfile': serverImage,
    'server/package.json': '{"name": "server", "scripts": {"start": "node dist/index.js"}, "dependencies": {"fastify": "^5.0.0", "pg": "^8.0.0"}}\n',
    'server/src/index.ts': 'import Fastify from "fastify";\nconst app = Fastify();\napp.listen({ port: 3001, host: "0.0.0.0" });\n',
    'client/Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY client/ .\nRUN npm ci && npm run build\nEXPOSE 3002\nCMD ["npm", "start"]\n',
    'client/package.json': '{"name": "client", "scripts": {"start": "next start -p 3002", "build": "next build"}, "dependencies": {"next": "^15.0.0", "react": "^19.0.0"}}\n',
  });
  const server = ['FROM node:20-alpine', 'WORKDIR /app', 'COPY server/ .', 'RUN npm ci && npm run build', 'COPY server/docker-entrypoint.sh /docker-entrypoint.sh', 'EXPOSE 3001', 'ENTRYPOINT ["/docker-entrypoint.sh"]', 'CMD ["node", "dist/index.js"]', ''].join('\n');

  it('runs the command of the image its port was read from', () => {
    expect(analyzeRepository(snapshot(files(server)))).toMatchObject({ kind: 'web', port: 3001, startCommand: '/docker-entrypoint.sh node dist/index.js' });
  });
});
