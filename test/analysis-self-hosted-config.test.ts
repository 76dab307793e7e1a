// Round 5 shapes of self-hosted Python/Ruby/PHP/Elixir apps (eval/RUBRIC.md facts): compose files that
// pull the image the repository publishes, broker extras nothing configures.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a compose file that pulls the image published under the project name', () => {
  const django = {
    'setup.py': 'from setuptools import setup\nsetup(\n    name="trackerapp",\n    version="1.0",\n)\n',
    'requirements.txt': 'Django==5.0\nmysqlclient\n',
    'manage.py': 'import django\n',
    Dockerfile: 'FROM python:3.12\nCOPY . /app\nEXPOSE 8080\nCMD /app/run.sh\n',
  };
  const compose = (image: string): string =>
    `services:\n  db:\n    image: mariadb:latest\n  web:\n    image: ${image}\n    ports:\n      - 80:8080\n    volumes:\n      - uploads:/srv/app/uploads\nvolumes:\n  uploads:\n`;

  it('is the app service: its upload volume is the app state', () => {
    const a = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('registry.example.com/trackerapp/tracker:latest') }));
    expect(a.services?.map((s) => s.name)).toEqual(['web']);
    expect(a.localState?.map((s) => s.name)).toEqual(['data volume /srv/app/uploads']);
  });

  it('an image of another org is not, nor a store published under the same name', () => {
    const other = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('someone/tracker:latest') }));
    expect(other.services).toEqual([]);
    expect(other.localState).toEqual([]);
    const store = analyzeRepository(snapshot({ ...django, 'docker-compose.yml': compose('trackerapp/postgres:16') }));
    expect(store.services).toEqual([]);
  });
});

describe('a broker named only by a task-queue extra', () => {
  const app = {
    'pyproject.toml': '[project]\nname = "familytree"\ndependencies = [\n    "Flask>=2.1",\n    "celery[redis]",\n]\n',
    'familytree/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    'familytree/config.py': 'class Config:\n    CELERY_CONFIG = {}\n',
    '.devcontainer/docker-compose.yml': 'services:\n  dev:\n    environment:\n      CELERY_CONFIG__broker_url: redis://redis:6379/0\n  redis:\n    image: valkey/valkey\n',
    'tests/test_tasks.py': 'CONFIG = {"broker_url": "redis://"}\n',
    Dockerfile: 'FROM python:3.12\nCOPY . /app\nEXPOSE 5000\nCMD gunicorn -b 0.0.0.0:5000 familytree.app:app\n',
  };

  it('is opt-in when nothing outside tests and dev containers configures a broker', () => {
    expect(analyzeRepository(snapshot(app)).stateful).toEqual([]);
  });

  it('is needed once a setting, a URL or a client package names it', () => {
    expect(analyzeRepository(snapshot({ ...app, 'familytree/config.py': 'import os\nclass Config:\n    CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]\n' })).stateful).toEqual(['redis']);
    expect(analyzeRepository(snapshot({ ...app, '.env.example': 'BROKER=redis://localhost:6379/0\n' })).stateful).toEqual(['redis']);
    expect(analyzeRepository(snapshot({ ...app, 'pyproject.toml': app['pyproject.toml'].replace('"celery[redis]",', '"celery[redis]",\n    "redis",') })).stateful).toEqual(['redis']);
  });
});

describe('the port of a Phoenix release', () => {
  const phoenix = {
    'mix.exs': 'defmodule Shelf.MixProject do\n  def project, do: [app: :shelf, elixir: "~> 1.14"]\n  def application, do: [mod: {Shelf.Application, []}]\n  defp deps, do: [{:phoenix, "~> 1.7"}, {:postgrex, ">= 0.0.0"}]\nend\n',
    'config/dev.exs': 'import Config\nconfig :shelf, ShelfWeb.Endpoint,\n  http: [ip: {127, 0, 0, 1}, port: 4000]\n',
  };
  const runtime = 'import Config\nif config_env() == :prod do\n  config :shelf, ShelfWeb.Endpoint,\n    http: [\n      ip: {0, 0, 0, 0, 0, 0, 0, 0},\n      port: String.to_integer(System.get_env("PORT", "8080"))\n    ]\nend\n';

  it('is the production config default, not the dev server port of config/dev.exs', () => {
    const a = analyzeRepository(snapshot({ ...phoenix, 'config/runtime.exs': runtime }));
    expect(a.port).toBe(8080);
    expect(a.evidence.find((e) => e.fact === 'port 8080')?.source).toBe('config/runtime.exs:4');
  });

  it('falls back to the dev config when nothing else names one', () => {
    expect(analyzeRepository(snapshot(phoenix)).port).toBe(4000);
  });
});

describe('a Rails app configured by its database.yml template, files kept under its root', () => {
  const rails = {
    Gemfile: "source 'https://rubygems.org'\ngem 'rails', '8.0.0'\ngem 'mysql2'\ngem 'pg'\ngem 'sqlite3'\n",
    'config/application.rb': 'module Tracker\n  class Application < Rails::Application\n  end\nend\n',
    'config/database.yml.example': '# Default setup is given for MySQL.\nproduction:\n  adapter: mysql2\n  database: tracker\n\n# PostgreSQL configuration example\n#production:\n#  adapter: postgresql\n',
    'app/models/attachment.rb': 'class Attachment < ApplicationRecord\n  cattr_accessor :storage_path\n  @@storage_path = File.join(Rails.root, "files")\nend\n',
  };

  it('the template\'s uncommented adapter is the database; attachments under Rails.root are local files', () => {
    const a = analyzeRepository(snapshot(rails));
    expect(a.stateful).toEqual(['mysql']);
    expect(a.localState?.map((s) => s.name)).toEqual(['uploads on local disk (a folder of the app)']);
  });

  it('a commented-out adapter names nothing', () => {
    const a = analyzeRepository(snapshot({ ...rails, 'config/database.yml.example': '#production:\n#  adapter: postgresql\n' }));
    expect(a.stateful).toEqual([]);
  });
});

describe('a Laravel release whose committed .env picks the database', () => {
  const laravel = {
    'composer.json': '{ "name": "org/linkpage", "require": { "laravel/framework": "^10.0" } }\n',
    artisan: '#!/usr/bin/env php\n',
    '.env.example': 'APP_NAME=Laravel\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\n',
    '.env': 'APP_NAME=LinkPage\n# should be left alone\nDB_CONNECTION=sqlite\n',
    'app/Http/Controllers/UserController.php': '<?php\nclass UserController {\n  public function upload($request) {\n    $request->file("photo")->move(base_path("assets/img"), "a.png");\n  }\n}\n',
  };

  it('the committed .env wins over the template\'s boilerplate; photos moved under the app are local files', () => {
    const a = analyzeRepository(snapshot(laravel));
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name).sort()).toEqual(['SQLite', 'uploads on local disk (a folder of the app)']);
  });

  it('a committed .env naming a server keeps it; without one the template decides', () => {
    expect(analyzeRepository(snapshot({ ...laravel, '.env': 'DB_CONNECTION=pgsql\n' })).stateful).toEqual(['postgres']);
    const { '.env': _, ...noDotEnv } = laravel;
    expect(analyzeRepository(snapshot(noDotEnv)).stateful).toEqual(['mysql']);
  });
});
