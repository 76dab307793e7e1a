// Compose services mounting one data folder while the app keeps its records on local disk (a SQLite file under the
// mount) and no database server: they share those files, cannot be split across machines, so local state decides
// (eval/RUBRIC.md rule 3's note). A broker beside them changes nothing; a database server, or mounts of code, logs or
// dependencies, leave the services to rule 3.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { feasibility } from '../function/src/decision/feasibility.js';
import { snapshot } from './helpers/snapshot.js';

const gemfile = "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'puma'\ngem 'sidekiq'\ngem 'sqlite3'\n";
const compose = (webVolumes: string, workerVolumes: string, extra = '') => `services:
  web:
    build: .
    command: bundle exec puma -p 3000
    ports:
      - "3000:3000"
    volumes:
${webVolumes}
    environment:
      - DATABASE_URL=sqlite3:/app/db/production.sqlite3
  worker:
    build: .
    command: bundle exec sidekiq -r ./workers.rb
    volumes:
${workerVolumes}
  redis:
    image: redis
${extra}`;
const app = (c: string, more: Record<string, string> = {}) =>
  analyzeRepository(snapshot({ Gemfile: gemfile, 'app.rb': "require 'sinatra'\n", Dockerfile: 'FROM ruby:3.3\nCOPY . /app\nCMD ["bundle","exec","puma"]\n', 'docker-compose.yml': c, ...more }));
const both = (v: string) => compose(v, v);

describe('services sharing a data mount', () => {
  it('a host folder mounted into web and worker beside a SQLite file settles one VM and names the mount', () => {
    const a = app(both('      - "./db:/app/db"\n      - "./log:/app/log"'));
    expect(a.services?.map((s) => [s.name, s.mounts])).toEqual([['web', ['db']], ['worker', ['db']]]);
    const f = feasibility(a, 'aws');
    expect(f.settled?.rule).toBe('local-state');
    expect(f.settled?.reason).toContain('db mounted by web (docker-compose.yml:2), worker (docker-compose.yml:12)');
    expect(f.excluded.kubernetes?.rule).toBe('local-state');
  });

  it('a named volume counts the same way', () => {
    const c = both('      - data:/app/db') + 'volumes:\n  data:\n';
    expect(feasibility(app(c), 'aws').settled?.rule).toBe('local-state');
  });

  it('a database server beside the mount leaves the services to rule 3', () => {
    const onPostgres = both('      - "./db:/app/db"').replace('DATABASE_URL=sqlite3:/app/db/production.sqlite3', 'DATABASE_URL=postgres://db/app');
    const a = app(`${onPostgres}  db:\n    image: postgres:16\n`, { Gemfile: `${gemfile}gem 'pg'\n` });
    expect(a.stateful).toContain('postgres');
    expect(feasibility(a, 'aws').settled?.rule).toBe('multi-service');
    // The pg driver beside an environment pointing the app at its SQLite file is the alternative engine: local state decides.
    expect(feasibility(app(both('      - "./db:/app/db"'), { Gemfile: `${gemfile}gem 'pg'\n` }), 'aws').settled?.rule).toBe('local-state');
  });

  it('mounts of the checkout, a source folder the repository holds, logs or dependencies are not shared data', () => {
    for (const v of ['      - .:/app', '      - ./lib:/app/lib', '      - "./log:/app/log"', '      - gems:/usr/local/bundle/vendor']) {
      const a = app(both(v), { 'lib/jobs.rb': 'class Jobs; end\n' });
      expect(feasibility(a, 'aws').settled?.rule, v).toBe('multi-service');
    }
  });

  it('the compose environment naming a SQLite file counts as the embedded database; a shared folder without one proves nothing', () => {
    const noGem = { Gemfile: "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'puma'\ngem 'sidekiq'\n" };
    const a = app(both('      - "./db:/app/db"'), noGem);
    expect(a.localState?.map((s) => s.name)).toContain('SQLite');
    expect(feasibility(a, 'aws').settled?.rule).toBe('local-state');
    const media = app(both('      - "./media:/app/media"').replaceAll('      - DATABASE_URL=sqlite3:/app/db/production.sqlite3\n', ''), noGem);
    expect(media.localState?.some((s) => /SQLite/.test(s.name))).toBe(false);
    expect(feasibility(media, 'aws').settled?.rule).toBe('multi-service');
  });

  it('a folder only one service mounts is not shared', () => {
    expect(feasibility(app(compose('      - "./db:/app/db"', '      - "./cache:/app/cache"')), 'aws').settled?.rule).toBe('multi-service');
  });
});
