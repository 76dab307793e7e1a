// A Django app whose env template selects django-storages' S3 backend as the default file storage
// (`DEFAULT_FILE_STORAGE=storages.backends.s3boto3.S3Boto3Storage` in .env_sample) keeps its uploads in a bucket.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const django = {
  'requirements.txt': 'Django==4.2\ndjango-storages==1.14\nboto3==1.34\npsycopg2==2.9.9\ngunicorn==22.0.0\n',
  'manage.py': 'import django\n',
  'app/settings.py': 'import os\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\nDEFAULT_FILE_STORAGE = os.environ.get("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")\n',
  Procfile: 'web: gunicorn app.wsgi\n',
};

describe('Django default file storage in the env template', () => {
  it('lists s3 when the template selects the S3 backend', () => {
    const a = analyzeRepository(snapshot({ ...django, '.env_sample': 'DB_HOST=postgres\nDEFAULT_FILE_STORAGE=storages.backends.s3boto3.S3Boto3Storage\nAWS_STORAGE_BUCKET_NAME=public\n' }));
    expect(a.stateful).toEqual(['postgres', 's3']);
  });

  it('does not when the S3 lines are commented out', () => {
    const a = analyzeRepository(snapshot({ ...django, '.env_sample': 'DB_HOST=postgres\n# Uncomment to use AWS\n#DEFAULT_FILE_STORAGE=storages.backends.s3boto3.S3Boto3Storage\n' }));
    expect(a.stateful).toEqual(['postgres']);
  });
});
