// A PHP app keeping its records as files in a data folder of its own tree (a flat-file CMS), with no database server.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/** A constant naming the app's data folder: `define('PATH_DATABASES', PATH_CONTENT . 'databases' . DS)`, `define('UPLOAD_DIR', 'uploads/')`. */
const DATA_FOLDER_CONSTANT = /\bdefine\(\s*["'](\w+)["']\s*,[^;\n]*["'](databases?|db|data|uploads?)\/?["']/;
/** PHP writing files: page and JSON database files, uploaded files moved into place. */
const WRITES_FILES = /\b(?:file_put_contents|fwrite|move_uploaded_file)\s*\(/;

/**
 * The code names a data folder by a constant and writes files: pages, users and uploads are files on the
 * server's disk, the app's system of record (the caller checks no database server is configured).
 */
export function phpDataFolder(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  const writes = code.some((p) => WRITES_FILES.test(snapshot.files.get(p) ?? ''));
  if (!writes) return undefined;
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    const m = DATA_FOLDER_CONSTANT.exec(text);
    if (m) return { name: `data files on local disk (${m[1]}: ${m[2]}/)`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}
