// Shapes from the round-43 dev cases (XMPP and CMS repositories) and the older dev cases they generalise.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { feasibility } from '../function/src/decision/feasibility.js';
import { snapshot } from './helpers/snapshot.js';

describe('a root build file of an ecosystem scai reads no further', () => {
  it('names the language over a count of other files (rebar.config: Erlang beside test JavaScript)', () => {
    const a = analyzeRepository(snapshot({
      'rebar.config': '{erl_opts, [debug_info]}.\n{deps, [cowboy]}.\n',
      'src/xmpp_server.erl': '-module(xmpp_server).\n',
      'big_tests/a.js': 'console.log(1)\n',
      'big_tests/b.js': 'console.log(2)\n',
      'priv/c.js': 'console.log(3)\n',
    }));
    expect(a.language).toBe('erlang');
    expect(a.evidence).toContainEqual({ fact: 'language erlang', source: 'rebar.config' });
  });

  it('is Scala for build.sbt, Crystal for shard.yml, Perl for cpanfile, Lua for a rockspec', () => {
    expect(analyzeRepository(snapshot({ 'build.sbt': 'name := "server"\n', 'src/main/scala/Main.scala': 'object Main\n', 'tools/a.py': 'print(1)\n' })).language).toBe('scala');
    expect(analyzeRepository(snapshot({ 'shard.yml': 'name: bit\n', 'src/bit.cr': 'puts 1\n' })).language).toBe('crystal');
    expect(analyzeRepository(snapshot({ cpanfile: "requires 'Mojolicious';\n", 'lib/App.pm': 'package App;\n', 'static/a.js': 'x()\n' })).language).toBe('perl');
    expect(analyzeRepository(snapshot({ 'server-1.0-1.rockspec': 'package = "server"\n', 'src/a.lua': 'print(1)\n' })).language).toBe('lua');
  });

  it('does not outrank an ecosystem scai reads (a package.json with a server beside a stray cpanfile), nor a build file below the root (controls)', () => {
    const node = analyzeRepository(snapshot({
      'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.0' } }),
      'server.js': "const express = require('express');\nexpress().listen(3000);\n",
      cpanfile: "requires 'Test::More';\n",
    }));
    expect(node.language).toBe('node');
    const nested = analyzeRepository(snapshot({ 'app.py': 'print(1)\n', 'vendor/lib/build.sbt': 'name := "x"\n' }));
    expect(nested.language).toBe('python');
    // A root build file with no code of its language beside it names nothing.
    const stray = analyzeRepository(snapshot({ 'app.py': 'print(1)\n', 'tools/run.py': 'print(2)\n', cpanfile: "requires 'Test::More';\n" }));
    expect(stray.language).toBe('python');
  });
});

describe('a PHP framework development monorepo of split packages', () => {
  const bundles = {
    'composer.json': JSON.stringify({
      name: 'acme/cms',
      type: 'symfony-bundle',
      require: { php: '^8.2', 'symfony/framework-bundle': '^7.4' },
      replace: { 'acme/core-bundle': 'self.version', 'acme/news-bundle': 'self.version', 'acme/calendar-bundle': 'self.version' },
    }, null, 2),
    'core-bundle/src/AcmeCoreBundle.php': '<?php\nnamespace Acme\\CoreBundle;\nclass AcmeCoreBundle {}\n',
    'news-bundle/src/AcmeNewsBundle.php': '<?php\nnamespace Acme\\NewsBundle;\nclass AcmeNewsBundle {}\n',
  };

  it('is a library even though its packages build on a web framework', () => {
    const a = analyzeRepository(snapshot(bundles));
    expect([a.kind, a.framework]).toEqual(['library', 'symfony']);
    expect(a.evidence).toContainEqual({ fact: 'kind library', source: 'rule:split-package-monorepo' });
    expect(a.evidence).toContainEqual({ fact: 'a monorepo of 3 Composer packages published one by one (replace: self.version)', source: expect.stringMatching(/^composer\.json:\d+$/) });
  });

  it('is still an app when it is a project with a front controller that bundles its plugins that way, or replaces fewer packages (controls)', () => {
    const project = JSON.parse(bundles['composer.json']) as Record<string, unknown>;
    const app = analyzeRepository(snapshot({ ...bundles, 'composer.json': JSON.stringify({ ...project, type: 'project' }), 'index.php': '<?php\nrequire "app/bootstrap.php";\n' }));
    expect(app.kind).toBe('web');
    const frontController = analyzeRepository(snapshot({ ...bundles, 'public/index.php': '<?php\nrequire "../vendor/autoload.php";\n' }));
    expect(frontController.kind).toBe('web');
    const two = analyzeRepository(snapshot({ ...bundles, 'composer.json': JSON.stringify({ ...project, replace: { 'acme/core-bundle': 'self.version', 'acme/news-bundle': 'self.version' } }) }));
    expect(two.kind).toBe('web');
    // …nor when the root builds an image of its own.
    const image = analyzeRepository(snapshot({ ...bundles, Dockerfile: 'FROM php:8.3-apache\nCOPY . /var/www/html\n' }));
    expect(image.kind).toBe('web');
  });
});

