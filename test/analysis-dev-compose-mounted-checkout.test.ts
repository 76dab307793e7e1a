// A Laravel app whose compose file is a development setup (every built service mounts the checkout over the
// image, `.:/var/www/html`, and splits web, queue worker and scheduler), beside a production image in
// docker/production/ that runs nginx, php-fpm, the worker and the scheduler under supervisord: the app's image
// is the production one, and the deployment is that one container.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const service = (name: string, mount: string, command?: string) => `  ${name}:\n    build:\n      context: .\n      dockerfile: docker/app/Dockerfile\n${command ? `    command: ${command}\n` : ''}    volumes:\n${mount}    depends_on:\n      - db\n`;
const compose = (mount: string) => `services:\n${service('app', mount)}${service('worker', mount, 'php artisan queue:work')}${service('scheduler', mount, 'php artisan schedule:work')}  web:\n    image: nginx:1.27-alpine\n    ports:\n      - "8090:80"\n  db:\n    image: mysql:8.4\n`;
const checkout = '      - .:/var/www/html\n';
const production = (cmd: string) => `FROM php:8.4-fpm-alpine\nRUN apk add --no-cache nginx supervisor\nWORKDIR /var/www/html\nCOPY . .\nEXPOSE 80\nENTRYPOINT ["app-entrypoint"]\nCMD ${cmd}\n`;
const app = (files: Record<string, string>) => snapshot({
  'composer.json': JSON.stringify({ name: 'acme/files', type: 'project', require: { php: '^8.4', 'laravel/framework': '^12.0' } }),
  '.env.example': 'APP_NAME=Files\nDB_CONNECTION=mysql\nDB_HOST=db\n',
  'public/index.php': "<?php\nrequire __DIR__.'/../vendor/autoload.php';\n",
  'docker/app/Dockerfile': 'FROM php:8.4-fpm-alpine\nWORKDIR /var/www/html\nENTRYPOINT ["app-entrypoint"]\nCMD ["php-fpm"]\n',
  ...files,
});

describe('a development compose that mounts the checkout, beside a production image', () => {
  it('reads the production image and counts its supervised processes as one service', () => {
    const a = analyzeRepository(app({ 'compose.yaml': compose(checkout), 'docker/production/Dockerfile': production('["supervisord", "-c", "/etc/supervisord.conf"]') }));
    expect(a.evidence).toContainEqual({ fact: 'hasDockerfile', source: 'docker/production/Dockerfile' });
    expect(a.port).toBe(80);
    expect(a.startCommand).toBe('app-entrypoint supervisord -c /etc/supervisord.conf');
    expect(a.services?.map((s) => s.name)).toEqual(['app']);
  });

  it('keeps the compose split when the production image runs one process', () => {
    const a = analyzeRepository(app({ 'compose.yaml': compose(checkout), 'docker/production/Dockerfile': production('["php-fpm"]') }));
    expect(a.startCommand).toBe('app-entrypoint php-fpm');
    expect(a.services?.map((s) => s.name)).toEqual(['app', 'scheduler', 'worker']);
  });

  it("keeps compose's command, before a Procfile, for a production image that declares none", () => {
    const withCommand = compose(checkout).replace('      dockerfile: docker/app/Dockerfile\n    volumes:', '      dockerfile: docker/app/Dockerfile\n    command: php artisan serve --host=0.0.0.0 --port=8000\n    volumes:');
    const a = analyzeRepository(app({ 'compose.yaml': withCommand, 'docker/production/Dockerfile': 'FROM php:8.4-fpm-alpine\nWORKDIR /var/www/html\nCOPY . .\n', Procfile: 'web: vendor/bin/heroku-php-apache2 public/\n' }));
    expect(a.evidence).toContainEqual({ fact: 'hasDockerfile', source: 'docker/production/Dockerfile' });
    expect(a.startCommand).toBe('php artisan serve --host=0.0.0.0 --port=8000');
  });

  it('keeps the built image and the split when compose runs what it builds', () => {
    const a = analyzeRepository(app({ 'compose.yaml': compose('      - storage:/var/www/html/storage\n'), 'docker/production/Dockerfile': production('["supervisord", "-c", "/etc/supervisord.conf"]') }));
    expect(a.evidence).toContainEqual({ fact: 'hasDockerfile', source: 'docker/app/Dockerfile' });
    expect(a.services?.map((s) => s.name)).toEqual(['app', 'scheduler', 'worker']);
  });
});
