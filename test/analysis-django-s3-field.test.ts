// Round 12 shape (eval/RUBRIC.md stateful): a Django model field bound to django-storages' S3 backend (or the
// repository's own subclass of it) keeps its uploads in a bucket unconditionally, so s3 is a store; the same
// dependencies with the backend chosen in settings only when a bucket variable is set stay an option.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'requirements.txt': 'Django~=5.0\npsycopg~=3.1\ngunicorn~=21.2\ndjango-storages~=1.14\nboto3~=1.34\n',
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")\n',
  'site_app/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}\n',
  'site_app/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
  'files/storage.py': 'from storages.backends.s3boto3 import S3Boto3Storage\n\n\nclass PrivateStorage(S3Boto3Storage):\n    default_acl = "private"\n',
};

describe('Django model fields stored in S3', () => {
  it('a FileField whose storage is a subclass of S3Boto3Storage needs s3', () => {
    const models = 'from django.db import models\nfrom files.storage import PrivateStorage\n\n\nclass Upload(models.Model):\n    name = models.CharField(max_length=80)\n    file = models.FileField(\n        upload_to="uploads/",\n        storage=PrivateStorage(),\n    )\n';
    const a = analyzeRepository(snapshot({ ...app, 'files/models.py': models, 'files/migrations/0001_initial.py': `from django.db import migrations, models\nimport files.storage\nfields = [models.FileField(storage=files.storage.PrivateStorage(), upload_to="uploads/")]\n` }));
    expect(a.stateful).toEqual(['postgres', 's3']);
    expect(a.evidence.filter((e) => e.fact === 'stateful s3').map((e) => e.source)).toEqual(['files/models.py:7']);
    const direct = analyzeRepository(snapshot({ ...app, 'files/models.py': 'from django.db import models\nfrom storages.backends.s3boto3 import S3Boto3Storage\n\n\nclass Upload(models.Model):\n    image = models.ImageField(storage=S3Boto3Storage(bucket_name="uploads"))\n' }));
    expect(direct.stateful).toEqual(['postgres', 's3']);
  });

  it('the S3 backend chosen in settings only when a bucket is set, or a field on another storage, is no store', () => {
    const conditional = analyzeRepository(snapshot({ ...app, 'site_app/settings.py': `${app['site_app/settings.py']}import os\nif "AWS_STORAGE_BUCKET_NAME" in os.environ:\n    STORAGES = {"default": {"BACKEND": "files.storage.PrivateStorage"}}\n`, 'files/models.py': 'from django.db import models\n\n\nclass Upload(models.Model):\n    file = models.FileField(upload_to="uploads/")\n' }));
    expect(conditional.stateful).toEqual(['postgres']);
    const local = analyzeRepository(snapshot({ ...app, 'files/models.py': 'from django.core.files.storage import FileSystemStorage\nfrom django.db import models\n\n\nclass Upload(models.Model):\n    file = models.FileField(storage=FileSystemStorage(location="/data"))\n' }));
    expect(local.stateful).toEqual(['postgres']);
  });
});
