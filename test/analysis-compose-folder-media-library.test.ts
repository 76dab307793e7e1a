// Round 6 (compiled servers with a JS front-end): a compose setup kept in a folder named for it, the image
// published under the Go module's name, a prepare step, and a media library mounted into the app.
// Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { findCompose, parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { dataVolumes } from '../function/src/analysis/traits.js';
import { snapshot } from './helpers/snapshot.js';

const compose = [
  'services:',
  '  gallery-prepare:\n    image: acme/gallery:2\n    user: root\n    command: chown -R app /cache',
  '  gallery:\n    image: acme/gallery:2\n    ports:\n      - "8000:80"\n    depends_on:\n      - mariadb\n    volumes:\n      - "${MEDIA_ROOT}:/photos:ro"',
  '  mariadb:\n    image: mariadb:lts',
  '',
].join('\n');
const repo = {
  'api/go.mod': 'module github.com/acme/gallery/api\n\ngo 1.22\n',
  'api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":80", nil) }\n',
  'ui/package.json': '{"name":"ui","scripts":{"build":"vite build"}}',
  Dockerfile: 'FROM golang:1.22 AS api\nCOPY api /app\nRUN go build -o /gallery\nFROM debian\nCOPY --from=api /gallery /gallery\nEXPOSE 80\nENTRYPOINT ["/gallery"]\n',
};

describe('a compose setup in a folder named for it', () => {
  it('the example compose file of a top-level folder named for compose is read, a minimal variant is not', () => {
    const files = snapshot({ ...repo, 'compose example/docker-compose.minimal.example.yml': 'services: {}\n', 'compose example/docker-compose.example.yml': compose });
    expect(findCompose(files)?.path).toBe('compose example/docker-compose.example.yml');
    expect(analyzeRepository(files).stateful).toContain('mysql');
  });

  it('a folder not named for compose is not read', () => {
    expect(findCompose(snapshot({ ...repo, 'compose/docker-compose.yml': compose }))?.path).toBe('compose/docker-compose.yml');
    expect(findCompose(snapshot({ ...repo, 'e2e/docker-compose.yml': compose }))).toBeUndefined();
  });
});

describe('an image published under the Go module name', () => {
  it('the app service pulls the image named after the module repository; a prepare step runs once', () => {
    const files = snapshot({ ...repo, 'docker-compose.yml': compose });
    expect(firstPartyServices(files, parseCompose('docker-compose.yml', compose)).map((s) => s.name)).toEqual(['gallery']);
  });
});

describe('a media library mounted into the app', () => {
  it('a mount on /photos keeps the files the app serves on local disk', () => {
    const app = parseCompose('docker-compose.yml', compose).services.find((s) => s.name === 'gallery');
    expect(dataVolumes(undefined, app).map((v) => v.name)).toEqual(['media library /photos']);
  });
});
