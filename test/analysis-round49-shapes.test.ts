// Shapes from the round-49 dev cases: images, browser scripts and a database chosen by a setting's default.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const symfony = { 'composer.json': '{"name":"acme/invoices","type":"project","require":{"php":">=8.2","symfony/framework-bundle":"^7.0"}}', 'public/index.php': '<?php\nrequire dirname(__DIR__).\'/vendor/autoload_runtime.php\';\n' };

describe('`ENTRYPOINT []` clears the entrypoint', () => {
  it('with `CMD ["/usr/bin/run"]` after it, the command is /usr/bin/run (no leading blank)', () => {
    const a = analyzeRepository(snapshot({ ...symfony, Dockerfile: 'FROM php:8.3-fpm\nCOPY . /opt/srv\nEXPOSE 8000\nENTRYPOINT []\nCMD ["/usr/bin/run"]\n' }));
    expect(a.startCommand).toBe('/usr/bin/run');
  });

  it('an exec-form entrypoint still runs with CMD as its arguments (control)', () => {
    const a = analyzeRepository(snapshot({ ...symfony, Dockerfile: 'FROM php:8.3-fpm\nCOPY . /opt/srv\nEXPOSE 8000\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["/usr/bin/run"]\n' }));
    expect(a.startCommand).toBe('/entrypoint.sh /usr/bin/run');
  });
});

describe('image variants kept in folders of the docker folder', () => {
  const image = (cmd: string, port: number) => `FROM php:8.3-fpm\nCOPY . /var/www\nEXPOSE ${port}\nCMD ["${cmd}"]\n`;

  it('docker/standard/Dockerfile beside docker/unprivileged/Dockerfile is the image: its port and command', () => {
    const a = analyzeRepository(snapshot({ ...symfony, 'docker/standard/Dockerfile': image('/usr/bin/run', 80), 'docker/standard/Dockerfile.develop': image('/usr/bin/dev', 80), 'docker/unprivileged/Dockerfile': image('/usr/bin/run-unprivileged', 8080) }));
    expect(a.port).toBe(80);
    expect(a.startCommand).toBe('/usr/bin/run');
  });

  it('two variant folders neither named for the standard build decide nothing (control)', () => {
    const a = analyzeRepository(snapshot({ ...symfony, 'docker/alpine/Dockerfile': image('/usr/bin/run', 80), 'docker/unprivileged/Dockerfile': image('/usr/bin/run-unprivileged', 8080) }));
    expect(a.evidence.some((e) => e.fact === 'hasDockerfile')).toBe(false);
  });
});

describe('JavaScript counted with no package.json beside a root index.html is the browser\'s', () => {
  const site = { 'index.html': '<script src="js/pom.js"></script>\n', 'js/pom.js': 'document.body.dataset.ready = "1";\n', 'js/timer.js': 'setInterval(() => {}, 1000);\n', 'css/site.css': 'body {}\n' };

  it('a plain HTML/JS site is static files with no server language', () => {
    const a = analyzeRepository(snapshot(site));
    expect(a.kind).toBe('static');
    expect(a.language).toBeNull();
  });

  it('the same scripts with a package.json stay a Node project (control)', () => {
    const a = analyzeRepository(snapshot({ ...site, 'package.json': '{"name":"pom","main":"js/pom.js"}' }));
    expect(a.language).toBe('node');
  });
});

describe('Django settings choosing SQLite by a setting\'s default', () => {
  const settings = (fallback: string) =>
    `import os\nDB_ENGINE = os.environ.get("DB_ENGINE", "${fallback}")\nif DB_ENGINE == "sqlite3":\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\nelif DB_ENGINE == "postgres":\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'vouchers'}}\n`;
  const app = (fallback: string, compose = 'services:\n  app:\n    build: .\n') =>
    analyzeRepository(snapshot({ 'requirements.txt': 'Django==5.1\npsycopg2-binary==2.9.9\n', 'manage.py': 'import django\n', 'myproject/settings.py': settings(fallback), 'docker-compose.yml': compose }));

  it('`os.environ.get("DB_ENGINE", "sqlite3")` that the deployment leaves unset: SQLite, the PostgreSQL driver an option', () => {
    expect(JSON.stringify(app('sqlite3').stateful)).not.toContain('postgres');
  });

  it('the deployment setting DB_ENGINE=postgres keeps postgres (control)', () => {
    expect(JSON.stringify(app('sqlite3', 'services:\n  app:\n    build: .\n    environment:\n      DB_ENGINE: postgres\n').stateful)).toContain('postgres');
  });
});
