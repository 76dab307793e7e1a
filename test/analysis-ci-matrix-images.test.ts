// A compose file pulling images the repository's CI builds with one build step per matrix instance
// (`context: ${{ matrix.context }}`, tags from a metadata step's `images: ghcr.io/${{ env.IMAGE_NAME }}`):
// each of those images is built from a Dockerfile here, so each compose service running one is first-party.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { ciBuiltDockerfile } from '../function/src/analysis/ci-images.js';
import { snapshot } from './helpers/snapshot.js';

const workflow = [
  'on: push',
  'jobs:',
  '  images:',
  '    strategy:',
  '      matrix:',
  '        include:',
  '          - image_name: acme/shop-api',
  '            context: api',
  '          - image_name: acme/mailer-relay',
  '            context: relays/mailer',
  '    env:',
  '      IMAGE_NAME: ${{ matrix.image_name }}',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - id: meta',
  '        uses: docker/metadata-action@v5',
  '        with:',
  '          images: ghcr.io/${{ env.IMAGE_NAME }}',
  '      - uses: docker/build-push-action@v6',
  '        with:',
  '          context: ${{ matrix.context }}',
  '          push: true',
  '          tags: ${{ steps.meta.outputs.tags }}',
  '',
].join('\n');
const files = {
  '.github/workflows/images.yml': workflow,
  'api/requirements.txt': 'flask==3.0.0\n',
  'api/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 8000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
  'relays/mailer/requirements.txt': 'aiosmtpd\n',
  'relays/mailer/main.py': 'print(1)\n',
  'relays/mailer/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["python", "main.py"]\n',
  'docker-compose.yml': 'services:\n  api:\n    image: ghcr.io/acme/shop-api:latest\n    ports:\n      - "8000:8000"\n  relay:\n    image: ghcr.io/acme/mailer-relay:main\n  db:\n    image: postgres:16\n',
};

describe('images a CI matrix builds', () => {
  it('finds the Dockerfile of each matrix instance', () => {
    const snap = snapshot(files);
    expect(ciBuiltDockerfile(snap, 'ghcr.io/acme/mailer-relay:main')).toBe('relays/mailer/Dockerfile');
    expect(ciBuiltDockerfile(snap, 'ghcr.io/acme/shop-api:latest')).toBe('api/Dockerfile');
    expect(ciBuiltDockerfile(snap, 'ghcr.io/acme/other:latest')).toBeUndefined();
  });

  it('counts the compose services running them as first-party', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.services?.map((s) => s.name).sort()).toEqual(['api', 'relay']);
  });
});
