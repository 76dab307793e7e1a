// A pnpm/Turborepo workspace whose root Dockerfile ships one package's server build (`COPY --from=builder
// /app/apps/web/.next/standalone ./`): the root manifest names no framework, the shipped package does.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const dockerfile = (copies: string) => `FROM node:22-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN pnpm install && pnpm build\n\nFROM node:22-alpine AS runner\nWORKDIR /app\n${copies}EXPOSE 7575\nCMD ["node", "apps/web/server.js"]\n`;
const workspace = {
  'package.json': '{ "name": "dash", "private": true, "scripts": { "build": "turbo build", "dev": "pnpm -F web dev" }, "devDependencies": { "turbo": "^2" } }\n',
  'pnpm-workspace.yaml': 'packages:\n  - apps/*\n  - packages/*\n',
  'apps/web/package.json': '{ "name": "web", "scripts": { "start": "next start" }, "dependencies": { "next": "15.0.0", "react": "19.0.0" } }\n',
  'apps/api/package.json': '{ "name": "api", "scripts": { "start": "node dist/main.js" }, "dependencies": { "fastify": "5.0.0" } }\n',
  'packages/cli/package.json': '{ "name": "@dash/cli", "dependencies": { "commander": "12.0.0" } }\n',
  // A benchmark script with a bare http server: not what the image runs.
  'scripts/bench.mjs': 'import { createServer } from "node:http";\ncreateServer((q, s) => s.end()).listen(9999);\n',
};

describe('the workspace package a root image ships', () => {
  it("takes the framework of the one shipped package that has one", () => {
    const a = analyzeRepository(snapshot({ ...workspace, Dockerfile: dockerfile('COPY --from=builder /app/packages/cli/cli.cjs /app/cli.cjs\nCOPY --from=builder /app/apps/web/.next/standalone ./\nCOPY --from=builder /app/apps/web/public ./apps/web/public\n') }));
    expect(a.language).toBe('node');
    expect(a.framework).toBe('nextjs');
    expect(a.port).toBe(7575);
    expect(a.evidence).toContainEqual({ fact: 'the image ships workspace package apps/web', source: 'Dockerfile:9' });
  });

  it('decides nothing when the image ships two servers', () => {
    const a = analyzeRepository(snapshot({ ...workspace, Dockerfile: dockerfile('COPY --from=builder /app/apps/web/.next/standalone ./\nCOPY --from=builder /app/apps/api/dist ./api\n') }));
    expect(a.framework).not.toBe('nextjs');
    expect(a.evidence.some((e) => e.fact.startsWith('the image ships workspace package'))).toBe(false);
  });
});
