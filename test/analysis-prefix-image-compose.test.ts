// An image whose Dockerfile command is only a runner prefix (`ENTRYPOINT ["bundle", "exec"]`, no CMD)
// starts what compose gives the entrypoint script that Dockerfile copies in (eval/RUBRIC.md startCommand).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const rails = {
  Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem 'puma'\ngem 'pg'\n",
  'config/application.rb': 'module App\n  class Application < Rails::Application\n  end\nend\n',
  'docker/web-entrypoint.sh': '#!/bin/sh\nbundle exec rails db:prepare\nexec bundle exec "$@"\n',
  'docker/worker-entrypoint.sh': '#!/bin/sh\nexec bundle exec sidekiq\n',
  'docker/Dockerfile': 'FROM ruby:3.4-slim\nWORKDIR /app\nCOPY . .\nCOPY ./docker/web-entrypoint.sh /usr/local/bin/web-entrypoint.sh\nCOPY ./docker/worker-entrypoint.sh /usr/local/bin/worker-entrypoint.sh\nEXPOSE 3000\nENTRYPOINT [ "bundle", "exec" ]\n',
};
const compose = [
  'services:',
  '  db:',
  '    image: postgres:17',
  '  worker:',
  '    image: someone/app:latest',
  '    entrypoint: worker-entrypoint.sh',
  "    command: ['sidekiq']",
  '  app:',
  '    image: someone/app:latest',
  '    ports:',
  '      - "3000:3000"',
  '    entrypoint: web-entrypoint.sh',
  "    command: ['bin/rails', 'server', '-p', '3000', '-b', '::']",
  '',
].join('\n');

describe('an image that only prefixes what it is given', () => {
  it("runs the serving compose service's entrypoint script and command", () => {
    const a = analyzeRepository(snapshot({ ...rails, 'docker/docker-compose.yml': compose }));
    expect(a.startCommand).toBe('web-entrypoint.sh bin/rails server -p 3000 -b ::');
    expect(a.evidence).toContainEqual({ fact: 'startCommand web-entrypoint.sh bin/rails server -p 3000 -b ::', source: 'docker/docker-compose.yml:12' });
  });

  it('keeps the image command when compose runs a script the image does not copy in, or the image has a CMD', () => {
    const foreign = compose.replace(/web-entrypoint\.sh/g, 'other-entrypoint.sh').replace(/worker-entrypoint\.sh/g, 'other-worker.sh');
    expect(analyzeRepository(snapshot({ ...rails, 'docker/docker-compose.yml': foreign })).startCommand).toBe('bundle exec');
    const withCmd = { ...rails, 'docker/Dockerfile': `${rails['docker/Dockerfile']}CMD ["puma", "-C", "config/puma.rb"]\n` };
    expect(analyzeRepository(snapshot({ ...withCmd, 'docker/docker-compose.yml': compose })).startCommand).toBe('bundle exec puma -C config/puma.rb');
  });
});

// An init wrapper as the whole ENTRYPOINT (`/sbin/tini --`, no CMD) runs compose's `command:` as its CMD.
const flask = {
  'pyproject.toml': '[tool.poetry]\nname = "tracker"\n[tool.poetry.dependencies]\nflask = "3.1"\ngunicorn = "23"\n',
  'tracker/__init__.py': 'from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n',
  'docker-entrypoint.sh': '#!/bin/sh\nflask db upgrade\nexec gunicorn -b 0.0.0.0:5000 "tracker:create_app()"\n',
  Dockerfile: 'FROM python:3.13-alpine\nWORKDIR /usr/src/app\nCOPY tracker/. /usr/src/app/tracker/\nCOPY docker-entrypoint.sh /usr/src/app/\nENTRYPOINT ["/sbin/tini", "--"]\n',
};
const pulled = (command: string): string =>
  ['services:', '  db:', '    image: postgres:17', '  tracker:', '    image: tracker/tracker:v1', '    ports:', '      - "5000:5000"', `    command: '${command}'`, ''].join('\n');

describe('an init wrapper as the image entrypoint', () => {
  it("runs compose's command when it runs a script the image copies in", () => {
    const a = analyzeRepository(snapshot({ ...flask, 'docker-compose.yml': pulled('sh docker-entrypoint.sh') }));
    expect(a.startCommand).toBe('/sbin/tini -- sh docker-entrypoint.sh');
    expect(a.port).toBe(5000);
  });

  it('runs the command of a service built from that Dockerfile', () => {
    const built = pulled('gunicorn -b 0.0.0.0:5000 tracker:app').replace('image: tracker/tracker:v1', 'build: .');
    expect(analyzeRepository(snapshot({ ...flask, 'docker-compose.yml': built })).startCommand).toBe('/sbin/tini -- gunicorn -b 0.0.0.0:5000 tracker:app');
  });

  it('keeps the wrapper when compose runs something the image does not carry', () => {
    expect(analyzeRepository(snapshot({ ...flask, 'docker-compose.yml': pulled('sh other.sh') })).startCommand).toBe('/sbin/tini --');
  });
});
