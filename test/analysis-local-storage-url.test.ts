// Round 9: a storage DSN naming a local folder in an env file compose loads, on small synthetic repositories.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const django = {
  'requirements.txt': 'django==5.2.3\npsycopg2==2.9.10\ndjango-storages==1.14.6\nboto3==1.38.36\nuwsgi==2.0.30\n',
  'backend/settings.py': "import os\nDATABASE_URL = os.environ.get('DATABASE_URL', 'sqlite://:memory:')\nDEFAULT_STORAGE_DSN = os.environ.get('DEFAULT_STORAGE_DSN', '/data/media/')\nWSGI_APPLICATION = 'backend.wsgi.application'\n",
  Dockerfile: 'FROM python:3.11\nCOPY . .\nCMD uwsgi --http=0.0.0.0:80 --module=backend.wsgi\n',
  'compose.yaml': 'services:\n  web:\n    build: .\n    volumes:\n      - "./data:/data:rw"\n    env_file: .env-local\n  database_default:\n    image: postgres:15-alpine\n',
};

describe('storage URL naming a local folder', () => {
  it('reads the env file compose loads choosing a folder as the default storage', () => {
    const a = analyzeRepository(snapshot({ ...django, '.env-local': 'DATABASE_URL=postgres://postgres:password@database_default:5432/db\nDEFAULT_STORAGE_DSN=file:///data/media/?url=%2Fmedia%2F\n' }));
    expect(a.localState).toEqual([{ name: 'uploads on local disk (the storage URL is a local folder)', source: '.env-local:2' }]);
    expect(a.stateful).toEqual(['postgres']);
  });

  it('does not when the storage URL is an object store', () => {
    const a = analyzeRepository(snapshot({ ...django, '.env-local': 'DATABASE_URL=postgres://postgres:password@database_default:5432/db\nDEFAULT_STORAGE_DSN=s3://key:secret@bucket.s3.amazonaws.com/media/\n' }));
    expect(a.localState).toEqual([]);
  });
});
