// A root compose file that runs the image built from one app folder (`image: article_node` for node/Dockerfile),
// with no manifest at the root: that folder is the app, read from its own manifest, as when compose builds it.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const files = {
  'node/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . /app\nRUN npm install\nCMD ["node", "index.js"]\n',
  'node/package.json': '{\n  "dependencies": {\n    "express": "^4.19.2"\n  }\n}\n',
  'node/index.js': "const express = require('express')\nconst app = express()\napp.listen(3000)\n",
  'nginx/Dockerfile': 'FROM nginx:alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\n',
  'nginx/nginx.conf': 'events {}\nhttp { server { listen 80; location / { proxy_pass http://node:3000/; } } }\n',
};

describe('compose pulling the image of one app folder', () => {
  it('reads that folder as the app (framework from its manifest)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': 'services:\n  node:\n    image: article_node\n  nginx:\n    image: article_nginx\n    ports:\n      - 80:80\n' }));
    expect([a.kind, a.framework, a.port, a.startCommand]).toEqual(['web', 'express', 3000, 'node index.js']);
    expect(a.services?.map((s) => s.name)).toEqual(['node']);
  });

  it('reads it the same way as when compose builds it', () => {
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': 'services:\n  node:\n    build: ./node\n  nginx:\n    build: ./nginx\n' }));
    expect([a.kind, a.framework, a.port]).toEqual(['web', 'express', 3000]);
  });
});
