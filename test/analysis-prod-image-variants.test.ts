// Round 9: a production image kept as variants in nested docker/ folders (one per web server) beside a
// development-only compose (Laravel Sail), each rule on a small synthetic repository.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const laravel = JSON.stringify({ name: 'acme/shop', type: 'project', require: { 'laravel/framework': '^12.0' } });
const variant = (server: string, cmd = '["/usr/bin/supervisord", "-n"]') => `FROM ubuntu:24.04\nRUN apt-get install -y ${server} php8.3-fpm\nCOPY . /var/www/app\nEXPOSE 80\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\nCMD ${cmd}\n`;
const sail = "services:\n  laravel.test:\n    build:\n      context: ./vendor/laravel/sail/runtimes/8.3\n    image: sail-8.3/app\n    ports:\n      - '${APP_PORT:-80}:80'\n    volumes:\n      - '.:/var/www/html'\n";

describe('image variants in nested docker folders', () => {
  it('reads the start command the variants agree on as the app image', () => {
    const files = { 'composer.json': laravel, 'docker-compose.yml': sail, 'docker/production/nginx/Dockerfile': variant('nginx'), 'docker/production/apache/Dockerfile': variant('apache2'), 'docker/local/Dockerfile': variant('nginx', '["php", "artisan", "serve"]') };
    const a = analyzeRepository(snapshot(files));
    expect(a.startCommand).toBe('/usr/local/bin/entrypoint.sh /usr/bin/supervisord -n');
    expect(a.port).toBe(80);
    expect(a.evidence).toContainEqual({ fact: 'startCommand /usr/local/bin/entrypoint.sh /usr/bin/supervisord -n', source: 'docker/production/apache/Dockerfile:5' });
  });

  it('leaves the image undecided when the variants start different commands', () => {
    const files = { 'composer.json': laravel, 'docker-compose.yml': sail, 'docker/production/nginx/Dockerfile': variant('nginx'), 'docker/production/roadrunner/Dockerfile': variant('rr', '["rr", "serve"]') };
    expect(analyzeRepository(snapshot(files)).evidence.some((e) => e.fact.startsWith('startCommand /usr/local/bin/entrypoint.sh'))).toBe(false);
  });
});
