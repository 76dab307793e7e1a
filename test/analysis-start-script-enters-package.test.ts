// A root image whose entrypoint script changes into the server's folder to start it (`cd server` then
// `node index.js`, then `cd ../client` to serve the built UI): the root package.json names no framework, the
// entered server package does. Only its framework is taken, not its database drivers (connectors for users' data).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const entrypoint = (lines: string) => `#!/bin/bash\n# cd docs (a comment is not a step)\n${lines}`;
const repo = (script: string, client = '{ "name": "client", "scripts": { "build": "vite build" }, "devDependencies": { "vite": "6.0.0" } }\n') => ({
  'package.json': '{ "name": "charts", "scripts": { "setup": "cd client && npm install" } }\n',
  Dockerfile: 'FROM node:22-slim\nWORKDIR /code\nCOPY . .\nRUN cd client && npm install && npm run build\nEXPOSE 4018\nENTRYPOINT ["./entrypoint.sh"]\n',
  'entrypoint.sh': entrypoint(script),
  'server/package.json': '{ "name": "server", "scripts": { "start": "node index" }, "dependencies": { "express": "5.1.0", "mongodb": "6.0.0", "pg": "8.5.1" } }\n',
  'server/index.js': 'const express = require("express");\nconst app = express();\napp.listen(process.env.PORT || 4019);\n',
  'client/package.json': client,
});

describe("the package an image's start script enters", () => {
  it('takes the framework of the folder the script changes into', () => {
    const a = analyzeRepository(snapshot(repo('cd server\nnohup node index.js &\n\ncd ../client\nnpx serve -s dist -l 4018\n')));
    expect(a.framework).toBe('express');
    expect(a.port).toBe(4018);
    expect(a.evidence).toContainEqual({ fact: "the image's start script runs package server", source: 'entrypoint.sh:3' });
    // The server's drivers connect to the data sources its users add: not the app's own stores.
    expect(a.stateful).not.toContain('mongodb');
    expect(a.stateful).not.toContain('postgres');
  });

  it('finds an image path (`cd /app/server/ &&`) by its trailing folder', () => {
    const a = analyzeRepository(snapshot(repo('{\n  cd /code/server/ &&\n    node index.js\n} &\nwait -n\n')));
    expect(a.framework).toBe('express');
  });

  it('decides nothing when the script enters two server packages', () => {
    const twoServers = repo('cd server\nnode index.js &\ncd ../client\nnode server.js\n', '{ "name": "client", "dependencies": { "fastify": "5.0.0" } }\n');
    const a = analyzeRepository(snapshot(twoServers));
    expect(a.evidence.some((e) => e.fact.startsWith("the image's start script runs package"))).toBe(false);
  });

  it('does not follow a cd in a comment or in a script the image does not start', () => {
    const files = { ...repo('npx serve -s client/dist -l 4018\n'), 'scripts/dev.sh': '#!/bin/sh\ncd server && npm run start-dev\n' };
    const a = analyzeRepository(snapshot(files));
    expect(a.framework).not.toBe('express');
    expect(a.evidence.some((e) => e.fact.startsWith("the image's start script runs package"))).toBe(false);
  });
});
