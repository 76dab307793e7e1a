// Round 20: data kept on local disk by the app's own storage setting: a JSON config's storage engine, or a Go
// flag's default data folder, on small synthetic repositories.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });

const scheduler = (storage: string) => ({
  'package.json': JSON.stringify({ name: 'scheduler', main: 'lib/main.js', dependencies: { 'pixl-server': '^1.0.45', 'pixl-server-storage': '^4.0.2', 'pixl-server-web': '^2.0.16' } }),
  'lib/main.js': "var PixlServer = require('pixl-server');\nvar server = new PixlServer({ components: [require('pixl-server-storage'), require('pixl-server-web')] });\nserver.startup();\n",
  'sample_conf/config.json': `{\n\t"base_app_url": "http://localhost:3012",\n\t"Storage": {\n\t\t${storage},\n\t\t"list_page_size": 50,\n\t\t"Filesystem": {\n\t\t\t"base_dir": "data"\n\t\t}\n\t},\n\t"WebServer": {\n\t\t"http_port": 3012\n\t}\n}\n`,
});

describe('JSON config storage engine', () => {
  it('reads a storage object whose engine is the filesystem as data on local disk', () => {
    const a = analyzeRepository(snapshot(scheduler('"engine": "Filesystem"')));
    expect(a.localState).toEqual([{ name: 'data on local disk (the app config stores it on the filesystem)', source: 'sample_conf/config.json:3' }]);
  });

  it('does not when the storage engine is an object store', () => {
    const a = analyzeRepository(snapshot(scheduler('"engine": "S3"')));
    expect(a.localState).toEqual([]);
  });
});
