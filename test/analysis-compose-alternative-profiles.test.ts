// Profiles that publish the same host port cannot run together: apache, or nginx + php-fpm, or frankenphp are
// alternative ways to serve one app, not three services. Profiles on ports of their own (a worker) still add one.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const app = { 'composer.json': '{"require":{"php":">=8.2"}}', 'public/index.php': '<?php\n', 'docker/apache/Dockerfile': 'FROM php:8.3-apache\n', 'docker/fpm/Dockerfile': 'FROM php:8.3-fpm\n', 'docker/franken/Dockerfile': 'FROM dunglas/frankenphp\n' };
const names = (compose: string): string[] => firstPartyServices(snapshot({ ...app, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

const variants = `services:
  db:
    image: mariadb:11
  apache:
    profiles: ['apache']
    build:
      context: .
      dockerfile: docker/apache/Dockerfile
    ports:
      - '8080:80'
      - '443:443'
  nginx:
    profiles: ['nginx']
    image: nginx:1.27
    ports:
      - '\${HTTP_PORT:-80}:80'
      - '443:443'
  php-fpm:
    profiles: ['nginx']
    build: docker/fpm
  frankenphp:
    profiles: ['frankenphp']
    build: docker/franken
    ports:
      - target: 443
        published: 443
`;

describe('compose profiles publishing the same host port', () => {
  it('are alternative web servers of one app: the first is kept', () => {
    expect(names(variants)).toEqual(['apache']);
  });

  it('leave profiles on ports of their own as services', () => {
    const c = variants.replace("'443:443'\n  nginx", "'8443:443'\n  nginx").replace('published: 443', 'published: 9443').replace("      - '443:443'\n  php-fpm", "      - '7443:443'\n  php-fpm");
    expect(names(c)).toEqual(['apache', 'frankenphp', 'php-fpm']);
  });

  it('drop a profiled variant of an always-on service on its port', () => {
    const c = "services:\n  web:\n    build: .\n    ports:\n      - '8000:8000'\n  web-debug:\n    profiles: ['debug']\n    build: .\n    command: php -S 0.0.0.0:8000 -t public\n    ports:\n      - '8000:8000'\n  worker:\n    build: .\n    command: php worker.php\n";
    expect(names(c)).toEqual(['web', 'worker']);
  });
});
