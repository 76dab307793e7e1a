// Django settings that branch on an engine name read from the environment (`if db_engine == 'mysql':` … `elif db_engine ==
// 'postgresql':`) whose env template sets it (DB_ENGINE=postgresql): the selected branch's engine is the database, not the first
// one written. A sample settings module to copy (`settings/local_sample.py`) configures nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const settings = [
  'import os',
  "db_engine = os.environ.get('DB_ENGINE')",
  "if db_engine == 'mysql':",
  "    DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'HOST': 'mysql'}}",
  "elif db_engine == 'postgresql':",
  "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2', 'HOST': 'postgres'}}",
  '',
].join('\n');
const django = {
  'requirements.txt': 'Django==4.2\ngunicorn==22.0.0\n',
  'manage.py': 'import django\n',
  'app/settings/base.py': settings,
  Procfile: 'web: gunicorn app.wsgi\n',
};

describe('Django engine branches chosen by the env template', () => {
  it('take the engine the template selects', () => {
    const a = analyzeRepository(snapshot({ ...django, '.env_sample': 'DB_ENGINE=postgresql\nDB_HOST=postgres\n' }));
    expect(a.stateful).toEqual(['postgres']);
  });

  it('keep the first engine written when no template selects one', () => {
    const a = analyzeRepository(snapshot(django));
    expect(a.stateful).toEqual(['mysql']);
  });

  it('ignore a sample settings module', () => {
    const a = analyzeRepository(snapshot({ ...django, 'app/settings/base.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n", 'app/settings/local_sample.py': "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql'}}\n" }));
    expect(a.stateful).toEqual(['postgres']);
  });
});

describe('settings branching on something else the env template sets', () => {
  it('leave the engine the settings name', () => {
    const branches = "import os\nstage = os.environ.get('STAGE')\nif stage == 'production':\n    DEBUG = False\nelif stage == 'development':\n    DEBUG = True\nDATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n";
    const a = analyzeRepository(snapshot({ ...django, 'app/settings/base.py': branches, '.env.example': 'STAGE=production\n' }));
    expect(a.stateful).toEqual(['postgres']);
  });
});
