// A compose service built FROM a base OS image that installs nginx and copies in only its
// configuration (a site file into sites-available, a shell rc) is a reverse proxy, not a service of the app.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import type { RepoSnapshot } from '../function/src/types.js';

const compose = 'services:\n  web:\n    build: .\n  nginx:\n    build:\n      context: ./nginx/\n';
const names = (nginxDockerfile: string): string[] => {
  const snapshot: RepoSnapshot = { files: new Map(Object.entries({ 'docker-compose.yml': compose, Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "app:app"]\n', 'nginx/Dockerfile': nginxDockerfile, 'nginx/default': 'server { listen 80; }\n', 'nginx/.bashrc': 'alias ll="ls -l"\n', 'nginx/dist/index.html': '<html></html>\n' })) };
  return firstPartyServices(snapshot, parseCompose('docker-compose.yml', compose)).map((s) => s.name).sort();
};

describe('a proxy image configured by copies', () => {
  it('a site file copied into sites-available and a shell rc file configure the proxy', () => {
    expect(names('FROM debian:bookworm-slim\nWORKDIR /etc/nginx\nRUN apt-get update && apt-get install -y nginx-full\nCOPY .bashrc /root\nCOPY default sites-available\nCMD ["nginx", "-g", "daemon off;"]\n')).toEqual(['web']);
    expect(names('FROM debian:bookworm-slim\nRUN apt-get install -y nginx\nCOPY default /etc/nginx/sites-enabled/default\nCMD ["nginx", "-g", "daemon off;"]\n')).toEqual(['web']);
  });

  it('a COPY line with trailing spaces is read by its last real word', () => {
    expect(names('FROM debian:bookworm-slim\nRUN apt-get install -y nginx\nCOPY default /etc/nginx/sites-available/   \nCMD ["nginx", "-g", "daemon off;"]\n')).toEqual(['web']);
  });

  it('a build copied into the web root is a front-end of its own', () => {
    expect(names('FROM nginx:alpine\nCOPY .bashrc /root\nCOPY dist /usr/share/nginx/html\n')).toEqual(['nginx', 'web']);
  });
});
