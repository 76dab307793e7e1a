// Django model fields bound to an S3 storage class: those files live in a bucket whatever the settings say.
import type { RepoSnapshot } from '../types.js';
import { SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import type { Located } from './model.js';
import { lineAt, loc } from './text.js';

/** django-storages' S3 backends. */
const S3_BACKENDS = new Set(['S3Boto3Storage', 'S3Storage', 'S3StaticStorage', 'S3ManifestStaticStorage']);
/** `class PrivateMediaStorage(S3Boto3Storage):` (a bucket, prefix or ACL of the app's own). */
const CLASS_DEF = /^class\s+(\w+)\(([^)]*)\)\s*:/gm;
/** `models.FileField(storage=PrivateMediaStorage())`, the field's arguments allowing one level of parentheses. */
const FIELD_STORAGE = /\b(?:File|Image)Field\((?:[^()]|\([^()]*\))*?\bstorage\s*=\s*([A-Za-z_][\w.]*)/g;

/**
 * A Django model `FileField`/`ImageField` whose `storage=` is django-storages' S3 backend or a class of the
 * repository derived from it: that field's uploads always go to the bucket, so s3 is a store the app needs.
 * (An S3 backend chosen in settings only when a bucket variable is set stays an option: see the settings rules.)
 */
export function modelFieldsInS3(snapshot: RepoSnapshot): Located<string> | undefined {
  const files = sourceFiles(snapshot, SOURCE_EXTENSIONS.python);
  const parents = new Map<string, string[]>();
  for (const { text } of files) {
    if (!text.includes('class ')) continue;
    for (const m of text.matchAll(CLASS_DEF)) parents.set(m[1] ?? '', (m[2] ?? '').split(',').map((b) => b.trim().split('.').pop() ?? ''));
  }
  const isS3 = (name: string, depth = 0): boolean => S3_BACKENDS.has(name) || (depth < 4 && (parents.get(name) ?? []).some((p) => isS3(p, depth + 1)));
  for (const { path, text } of files) {
    // A migration repeats the model's field; the model is the evidence.
    if (path.includes('/migrations/') || !text.includes('storage')) continue;
    for (const m of text.matchAll(FIELD_STORAGE)) {
      if (isS3((m[1] ?? '').split('.').pop() ?? '')) return { value: 's3', source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}
