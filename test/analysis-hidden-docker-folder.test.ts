// A Node server whose image is built from a hidden `.docker/` folder (`.docker/Dockerfile` beside
// `.docker/Dockerfile.dev` and a compose file there): that folder is the app's build folder, like `docker/`,
// so its Dockerfile's EXPOSE and CMD are the app's, not the package.json start script.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'package.json': JSON.stringify({ name: 'startpage', scripts: { start: 'node server.js', dev: 'nodemon server.js' }, dependencies: { express: '4.17.1' } }),
  'server.js': "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT || 5005);\n",
};
const prod = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install --production\nEXPOSE 5005\nCMD ["sh", "-c", "chown -R node /app/data && node server.js"]\n';
const dev = 'FROM node:lts-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["npm", "run", "dev"]\n';

describe('the app image in a hidden .docker/ folder', () => {
  it('reads .docker/Dockerfile, not its development variant', () => {
    const a = analyzeRepository(snapshot({ ...app, '.docker/Dockerfile': prod, '.docker/Dockerfile.dev': dev, '.docker/docker-compose.yml': 'services:\n  startpage:\n    image: someone/startpage\n    ports:\n      - 5005:5005\n' }));
    expect(a.hasDockerfile).toBe(true);
    expect(a.port).toBe(5005);
    expect(a.startCommand).toBe("sh -c 'chown -R node /app/data && node server.js'");
  });

  it('keeps the start script when there is no such folder', () => {
    expect(analyzeRepository(snapshot(app)).startCommand).toBe('npm start');
  });
});
