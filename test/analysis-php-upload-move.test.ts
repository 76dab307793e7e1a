// Round 21 shape (eval/RUBRIC.md state): a plain PHP app moving uploaded files into a folder it keeps (a shop's
// catalog images, attachments) stores them on its own disk (local-file), even with MySQL as the database.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const shop = (upload: string) => ({
  'composer.json': JSON.stringify({ name: 'acme/shop', require: { php: '^8.1', 'ext-pdo_mysql': '*' } }),
  'docker-compose.yml': 'services:\n  web:\n    build: .\n  db:\n    image: mysql:8\n',
  'index.php': "<?php\nrequire 'admin/filemanager.php';\n",
  'admin/filemanager.php': `<?php\nclass FileManager {\n  public function upload(): void {\n    $file = $_FILES['file'];\n${upload}  }\n}\n`,
});

describe('PHP uploads moved into a kept folder', () => {
  it('is local state when the upload is moved into the app folder', () => {
    const a = analyzeRepository(snapshot(shop("    move_uploaded_file($file['tmp_name'], DIR_IMAGE . basename($file['name']));\n")));
    expect(a.stateful).toEqual(['mysql']);
    expect(a.localState).toEqual([{ name: 'uploads on local disk (move_uploaded_file)', source: 'admin/filemanager.php:5' }]);
  });

  it('is not when the upload is moved into a temporary or cache file to be parsed', () => {
    const tmp = "    $tmp_file = tempnam(CACHE_DIR . '/upload', 'opml');\n    $ok = move_uploaded_file($file['tmp_name'],\n      $tmp_file);\n";
    expect(analyzeRepository(snapshot(shop(tmp))).localState).toEqual([]);
    const cache = "    move_uploaded_file($file['tmp_name'], $this->cacheDir() . '/icon');\n";
    expect(analyzeRepository(snapshot(shop(cache))).localState).toEqual([]);
  });

  it('is not a method of that name being declared', () => {
    const declared = "  }\n  private function move_uploaded_file(string $from, string $to): void {\n";
    expect(analyzeRepository(snapshot(shop(declared))).localState).toEqual([]);
  });
});
