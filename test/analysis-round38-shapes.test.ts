// Shapes from the round-38 dev cases (a plain awesome-selfhosted sample): a workspace whose root start script runs the
// backend's built file, a Python package that compose deploys from its own published image, and a data folder that a
// compose service names in a setting rather than in its path.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a workspace of a backend and a front end whose root start script runs the backend', () => {
  const files = (start: string) => ({
    'package.json': JSON.stringify({ name: 'router', private: true, workspaces: ['packages/shared', 'packages/frontend', 'packages/backend'], scripts: { build: 'turbo build', start } }),
    'turbo.json': '{"tasks": {"build": {}}}\n',
    'packages/backend/package.json': '{"name": "router-backend", "scripts": {"start": "node dist/main"}, "dependencies": {"@nestjs/core": "^11.0.0", "@nestjs/platform-express": "^11.0.0", "pg": "^8.0.0"}}\n',
    'packages/backend/src/main.ts': 'import { NestFactory } from "@nestjs/core";\nconst app = await NestFactory.create(AppModule);\nawait app.listen(process.env.PORT ?? 3001);\n',
    'packages/frontend/package.json': '{"name": "router-frontend", "scripts": {"dev": "vite", "build": "vite build"}, "dependencies": {"solid-js": "^1.9.0"}, "devDependencies": {"vite": "^7.0.0"}}\n',
    'packages/frontend/server.ts': 'import http from "node:http";\nhttp.createServer((req, res) => res.end()).listen(5173);\n',
    'packages/shared/package.json': '{"name": "router-shared", "main": "dist/index.js"}\n',
  });

  it('is the backend the start script runs, not a monorepo to choose from', () => {
    const a = analyzeRepository(snapshot(files('node packages/backend/dist/main.js')));
    expect(a.monorepo?.chosen).toBe('packages/backend');
    // (its port is the backend's, not the front end's dev server the root reading found)
    expect(a).toMatchObject({ kind: 'web', framework: 'nestjs', port: 3001 });
    expect(a.evidence.some((e) => e.source === 'rule:root-start-runs-app-folder')).toBe(true);
  });

  it('still asks which app when the start script runs several programs (control)', () => {
    const a = analyzeRepository(snapshot(files('concurrently "node packages/backend/dist/main.js" "vite packages/frontend"')));
    expect(a.monorepo?.chosen).toBeUndefined();
  });

  it('reads a quoted ./ path (control of the parsing)', () => {
    expect(analyzeRepository(snapshot(files('node "./packages/backend/dist/main.js"'))).monorepo?.chosen).toBe('packages/backend');
  });

  it('still asks which app when the start script runs a root file (control)', () => {
    const a = analyzeRepository(snapshot(files('node scripts/start-all.js')));
    expect(a.kind).toBe('unknown');
    expect(a.monorepo?.chosen).toBeUndefined();
  });
});

describe('a Python package that its compose file runs from its own published image', () => {
  const files = (image: string) => ({
    'setup.py': 'from setuptools import setup\nsetup(name="timekeeper", packages=["timekeeper"], install_requires=["uvicorn", "itemdb"])\n',
    'requirements.txt': 'uvicorn\nitemdb>=1.1\n',
    'timekeeper/__init__.py': '__version__ = "1.0"\n',
    'timekeeper/__main__.py': 'import uvicorn\nfrom timekeeper.server import app\nuvicorn.run(app)\n',
    'deploy/docker-compose.yml': ['services:', '  timekeeper:', `    image: ${image}`, '    ports:', '      - "80:80"', '    volumes:', '      - ./_timekeeper:/root/_timekeeper', '    environment:', '      - TIMEKEEPER_BIND=0.0.0.0:80', '      - TIMEKEEPER_DATADIR=/root/_timekeeper', ''].join('\n'),
  });

  it('is deployed, not a library, and keeps its data in the folder the setting names', () => {
    const a = analyzeRepository(snapshot(files('ghcr.io/someone/timekeeper')));
    expect(a.kind).not.toBe('library');
    expect(a.evidence.some((e) => e.fact === 'deployed by its own manifests' && e.source === 'deploy/docker-compose.yml:2')).toBe(true);
    expect((a.localState ?? []).map((s) => s.name)).toContain('data volume /root/_timekeeper');
  });

  it('stays a library when its compose runs the store it is a client of, named like the package (control)', () => {
    const client = { ...files('redis:7.2'), 'setup.py': 'from setuptools import setup\nsetup(name="redis", packages=["redis"])\n', 'redis/__init__.py': '' };
    expect(analyzeRepository(snapshot(client)).kind).toBe('library');
  });

  it('stays a library when compose runs only another image (control)', () => {
    expect(analyzeRepository(snapshot(files('ghcr.io/someone/timekeeper-demo-backend'))).kind).toBe('library');
  });
});

describe('a compose data mount named by a setting', () => {
  const files = (env: string) => ({
    'package.json': '{"name": "notes", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.19.0"}}\n',
    'server.js': 'const express = require("express");\nexpress().listen(3000);\n',
    Dockerfile: 'FROM node:20\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
    'docker-compose.yml': ['services:', '  notes:', '    build: .', '    volumes:', '      - ./keep:/srv/keep', '    environment:', `      - ${env}`, ''].join('\n'),
  });

  it('is local state when a *_DATADIR setting points at the mount', () => {
    expect((analyzeRepository(snapshot(files('NOTES_DATA_DIR=/srv/keep'))).localState ?? []).map((s) => s.name)).toContain('data volume /srv/keep');
  });

  it('is no state when the setting is not a data folder (METADATA_PATH) (control)', () => {
    expect((analyzeRepository(snapshot(files('METADATA_PATH=/srv/keep'))).localState ?? []).map((s) => s.name)).not.toContain('data volume /srv/keep');
  });

  it('is no state when the setting points elsewhere (control)', () => {
    expect((analyzeRepository(snapshot(files('NOTES_DATA_DIR=/var/lib/notes'))).localState ?? []).map((s) => s.name)).not.toContain('data volume /srv/keep');
  });
});