describe('the port an official web-server base image exposes', () => {
  const typemillLike = {
    'composer.json': JSON.stringify({ name: 'acme/flatfile', require: { php: '>=8.0' } }),
    'index.php': '<?php\nrequire "system/bootstrap.php";\n',
    Dockerfile: 'FROM php:8.0-apache\nWORKDIR /var/www/html\nCOPY . .\nCMD ["/var/www/html/docker-utils/init-server"]\n',
    'docker-utils/init-server': '#!/bin/sh\nchown -R www-data:www-data /var/www/html/\napache2-foreground\n',
  };

  it('is the port when the image runs that server through its start script (php:apache: 80)', () => {
    const a = analyzeRepository(snapshot(typemillLike));
    expect(a.port).toBe(80);
    expect(a.evidence).toContainEqual({ fact: "port 80: exposed by the base image the image's server runs from", source: 'Dockerfile:1' });
  });

  it('is the port when the image keeps the base command (nginx, nginx-unprivileged)', () => {
    expect(analyzeRepository(snapshot({ 'index.html': '<html></html>\n', Dockerfile: 'FROM nginx:1.27-alpine\nCOPY . /usr/share/nginx/html\n' })).port).toBe(80);
    expect(analyzeRepository(snapshot({ 'index.html': '<html></html>\n', Dockerfile: 'FROM nginxinc/nginx-unprivileged:1.27\nCOPY . /usr/share/nginx/html\n' })).port).toBe(8080);
  });

  it('is not the port when the image runs something else (a comment naming the server aside), or is php-fpm (controls)', () => {
    const other = analyzeRepository(snapshot({ ...typemillLike, 'docker-utils/init-server': '#!/bin/sh\n# unlike apache2-foreground, this runs the queue\nexec php worker.php\n' }));
    expect(other.port).not.toBe(80);
    const builtin = analyzeRepository(snapshot({ ...typemillLike, Dockerfile: 'FROM php:8.2-apache\nCOPY . .\nCMD ["frankenphp", "run"]\n' }));
    expect(builtin.port).not.toBe(80);
    const fpm = analyzeRepository(snapshot({ ...typemillLike, Dockerfile: 'FROM php:8.3-fpm\nCOPY . /var/www/html\n' }));
    expect(fpm.port).not.toBe(80);
  });

  it('gives way to a port the repository states: compose, fly.toml, or a bare $PORT the command binds (controls)', () => {
    const compose = analyzeRepository(snapshot({ ...typemillLike, 'docker-compose.yml': 'services:\n  cms:\n    build: .\n    ports:\n      - "9090:8080"\n' }));
    expect(compose.port).toBe(8080);
    const fly = analyzeRepository(snapshot({ ...typemillLike, 'fly.toml': 'app = "cms"\n\n[http_service]\n  internal_port = 8080\n' }));
    expect(fly.port).toBe(8080);
    const bare = analyzeRepository(snapshot({ ...typemillLike, Dockerfile: 'FROM php:8.2-apache\nCOPY . .\nCMD ["sh", "-c", "php -S 0.0.0.0:$PORT -t public & exec apache2-foreground"]\n' }));
    expect(bare.port).toBeNull();
  });
});

