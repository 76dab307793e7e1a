// Round 7 rules read on self-hosted PHP/Laravel apps, each on a small synthetic repository.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const laravel = (require: Record<string, string> = {}) => JSON.stringify({ name: 'acme/tracker', type: 'project', require: { 'laravel/framework': '^11.0', ...require } });

describe('search engine clients', () => {
  it('counts a Meilisearch or Elasticsearch client as a store when an env or compose file sets its address', () => {
    const meili = analyzeRepository(snapshot({ 'composer.json': laravel({ 'laravel/scout': '^10.0', 'meilisearch/meilisearch-php': '^1.13' }), '.env.example': 'DB_CONNECTION=mysql\nMEILISEARCH_HOST=http://127.0.0.1:7700\n' }));
    expect(meili.stateful).toEqual(['meilisearch', 'mysql']);
    const elastic = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.19.0', '@elastic/elasticsearch': '^8.0.0' }, scripts: { start: 'node index.js' } }) }));
    expect(elastic.stateful).toEqual([]);
    const configured = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.19.0', '@elastic/elasticsearch': '^8.0.0' }, scripts: { start: 'node index.js' } }), '.env.example': 'ELASTICSEARCH_URL=http://localhost:9200\n' }));
    expect(configured.stateful).toEqual(['elasticsearch']);
    const empty = analyzeRepository(snapshot({ 'composer.json': laravel({ 'meilisearch/meilisearch-php': '^1.13' }), '.env.example': 'DB_CONNECTION=mysql\nSCOUT_DRIVER=tntsearch\nMEILISEARCH_HOST=\n# MEILISEARCH_URL=http://localhost:7700\n' }));
    expect(empty.stateful).toEqual(['mysql']);
  });
});

describe('PHP front controller', () => {
  it('makes a PHP app without framework or packaging a web app', () => {
    const files = { 'composer.json': JSON.stringify({ require: { 'slim/slim': '^4.0' }, autoload: { 'psr-4': { 'Acme\\': 'src/' } } }), 'src/App.php': '<?php\nnamespace Acme;\nclass App {}\n' };
    expect(analyzeRepository(snapshot(files)).kind).not.toBe('web');
    const app = analyzeRepository(snapshot({ ...files, 'public/index.php': "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n(new Acme\\App())->run();\n" }));
    expect(app.kind).toBe('web');
    expect(app.port ?? null).toBeNull();
    expect(app.evidence).toContainEqual({ fact: 'serves http', source: 'public/index.php' });
  });
});

describe('PHP PDO SQLite', () => {
  it('reads a PDO SQLite DSN in the code as a local database file', () => {
    const files = (open: string) => ({ 'composer.json': JSON.stringify({ require: { 'slim/slim': '^4.0' } }), 'public/index.php': '<?php\n', 'services/Database.php': `<?php\nclass Database {\n  function connect() {\n    return ${open};\n  }\n}\n` });
    const file = analyzeRepository(snapshot(files("new \\PDO\\Sqlite('sqlite:' . DATA_PATH . '/app.db')")));
    expect(file.localState).toContainEqual({ name: 'SQLite', source: 'services/Database.php:4' });
    expect(analyzeRepository(snapshot(files("new PDO(\"sqlite:$path\")"))).localState?.map((s) => s.name)).toContain('SQLite');
    expect(analyzeRepository(snapshot(files("new PDO('sqlite::memory:')"))).localState).toEqual([]);
  });

  it('leaves SQLite out when the code opens database servers through PDO too (a setting picks the engine)', () => {
    const telemetry = "<?php\nif ($type === 'mysql') { $dsn = 'mysql:host=' . $host; return new PDO($dsn); }\nif ($type === 'sqlite') { return new PDO('sqlite:' . $file); }\n";
    const a = analyzeRepository(snapshot({ 'composer.json': '{}', 'index.php': '<?php\n', 'results/db.php': telemetry }));
    expect(a.localState).toEqual([]);
  });

  it('reads the SQLite3 class opening a file as a local database, in a plain PHP app with no composer.json', () => {
    const files = (open: string) => ({ 'index.php': "<?php\nrequire_once 'includes/connect.php';\n", 'includes/connect.php': `<?php\n\n$databaseFile = 'db/wallos.db';\n\n${open}\n` });
    expect(analyzeRepository(snapshot(files('$db = new SQLite3($databaseFile);'))).localState).toContainEqual({ name: 'SQLite', source: 'includes/connect.php:5' });
    expect(analyzeRepository(snapshot(files("$db = new \\SQLite3(__DIR__ . '/../db/app.db', SQLITE3_OPEN_CREATE);"))).localState?.map((s) => s.name)).toContain('SQLite');
  });

  it('does not read an in-memory SQLite3 database, or SQLite3 beside PDO DSNs for database servers, as a local file', () => {
    const inMemory = analyzeRepository(snapshot({ 'index.php': "<?php\n$cache = new SQLite3(':memory:');\n" }));
    expect(inMemory.localState).toEqual([]);
    const both = analyzeRepository(snapshot({ 'index.php': "<?php\nif ($driver === 'mysql') { $db = new PDO('mysql:host=' . $host); } else { $db = new SQLite3($file); }\n" }));
    expect(both.localState).toEqual([]);
  });
});

