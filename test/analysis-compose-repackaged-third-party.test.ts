// A compose file's local setup beside the app: builds that only repackage someone else's server with configuration
// (FROM dexidp/dex + its config, a CT log binary copied out of its published image) are stand-ins, not services the
// repository writes; a build that copies the repository's code, or starts from the project's own image, stays one.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = `services:
  server:
    build:
      context: .
      target: deploy
    ports:
      - "5555:5555"
  idp:
    build:
      context: .
      dockerfile: Dockerfile.idp
  ctlog:
    build:
      context: .
      dockerfile: Dockerfile.ctlog
  worker:
    build:
      context: .
      dockerfile: Dockerfile.worker
`;
const files = {
  'go.mod': 'module github.com/acme/signer\n\ngo 1.22\n',
  'main.go': 'package main\n',
  Dockerfile: 'FROM golang:1.22 AS builder\nCOPY . .\nRUN go build -o /server .\nFROM golang:1.22 AS deploy\nCOPY --from=builder /server /usr/local/bin/server\nENTRYPOINT ["server"]\n',
  'Dockerfile.idp': 'FROM dexidp/dex:v2.45.1\nCOPY ./config/dex /etc/config/\n',
  'Dockerfile.ctlog': 'FROM ghcr.io/transparency-dev/tesseract/posix:v0.1.1 AS server\nFROM golang:1.22\nCOPY --from=server /ko-app/posix /usr/local/bin/tesseract\nENTRYPOINT ["tesseract"]\n',
  'Dockerfile.worker': 'FROM golang:1.22\nCOPY . .\nRUN go build -o /worker ./cmd/worker\nCMD ["/worker"]\n',
  'docker-compose.yml': compose,
};
const names = (f: Record<string, string>): string[] => firstPartyServices(snapshot(f), parseCompose('docker-compose.yml', f['docker-compose.yml'] ?? '')).map((s) => s.name);

describe('third-party servers repackaged with configuration in compose', () => {
  it('leaves out a pulled server image plus its config and a binary copied out of a pulled image', () => {
    expect(names(files)).toEqual(['server', 'worker']);
  });

  it('keeps a build of the project own image with configuration added', () => {
    expect(names({ ...files, 'Dockerfile.idp': 'FROM ghcr.io/acme/signer:latest\nCOPY config.yaml /etc/signer/config.yaml\n' })).toEqual(['idp', 'server', 'worker']);
  });

  it('keeps a third-party platform image the repository copies its own code into', () => {
    expect(names({ ...files, 'Dockerfile.idp': 'FROM quay.io/keycloak/keycloak:26.0\nCOPY themes/acme /opt/keycloak/themes/acme\n' })).toEqual(['idp', 'server', 'worker']);
  });

  it('keeps an app-server image that runs the checkout mounted into it', () => {
    const mounted = compose.replace('      dockerfile: Dockerfile.idp\n', '      dockerfile: Dockerfile.idp\n    volumes:\n      - .:/app\n');
    expect(names({ ...files, 'Dockerfile.idp': 'FROM dunglas/frankenphp:1\nCOPY Caddyfile /etc/caddy/Caddyfile\n', 'docker-compose.yml': mounted })).toEqual(['idp', 'server', 'worker']);
  });

  it('keeps such a build when it is the only thing the file builds', () => {
    const only = `services:\n  idp:\n    build:\n      context: .\n      dockerfile: Dockerfile.idp\n`;
    expect(names({ ...files, 'docker-compose.yml': only })).toEqual(['idp']);
  });
});
