// Shapes from the round-31 dev cases: an OpenShift template quoting its kinds, a plain compose file running only the
// development database beside a production one that builds the app, two processes of one image told apart by their
// entrypoint, a Phoenix test config's port against the production config's env default, plain PHP opening MySQL through PDO,
// and a polyglot system taking the language of its entry service's app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('an OpenShift template whose kinds are quoted', () => {
  const flask = {
    'requirements.txt': 'Flask==3.1.0\ngunicorn==23.0.0\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    Dockerfile: 'FROM python:3.12-alpine\nCOPY . /app\nEXPOSE 80\nCMD gunicorn -b 0.0.0.0:80 app:app\n',
  };
  const template = (kind: string) => `apiVersion: template.openshift.io/v1\nkind: Template\nobjects:\n- kind: ${kind}\n  apiVersion: v1\n  metadata:\n    name: board\n`;

  it('is a Kubernetes manifest (`- kind: "DeploymentConfig"`)', () => {
    const a = analyzeRepository(snapshot({ ...flask, 'board-s2i-template.yaml': template('"DeploymentConfig"') }));
    expect(a.platforms).toContainEqual({ kind: 'k8s', source: 'board-s2i-template.yaml:4' });
  });

  it('lists no workload when its objects are only an image stream (control)', () => {
    const a = analyzeRepository(snapshot({ ...flask, 'board-s2i-template.yaml': template('"ImageStream"') }));
    expect(a.platforms?.map((p) => p.kind)).toEqual(['dockerfile']);
  });
});

describe('a plain compose file running only the development database beside a production one', () => {
  const rails = {
    Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem 'pg'\n",
    'config/database.yml': 'production:\n  adapter: postgresql\n',
    'docker/app/Dockerfile': 'FROM ruby:3.4\nCOPY . /app\nENTRYPOINT ["/app/bin/docker-entrypoint"]\nEXPOSE 80\nCMD ["./bin/thrust", "./bin/rails", "server"]\n',
    'docker-compose.yml': 'services:\n  db:\n    image: postgres:alpine\n    ports:\n      - "5432:5432"\n',
  };
  const prod = 'services:\n  web:\n    build:\n      context: .\n      dockerfile: ./docker/app/Dockerfile\n    ports:\n      - "80:80"\n  jobs:\n    build:\n      context: .\n      dockerfile: ./docker/app/Dockerfile\n    entrypoint: ["./bin/jobs", "start"]\n  db:\n    image: postgres:alpine\n';

  it('leaves the deployment to the production file: its image, port and both processes', () => {
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.prod.yml': prod }));
    expect(a.evidence).toContainEqual({ fact: 'compose service web (built here)', source: 'docker-compose.prod.yml:2' });
    expect(a.port).toBe(80);
    expect(a.startCommand).toBe('/app/bin/docker-entrypoint ./bin/thrust ./bin/rails server');
    // The jobs service runs the same image under another entrypoint: another process, not a replica of web.
    expect(a.services?.map((s) => s.name)).toEqual(['jobs', 'web']);
  });

  it('keeps the plain file when it runs the app too (control)', () => {
    const plain = 'services:\n  app:\n    build: .\n    ports:\n      - "3000:3000"\n  db:\n    image: postgres:alpine\n';
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.yml': plain, 'docker-compose.prod.yml': prod }));
    expect(a.services?.map((s) => s.name)).toEqual(['app']);
    expect(a.evidence).toContainEqual({ fact: 'compose service app (built here)', source: 'docker-compose.yml:2' });
  });

  it('reads the plain file when the production one only adds the app to it (`-f docker-compose.yml -f docker-compose.prod.yml`; control)', () => {
    const override = 'services:\n  web:\n    build:\n      context: .\n      dockerfile: ./docker/app/Dockerfile\n';
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.prod.yml': override }));
    expect(a.evidence).toContainEqual({ fact: 'compose service db (postgres:alpine)', source: 'docker-compose.yml:2' });
    expect(a.services).toEqual([]);
  });

  it('reads the plain file when it pulls its services in through include: (control)', () => {
    const included = 'include:\n  - compose/app.yml\nservices:\n  db:\n    image: postgres:alpine\n';
    const app = 'services:\n  api:\n    build: ..\n    ports:\n      - "3000:3000"\n';
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.yml': included, 'compose/app.yml': app, 'docker-compose.prod.yml': prod }));
    expect(a.services?.map((s) => s.name)).toEqual(['api']);
  });

  it('counts one service run twice with the same entrypoint once (control)', () => {
    const replicas = prod.replace('      dockerfile: ./docker/app/Dockerfile\n    ports:', '      dockerfile: ./docker/app/Dockerfile\n    entrypoint: ["./bin/jobs", "start"]\n    ports:');
    const a = analyzeRepository(snapshot({ ...rails, 'docker-compose.prod.yml': replicas }));
    expect(a.services).toHaveLength(1);
  });
});