describe('plain PHP with a bundled editor (a Drupal fork with no composer.json)', () => {
  const lang = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`core/misc/ckeditor/lang/l${i}.js`, `CKEDITOR.lang['l${i}'] = {};\n`]));
  const cms = {
    ...lang,
    'core/misc/ui/i18n/datepicker-de.js': 'x();\n',
    'core/misc/ui/i18n/datepicker-fr.js': 'x();\n',
    'core/misc/drupal.js': 'var Backdrop = {};\n',
    'index.php': "<?php\nrequire_once './core/includes/bootstrap.inc';\nbackdrop_bootstrap();\n",
    'settings.php': "<?php\n$database = 'mysql://user:pass@localhost/database_name';\n$database_prefix = '';\n",
    'core/authorize.php': '<?php\nauthorize();\n',
    'core/cron.php': '<?php\ncron();\n',
    'core/update.php': '<?php\nupdate();\n',
    '.tugboat/settings.local.php': "<?php\n$database = 'pgsql://tugboat:tugboat@db/tugboat';\n",
  };

  it('counts no translation files as code, so the language is PHP, and its settings URL names the database', () => {
    const a = analyzeRepository(snapshot(cms));
    expect([a.language, a.kind]).toEqual(['php', 'web']);
    expect(a.stateful).toEqual(['mysql']);
    expect(a.evidence).toContainEqual({ fact: 'stateful mysql', source: 'settings.php:2' });
  });

  it('still counts JavaScript outside translation folders (control)', () => {
    const scripts = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`core/misc/s${i}.js`, 'x();\n']));
    expect(analyzeRepository(snapshot({ ...cms, ...scripts })).language).toBe('node');
  });
});

describe('a docker-build folder', () => {
  it('holds the app image, whose entrypoint and command start it (a Go server beside its dev and base images)', () => {
    const a = analyzeRepository(snapshot({
      'go.mod': 'module github.com/acme/meet\n\ngo 1.26\n\nrequire github.com/gofiber/fiber/v2 v2.52.0\n',
      'main.go': 'package main\n\nimport "github.com/gofiber/fiber/v2"\n\nfunc main() { fiber.New().Listen(":8080") }\n',
      'docker-build/Dockerfile': 'FROM golang:1.26 AS builder\nRUN go build -o /meet-server .\nFROM debian:trixie\nCOPY --from=builder /meet-server /usr/bin/meet-server\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["meet-server"]\n',
      'docker-build/Dockerfile.dev': 'FROM golang:1.26\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["air"]\n',
      'docker-build/Dockerfile.base': 'FROM debian:trixie\nRUN apt-get update\n',
    }));
    expect(a.startCommand).toBe('docker-entrypoint.sh meet-server');
  });
});

describe('a root Dockerfile a development compose builds, beside a production build', () => {
  it('gives way to the production build, whose port and command are the deployment’s', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 7.2'\ngem 'pg'\n",
      'config/application.rb': 'module Conf\n  class Application < Rails::Application\n  end\nend\n',
      Dockerfile: 'FROM ruby:3.3\nWORKDIR /conf\nRUN gem install foreman\nCMD ["foreman", "start"]\n',
      'Dockerfile.production': 'FROM ruby:3.3\nEXPOSE 5000\nWORKDIR /conf\nRUN bundle exec rake assets:precompile\nCMD ["foreman", "start"]\n',
      'docker-compose.yml': 'services:\n  conf:\n    build: .\n    command: foreman start -p 3000\n    ports:\n      - 3000:3000\n    volumes:\n      - .:/conf\n  database:\n    image: postgres:16\n',
      Procfile: 'web: bundle exec rails server -b 0.0.0.0\n',
    }));
    expect([a.port, a.startCommand]).toEqual([5000, 'foreman start']);
    expect(a.evidence).toContainEqual({ fact: 'port 5000', source: 'Dockerfile.production:2' });
  });

  it('stays the app image beside another folder\'s production build, a production test build, or a compose that mounts nothing (controls)', () => {
    const api = {
      'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.0' } }),
      'server.js': "require('express')().listen(3000);\n",
      Dockerfile: 'FROM node:22\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
      'docker-compose.yml': 'services:\n  api:\n    build: .\n    volumes:\n      - .:/app\n',
    };
    expect(analyzeRepository(snapshot({ ...api, 'nginx/Dockerfile.prod': 'FROM nginx\nEXPOSE 443\n' })).port).toBe(3000);
    expect(analyzeRepository(snapshot({ ...api, 'Dockerfile.prod-tests': 'FROM node:22\nEXPOSE 9999\nCMD ["npm", "test"]\n' })).startCommand).toBe('node server.js');
    const unmounted = { ...api, 'docker-compose.yml': 'services:\n  api:\n    build: .\n', 'Dockerfile.prod': 'FROM node:22\nEXPOSE 8080\nCMD ["node", "server.js"]\n' };
    expect(analyzeRepository(snapshot(unmounted)).port).toBe(3000);
  });
});

