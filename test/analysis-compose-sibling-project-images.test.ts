// A compose file pulling `<project>-<role>` images: the repository's own only when something here builds them.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const composer = JSON.stringify({ name: 'acme/gallery', type: 'project', require: { 'laravel/framework': '^12.0' } });
const dockerfile = 'FROM php:8.4-cli\nCOPY . /app\nEXPOSE 8000\nCMD ["php", "artisan", "serve", "--host=0.0.0.0", "--port=8000"]\n';
const compose = [
  'services:',
  '  gallery_api:',
  '    image: ghcr.io/acme/gallery:latest',
  '    ports: ["8000:8000"]',
  '  gallery_worker:',
  '    image: ghcr.io/acme/gallery:latest',
  '    environment:',
  '      GALLERY_MODE: worker',
  '  gallery_faces:',
  '    image: ghcr.io/acme/gallery-face-recognition:latest',
  '  gallery_db:',
  '    image: mariadb:11',
  '',
].join('\n');

describe('sibling project images an org publishes under the app\'s name', () => {
  it('does not count a <project>-<role> image that only compose files and docs name', () => {
    const a = analyzeRepository(snapshot({ 'composer.json': composer, Dockerfile: dockerfile, 'docker-compose.yaml': compose, 'docs/faces.md': 'Run ghcr.io/acme/gallery-face-recognition beside the app.\n' }));
    expect(a.services?.map((s) => s.name)).toEqual(['gallery_api', 'gallery_worker']);
  });

  it('still counts it when a build script of the repository names it', () => {
    const build = 'docker build -f docker/faces.Dockerfile -t ghcr.io/acme/gallery-face-recognition:latest .\n';
    const a = analyzeRepository(snapshot({ 'composer.json': composer, Dockerfile: dockerfile, 'docker-compose.yaml': compose, 'scripts/build-images.sh': build }));
    expect(a.services?.map((s) => s.name)).toEqual(['gallery_api', 'gallery_faces', 'gallery_worker']);
  });
});
