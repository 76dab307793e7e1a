// Shapes from the round-28 dev cases: where the image's app lives (a Dockerfile in a folder of its own built with the
// root as context; one compose builds; an entrypoint script given the program), dependencies a gemspec keeps in
// gemspec.yml, a config template documenting SQLite as the engine, a Cargo feature naming a driver, Django's MEDIA_ROOT,
// and compose/Procfile entries that run once (a build stage, a pip-compile, a test script, a rake task).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('the app an image builds', () => {
  it('docker/Dockerfile copying backend/ (root context) reads backend/ as the app', () => {
    const a = analyzeRepository(snapshot({
      'backend/package.json': JSON.stringify({ name: 'api', dependencies: { express: '5.0.0' } }),
      'backend/index.js': "require('express')().listen(3000)\n",
      'frontend/package.json': JSON.stringify({ name: 'ui', devDependencies: { vite: '6.0.0' } }),
      'docker/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY backend /app\nCOPY frontend/dist /app/frontend\nCMD ["node","index.js"]\n',
    }));
    expect(a.language).toBe('node');
    expect(a.framework).toBe('express');
  });

  it('a Dockerfile only compose names, whose entrypoint script runs the Go program a build stage makes, reads the Go module', () => {
    const a = analyzeRepository(snapshot({
      'core/go.mod': 'module example.com/tool\n\ngo 1.22\n',
      'core/main.go': 'package main\nimport "net/http"\nfunc main() { http.ListenAndServe(":8866", nil) }\n',
      'ui/package.json': JSON.stringify({ name: 'ui', devDependencies: { vite: '6.0.0' } }),
      'pkg/docker/Dockerfile': 'FROM node:20 AS front\nCOPY ui/package.json ./\nCOPY ui .\nRUN npm run build\nFROM golang:1.22 AS back\nCOPY core/go.mod core/\nCOPY core/ core/\nRUN cd core && go build -o ../tool\nFROM alpine\nCOPY --from=back /go/tool tool\nCOPY --from=front /dist ./dist\nEXPOSE 8866\nENTRYPOINT ["entrypoint.sh"]\nCMD ["./tool"]\n',
      'docker-compose.yml': 'services:\n  tool:\n    build:\n      context: .\n      dockerfile: pkg/docker/Dockerfile\n    ports:\n      - "8866:8866"\n',
    }));
    expect(a.language).toBe('go');
    expect(a.framework).toBe('go-net-http');
  });
});

describe('gemspec.yml', () => {
  it('holds the runtime dependencies of a gemspec that loads it', () => {
    const files = {
      Gemfile: "source 'https://rubygems.org'\ngemspec\ngem 'puma'\n",
      'app.gemspec': "require 'yaml'\nGem::Specification.new do |gem|\n  gemspec = YAML.load_file('gemspec.yml')\nend\n",
      'gemspec.yml': 'name: app\ndependencies:\n  # web\n  sinatra: ~> 3.0\n  redis: ~> 5.0\n\ndevelopment_dependencies:\n  rails: ~> 7.0\n',
      'config.ru': "run App\n",
    };
    const a = analyzeRepository(snapshot(files));
    expect(a.framework).toBe('sinatra');
    expect(a.evidence).toContainEqual({ fact: 'framework sinatra', source: 'gemspec.yml:4' });
    expect(a.stateful).toEqual(['redis']);
    // A gemspec that does not load it leaves it unread; development dependencies never count.
    expect(analyzeRepository(snapshot({ ...files, 'app.gemspec': 'Gem::Specification.new do |gem|\nend\n' })).framework).toBeFalsy();
    expect(analyzeRepository(snapshot({ ...files, 'gemspec.yml': 'development_dependencies:\n  sinatra: ~> 3.0\n' })).framework).toBeFalsy();
  });
});

describe('SQLite as the documented engine', () => {
  const relay = (config: string) => analyzeRepository(snapshot({
    'Cargo.toml': '[package]\nname = "relay"\n\n[[bin]]\nname = "relay"\npath = "src/main.rs"\n\n[dependencies]\nhyper = { version = "0.14", features = ["server"] }\nrusqlite = { version = "0.26", features = ["bundled"] }\nsqlx = { version = "0.6", features = ["runtime-tokio-rustls", "postgres"] }\n',
    'src/main.rs': 'fn main() {}\n',
    'config.toml': config,
  }));

  it('a [database] table documenting engine = "sqlite" (commented out) makes the Cargo-feature Postgres an option', () => {
    const a = relay('[info]\nname = "relay"\n\n[database]\n# Database engine (sqlite/postgres). Defaults to sqlite.\n#engine = "sqlite"\n\n[network]\nport = 8080\n');
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name)).toEqual(['SQLite']);
  });

  it('without it the Postgres feature stays the database', () => {
    const a = relay('[info]\nname = "relay"\n\n[network]\nport = 8080\n');
    expect(a.stateful).toEqual(['postgres']);
    expect(a.localState).toEqual([]);
  });
});

describe('Django MEDIA_ROOT', () => {
  const django = (models: string) => analyzeRepository(snapshot({
    'requirements.txt': 'Django==5.0\npsycopg2==2.9\n',
    'manage.py': 'import django\n',
    'app/settings.py': 'MEDIA_ROOT = config("MEDIA_ROOT", default=path("media"))\nDATABASES = {"default": dj_database_url.config()}\n',
    'app/models.py': models,
  }));

  it('is not uploads on its own: only a model file field keeps files there', () => {
    expect(django('from django.db import models\nclass Note(models.Model):\n    text = models.TextField()\n').localState).toEqual([]);
    expect(django('from django.db import models\nclass Doc(models.Model):\n    file = models.FileField(upload_to="docs/")\n').localState?.length).toBe(1);
  });
});

describe('entries that run once', () => {
  it('a compose service building a builder stage, a pip-compile step and a test script are not services', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'Django==5.0\n',
      'manage.py': 'import django\n',
      Dockerfile: 'FROM python:3.12 AS builder\nRUN pip wheel -r requirements.txt\nFROM python:3.12\nCOPY . /app\nCMD ["gunicorn","app.wsgi"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - "8000:8000"\n  worker:\n    build: .\n    command: python manage.py rqworker\n  builder:\n    build:\n      context: .\n      target: builder\n  compile-requirements:\n    image: acme/app:latest\n    command: ./bin/compile-requirements.sh\n  test-image:\n    image: acme/app:latest\n    command: ./bin/run-tests.sh\n',
    }));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('a Procfile process type running a one-off rake task is not a service', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'sidekiq'\n",
      Procfile: 'release: bin/rails db:migrate\nweb: bundle exec puma -C config/puma.rb\nworker: bin/rake sidekiq\ncache: bin/rails cache:clear\n',
    }));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });
});
