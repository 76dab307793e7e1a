// Shapes from re-reading the analyzer and from the round-45 dev cases (file sync and sharing servers).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a test\'s configuration is not the app\'s', () => {
  const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent><artifactId>repo</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>';
  const app = 'package org.repo;\n\n@SpringBootApplication\npublic class App {\n  public static void main(String[] args) { SpringApplication.run(App.class, args); }\n}\n';
  const spring = { 'pom.xml': pom, 'src/main/java/org/repo/App.java': app, 'src/main/resources/application.properties': 'server.port=8080\n' };

  it('an in-memory database a test resource configures is not the app\'s state (src/test/resources/, src/integrationTest/resources/)', () => {
    for (const dir of ['src/test/resources', 'src/integrationTest/resources', 'src/it/resources']) {
      const a = analyzeRepository(snapshot({ ...spring, [`${dir}/application.properties`]: 'spring.datasource.url=jdbc:h2:mem:testdb\n' }));
      expect(a.localState ?? [], dir).toEqual([]);
    }
  });

  it('nor is a SQLite database a test settings module selects (tests/settings.py)', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'flask==3.0.0\n',
      'app.py': "from flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
      'tests/settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'test.db'}}\n",
    }));
    expect(a.localState ?? []).toEqual([]);
  });

  it('the app\'s own configuration still counts (controls)', () => {
    const memory = analyzeRepository(snapshot({ ...spring, 'src/main/resources/application.properties': 'server.port=8080\nspring.datasource.url=jdbc:h2:mem:appdb\n' }));
    expect(memory.localState?.map((s) => [s.name, s.source])).toEqual([['in-memory database (H2/HSQLDB)', 'src/main/resources/application.properties:2']]);
  });
});

describe('a CI or build-tool image is not the app\'s', () => {
  const goApp = { 'go.mod': 'module github.com/org/sync\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' };
  const ciImage = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /src/sync .\nCMD ["make", "test"]\n';

  it('a Dockerfile under ci/, .ci/, .circleci/ or hack/ that copies the root in to run the checks does not give the start command', () => {
    for (const dir of ['ci', 'hack', '.ci', '.circleci']) {
      const a = analyzeRepository(snapshot({ ...goApp, [`${dir}/Dockerfile`]: ciImage, [`${dir}/Dockerfile.lint`]: 'FROM golangci/golangci-lint\nCOPY . .\n' }));
      expect(a.startCommand, dir).toBe('./sync');
    }
  });

  it('the release image CI publishes from ci/ (a runtime stage and the app\'s command) is still the app\'s (control)', () => {
    const release = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/sync .\nFROM alpine:3.20\nCOPY --from=build /out/sync /usr/bin/sync\nEXPOSE 8080\nCMD ["/usr/bin/sync"]\n';
    const a = analyzeRepository(snapshot({ ...goApp, 'ci/Dockerfile': release }));
    expect([a.startCommand, a.port]).toEqual(['/usr/bin/sync', 8080]);
  });

  it('the same build in a folder of another name is still the app\'s image (control)', () => {
    const a = analyzeRepository(snapshot({ ...goApp, 'docker/Dockerfile': ciImage.replace('["make", "test"]', '["/src/sync"]') }));
    expect(a.startCommand).toBe('/src/sync');
  });
});

