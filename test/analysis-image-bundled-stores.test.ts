// An all-in-one image that installs a backing store's server and starts its daemon beside the app (a run script's
// `redis-server &`, a supervisord program running mongod): the app needs that store.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'package.json': '{ "name": "app", "scripts": { "start": "node server.js" }, "dependencies": { "express": "4.19.2" } }\n',
  'server.js': 'require("express")().listen(3000);\n',
};

describe('backing stores bundled in the app image', () => {
  it('reads a store the image installs and a run script starts', () => {
    const a = analyzeRepository(snapshot({
      ...app,
      Dockerfile: 'FROM node:22-alpine\nRUN apk add --no-cache redis nginx bash\nCOPY . /app\nEXPOSE 3000\nCMD ["sh", "run.sh"]\n',
      'run.sh': '#!/bin/sh\nnginx -g "daemon off;" &\nredis-server /app/redis.conf &\nexec node server.js\n',
    }));
    expect(a.stateful).toEqual(['redis']);
    expect(a.evidence).toContainEqual({ fact: 'stateful redis', source: 'Dockerfile:2' });
  });

  it('reads apt-get installs over continued lines and a supervisord program', () => {
    const a = analyzeRepository(snapshot({
      ...app,
      Dockerfile: 'FROM node:22 AS build\nRUN npm ci\n\nFROM ubuntu:24.04 AS aio\nRUN apt-get update \\\n  && apt-get install -y --no-install-recommends \\\n    mongodb-org=7.0.2 \\\n    supervisor \\\n  && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /app /app\nCMD ["/usr/bin/supervisord", "-n"]\n',
      'etc/supervisord/mongodb.conf': '[program:mongodb]\ncommand=/usr/bin/mongod --dbpath /data/db\n',
    }));
    expect(a.stateful).toEqual(['mongodb']);
  });

  it('ignores client packages and servers nothing starts', () => {
    const a = analyzeRepository(snapshot({
      ...app,
      Dockerfile: 'FROM node:22-alpine\nRUN apk add --no-cache redis postgresql-client\nCOPY . /app\nCMD ["node", "server.js"]\n',
      'scripts/backup.sh': '#!/bin/sh\npg_dump "$DATABASE_URL" > dump.sql\n',
    }));
    expect(a.stateful).toEqual([]);
  });
});
