// A workspace root whose start script is `run-script-os`: on a Linux server the `start:linux`/`start:nix`/`start:default`
// script runs, and `cd packages/server/bin && ./run start` runs the package whose package.json is above that folder.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const root = (scripts: string) => `{ "name": "flows", "private": true, "workspaces": ["packages/*"], "scripts": { ${scripts} }, "devDependencies": { "turbo": "^2", "run-script-os": "^1.1.6" } }\n`;
const files = {
  'packages/server/package.json': '{ "name": "flows-server", "bin": { "flows": "./bin/run" }, "dependencies": { "express": "4.21.0" } }\n',
  'packages/server/bin/run': '#!/usr/bin/env node\nrequire("../dist/commands/start");\n',
  'packages/server/src/index.ts': 'import http from "node:http";\nimport express from "express";\nconst app = express();\nhttp.createServer(app).listen(3000);\n',
  'packages/ui/package.json': '{ "name": "flows-ui", "devDependencies": { "vite": "5.0.0" } }\n',
  Dockerfile: 'FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nRUN pnpm install && pnpm build\nEXPOSE 3000\nCMD ["pnpm", "start"]\n',
};

describe('a run-script-os start script', () => {
  it("follows start:default into the server package above the folder it cds into", () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': root('"start": "run-script-os", "start:windows": "cd packages/server/bin && run start", "start:default": "cd packages/server/bin && ./run start"') }));
    expect(a.framework).toBe('express');
    expect(a.port).toBe(3000);
  });

  it('prefers start:linux to start:default', () => {
    const a = analyzeRepository(snapshot({ ...files, 'package.json': root('"start": "run-script-os", "start:linux": "cd packages/server && node dist/index.js", "start:default": "cd packages/ui && vite preview"') }));
    expect(a.framework).toBe('express');
  });
});
