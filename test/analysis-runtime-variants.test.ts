// Round 10: server facts of apps whose front-end is built into them, and stores bundled in the image.
// Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Spring Boot app whose web server comes with a starter built on spring-boot-starter-web', () => {
  const pom = (starters: string[]): string => `<project><parent><groupId>com.example</groupId><artifactId>tutorial</artifactId><version>1</version></parent><artifactId>payroll</artifactId><dependencies>${starters.map((a) => `<dependency><groupId>org.springframework.boot</groupId><artifactId>${a}</artifactId></dependency>`).join('')}<dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId></dependency></dependencies></project>`;
  const app = { 'src/main/java/com/example/App.java': '@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n', 'package.json': '{"name":"payroll-ui","dependencies":{"react":"18.0.0"},"scripts":{"watch":"webpack --watch"}}' };

  it('Data REST or WebSocket starters serve HTTP on the default port', () => {
    for (const starter of ['spring-boot-starter-data-rest', 'spring-boot-starter-websocket']) {
      const a = analyzeRepository(snapshot({ ...app, 'pom.xml': pom(['spring-boot-starter-thymeleaf', starter]) }));
      expect([a.language, a.framework, a.kind, a.port]).toEqual(['java', 'spring-boot', 'web', 8080]);
    }
  });
});

describe('a SurrealDB server beside an image that supervises API, worker and UI', () => {
  it('is a backing store read from the compose image', () => {
    const compose = 'services:\n  surrealdb:\n    image: surrealdb/surrealdb:v2\n    command: ["start", "rocksdb:/mydata/db"]\n  app:\n    image: example/notebook:v1-latest\n    environment:\n      - SURREAL_URL=ws://surrealdb:8000/rpc\n';
    const a = analyzeRepository(snapshot({
      'pyproject.toml': '[project]\nname = "notebook"\ndependencies = ["fastapi>=0.104", "uvicorn>=0.24", "surrealdb>=1.0"]\n',
      'api/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
      Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nEXPOSE 8502 5055\nCMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/conf.d/supervisord.conf"]\n',
      'docker-compose.yml': compose,
    }));
    expect(a.stateful).toEqual(['surrealdb']);
  });
});

describe('a UI folder with a framework built into the API image of another language', () => {
  const files = {
    'web/package.json': '{"name":"ui","scripts":{"build":"vite build","dev":"vite dev"},"devDependencies":{"@sveltejs/kit":"2.0.0","@sveltejs/adapter-static":"3.0.0"}}',
    'web/svelte.config.js': 'import adapter from "@sveltejs/adapter-static";\nexport default { kit: { adapter: adapter({ fallback: "200.html" }) } };\n',
    'api/pyproject.toml': '[tool.poetry]\nname = "chat"\n[tool.poetry.dependencies]\nfastapi = "^0.95"\nhypercorn = "^0.17"\n',
    'api/src/chat/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n',
  };
  it('the language and framework are those of the image\'s last stage, not the front-end built before it', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: 'FROM node:20-slim AS frontend\nCOPY ./web /app/web\nRUN npm run build\nFROM python:3.11-slim AS release\nCOPY --from=frontend /app/web/build /app/api/static/\nCOPY ./api /app/api\nEXPOSE 8008\nCMD ["hypercorn", "chat.main:app", "--bind", "0.0.0.0:8008"]\n' }));
    expect([a.language, a.framework]).toEqual(['python', 'fastapi']);
  });
});

describe('a store server binary copied into the app image from the store\'s own image', () => {
  const app = { 'pyproject.toml': '[project]\nname = "chat"\ndependencies = ["fastapi>=0.95", "hypercorn", "redis>=5"]\n', 'main.py': 'from fastapi import FastAPI\napp = FastAPI()\n', 'docker-compose.yml': 'services:\n  chat:\n    image: example/chat:latest\n    volumes:\n      - datadb:/data/db\nvolumes:\n  datadb:\n' };
  const dockerfile = 'FROM redis:7-bookworm AS redis\nFROM python:3.11-slim AS release\nCOPY --from=redis /usr/local/bin/redis-server /usr/local/bin/redis-server\nCOPY . /app\nEXPOSE 8008\nCMD ["/bin/bash", "-c", "/app/deploy.sh"]\n';
  it('is bundled when a script of the repository starts its daemon', () => {
    const a = analyzeRepository(snapshot({ ...app, Dockerfile: dockerfile, 'deploy.sh': '#!/bin/bash\nredis-server /etc/redis/redis.conf &\nhypercorn main:app --bind 0.0.0.0:8008\n' }));
    expect(a.stateful).toEqual(['redis']);
  });
  it('is not when nothing starts it', () => {
    const a = analyzeRepository(snapshot({ ...app, Dockerfile: dockerfile, 'deploy.sh': '#!/bin/bash\nhypercorn main:app --bind 0.0.0.0:8008\n' }));
    expect(a.stateful).toEqual([]);
  });
});
