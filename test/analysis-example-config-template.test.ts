// Round 19: the config template an install copies from example/config.yaml chooses the app's database and storage
// (`db-type: "sqlite"`, `storage-backend: "local"`): a Postgres driver and an S3 client beside them are options.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const goMod = 'module example.com/social\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.1\n\tgithub.com/jackc/pgx/v5 v5.7.6\n\tgithub.com/minio/minio-go/v7 v7.0.95\n\tmodernc.org/sqlite v1.39.0\n)\n';
const app = (configPath: string, config: string) =>
  analyzeRepository(snapshot({ 'go.mod': goMod, 'cmd/social/main.go': 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() { gin.New().Run(":8080") }\n', [configPath]: config }));
const template = (db: string, storage: string) => `# String. Database type.\n# Options: ["postgres","sqlite"]\ndb-type: "${db}"\ndb-address: "sqlite.db"\n\n# Examples: ["local", "s3"]\nstorage-backend: "${storage}"\nstorage-local-base-path: "/srv/social/storage"\nstorage-s3-endpoint: ""\n`;

describe('config template in example/config.yaml', () => {
  it('reads db-type sqlite and storage-backend local as the deployment: Postgres and S3 are options, the data is local', () => {
    const social = app('example/config.yaml', template('sqlite', 'local'));
    expect(social.stateful).toEqual([]);
    expect(social.localState?.map((s) => s.name)).toEqual(expect.arrayContaining(['SQLite', 'uploads on local disk (the app config chooses local storage)']));
    expect(social.localState).toContainEqual({ name: 'uploads on local disk (the app config chooses local storage)', source: 'example/config.yaml:7' });
    // The same keys in a root config.yaml (read before): the hyphenated db-type and the flat storage key are what is new.
    expect(app('config.yaml', template('sqlite', 'local')).stateful).toEqual([]);
  });

  it('keeps the stores the template selects, and ignores a sample app nested under examples/ or a storage key inside another section', () => {
    expect(app('example/config.yaml', template('postgres', 's3')).stateful).toEqual(['postgres', 's3']);
    expect(app('examples/blog/config.yaml', template('sqlite', 'local')).stateful).toEqual(['postgres', 's3']);
    const nested = app('config.yaml', 'db-type: "postgres"\ncache:\n  storage-backend: "local"\n');
    expect(nested.stateful).toEqual(['postgres', 's3']);
  });
});
