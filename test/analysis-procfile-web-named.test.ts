// A Procfile whose web process goes by a platform's own name (`custom_web:` for Cloud 66) beside `worker:` and `clock:`:
// that process is what starts the app, not the worker.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const rails = {
  Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 8.0"\ngem "puma"\ngem "pg"\ngem "delayed_job_active_record"\n',
  'config/application.rb': 'module App\n  class Application < Rails::Application\n  end\nend\n',
  'config/puma.rb': 'port ENV.fetch("PORT") { 3000 }\n',
};

describe('a Procfile web process under another name', () => {
  it('is the start command before the worker', () => {
    const a = analyzeRepository(snapshot({ ...rails, Procfile: 'custom_web: bundle exec puma\nworker: bundle exec rails jobs:work\nclock: bundle exec clockwork clock.rb\n' }));
    expect(a.startCommand).toBe('bundle exec puma');
    expect(a.services?.length).toBe(3);
  });

  it('leaves `web:` first when there is one', () => {
    const a = analyzeRepository(snapshot({ ...rails, Procfile: 'admin_web: bundle exec puma -C admin.rb\nweb: bundle exec puma\nworker: bundle exec rails jobs:work\n' }));
    expect(a.startCommand).toBe('bundle exec puma');
  });

  it('is not guessed among several web-named processes', () => {
    const a = analyzeRepository(snapshot({ ...rails, Procfile: 'web_public: bundle exec puma -p 3000\nweb_admin: bundle exec puma -p 3001\nworker: bundle exec rails jobs:work\n' }));
    expect(a.startCommand).toBe('bundle exec rails jobs:work');
  });
});
