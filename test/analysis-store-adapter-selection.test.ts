// Round 22: an app with pluggable store adapters (a folder of backend modules named postgres.js, redis.js, memcached.js …)
// whose image ENV or compose environment selects one of them by a storage-type setting (`STORAGE_TYPE=memcached`):
// the drivers of the other adapters are options, not stores the deployment needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { unselectedStoreAdapters } from '../function/src/analysis/stateful.js';
import { snapshot } from './helpers/snapshot.js';

const pkg = JSON.stringify({ name: 'paste', scripts: { start: 'node server.js' }, dependencies: { connect: '^3.7.0', pg: '^8.0.0', redis: '^4.0.0', memcached: '^2.2.2' } });
const adapters = {
  'lib/stores/postgres.js': 'module.exports = class PostgresStore {};\n',
  'lib/stores/redis.js': 'module.exports = class RedisStore {};\n',
  'lib/stores/memcached.js': 'module.exports = class MemcachedStore {};\n',
  'lib/stores/file.js': 'module.exports = class FileStore {};\n',
};
const dockerfile = (type: string) => `FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nENV STORAGE_TYPE=${type} \\\n    STORAGE_HOST=127.0.0.1\nEXPOSE 7777\nCMD ["npm", "start"]\n`;
const server = "const store = require('./lib/stores/' + process.env.STORAGE_TYPE);\nrequire('http').createServer().listen(7777);\n";
const app = (files: Record<string, string>) => analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': server, ...adapters, ...files }));

describe('store adapters the deployment does not select', () => {
  it('leaves out the drivers of the adapters the image ENV does not select', () => {
    const a = app({ Dockerfile: dockerfile('memcached') });
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: "optional postgres: one of the app's store adapters; the deployment's storage-type setting selects another", source: 'Dockerfile:5' });
  });

  it('keeps the selected adapter\'s store, also when compose selects it', () => {
    expect(app({ Dockerfile: dockerfile('redis') }).stateful).toEqual(['redis']);
    const compose = 'services:\n  paste:\n    build: .\n    environment:\n      - STORAGE_TYPE=postgres\n      - STORAGE_HOST=db\n';
    expect(unselectedStoreAdapters(snapshot({ ...adapters }), [{ path: 'docker-compose.yml', text: compose }])).toEqual([{ value: 'redis', source: 'docker-compose.yml:5' }]);
  });

  it('does nothing without a storage-type setting naming an adapter, or without a folder of adapters', () => {
    expect(app({ Dockerfile: dockerfile('custom') }).stateful).toEqual(['postgres', 'redis']);
    const two = { 'lib/stores/postgres.js': '', 'lib/stores/redis.js': '' };
    expect(unselectedStoreAdapters(snapshot(two), [{ path: 'Dockerfile', text: 'ENV STORAGE_TYPE=redis\n' }])).toEqual([]);
  });

  it('runs in linear time on a long line', () => {
    const t = Date.now();
    unselectedStoreAdapters(snapshot(adapters), [{ path: 'Dockerfile', text: `ENV ${'A_'.repeat(50_000)}STORAGE${'_'.repeat(1000)}\n` }, { path: 'c.yml', text: `${'A'.repeat(100_000)}\n` }]);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