describe("Kamal's deploy file", () => {
  const rails = {
    Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem 'sqlite3'\ngem 'solid_queue'\n",
    'config/application.rb': 'module Farm\n  class Application < Rails::Application\n  end\nend\n',
    Dockerfile: 'FROM ruby:3.4\nEXPOSE 80\nCMD ["./bin/thrust", "./bin/rails", "server"]\n',
  };

  it('runs each role under servers: as a process of the one image (web and a job role)', () => {
    const a = analyzeRepository(snapshot({
      ...rails,
      'config/deploy.yml': 'service: farm\nimage: farm\n\nservers:\n  web:\n    - app.example.org\n  job:\n    hosts:\n      - app.example.org\n    cmd: bin/jobs\n\nproxy:\n  ssl: true\n  hosts:\n    <% %w[a b].each do |h| %>\n    - <%= h %>.example.org\n    <% end %>\n',
    }));
    expect(a.services).toEqual([
      { name: 'web', source: 'config/deploy.yml:5', build: 'config/deploy.yml', role: false },
      { name: 'job', source: 'config/deploy.yml:7', build: 'config/deploy.yml', role: true },
    ]);
  });

  it('roles sharing the embedded SQLite database stay on one VM, as a Procfile\'s process types do (rubric rule 3 note)', () => {
    const deploy = 'service: farm\nimage: farm\nservers:\n  web:\n    - app.example.org\n  job:\n    hosts:\n      - app.example.org\n    cmd: bin/jobs\n';
    const shared = analyzeRepository(snapshot({ ...rails, 'config/deploy.yml': deploy, 'config/database.yml': 'production:\n  adapter: sqlite3\n  database: storage/production.sqlite3\n' }));
    expect(shared.localState?.some((s) => /SQLite/.test(s.name))).toBe(true);
    const feas = feasibility(shared, 'aws');
    expect(feas.settled?.rule).toBe('local-state');
    expect(feas.settled?.reason).toContain('shared by the 2 process types of one image: web (config/deploy.yml:4), job (config/deploy.yml:6)');
  });

  it('skips ERB lines, and reads a role\'s own quoted cmd, not one under its options', () => {
    const a = analyzeRepository(snapshot({
      ...rails,
      'config/deploy.yml': 'service: farm\nimage: farm\nservers:\n<% if ENV["WEB"] %>\n  web:\n    hosts:\n      - a.example.org\n    options:\n      cmd: bin/jobs\n<% end %>\n  jobs:\n    hosts:\n      - b.example.org\n    cmd: "bash -c bin/jobs"\n',
    }));
    expect(a.services?.map((s) => [s.name, s.role])).toEqual([['web', false], ['jobs', true]]);
  });

  it('roles sharing SQLite beside an object store (no database server) still stay on one VM', () => {
    const deploy = 'service: farm\nimage: farm\nservers:\n  web:\n    - app.example.org\n  job:\n    hosts:\n      - app.example.org\n    cmd: bin/jobs\n';
    const gemfile = "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem 'sqlite3'\ngem 'solid_queue'\ngem 'aws-sdk-s3'\n";
    const a = analyzeRepository(snapshot({ ...rails, Gemfile: gemfile, 'config/deploy.yml': deploy, 'config/storage.yml': 'amazon:\n  service: S3\n  bucket: farm\n', 'config/environments/production.rb': 'Rails.application.configure do\n  config.active_storage.service = :amazon\nend\n' }));
    expect([a.stateful, a.services?.length]).toEqual([['s3'], 2]);
    expect(feasibility(a, 'aws').settled?.rule).toBe('local-state');
  });

  it('is the one plain app for a bare host list, and no roles in a deploy file that names no image (controls)', () => {
    expect(analyzeRepository(snapshot({ ...rails, 'config/deploy.yml': 'service: farm\nimage: farm\nservers:\n  - app.example.org\n' })).services).toEqual([]);
    expect(analyzeRepository(snapshot({ ...rails, 'config/deploy.yml': 'servers:\n  web:\n    - a.example.org\n  job:\n    - b.example.org\n' })).services).toEqual([]);
  });
});
