// Files a Rails model attaches through Paperclip or CarrierWave, whose storage is the local file system unless told otherwise.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/** A model declaring an attachment: Paperclip's `has_attached_file :file`, CarrierWave's `mount_uploader :avatar, AvatarUploader`. */
const ATTACHMENT = /\bhas_attached_file\s+:\w|\bmount_uploaders?\s+:\w/;

/**
 * Storage in a bucket instead of the file system: a Paperclip option or default (`storage: :s3`, `:storage => :fog`,
 * `default_options[:storage] = :s3`), a CarrierWave uploader's `storage :fog` / `storage :aws` or `config.storage = :fog`.
 */
const REMOTE_STORAGE = /\bstorage\]?\s*(?:=>|:|=)\s*:?["']?(?:s3|fog|aws|azure|gcs|gcloud|google_cloud_storage)\b|^[ \t]*storage[ \t]+:(?:s3|fog|aws|azure|gcloud)\b/m;

/**
 * Attachments a Ruby app keeps on its own disk: a model attaches files with Paperclip or CarrierWave, whose default
 * storage is the file system (`:rails_root/public/system/…`, `public/uploads/…`), and no file of the app moves them to a bucket.
 */
export function rubyAttachmentsOnDisk(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  if (code.some((p) => REMOTE_STORAGE.test(snapshot.files.get(p) ?? ''))) return undefined;
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    const m = ATTACHMENT.exec(text);
    if (m) return { name: `uploads on local disk (${m[0].startsWith('has_') ? 'Paperclip' : 'CarrierWave'} file storage)`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}