describe('a compose file pulling the published images of app folders kept under a grouping folder', () => {
  const files = (extra: Record<string, string> = {}) => ({
    'Cargo.toml': '[workspace]\nmembers = ["services/api", "services/cli"]\n',
    'docker-compose.yml': ['services:', '  bench_api:', '    image: ghcr.io/acme/bench-api:latest', '    ports: ["6610:6610"]', '    volumes: ["./data:/var/lib/bench/data"]', '  bench_console:', '    image: ghcr.io/acme/bench-console:latest', '    ports: ["3000:3000"]', '    depends_on: [bench_api]', ''].join('\n'),
    'services/api/Cargo.toml': '[package]\nname = "api"\n[dependencies]\ndropshot = "0.16"\n',
    'services/api/src/main.rs': 'fn main() {}\n',
    'services/api/Dockerfile': 'FROM rust:1.85 AS build\nCOPY . .\nRUN cargo build --release\nFROM debian:bookworm-slim\nCOPY --from=build /target/release/api /usr/bin/api\nEXPOSE 6610\nCMD ["/usr/bin/api"]\n',
    'services/console/package.json': '{"name": "console", "scripts": {"build": "astro build"}, "dependencies": {"astro": "^5.0.0"}}\n',
    'services/console/Dockerfile': 'FROM node:22\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 3000\nCMD ["node", "dist/server/entry.mjs"]\n',
    'services/cli/Cargo.toml': '[package]\nname = "cli"\n',
    ...extra,
  });
  const names = (f: Record<string, string>) => (analyzeRepository(snapshot(f)).services ?? []).map((s) => s.name).sort();

  it('counts both images as the repository\'s own services', () => {
    expect(names(files())).toEqual(['bench_api', 'bench_console']);
  });

  it('ties no image to a folder name two grouping folders share (control)', () => {
    expect(names(files({ 'apps/console/Dockerfile': 'FROM node:22\nCMD ["node", "x.js"]\n' }))).not.toContain('bench_console');
  });

  it('ties no third-party image named like a folder, nor one whose prefix is no project of the repository (controls)', () => {
    const app = { 'package.json': '{"name": "shop", "scripts": {"start": "node server.js"}, "dependencies": {"express": "^4.19.0"}}\n', 'server.js': 'require("express")().listen(3000);\n', Dockerfile: 'FROM node:22\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n' };
    const compose = (image: string) => ['services:', '  app:', '    build: .', '  side:', `    image: ${image}`, ''].join('\n');
    const go = 'FROM golang:1.23\nCOPY . .\nRUN go build -o /x .\nCMD ["/x"]\n';
    expect(names({ ...app, 'docker-compose.yml': compose('ollama/ollama'), 'services/ollama/Dockerfile': go })).toEqual(['app']);
    expect(names({ ...app, 'docker-compose.yml': compose('codercom/code-server'), 'services/server/Dockerfile': go })).toEqual(['app']);
    expect(names({ ...app, 'docker-compose.yml': compose('acme/shop-worker'), 'docker/worker/Dockerfile': go })).toEqual(['app']);
    expect(names({ ...app, 'docker-compose.yml': compose('acme/shop-worker'), 'services/worker/Dockerfile': go })).toEqual(['app', 'side']);
    expect(names({ ...app, 'docker-compose.yml': compose('acme/shop-db'), 'services/db/Dockerfile': 'FROM postgres:16\n' })).toEqual(['app']);
  });

  it('ties no image to a folder of samples (control)', () => {
    const samples = Object.fromEntries(Object.entries(files()).map(([p, t]) => [p.replace(/^services\/console\//, 'examples/console/'), t]));
    expect(names(samples)).not.toContain('bench_console');
  });
});

describe('an app of a host framework (a Frappe app installed into a bench)', () => {
  const files = (bench: string) => ({
    'pyproject.toml': ['[project]', 'name = "helpdesk"', 'dependencies = ["textblob==0.18.0"]', '', '[build-system]', 'requires = ["flit_core >=3.4,<4"]', 'build-backend = "flit_core.buildapi"', '', bench, ''].join('\n'),
    'helpdesk/__init__.py': '__version__ = "1.0.0"\n',
    'helpdesk/hooks.py': 'app_name = "helpdesk"\napp_title = "Helpdesk"\n',
  });

  it('is a web app served by the framework, not a library', () => {
    const a = analyzeRepository(snapshot(files('[tool.bench.frappe-dependencies]\n# the framework\nfrappe = ">=16.0.0-dev,<18.0.0"\ntelephony = ">=0.0.1"')));
    expect(a.kind).toBe('web');
    expect(a.evidence.some((e) => e.fact === 'serves http' && e.source === 'pyproject.toml:9')).toBe(true);
  });

  it('stays a library without the framework dependency (control)', () => {
    expect(analyzeRepository(snapshot(files('[tool.black]\nline-length = 99'))).kind).toBe('library');
  });
});