describe("a Phoenix app's port", () => {
  const phoenix = {
    'mix.exs': 'defmodule App.MixProject do\n  defp deps do\n    [{:phoenix, "~> 1.7"}, {:ecto_sql, "~> 3.10"}, {:postgrex, ">= 0.0.0"}]\n  end\nend\n',
    'config/prod.exs': 'import Config\nconfig :app, AppWeb.Endpoint,\n  http: [port: System.get_env("HTTP_PORT", "4000"), ip: {0, 0, 0, 0}]\n',
    'config/test.exs': 'import Config\nconfig :app, AppWeb.Endpoint,\n  http: [port: 4001],\n  server: false\n',
  };

  it("is the production config's env default, not the test config's literal", () => {
    const a = analyzeRepository(snapshot(phoenix));
    expect(a.port).toBe(4000);
    expect(a.evidence).toContainEqual({ fact: 'port 4000', source: 'config/prod.exs:3' });
  });

  it("falls back to the test config only when nothing else names one (control)", () => {
    const a = analyzeRepository(snapshot({ ...phoenix, 'config/prod.exs': 'import Config\n' }));
    expect(a.port).toBe(4001);
  });
});

describe('plain PHP opening its database through PDO', () => {
  const php = {
    'index.php': '<?php\nrequire "src/Database.php";\n',
    'composer.json': '{"require": {"php": ">=7.4"}}\n',
  };

  it("names the server of a literal DSN prefix (`new \\PDO('mysql:host=' …)`)", () => {
    const a = analyzeRepository(snapshot({ ...php, 'src/Database.php': "<?php\nclass Database {\n  function connect() {\n    $this->pdo = new \\PDO(\n      'mysql:host=' . $this->host,\n      $this->user, $this->pass);\n  }\n}\n" }));
    expect(a.stateful).toEqual(['mysql']);
  });

  it('leaves vendored, bundled (a folder with its own composer.json), test, docs and commented-out connections out, and two engines to the config (control)', () => {
    const dsn = "<?php\n$pdo = new PDO('pgsql:host=localhost');\n";
    const a = analyzeRepository(snapshot({ ...php, 'vendor/acme/db/Conn.php': dsn, 'Tests/DbTest.php': dsn, 'docs/snippets/pdo.php': dsn, 'lib/composer.json': '{}\n', 'lib/feeds/src/Cache/MySQL.php': "<?php\n$this->pdo = new PDO('mysql:host=' . $h);\n", 'src/Db.php': "<?php\n// $pdo = new PDO('mysql:host=db');\n$pdo = new PDO('sqlite:' . $file);\n" }));
    expect(a.stateful).toEqual([]);
    const both = analyzeRepository(snapshot({ ...php, 'src/Db.php': "<?php\nif ($driver === 'mysql') { $pdo = new PDO('mysql:host=' . $h); } else { $pdo = new PDO('pgsql:host=' . $h); }\n" }));
    expect(both.stateful).toEqual([]);
  });
});

describe('a polyglot system with no manifest at the root', () => {
  const files = {
    'docker-compose.yml': 'services:\n  db:\n    build: ./db\n    ports:\n      - "8090:8090"\n  web:\n    build: ./web\n    ports:\n      - "3000:3000"\n    environment:\n      - API_URL=http://db:8090\n    depends_on:\n      - db\n',
    'db/go.mod': 'module pocketbase\n\ngo 1.24\n\nrequire github.com/pocketbase/pocketbase v0.30.0\n',
    'db/main.go': 'package main\n\nimport "github.com/pocketbase/pocketbase"\n\nfunc main() { app := pocketbase.New(); app.Start() }\n',
    'db/Dockerfile': 'FROM golang:1.24 AS build\nCOPY . .\nRUN go build -o /pocketbase\nFROM alpine\nCOPY --from=build /pocketbase /pocketbase\nEXPOSE 8090\nENTRYPOINT ["/pocketbase", "serve", "--http=0.0.0.0:8090"]\n',
    'web/package.json': '{"name": "web", "dependencies": {"@sveltejs/kit": "^2.5.0", "@sveltejs/adapter-node": "^5.0.0"}, "scripts": {"build": "vite build"}}\n',
    'web/svelte.config.js': "import adapter from '@sveltejs/adapter-node';\nexport default { kit: { adapter: adapter() } };\n",
    'web/Dockerfile': 'FROM node:22-alpine\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 3000\nCMD ["node", "build"]\n',
  };

  it("speaks the language of the app its entry service runs (the SvelteKit front door, not the Go backend it calls)", () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.services?.map((s) => s.name)).toEqual(['db', 'web']);
    expect([a.language, a.framework]).toEqual(['node', 'sveltekit']);
  });
});

describe('Kubernetes manifests quoting their kinds', () => {
  it('deploy their workloads as services (`kind: "Deployment"`)', () => {
    const doc = (name: string) => `apiVersion: apps/v1\nkind: "Deployment"\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ghcr.io/acme/${name}:1.0\n`;
    const a = analyzeRepository(snapshot({ 'go.mod': 'module acme\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n', 'k8s/app.yaml': `${doc('api')}---\n${doc('worker')}` }));
    expect(a.services?.map((s) => s.name)).toEqual(['api', 'worker']);
  });
});
