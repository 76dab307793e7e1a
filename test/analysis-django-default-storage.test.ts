// A Django app whose models take uploaded files and whose settings name no storage keeps them with Django's default
// FileSystemStorage under MEDIA_ROOT: local-file state. A Django app that writes nothing to its storage (no file field,
// no storage save) keeps nothing in a static or media volume: collected static files are build output, media stays empty.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (models: string, extra: Record<string, string> = {}) => analyzeRepository(snapshot({
  'requirements.txt': 'Django==5.1\npsycopg==3.2\ngunicorn==23.0\n',
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")\n',
  'cms/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "cms"}}\nMEDIA_ROOT = BASE_DIR + "/media_files/"\n',
  'files/models.py': `from django.db import models\n\n\nclass Media(models.Model):\n    title = models.CharField(max_length=100)\n${models}`,
  ...extra,
}));
const DEFAULT = 'uploads on local disk (Django default FileSystemStorage)';
const compose = 'services:\n  web:\n    build: .\n    ports:\n      - "8000:8000"\n    volumes:\n      - static:/data/static\n      - media:/data/media\n  db:\n    image: postgres:16\nvolumes:\n  static:\n  media:\n';

describe("Django's default storage for model file fields", () => {
  it('keeps the uploads on local disk when no storage is set', () => {
    expect(app('    media_file = models.FileField("media file", upload_to=original_media_file_path, max_length=500)\n').localState).toEqual([{ name: DEFAULT, source: 'files/models.py:6' }]);
  });

  it('is not the default storage when the settings name one, the field has its own, or django-storages is a dependency', () => {
    const field = '    media_file = models.FileField(upload_to="uploads/")\n';
    expect(app(field, { 'cms/settings.py': 'STORAGES = {"default": {"BACKEND": "cms.storage.BucketStorage"}}\n' }).localState ?? []).toEqual([]);
    expect(app(field, { 'cms/settings.py': 'DEFAULT_FILE_STORAGE = "cms.storage.BucketStorage"\n' }).localState ?? []).toEqual([]);
    expect(app('    media_file = models.FileField(\n        upload_to="uploads/",\n        storage=BucketStorage(),\n    )\n').localState ?? []).toEqual([]);
    expect(app(field, { 'requirements.txt': 'Django==5.1\ndjango-storages==1.14\n' }).localState?.map((s) => s.name) ?? []).not.toContain(DEFAULT);
  });
});

describe("a Django app's static and media volumes", () => {
  it('are not state when nothing writes to its storage', () => {
    expect(app('', { 'compose.yml': compose }).localState ?? []).toEqual([]);
  });

  it('keep the media volume when a model takes files (static files stay build output)', () => {
    const names = app('    cover = models.ImageField(upload_to="covers/")\n', { 'compose.yml': compose }).localState?.map((s) => s.name);
    expect(names).toContain('data volume /data/media');
    expect(names).not.toContain('data volume /data/static');
  });

  it('other data volumes of a Django app stay state', () => {
    const dataCompose = compose.replace('media:/data/media', 'appdata:/data/uploads');
    expect(app('', { 'compose.yml': dataCompose }).localState?.map((s) => s.name)).toEqual(['data volume /data/uploads']);
  });
});
