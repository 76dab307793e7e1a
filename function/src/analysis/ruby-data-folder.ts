// A Ruby (Sinatra / Rack) app whose data setting defaults to a folder of its own tree, and which writes files.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/**
 * A data-folder setting given a path built from the code's own location: `data: File.join(File.dirname(__FILE__), *%w[.. data])`,
 * `set :uploads_dir, File.expand_path('../uploads', __dir__)`, `@storage_path = File.join(__dir__, 'storage')`. Group 1 is the
 * rest of the setting's line (at most 160 characters), read for the root and the folder.
 */
const DATA_SETTING = /(?:\b(?:data|uploads?|storage)(?:_(?:dir|directory|path|root|folder))?\s*(?::|=>|=)|\bset\s+:(?:data|uploads?|storage)\w*\s*,)\s*File\.(?:join|expand_path)\(([^\n]{0,160})/g;
/** The path starts at the code's own file or folder. */
const FROM_CODE = /\bFile\.dirname\(\s*__FILE__\s*\)|__dir__|__FILE__/;
/** A folder named for data (not views, public assets, caches or logs). */
const DATA_FOLDER = /["'\s/[](?:\.\.\/)*(data|uploads?|storage|files)["'\s\]/]/;
/** Writing files: `FileUtils.mkdir_p` / `mv` / `cp`, `File.write`, `File.open(…, 'wb')`. */
const WRITES = /\bFileUtils\.(?:mkdir_p|mv|cp|copy_file|install)\b|\bFile\.(?:bin)?write\(|\bFile\.open\([^)\n]{0,200},\s*["'](?:w|wb|a|ab)\+?["']/;

/**
 * A Ruby app defaulting its data setting to a folder beside its code (a gem server's `data/` of uploaded gems) and
 * writing files: what it keeps there lives on the server's disk. A folder it only reads (seed data) is left out by
 * asking that the app writes files somewhere.
 */
export function rubyDataFolder(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  if (!code.some((p) => WRITES.test(snapshot.files.get(p) ?? ''))) return undefined;
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('File.')) continue;
    for (const m of text.matchAll(DATA_SETTING)) {
      const args = m[1] ?? '';
      const folder = DATA_FOLDER.exec(args)?.[1];
      if (folder && FROM_CODE.test(args)) return { name: `data folder on local disk (${folder}/ beside the code)`, source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}
