// Round 21: one program built from several folders. An image that ships what `pnpm --filter <pkg> deploy` bundled runs
// that workspace package; when it is a thin bundle of a server package of the workspace (LaWebcapsule/directus9:
// directus/ depends only on `@wbce-d9/api: workspace:*`, whose package.json has express), that server's web framework is
// the app's. Synthetic in-memory repositories; the rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { pnpmDeploys } from '../function/src/analysis/manifests/node.js';
import { snapshot } from './helpers/snapshot.js';

const dockerfile = (shipped: string) =>
  `FROM node:22-alpine AS builder\nWORKDIR /app\nCOPY . .\nRUN pnpm install --frozen-lockfile\nRUN pnpm run build && pnpm --filter bundle deploy --prod dist\n\nFROM node:22-alpine\nWORKDIR /app\nEXPOSE 8055\nCOPY --from=builder /app/${shipped} .\nCMD ["node", "/app/cli.js", "start"]\n`;
const workspace = {
  'package.json': '{"name":"monorepo","private":true,"scripts":{"build":"pnpm -r build"},"devDependencies":{"eslint":"8.57.0"}}',
  'pnpm-workspace.yaml': 'packages:\n  - api\n  - app\n  - bundle\n',
  'bundle/package.json': '{"name":"@acme/bundle","bin":{"acme":"cli.js"},"dependencies":{"@acme/api":"workspace:*"}}',
  'bundle/cli.js': 'import("@acme/api/cli").then((m) => m.run());\n',
  'api/package.json': '{"name":"@acme/api","main":"dist/index.js","dependencies":{"@acme/app":"workspace:*","express":"4.19.2","ioredis":"5.3.2","pg":"8.11.0"}}',
  'api/src/server.ts': 'import http from "node:http";\nimport express from "express";\nexport const server = http.createServer(express());\n',
  'app/package.json': '{"name":"@acme/app","devDependencies":{"vite":"5.0.0","vue":"3.4.0"}}',
};

describe('an image shipping a pnpm deploy of a workspace bundle package', () => {
  it('takes the web framework of the server package the bundle links', () => {
    const a = analyzeRepository(snapshot({ ...workspace, Dockerfile: dockerfile('dist') }));
    expect(a.framework).toBe('express');
    expect(a.evidence?.some((e) => e.fact === 'the image ships workspace package bundle')).toBe(true);
  });

  it("…but not the linked server's drivers: which store a deployment uses is its configuration's to say", () => {
    const a = analyzeRepository(snapshot({ ...workspace, Dockerfile: dockerfile('dist') }));
    expect(a.stateful ?? []).not.toContain('redis');
    expect(a.stateful ?? []).not.toContain('postgres');
  });

  it('a deploy whose output the image does not ship decides nothing', () => {
    const a = analyzeRepository(snapshot({ ...workspace, Dockerfile: dockerfile('build') }));
    expect(a.framework).not.toBe('express');
  });
});

describe('pnpmDeploys', () => {
  it('reads the filter before or after deploy, and the output folder', () => {
    expect(pnpmDeploys('RUN pnpm --filter directus9 deploy --prod dist')).toEqual([{ filter: 'directus9', target: 'dist' }]);
    expect(pnpmDeploys('RUN pnpm deploy --filter=@imput/cobalt-api --prod /prod/api')).toEqual([{ filter: '@imput/cobalt-api', target: '/prod/api' }]);
    expect(pnpmDeploys('RUN pnpm install --frozen-lockfile && pnpm run build')).toEqual([]);
  });

  it('stays linear on a long line', () => {
    const start = Date.now();
    pnpmDeploys(`RUN pnpm ${'--x '.repeat(25_000)}deploy`);
    pnpmDeploys('pnpm '.repeat(20_000));
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('a pnpm deploy of a package with a framework of its own', () => {
  it('is left to the shipped paths: its linked packages add no framework', () => {
    const files = {
      ...workspace,
      'bundle/package.json': '{"name":"@acme/bundle","dependencies":{"@acme/api":"workspace:*","hono":"4.12.0"}}',
      Dockerfile: dockerfile('dist'),
    };
    const a = analyzeRepository(snapshot(files));
    expect(a.framework).not.toBe('express');
    expect(a.evidence?.some((e) => e.fact === 'the image ships workspace package bundle')).toBe(false);
  });
});
