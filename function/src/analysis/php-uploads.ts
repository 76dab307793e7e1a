// Uploaded files a plain PHP app moves into a folder of its own disk.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/**
 * PHP's `move_uploaded_file($file['tmp_name'], DIR_IMAGE . $name)` (a call, not a method of that name being declared),
 * its target not a temporary or cache file: the first argument is read up to its comma (a `$_FILES[…]['tmp_name']`
 * has none), and the target up to the call's closing parenthesis. An OPML import moved into `$tmp_file` or a
 * cache folder is parsed and dropped, not kept. The blanks after the comma are taken whole (`(?=(\s*))\1`), so that
 * backtracking into them cannot start the target check early, and each argument is read for at most 200 characters,
 * so that a long line with many calls is still read in linear time.
 */
const KEEPS_UPLOAD = /(?<!\bfunction\s+)\bmove_uploaded_file\s*\([^,\n]{1,200},(?=(\s*))\1(?![^)\n]{0,200}(?:tmp|temp|cache))/i;

/** A PHP app moving uploaded files into a folder it keeps (catalog images, attachments): their system of record is its disk. */
export function phpUploadKeptOnDisk(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('move_uploaded_file')) continue;
    const m = KEEPS_UPLOAD.exec(text);
    if (m) return { name: 'uploads on local disk (move_uploaded_file)', source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}
