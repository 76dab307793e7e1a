// Shapes from the round-40 dev cases (awesome-selfhosted's wikis and analytics) and the older dev cases they generalise:
// a release bundle pulling several roles of one product, drivers for many backends, and plain PHP with its front
// controller in a source folder and its database type in a config file.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a compose bundle pulling several roles of one product', () => {
  const files = (images: [string, string]) => ({
    'README.md': '# Acme self-hosting\n',
    'compose.yaml': `services:\n  acme:\n    image: ${images[0]}\n    ports:\n      - 80:3000\n  acme-api:\n    image: ${images[1]}\n    environment:\n      - REDIS_HOST=redis\n  redis:\n    image: redis:8-alpine\n  db:\n    image: \${IMAGE_PREFIX:-acme}/acme-postgres\${ARCH_SUFFIX}:15\n`,
  });

  it('counts every role as a first-party service, and a vendor build of a store as that store', () => {
    const a = analyzeRepository(snapshot(files(['acme/acme-fe:v5', 'acme/acme-api:v5'])));
    expect(a.services?.map((s) => s.name).sort()).toEqual(['acme', 'acme-api']);
    expect(a.stateful).toEqual(['postgres', 'redis']);
  });

  it('leaves images of different products, or one role of a product, as pulled third-party images (controls)', () => {
    expect(analyzeRepository(snapshot(files(['acme/acme-fe:v5', 'other/billing-api:v2']))).services ?? []).toEqual([]);
    expect(analyzeRepository(snapshot(files(['acme/acme-fe:v5', 'acme/acme-nginx:v5']))).services ?? []).toEqual([]);
  });

  it('leaves a pulled suite third-party beside the repository\'s own code, or when nothing is named after the product (controls)', () => {
    const suite = 'services:\n  ksqldb:\n    image: confluentinc/cp-ksqldb-server:7\n  control-center:\n    image: confluentinc/cp-enterprise-control-center:7\n  cp-ksqldb-cli:\n    image: confluentinc/cp-ksqldb-cli:7\n';
    // (Alone, a bundle named after its product `cp`: every role counts, two roles never collapse into one.)
    expect(analyzeRepository(snapshot({ 'docker-compose.yml': suite })).services?.map((s) => s.name)).toEqual(expect.arrayContaining(['control-center', 'ksqldb']));
    const app = { 'go.mod': 'module github.com/acme/board\n\ngo 1.23\n', 'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n' };
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': suite })).services ?? []).toEqual([]);
    const redis = 'services:\n  cache:\n    image: bitnami/redis-cluster:7\n  exporter:\n    image: bitnami/redis-exporter:1\n';
    expect(analyzeRepository(snapshot({ 'docker-compose.yml': redis })).services ?? []).toEqual([]);
    expect(analyzeRepository(snapshot({ 'docker-compose.yml': 'services:\n  web:\n    image: acme/acme-fe:v5\n  api:\n    image: acme/acme-api:v5\n' })).services ?? []).toEqual([]);
  });
});

describe('drivers for many backends', () => {
  const files = (requires: string[]) => ({
    'go.mod': `module github.com/acme/relay\n\ngo 1.23\n\nrequire (\n${requires.map((r) => `\t${r}\n`).join('')})\n`,
    'main.go': 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8000", nil)\n}\n',
  });
  const many = ['github.com/IBM/sarama v1.43.0', 'github.com/nats-io/nats.go v1.37.0', 'github.com/jackc/pgx/v5 v5.7.1', 'github.com/redis/go-redis/v9 v9.7.0', 'github.com/go-sql-driver/mysql v1.8.1'];

  it('are integrations an operator picks among, not stores the app needs', () => {
    const a = analyzeRepository(snapshot(files(many)));
    expect(a.stateful).toEqual([]);
    expect(a.evidence.some((e) => /^optional kafka: one of 5 backends only drivers name/.test(e.fact))).toBe(true);
  });

  it('stay stores when an env template or compose file names them (control)', () => {
    const env = '.env.example';
    expect(analyzeRepository(snapshot({ ...files(many), [env]: 'KAFKA_BROKERS=kafka:9092\nNATS_URL=nats://nats:4222\nREDIS_URL=redis://redis:6379\nMYSQL_HOST=db\nPG_DSN=postgres://db/relay\n' })).stateful).toEqual(['kafka', 'mysql', 'nats', 'postgres', 'redis']);
  });

  it('keep a store a deployment file names, and stay stores below four of them (controls)', () => {
    const named = analyzeRepository(snapshot({ ...files(many), 'docker-compose.yml': 'services:\n  relay:\n    build: .\n  db:\n    image: postgres:16\n' }));
    expect(named.stateful).toContain('postgres');
    expect(named.stateful).not.toContain('kafka');
    expect(analyzeRepository(snapshot(files(many.slice(2, 5)))).stateful).toEqual(['mysql', 'postgres', 'redis']);
  });
});

describe('plain PHP with its front controller in a source folder and its database type in a config file', () => {
  const files = (config: string) => ({
    'composer.json': JSON.stringify({ name: 'acme/wiki', require: { php: '>=8.1' } }),
    'src/index.php': "<?php\nrequire __DIR__ . '/class/init.php';\n",
    'src/class/init.php': '<?php\n$wiki = new Wiki($config);\n',
    'src/config/config_defaults.php': config,
  });

  it('is a web app on the server engine the config sets', () => {
    const a = analyzeRepository(snapshot(files("<?php\n$config = [\n\t'db_driver'\t=> '',\t// mysqli, sqlite\n\t'db_vendor'\t=> 'mysql',\n];\n")));
    expect(a.kind).toBe('web');
    expect(a.stateful).toEqual(['mysql']);
    expect(a.evidence).toContainEqual({ fact: 'stateful mysql', source: 'src/config/config_defaults.php:4' });
  });

  it('reads the template forms too, and names no server when the settings offer two (control)', () => {
    expect(analyzeRepository(snapshot(files("<?php\n$CONFIG['dbtype'] =\t\t'mysqli';\t// Your database type\n"))).stateful).toEqual(['mysql']);
    expect(analyzeRepository(snapshot(files("<?php\n$gDbType = 'pgsql';\n"))).stateful).toEqual(['postgres']);
    expect(analyzeRepository(snapshot(files("<?php\n$db_type = 'pgsql';\n$dbtype = 'mysql';\n"))).stateful).toEqual([]);
  });

  it('reads no setting in a block comment, counts SQLite as a choice, and reads no Composer library (controls)', () => {
    expect(analyzeRepository(snapshot(files("<?php\n$db_type = 'sqlite';\n/*\n$db_type = 'pgsql';\n*/\n"))).stateful).toEqual([]);
    expect(analyzeRepository(snapshot({ ...files("<?php\n$db_type = 'sqlite';\n"), 'config.mysql.php.dist': "<?php\n$db_type = 'mysql';\n" })).stateful).toEqual([]);
    const library = { ...files("<?php\n$db_type = 'mysql';\n"), 'composer.json': JSON.stringify({ name: 'acme/wiki-kit', type: 'library' }) };
    const a = analyzeRepository(snapshot(library));
    expect(a.stateful).toEqual([]);
    expect(a.kind).not.toBe('web');
  });

  it('finds no front controller in an index.php without code (control)', () => {
    const a = analyzeRepository(snapshot({ ...files("<?php\n$db_type = 'mysql';\n"), 'src/index.php': '<?php\n// Silence is golden.\n' }));
    expect(a.kind).not.toBe('web');
  });
});