describe('a storage default of local disk, in the env template or the config code', () => {
  const next = { 'package.json': JSON.stringify({ name: 'share', scripts: { build: 'next build', start: 'next start' }, dependencies: { next: '15.0.0', react: '19.0.0', '@aws-sdk/client-s3': '3.0.0' } }), 'app/page.tsx': 'export default function Page() { return null; }\n' };
  const schema = (provider: string) =>
    `import { z } from 'zod';\n\nexport const configSchema = z.object({\n  storage: z.object({\n    provider: z.enum(['local', 's3']).default('${provider}'),\n    s3: z.object({ bucket: z.string().default('') }),\n  }),\n});\n`;

  it('a TypeScript config schema whose storage provider defaults to local keeps the uploads on the app\'s disk (a Next.js file host)', () => {
    const a = analyzeRepository(snapshot({ ...next, 'lib/config/index.ts': schema('local') }));
    expect(a.localState?.map((s) => [s.name, s.source])).toContainEqual(['uploads on local disk (the config\'s storage default is local)', 'lib/config/index.ts:4']);
  });

  it('a Go config struct whose files driver defaults to local, and an env template choosing FILES_DRIVER=local', () => {
    const go = { 'go.mod': 'module github.com/org/panel\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8025", nil) }\n' };
    const tag = analyzeRepository(snapshot({ ...go, 'internal/config/config.go': 'package config\n\ntype Files struct {\n\tDriver string `env:"FILES_DRIVER" envDefault:"local"`\n}\n' }));
    expect(tag.localState?.map((s) => s.source)).toContain('internal/config/config.go:4');
    const env = analyzeRepository(snapshot({ ...go, '.env.example': 'DATABASE_URL=postgres://db/panel\nFILES_DRIVER=local\nFILES_LOCAL_BASE_PATH=/var/lib/panel/files\n' }));
    expect(env.localState?.map((s) => [s.name, s.source])).toContainEqual(['uploads on local disk (the env template chooses local storage)', '.env.example:2']);
  });

  it('an object store by default, a cache\'s or session\'s storage, a type, a comment or a front end\'s config is not local storage (controls)', () => {
    expect(analyzeRepository(snapshot({ ...next, 'lib/config/index.ts': schema('s3') })).localState ?? []).toEqual([]);
    const none = (files: Record<string, string>) => analyzeRepository(snapshot({ ...next, ...files })).localState ?? [];
    expect(none({ 'lib/config/index.ts': "export const config = {\n  cache: {\n    storage: { driver: 'file' },\n  },\n};\n" })).toEqual([]);
    expect(none({ 'lib/config/index.ts': "export interface Config {\n  storage: { provider: 'local' | 's3' };\n}\n" })).toEqual([]);
    expect(none({ 'lib/config/index.ts': "export const config = {\n  // storage: { provider: 'local' },\n};\n" })).toEqual([]);
    expect(none({ 'frontend/src/config/index.ts': "export const config = { storage: { type: 'local' } };\n" })).toEqual([]);
    expect(none({ '.env.example': 'LOG_FILE_DRIVER=file\nCACHE_FILES_DRIVER=local\nSESSION_FILE_STORAGE=file\nUPLOAD_TYPE=file\nRATE_LIMIT_STORAGE=local\n' })).toEqual([]);
  });
});

describe('a port named where the app keeps its config', () => {
  const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent><artifactId>viewer</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>';
  const spring = { 'server/pom.xml': pom, 'server/src/main/java/org/viewer/App.java': 'package org.viewer;\n\n@SpringBootApplication\npublic class App {}\n' };

  it('Spring reads the app\'s one application.properties outside the standard folders (server/src/main/config/, passed as spring.config.location)', () => {
    const a = analyzeRepository(snapshot({ ...spring, 'server/src/main/config/application.properties': 'spring.main.banner-mode=off\nserver.port = ${VIEWER_PORT:8012}\n' }));
    expect([a.port, a.evidence.find((e) => e.fact === 'port 8012')?.source]).toEqual([8012, 'server/src/main/config/application.properties:2']);
  });

  it('but not one of several such files, nor a test\'s (controls)', () => {
    const two = analyzeRepository(snapshot({ ...spring, 'server/src/main/config/application.properties': 'server.port=8012\n', 'server/deploy/application.properties': 'server.port=9000\n' }));
    expect(two.port).toBe(8080);
    for (const dir of ['server/src/test/resources', 'server/src/integrationTest/resources', 'server/samples/demo', 'server/charts/viewer/files']) {
      const other = analyzeRepository(snapshot({ ...spring, [`${dir}/application.properties`]: 'server.port=9090\n' }));
      expect(other.port, dir).toBe(8080);
    }
  });

  it('a Go config struct\'s port tag in lower case (`envconfig:"port" default:"8000"`, read under a prefix)', () => {
    const a = analyzeRepository(snapshot({
      'go.mod': 'module github.com/org/hub\n\ngo 1.22\n',
      'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(addr(), nil) }\n',
      'internal/config/types.go': 'package config\n\ntype HTTPServer struct {\n\tPort int `mapstructure:"port" envconfig:"port" default:"8000"`\n}\n',
    }));
    expect([a.port, a.evidence.find((e) => e.fact === 'port 8000')?.source]).toEqual([8000, 'internal/config/types.go:4']);
  });

  it('not the Port of a struct named for a store, another protocol or a side listener, even when it comes first (control)', () => {
    const go = { 'go.mod': 'module github.com/org/hub\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(addr(), nil) }\n' };
    const structs = 'package config\n\ntype DB struct {\n\tPort int `envconfig:"port" default:"5432"`\n}\n\ntype MetricsServer struct {\n\tPort int `envconfig:"port" default:"9090"`\n}\n\ntype HTTPServer struct {\n\tPort int `envconfig:"port" default:"8000"`\n}\n';
    const a = analyzeRepository(snapshot({ ...go, 'internal/config/types.go': structs }));
    expect([a.port, a.evidence.find((e) => e.fact === 'port 8000')?.source]).toEqual([8000, 'internal/config/types.go:12']);
    const storesOnly = analyzeRepository(snapshot({ ...go, 'internal/config/types.go': structs.slice(0, structs.indexOf('type HTTPServer')) }));
    expect(storesOnly.port).not.toBe(5432);
    expect(storesOnly.port).not.toBe(9090);
    const cache = analyzeRepository(snapshot({ ...go, 'internal/config/types.go': 'package config\n\ntype Cache struct {\n\tPort int `envconfig:"port" default:"11211"`\n}\n' }));
    expect(cache.port).not.toBe(11211);
  });
});

