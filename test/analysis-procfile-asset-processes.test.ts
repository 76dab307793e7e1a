// Round 17 shape (eval/RUBRIC.md services): a Procfile process type that only builds the front-end's assets, once
// (`webpack: bin/webpack`) or while a developer edits (`css: bin/rails tailwindcss:watch`, `scss: make watch-scss`), is a
// build step or development watcher beside the server, not a service; a real worker still is one.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const rails = (procfile: string) => snapshot({ Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'puma'\ngem 'sidekiq'\n", 'config/application.rb': 'module App\nend\n', Procfile: procfile });
const names = (procfile: string): string[] => (analyzeRepository(rails(procfile)).services ?? []).map((s) => s.name).sort();
/** How many services the app runs: a plain app lists none of its own and is the one (as eval/score.ts counts). */
const count = (procfile: string): number => Math.max(1, names(procfile).length);

describe('Procfile asset processes', () => {
  it('a one-time webpack compile beside web is not a service', () => {
    expect(count('release: bundle exec rake db:migrate\nweb: bundle exec rails server\nwebpack: bin/webpack\n')).toBe(1);
  });

  it('stylesheet and script watchers are not services', () => {
    expect(count('web: bin/rails server -p $PORT\ncss: bin/rails tailwindcss:watch\njs: yarn build --watch\n')).toBe(1);
    expect(count('web: make run\nscss: make watch-scss\n')).toBe(1);
  });

  it('a real worker beside them stays a service', () => {
    expect(names('web: bin/rails server\nworker: bundle exec sidekiq\ncss: yarn build:css --watch\n')).toEqual(['web', 'worker']);
  });

  it('a process that builds and then serves is kept', () => {
    expect(names('web: bin/rails server\nssr: yarn build && node ssr-server.js\n')).toEqual(['ssr', 'web']);
  });
});
