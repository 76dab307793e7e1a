// Round 18: a repository with no app at its root whose compose builds every app folder but runs only one of
// them as a service (the others are an alternative UI behind its own profile on the same host port and a
// one-shot model download): that folder is the app, with the data volume compose mounts into it. Without the
// rule the three folders come back as a system of three services. Fails without the rule.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const ui = (main: string) => `FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\nRUN git clone https://example.com/${main}.git /app\nWORKDIR /app\nEXPOSE 7860\nCMD ["python", "-u", "${main}.py", "--listen", "--port", "7860"]\n`;
const files = {
  'README.md': '# web UIs in docker\n',
  'services/webui/Dockerfile': ui('webui'),
  'services/webui/config.py': 'import json\n',
  'services/nodes/Dockerfile': ui('main'),
  'services/download/Dockerfile': 'FROM bash:alpine3.19\nRUN apk add aria2\nCOPY . /docker\nENTRYPOINT ["/docker/download.sh"]\n',
  'services/download/download.sh': '#!/usr/bin/env bash\naria2c --input-file /docker/links.txt --dir /data/models\n',
  'docker-compose.yml': `x-base: &base
  ports:
    - "7860:7860"
  volumes:
    - ./data:/data
    - ./output:/output

services:
  download:
    build: ./services/download/
    profiles: ["download"]
    volumes:
      - ./data:/data
  webui:
    <<: *base
    profiles: ["webui"]
    build: ./services/webui
  nodes:
    <<: *base
    profiles: ["nodes"]
    build: ./services/nodes
`,
};

describe('a compose file that builds every app folder but runs one', () => {
  it('makes that folder the app, one service with the data volume compose mounts', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.monorepo?.chosen).toBe('services/webui');
    expect((a.services ?? []).map((s) => s.name)).toEqual(['webui']);
    expect(a.port).toBe(7860);
    expect((a.localState ?? []).length).toBeGreaterThan(0);
  });

  it('a folder compose runs only as a setup script (no profile, no one-shot name) is a one-shot step too', () => {
    const compose = files['docker-compose.yml'].replace('  download:\n    build: ./services/download/\n    profiles: ["download"]\n', '  fetch:\n    build: ./services/download/\n    command: ./setup-models.sh\n');
    const a = analyzeRepository(snapshot({ ...files, 'docker-compose.yml': compose }));
    expect(a.monorepo?.chosen).toBe('services/webui');
  });

  it('still reads a system when another folder\'s service runs by default beside it (a script loop on alpine)', () => {
    const loop = { 'services/nodes/Dockerfile': 'FROM alpine\nCOPY loop.sh /loop.sh\nCMD /loop.sh\n', 'services/nodes/loop.sh': '#!/bin/sh\nwhile true; do sleep 60; done\n' };
    const compose = files['docker-compose.yml'].replace('    <<: *base\n    profiles: ["nodes"]\n', '');
    const a = analyzeRepository(snapshot({ ...files, ...loop, 'docker-compose.yml': compose }));
    expect(a.monorepo?.chosen).not.toBe('services/webui');
  });

  it('still reads a system when an app folder is left out of compose (deployed some other way)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'frontend/package.json': '{"name":"front","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.18.0"}}', 'frontend/server.js': 'require("express")().listen(3000)\n' }));
    expect(a.monorepo?.chosen).not.toBe('services/webui');
  });
});

describe('the root compose building the chosen app folder', () => {
  it('gives the only app the data volume compose mounts into it (not only when compose runs one of several)', () => {
    const only = {
      'README.md': '# api\n',
      'api/package.json': '{"name":"api","scripts":{"start":"node server.js"},"dependencies":{"express":"^4.18.0"}}',
      'api/server.js': 'require("express")().listen(3000)\n',
      'api/Dockerfile': 'FROM node:20\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
      'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    ports:\n      - "3000:3000"\n    volumes:\n      - ./data:/app/data\n',
    };
    const a = analyzeRepository(snapshot(only));
    expect(a.monorepo?.chosen).toBe('api');
    expect(a.localState).toEqual([{ name: 'data volume /app/data', source: 'docker-compose.yml:7' }]);
  });
});
