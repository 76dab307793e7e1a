// A gunicorn start command that loads a config file (`gunicorn -c /usr/local/etc/gunicorn/app.py app.wsgi`) binds the
// address that file sets (`bind = ["0.0.0.0:8000"]`), where the Dockerfile copies it from the repository: the port
// lives in the config file, not on the command line (openfun/joanie). A config file the image does not hold, or a
// `python:module` config, says nothing about the port.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { gunicornConfigArg, imageFileSource } from '../function/src/analysis/start-command.js';
import { parseDockerfile } from '../function/src/analysis/docker.js';
import { gunicornBindPort } from '../function/src/analysis/source-scan.js';
import { snapshot } from './helpers/snapshot.js';

const django = (dockerfile: string, extra: Record<string, string> = {}) => snapshot({
  'requirements.txt': 'Django==5.0.6\ngunicorn==22.0.0\n',
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
  'proj/settings.py': 'INSTALLED_APPS = []\n',
  'proj/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'docker/files/etc/gunicorn/proj.py': '# gunicorn settings\nbind = ["0.0.0.0:8010"]\nworkers = 3\n',
  'docker-compose.yml': 'services:\n  web:\n    build: .\n    ports:\n      - "8020:8020"\n  flower:\n    build: .\n    command: celery -A proj flower\n    ports:\n      - "5555:5555"\n',
  Dockerfile: dockerfile,
  ...extra,
});

describe('the port a gunicorn config file binds', () => {
  it('takes the bind of the config file the command loads, copied into the image', () => {
    const a = analyzeRepository(django('FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app/\nRUN pip install -r requirements.txt\nCOPY docker/files/etc/gunicorn/proj.py /usr/local/etc/gunicorn/proj.py\nCMD gunicorn -c /usr/local/etc/gunicorn/proj.py proj.wsgi:application\n'));
    expect(a.port).toBe(8010);
    expect(a.evidence.filter((e) => e.fact === 'port 8010').map((e) => e.source)).toEqual(['docker/files/etc/gunicorn/proj.py:2']);
  });

  it('finds a relative config file under the folder the repository is copied to', () => {
    const a = analyzeRepository(django('FROM python:3.12-slim\nWORKDIR /srv\nCOPY . /srv\nCMD ["gunicorn", "--config=gunicorn.conf.py", "proj.wsgi"]\n', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8030"\n' }));
    expect(a.port).toBe(8030);
  });

  it('says nothing when the image does not hold the file the command loads', () => {
    // The command loads /etc/gunicorn/prod.py; the repository's gunicorn file is never copied there: compose's port stands.
    const a = analyzeRepository(django('FROM python:3.12-slim\nCOPY . /app/\nCMD gunicorn -c /etc/gunicorn/prod.py proj.wsgi\n'));
    expect(a.port).toBe(8020);
  });

  it('reads only a file path after gunicorn\'s own -c', () => {
    expect(gunicornConfigArg('gunicorn -c python:proj.gunicorn_conf proj.wsgi')).toBeUndefined();
    expect(gunicornConfigArg('celery -A proj worker -c 4 && gunicorn proj.wsgi')).toBeUndefined();
    expect(gunicornConfigArg('/usr/local/bin/entrypoint gunicorn -c /etc/g.py app:app')).toBe('/etc/g.py');
    expect(gunicornConfigArg('gunicorn app:app && python -c conf.py')).toBeUndefined();
  });

  it('maps an image path to the file a COPY puts there', () => {
    const files = snapshot({ 'deploy/gunicorn.py': 'bind = ":9000"\n', 'api/conf/g.py': '' });
    expect(imageFileSource(files, parseDockerfile('Dockerfile', 'FROM python\nCOPY deploy/gunicorn.py /etc/gunicorn/\n'), '/etc/gunicorn/gunicorn.py')).toBe('deploy/gunicorn.py');
    expect(imageFileSource(files, parseDockerfile('api/Dockerfile', 'FROM python\nCOPY . /app\n'), '/app/conf/g.py')).toBe('api/conf/g.py');
    expect(imageFileSource(files, parseDockerfile('Dockerfile', 'FROM python\nCOPY . /app\n'), '/etc/other.py')).toBeUndefined();
  });

  it('finishes on a 100 KB command line', () => {
    const started = Date.now();
    gunicornConfigArg(`gunicorn ${'-w 4 '.repeat(20_000)}`);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('the gunicorn bind pattern', () => {
  it('finishes on a 100 KB line of spaces', () => {
    const started = Date.now();
    expect(gunicornBindPort(`bind =${' '.repeat(100_000)}x`)).toBeUndefined();
    expect(gunicornBindPort(`bind = "${':'.repeat(100_000)}`)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
    expect(gunicornBindPort('bind = [ "0.0.0.0:8000" ]')?.port).toBe(8000);
  });
});
