// Files an ASP.NET Core app writes under its own content or web root: uploads, media, attachments kept on the server's disk.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/** A path built on the host's folders: `Path.Combine(env.ContentRootPath, …)`, `Path.Combine(_hostEnv.WebRootPath, "uploads")`. */
const UNDER_APP_ROOT = /\bPath\.Combine\(\s*[\w.]*\b(?:ContentRootPath|WebRootPath)\s*,([^)\n]*)/g;
/** Writing a file (not reading one): a created FileStream, File.WriteAll…, File.Create. */
const WRITES_FILE = /\bnew\s+FileStream\([^;\n]*FileMode\.(?:Create|CreateNew|OpenOrCreate|Append)\b|\bFile\.(?:WriteAll(?:Bytes|Text|Lines)(?:Async)?|Create)\(/;
/** Folders whose files are not the app's records: caches, logs, temporary files, data-protection keys. */
const NOT_RECORDS = /cache|logs?\b|te?mp\b|keys/i;
const TEST_PROJECT = /(?:^|\/)[^/]*\btests?\b[^/]*\//i;

/**
 * A C# file that builds a path under the app's ContentRootPath or WebRootPath and writes files there
 * (`new FileStream(path, FileMode.CreateNew)`, `File.WriteAllBytesAsync(path, …)`): the app keeps what it
 * stores (uploads, media) in a folder on the server's disk, its system of record.
 */
export function dotnetWritesUnderAppRoot(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    if (!path.endsWith('.cs') || TEST_PROJECT.test(path)) continue;
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('RootPath') || !WRITES_FILE.test(text)) continue;
    for (const m of text.matchAll(UNDER_APP_ROOT)) {
      if (!NOT_RECORDS.test(m[1] ?? '')) return { name: 'uploads on local disk (files written under the app root)', source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}