describe('Laravel app disks', () => {
  const filesystems = (extra: string) => `<?php\nreturn [\n    'default' => env('FILESYSTEM_DISK', 'local'),\n    'disks' => [\n        'local' => [\n            'driver' => 'local',\n            'root' => storage_path('app'),\n        ],\n        'public' => [\n            'driver' => 'local',\n            'root' => storage_path('app/public'),\n        ],\n${extra}    ],\n];\n`;
  const app = (extra: string, env = 'DB_CONNECTION=mysql\n') => analyzeRepository(snapshot({ 'composer.json': laravel(), '.env.example': env, 'config/filesystems.php': filesystems(extra) }));

  it('keeps the uploads of a local disk the app adds for its own files', () => {
    const tracker = app("        'backups' => [\n            'driver' => 'local',\n            'root' => storage_path('backups'),\n        ],\n        'torrent-files' => [\n            'driver' => 'local',\n            'root' => storage_path('app/files/torrents'),\n        ],\n");
    expect(tracker.localState).toEqual([{ name: 'uploads on local disk (Laravel disk torrent-files)', source: 'config/filesystems.php:17' }]);
  });

  it('ignores the stock disks, temp and backup disks, and an app that picks S3', () => {
    expect(app("        'tmp' => [\n            'driver' => 'local',\n            'root' => storage_path('app/tmp'),\n        ],\n").localState).toEqual([]);
    const avatars = "        'avatars' => [\n            'driver' => 'local',\n            'root' => storage_path('app/avatars'),\n        ],\n";
    expect(app(avatars, 'DB_CONNECTION=mysql\nFILESYSTEM_DISK=s3\n').localState).toEqual([]);
  });
});

describe('role images published under the project name', () => {
  it('counts org/app-queue beside org/app as the repository\'s own services', () => {
    const compose = [
      'services:',
      '  app:',
      '    image: acme/tracker:latest',
      '    ports: ["8000:80"]',
      '  app-queue:',
      '    image: acme/tracker-queue:latest',
      '  app-scheduler:',
      '    image: acme/tracker-queue:latest',
      '    entrypoint: ["/var/www/html/docker/scheduler.sh"]',
      '  db:',
      '    image: postgres:16-alpine',
      '  proxy:',
      '    image: nginx:alpine',
      '',
    ].join('\n');
    // The workflow that publishes the role image names it: the repository builds it (a compose file alone only pulls it).
    const publish = 'jobs:\n  publish:\n    steps:\n      - run: docker build -f docker/queue.Dockerfile -t acme/tracker-queue:latest .\n';
    const a = analyzeRepository(snapshot({ 'composer.json': laravel(), 'compose.yaml': compose, '.github/workflows/publish.yml': publish }));
    expect(a.services?.map((s) => s.name)).toEqual(['app', 'app-queue', 'app-scheduler']);
  });
});

describe('the compose environment picks the database connection', () => {
  it('overrides the env template\'s DB_CONNECTION', () => {
    const compose = (connection: string) => ['services:', '  app:', '    build: .', '    ports: ["8000:80"]', '    environment:', ...(connection ? [`      DB_CONNECTION: ${connection}`] : []), '  db:', '    image: postgres:16-alpine', ''].join('\n');
    const app = (connection: string) => analyzeRepository(snapshot({ 'composer.json': laravel(), '.env.example': 'DB_CONNECTION=mysql\n', 'compose.yaml': compose(connection) }));
    expect(app('pgsql').stateful).toEqual(['postgres']);
    expect(app('').stateful).toEqual(['mysql', 'postgres']);
  });
});

describe('the Dockerfile CI builds for a pulled image', () => {
  it('reads the image compose pulls from the Dockerfile the workflow pushes under its name', () => {
    const workflow = [
      'on: { push: { tags: ["v*"] } }',
      'jobs:',
      '  publish:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - id: web_tags',
      '        run: |',
      '          TAGS="acme/tracker:${{ github.ref_name }},acme/tracker:latest"',
      '          echo "tags=$TAGS" >> "$GITHUB_OUTPUT"',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: docker/queue.Dockerfile',
      '          tags: acme/tracker-queue:latest',
      '      - uses: docker/build-push-action@v6',
      '        with:',
      '          context: .',
      '          file: docker/web.Dockerfile',
      '          tags: ${{ steps.web_tags.outputs.tags }}',
      '',
    ].join('\n');
    const files = {
      'composer.json': laravel(),
      'compose.yaml': 'services:\n  app:\n    image: acme/tracker:latest\n    ports: ["8000:80"]\n',
      'docker/web.Dockerfile': 'FROM php:8.4-apache\nCOPY . /var/www/html\nEXPOSE 80\nENTRYPOINT ["/var/www/html/docker/web-entrypoint.sh"]\n',
      'docker/queue.Dockerfile': 'FROM php:8.4-cli\nCOPY . /var/www/html\nCMD ["php", "artisan", "queue:work"]\n',
    };
    expect(analyzeRepository(snapshot(files)).startCommand).not.toBe('/var/www/html/docker/web-entrypoint.sh');
    const a = analyzeRepository(snapshot({ ...files, '.github/workflows/publish.yml': workflow }));
    expect(a.startCommand).toBe('/var/www/html/docker/web-entrypoint.sh');
    expect(a.port).toBe(80);
  });
});
