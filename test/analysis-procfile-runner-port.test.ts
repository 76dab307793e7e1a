// An image whose command runs its Procfile (`CMD ["foreman", "start"]`) listens where the Procfile's server process
// binds (`server: bin/rails server -p 9000`), not on the port a development compose publishes for a watcher's
// dev server beside it.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const procfile = 'server: bin/rails server -p 9000 -b 0.0.0.0\njobs: bundle exec sidekiq\nwebpack: WEBPACKER_DEV_SERVER_PORT=$DEV_PORT bin/webpack-dev-server\n';
const compose = 'services:\n  app:\n    build: .\n    volumes:\n      - .:/app\n    ports:\n      - "4003:4003"\n  postgres:\n    image: postgres:17\n';
const app = (cmd: string, extra: Record<string, string> = {}) =>
  snapshot({
    Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'sidekiq'\n",
    'config/application.rb': 'module Shop\n  class Application < Rails::Application\n  end\nend\n',
    Dockerfile: `FROM ruby:3.3\nWORKDIR /app\nCMD ${cmd}\n`,
    Procfile: procfile,
    'docker-compose.yml': compose,
    ...extra,
  });

describe('the port of an image that runs its Procfile', () => {
  it('is the port its server process binds', () => {
    expect(analyzeRepository(app('["foreman", "start"]')).port).toBe(9000);
  });

  it('prefers the web process, and leaves images that do not run the Procfile to the compose port', () => {
    const withWeb = app('["foreman", "start"]', { Procfile: `web: bundle exec puma -p 3000\n${procfile}` });
    expect(analyzeRepository(withWeb).port).toBe(3000);
    expect(analyzeRepository(app('["bin/rails", "console"]')).port).toBe(4003);
  });
});
