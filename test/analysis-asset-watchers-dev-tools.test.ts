// Round 18 shape (eval/RUBRIC.md services): an asset watcher is not a service wherever it runs. A compose service of the
// app's own image whose command only builds or watches front-end assets (`bin/rails dartsass:watch`, `yarn build --watch`)
// and publishes no port is a developer's watcher, judged by the same test as a Procfile's asset process
// (asset-builders.ts buildsAssetsOnly). A development Procfile's mail catcher (`mail: mailcatcher -f`) is a developer's
// tool, not the app's service; the web server and its job worker are.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const gemfile = "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem 'pg'\ngem 'puma'\n";
const rails = { Gemfile: gemfile, 'config/application.rb': 'module App\nend\n', Dockerfile: 'FROM ruby:3.3\nCOPY . .\nEXPOSE 3000\nCMD ["bin/rails", "server", "-b", "0.0.0.0"]\n' };
const composeWith = (watcher: string): string => `services:
  web: &server
    build: .
    ports:
      - "3000:3000"
    volumes:
      - ./:/app
  jobs:
    <<: *server
    command: bin/jobs
    ports: []
${watcher}  db:
    image: postgres:16
`;
const names = (compose: string): string[] => firstPartyServices(snapshot({ ...rails, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

describe('asset watchers in compose, by the Procfile test', () => {
  it('the app image running a Rails stylesheet watcher with no port is not a service', () => {
    expect(names(composeWith('  css-watcher:\n    <<: *server\n    command: ["bin/rails", "dartsass:watch"]\n    ports: []\n'))).toEqual(['jobs', 'web']);
    expect(names(composeWith('  css:\n    <<: *server\n    command: bin/rails tailwindcss:watch\n    ports: []\n'))).toEqual(['jobs', 'web']);
  });

  it('a package script watcher run from the app image is not one either', () => {
    expect(names(composeWith('  js:\n    <<: *server\n    command: yarn build --watch\n    ports: []\n'))).toEqual(['jobs', 'web']);
  });

  it('a watcher that publishes a port, or a command that serves, stays a service', () => {
    expect(names(composeWith('  vite:\n    <<: *server\n    command: bin/vite dev\n    ports:\n      - "3036:3036"\n'))).toEqual(['jobs', 'vite', 'web']);
    expect(names(composeWith('  ssr:\n    <<: *server\n    command: yarn build && node ssr.js\n    ports: []\n'))).toEqual(['jobs', 'ssr', 'web']);
  });
});

describe('a development Procfile', () => {
  const count = (procfile: string): string[] => (analyzeRepository(snapshot({ Gemfile: gemfile, 'config/application.rb': 'module App\nend\n', Procfile: procfile })).services ?? []).map((s) => s.name).sort();

  it('a mail catcher process is not a service', () => {
    expect(count('web: bundle exec rails s -b 0.0.0.0 -p 3000\nworker: bundle exec rake jobs:work\nmail: mailcatcher -f --smtp-port 2025\n')).toEqual(['web', 'worker']);
    expect(count('web: bin/rails server\nworker: bin/jobs\nmailhog: MailHog\nsmtp: mailpit --smtp 0.0.0.0:1025\n')).toEqual(['web', 'worker']);
  });

  it('a web server beside only a mail catcher is one app', () => {
    expect(Math.max(1, count('web: bin/rails server\nmail: bundle exec mailcatcher --foreground\n').length)).toBe(1);
  });

  it('a watcher that restarts the app on every change is a service, not an asset watcher', () => {
    expect(count('web: bin/rails server\napi: dotnet watch\nsync: watchexec --watch src -r -- cargo run\n')).toEqual(['api', 'sync', 'web']);
  });
});
