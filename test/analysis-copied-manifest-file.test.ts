// A Dockerfile that copies only a subfolder's manifest (`COPY ./web/requirements.txt .`) installs that
// folder's dependencies: the app is that folder, even when its code reaches the image by a bind mount.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const site = {
  'site/requirements.txt': 'Django>=4.2,<4.3\ngunicorn\npsycopg2-binary\n',
  'site/manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')\n",
  'site/core/settings.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n",
  'site/static/admin/js/a.js': 'var a = 1;\n',
  'site/static/admin/js/b.js': 'var b = 1;\n',
  'site/static/admin/js/c.js': 'var c = 1;\n',
  'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: gunicorn core.wsgi -b 0.0.0.0:8000\n    volumes:\n      - ./site/:/srv/app/\n',
};

describe('a manifest file copied from a folder', () => {
  it('makes that folder the app: its language and framework', () => {
    const a = analyzeRepository(snapshot({ ...site, Dockerfile: 'FROM debian:bookworm-slim\nWORKDIR /srv/app\nCOPY ./site/requirements.txt .\nRUN pip install -r requirements.txt\nEXPOSE 8000\n' }));
    expect(a.language).toBe('python');
    expect(a.framework).toBe('django');
  });

  it('a copied file that is no manifest names no folder', () => {
    const a = analyzeRepository(snapshot({ ...site, Dockerfile: 'FROM debian:bookworm-slim\nWORKDIR /srv/app\nCOPY ./site/core/settings.py .\nEXPOSE 8000\n' }));
    expect(a.language).not.toBe('python');
  });
});
