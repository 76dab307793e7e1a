// A Python app served by uWSGI from its ini file: the `http` / `http-socket` address there is the port it serves
// HTTP on (like gunicorn's `bind` in gunicorn.conf.py), not the framework's default. `socket =` is the uwsgi
// protocol to a proxy in front, not HTTP.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (ini: string) => snapshot({
  'requirements.txt': 'Django==5.0.4\nuwsgi==2.0.24\npsycopg2-binary==2.9.9\n',
  'manage.py': '#!/usr/bin/env python\nimport os\nimport sys\n',
  'mysite/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "site"}}\n',
  'mysite/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["uwsgi", "--ini", "docker/uwsgi.ini"]\n',
  'docker/uwsgi.ini': ini,
});

describe('the port in a uWSGI ini file', () => {
  it('is the http-socket address it serves on', () => {
    const a = analyzeRepository(app('[uwsgi]\nmaster = true\nmodule = mysite.wsgi\nhttp-socket = :8010\nprocesses = 4\n'));
    expect(a.port).toBe(8010);
    expect(a.evidence.filter((e) => e.fact === 'port 8010').map((e) => e.source)).toEqual(['docker/uwsgi.ini:4']);
  });

  it('reads `http =` with a host, an IPv6 address included', () => {
    expect(analyzeRepository(app('[uwsgi]\nhttp = 0.0.0.0:9090\n')).port).toBe(9090);
    expect(analyzeRepository(app('[uwsgi]\nhttp-socket = [::]:8020\n')).port).toBe(8020);
  });

  it('leaves a uwsgi-protocol socket and a variable address to the framework default', () => {
    expect(analyzeRepository(app('[uwsgi]\nsocket = :3031\n')).port).toBe(8000);
    expect(analyzeRepository(app('[uwsgi]\nhttp-socket = :$(PORT)\n')).port).toBe(8000);
  });
});
