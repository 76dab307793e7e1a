// Django settings that configure SQLite (`django.db.backends.sqlite3`, here in the local_settings copy the image installs)
// and name no server engine: the PostgreSQL and MySQL drivers the manifest installs side by side are engines the app can
// be pointed at, not its database. Settings naming a server engine, or a test suite's SQLite settings, decide nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const sqliteSettings = [
  'from os import getenv',
  "connection = getenv('DATABASE_CONNECTION')",
  'if connection:',
  '    DATABASES = {"default": parse_connection(connection)}',
  'else:',
  "    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': CONFIG_DIR / 'db.sqlite3'}}",
  '',
].join('\n');
const django = {
  'requirements.txt': 'Django==5.2\ngunicorn==23.0.0\npsycopg==3.2.3\nmysqlclient==2.2.7\n',
  'manage.py': 'import django\n',
  'app/app/settings.py': "INSTALLED_APPS = ['django.contrib.admin']\nDATABASES = {}\n",
  Dockerfile: 'FROM python:3.12-slim\nCOPY app /app\nRUN mv /app/app/local_settings.py.container /app/app/local_settings.py\nEXPOSE 8080\nCMD ["gunicorn", "app.wsgi", "-b", "0.0.0.0:8080"]\n',
};

describe('Django settings configuring SQLite beside two server drivers', () => {
  it('leave the server drivers out of the stores', () => {
    const a = analyzeRepository(snapshot({ ...django, 'app/app/local_settings.py.container': sqliteSettings }));
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'embedded SQLite: the Django settings configure django.db.backends.sqlite3 and no server engine', source: 'app/app/local_settings.py.container:6' });
  });

  it('keep the engine a settings module names beside SQLite', () => {
    const prod = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'HOST': 'db'}}\n";
    const a = analyzeRepository(snapshot({ ...django, 'app/app/local_settings.py.container': sqliteSettings, 'app/app/settings/production.py': prod }));
    expect(a.stateful).toEqual(['mysql', 'postgres']);
  });
});

describe('SQLite only in the test suite settings', () => {
  it('leave the drivers as the stores', () => {
    const a = analyzeRepository(snapshot({ ...django, 'app/tests/settings.py': sqliteSettings, 'app/test_settings.py': sqliteSettings }));
    expect(a.stateful).toEqual(['mysql', 'postgres']);
  });
});