describe('a Node server whose write routes fill a module-level Map', () => {
  const pkg = JSON.stringify({ name: 'words', scripts: { start: 'node src/server.js' }, dependencies: { fastify: '^4.0.0' } });
  const server = (name: string) =>
    `const fastify = require("fastify")()\n\nconst ${name} = new Map();\n\nfastify.post("/game/start", (req) => {\n  const id = Math.random().toString(36)\n  ${name}.set(id, { words: [] })\n  return { id }\n})\n\nfastify.get("/game/:id", (req) => ${name}.get(req.params.id))\n\nfastify.listen({ port: 3000 })\n`;

  it('keeps its records in the process: in-process state, one VM', () => {
    const a = analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': server('gamesById') }));
    expect(a.localState?.map((s) => [s.name, s.source])).toEqual([['in-memory store (a module-level map the write routes fill)', 'src/server.js:3']]);
    const replaced = server('gamesById').replace('  gamesById.set(id', '  gamesById.delete(id)\n  gamesById.set(id');
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': replaced })).localState?.map((s) => s.source)).toEqual(['src/server.js:3']);
  });

  it('not a cache or a session map, not a map only reads use, not beside a database (controls)', () => {
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': server('sessionCache') })).localState ?? []).toEqual([]);
    const readOnly = server('gamesById').replace('gamesById.set(id, { words: [] })', 'void id');
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': readOnly })).localState ?? []).toEqual([]);
    const withDb = JSON.stringify({ name: 'words', scripts: { start: 'node src/server.js' }, dependencies: { fastify: '^4.0.0', pg: '^8.0.0' } });
    expect(analyzeRepository(snapshot({ 'package.json': withDb, 'src/server.js': server('gamesById') })).localState ?? []).toEqual([]);
    const hosted = JSON.stringify({ name: 'words', scripts: { start: 'node src/server.js' }, dependencies: { fastify: '^4.0.0', 'firebase-admin': '^12.0.0' } });
    expect(analyzeRepository(snapshot({ 'package.json': hosted, 'src/server.js': server('gamesById') })).localState ?? []).toEqual([]);
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': server('hitsByIp') })).localState ?? []).toEqual([]);
  });

  it('not a map a read route fills after an unrelated write route, nor a front end\'s map beside its API calls (controls)', () => {
    const memo = 'const fastify = require("fastify")()\n\nconst usersById = new Map();\n\nfastify.post("/login", (req) => ({ ok: true }))\n\nfastify.get("/users/:id", async (req) => {\n  const user = await fetchUser(req.params.id)\n  usersById.set(req.params.id, user)\n  return user\n})\n\nfastify.listen({ port: 3000 })\n';
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': memo })).localState ?? []).toEqual([]);
    const mock = 'import { http } from "msw";\n\nconst todos = new Map();\n\nexport const handlers = [\n  http.post("/api/todos", async ({ request }) => {\n    const t = await request.json();\n    todos.set(t.id, t);\n  }),\n];\n';
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': server('sessionCache'), 'src/mocks/handlers.js': mock })).localState ?? []).toEqual([]);
    const after = 'const fastify = require("fastify")()\n\nconst usersById = new Map();\n\nfastify.post("/login", (req) => ({ ok: true }))\n\nfunction remember(id, user) {\n  usersById.set(id, user)\n}\n\nfastify.listen({ port: 3000 })\n';
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': after })).localState ?? []).toEqual([]);
    const client = 'import axios from "axios";\n\nconst todos = new Map();\n\nexport async function add(t) {\n  await axios.post("/api/todos", t);\n  todos.set(t.id, t);\n}\n';
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'src/server.js': server('sessionCache'), 'src/store.js': client })).localState ?? []).toEqual([]);
  });
});
