// An nginx image built beside a Rails (or PHP, Django, Go) app that copies its conf and the app's public/ folder
// (error pages, robots.txt) is a reverse proxy in front of the app, not a front-end of its own; a static site's
// nginx image copying its own public/ is still the app.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/app/Dockerfile\n  web:\n    build:\n      context: .\n      dockerfile: docker/web/Dockerfile\n    ports:\n      - "80:80"\n';
const proxy = 'FROM nginx\nCOPY public public/\nCOPY docker/web/nginx.conf /tmp/docker.nginx\n';
const names = (files: Record<string, string>): string[] => firstPartyServices(snapshot(files), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

describe('a proxy image copying a server app\'s public folder', () => {
  const rails = { Gemfile: "gem 'rails'\n", 'config.ru': '', 'public/404.html': '', 'docker/app/Dockerfile': 'FROM ruby:3\nCOPY . .\nCMD ["bundle", "exec", "puma"]\n', 'docker/web/Dockerfile': proxy, 'docker-compose.yml': compose };

  it('is not a second service beside a Rails app', () => {
    expect(names(rails)).toEqual(['app']);
  });

  it('reads the folder relative to the build context', () => {
    const c = compose.replace('context: .\n      dockerfile: docker/web/Dockerfile', 'context: site\n      dockerfile: Dockerfile');
    const files = { ...rails, 'site/Dockerfile': proxy.replace('docker/web/nginx.conf', 'nginx.conf'), 'site/public/index.html': '', 'site/package.json': '{}', 'docker-compose.yml': c };
    expect(firstPartyServices(snapshot(files), parseCompose('docker-compose.yml', c)).map((s) => s.name)).toEqual(['app', 'web']);
  });

  it('stays a service when the public folder is a front-end\'s (beside a package.json only)', () => {
    const { Gemfile: _g, 'config.ru': _c, ...front } = rails;
    expect(names({ ...front, 'package.json': '{"scripts":{"build":"vite build"}}' })).toEqual(['app', 'web']);
  });
});
