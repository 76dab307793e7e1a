// Shapes from the round-39 dev cases (a plain awesome-selfhosted sample): a Docker socket proxy beside an app that
// manages containers, and a Cargo workspace whose compose file runs the image one member crate publishes.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Docker socket proxy beside the app', () => {
  const files = (proxyImage: string) => ({
    'go.mod': 'module github.com/acme/dockhand\n\ngo 1.23\n\nrequire github.com/gin-gonic/gin v1.10.0\n',
    'cmd/main.go': 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run(":8888")\n}\n',
    'Dockerfile': 'FROM golang:1.23 AS build\nCOPY . .\nRUN go build -o /app ./cmd\nFROM scratch\nCOPY --from=build /app /app\nEXPOSE 8888\nCMD ["/app"]\n',
    // (the maintainers' own socket proxy, built in its own folder: a first-party image by name)
    'socket-proxy/main.go': 'package main\n\nfunc main() {}\n',
    'socket-proxy/Dockerfile': 'FROM golang:1.23\nCOPY . .\nRUN go build -o /proxy .\nCMD ["/proxy"]\n',
    'agent/main.go': 'package main\n\nfunc main() {}\n',
    'agent/Dockerfile': 'FROM golang:1.23\nCOPY . .\nRUN go build -o /agent .\nCMD ["/agent"]\n',
    'compose.example.yml': `services:\n  socket-proxy:\n    image: ${proxyImage}\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n  app:\n    image: ghcr.io/acme/dockhand:latest\n    environment:\n      - DOCKER_HOST=tcp://127.0.0.1:2375\n    depends_on:\n      - socket-proxy\n`,
  });

  it('is infrastructure, not a second service (the maintainers\' own proxy image or the common one)', () => {
    for (const image of ['ghcr.io/acme/socket-proxy:latest', 'tecnativa/docker-socket-proxy']) {
      const a = analyzeRepository(snapshot(files(image)));
      expect(a.services?.map((s) => s.name)).toEqual(['app']);
    }
  });

  it('still counts an own image of another name as a service (control)', () => {
    const a = analyzeRepository(snapshot(files('ghcr.io/acme/agent:latest')));
    expect(a.services?.map((s) => s.name).sort()).toEqual(['app', 'socket-proxy']);
  });
});

describe('a Cargo workspace whose compose file runs the image of one member crate', () => {
  const files = (image: string) => ({
    'Cargo.toml': '[workspace]\nresolver = "2"\nmembers = ["server", "cli", "lib"]\n',
    'server/Cargo.toml': '[package]\nname = "graph-server"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n',
    'server/src/main.rs': 'use actix_web::{App, HttpServer};\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n    HttpServer::new(|| App::new()).bind(("0.0.0.0", 9883))?.run().await\n}\n',
    'cli/Cargo.toml': '[package]\nname = "graph-cli"\nversion = "0.1.0"\n\n[dependencies]\nclap = "4"\n',
    'cli/src/main.rs': 'fn main() { println!("cli"); }\n',
    'desktop/Cargo.toml': '[package]\nname = "graph-desktop"\nversion = "0.1.0"\n\n[dependencies]\ntauri = "1"\n',
    'desktop/src/main.rs': 'fn main() { tauri::Builder::default().run(tauri::generate_context!()).unwrap(); }\n',
    'lib/Cargo.toml': '[package]\nname = "graph-lib"\nversion = "0.1.0"\n',
    'lib/src/lib.rs': 'pub fn f() {}\n',
    'docker-compose.yml': `services:\n  graph:\n    image: ${image}\n    ports:\n      - 80:80\n    volumes:\n      - graph-data:/data\nvolumes:\n  graph-data:\n`,
  });

  it('is that member, not a system of every member folder', () => {
    const a = analyzeRepository(snapshot(files('acme/graph-server')));
    expect(a.monorepo?.chosen).toBe('server');
    expect(a).toMatchObject({ kind: 'web', language: 'rust', framework: 'actix-web' });
    expect((a.services ?? []).length).toBeLessThanOrEqual(1);
    // (the compose service is the member's container: its published port and data volume are the app's, with their evidence)
    expect(a.port).toBe(80);
    expect(a.localState?.map((s) => s.name)).toContain('data volume /data');
    expect(a.evidence.some((e) => /^port 80\b/.test(e.fact) && e.source.startsWith('docker-compose.yml'))).toBe(true);
    expect(a.evidence.some((e) => e.source.startsWith('rule:compose-pulls-app-package'))).toBe(true);
  });

  it('never picks a static front end that goes by the product name (control)', () => {
    const a = analyzeRepository(snapshot({
      ...files('acme/graph-web'),
      'web/package.json': '{"name": "graph-web", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7.0.0"}}\n',
      'web/index.html': '<div id="app"></div>\n',
    }));
    expect(a.evidence.some((e) => e.source.startsWith('rule:compose-pulls-app-package'))).toBe(false);
  });

  it('says nothing when the image is named after no member (control)', () => {
    const a = analyzeRepository(snapshot(files('acme/graph')));
    expect(a.evidence.some((e) => e.source.startsWith('rule:compose-pulls-app-package'))).toBe(false);
    expect(a.monorepo?.chosen).not.toBe('server');
  });
});
