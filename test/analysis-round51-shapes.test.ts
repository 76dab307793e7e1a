// Shapes from the round-51 dev cases: a compose file running the app in its test mode beside the fixtures its suite needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a compose file running the app in its test mode', () => {
  const app = {
    'package.json': '{"name":"git-proxy","dependencies":{"express":"^4.19.0"},"scripts":{"start":"node index.js"}}',
    'index.js': 'require("express")().listen(8000)\n',
    Dockerfile: 'FROM node:20\nCOPY . .\nEXPOSE 8000\nCMD ["node", "index.js"]\n',
    'localgit/Dockerfile': 'FROM httpd:2.4\nRUN apt-get update && apt-get install -y git python3\nCOPY httpd.conf /usr/local/apache2/conf/httpd.conf\nCOPY git-capture-wrapper.py /usr/local/bin/\nCOPY init-repos.sh /usr/local/bin/\nRUN /usr/local/bin/init-repos.sh\nEXPOSE 8443\nCMD ["httpd-foreground"]\n',
    'localgit/git-capture-wrapper.py': 'import sys\n',
    'localgit/init-repos.sh': '#!/bin/sh\ngit init --bare /var/git/test.git\n',
  };
  const compose = (env: string) =>
    `services:\n  git-proxy:\n    build: .\n    ports:\n      - '8000:8000'\n    depends_on:\n      git-server:\n        condition: service_healthy\n    environment:\n      - ${env}\n  git-server:\n    build: localgit/\n    ports:\n      - '8443:8443'\n`;

  it('a built service the app in test mode (`NODE_ENV=test`) depends on is a fixture of its suite, not a second service', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('NODE_ENV=test') }));
    expect(a.services?.map((s) => s.name)).toEqual(['git-proxy']);
  });

  it('a test runner in test mode built from its own folder leaves the app it depends on a service (control)', () => {
    const runner = `services:\n  app:\n    build: .\n  checks:\n    build: ./e2e\n    environment:\n      NODE_ENV: test\n    depends_on:\n      - app\n`;
    const a = analyzeRepository(snapshot({ ...app, 'e2e/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "checks.js"]\n', 'e2e/checks.js': 'console.log(1)\n', 'docker-compose.yml': runner }));
    expect(a.services?.map((s) => s.name)).toContain('app');
  });

  it('the same file running the app in production keeps both services (control)', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('NODE_ENV=production') }));
    expect(a.services?.map((s) => s.name).sort()).toEqual(['git-proxy', 'git-server']);
  });
});
