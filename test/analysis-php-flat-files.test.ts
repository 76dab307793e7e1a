// A PHP app with no database server that names a data folder by a constant and writes files there (a flat-file CMS).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const cms = {
  'index.php': "<?php\nrequire 'kernel/boot.php';\n",
  'kernel/boot.php': "<?php\ndefine('PATH_CONTENT', __DIR__ . '/../content/');\ndefine('PATH_DATABASES', PATH_CONTENT . 'databases' . DIRECTORY_SEPARATOR);\n",
  'kernel/store.php': "<?php\nclass Store {\n  function save($file, $data) { return file_put_contents($file, json_encode($data), LOCK_EX); }\n}\n",
};

describe('PHP flat-file data folder', () => {
  it('is local state when the code writes files and names a databases folder', () => {
    const a = analyzeRepository(snapshot(cms));
    expect(a.language).toBe('php');
    expect(a.localState).toEqual([{ name: 'data files on local disk (PATH_DATABASES: databases/)', source: 'kernel/boot.php:3' }]);
  });

  it('is not when nothing writes files, or when the app connects to a database server', () => {
    expect(analyzeRepository(snapshot({ ...cms, 'kernel/store.php': "<?php\nclass Store {}\n" })).localState).toEqual([]);
    const mysql = { ...cms, 'composer.json': JSON.stringify({ name: 'acme/cms', require: { php: '^8.1', 'ext-pdo_mysql': '*' } }), 'docker-compose.yml': 'services:\n  web:\n    build: .\n  db:\n    image: mysql:8\n' };
    const withServer = analyzeRepository(snapshot(mysql));
    expect(withServer.stateful).toEqual(['mysql']);
    expect(withServer.localState).toEqual([]);
  });
});
