// Shapes from the round-29 and round-30 dev cases: a Maven reactor whose coverage aggregate depends on the application module, a
// Gemfile installing a gemspec's runtime dependencies by hand, SQLite chosen by the deployment's environment (a compose
// default, the image's ENV) beside a compose variant's SQL server, an image exposing several ports, Active Storage
// configured from a template, Compose Watch as a development setup, BuildKit's ignore files, an image running in one
// workspace app's folder, React Router 7's framework mode, Procfile types repeating another's command, a JVM cache type
// other than Redis, Django settings choosing a server only when a variable is set, and a compose service kept alive for exec.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Maven reactor with a coverage aggregate', () => {
  const pom = (artifact: string, body: string, packaging = 'jar') =>
    `<project><parent><artifactId>server</artifactId></parent><artifactId>${artifact}</artifactId><packaging>${packaging}</packaging>${body}</project>`;
  const dep = (id: string) => `<dependency><groupId>org.example</groupId><artifactId>${id}</artifactId></dependency>`;
  const files = (coverage: 'pom' | 'jar') => ({
    'pom.xml': '<project><artifactId>server</artifactId><packaging>pom</packaging><modules><module>web</module><module>application</module><module>coverage</module></modules></project>',
    'web/pom.xml': pom('web', `<dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>`),
    'application/pom.xml': pom('application', `<dependencies>${dep('web')}</dependencies><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>`),
    'coverage/pom.xml': pom('coverage', `<dependencies>${dep('application')}${dep('web')}</dependencies>`, coverage),
  });

  it('reads the application module through its libraries: a pom-packaged aggregate holds no jar of it', () => {
    expect(analyzeRepository(snapshot(files('pom'))).framework).toBe('spring-boot');
  });

  it('a jar module depending on the application still makes it a library (control)', () => {
    // No single application module is left, so the reactor's root is read alone: no starter, no framework.
    expect(analyzeRepository(snapshot(files('jar'))).framework).toBeNull();
  });
});

describe('a Gemfile installing a gemspec by hand', () => {
  const files = (gemfile: string) => ({
    Gemfile: gemfile,
    'crm.gemspec': "Gem::Specification.new do |gem|\n  gem.name = 'crm'\n  gem.add_dependency 'rails', '>= 7.1.0'\n  gem.add_development_dependency 'rspec'\nend\n",
    'config/application.rb': 'require "rails/all"\n',
  });

  it('Bundler.load_gemspec … runtime_dependencies makes the gemspec\'s runtime dependencies the app\'s', () => {
    const a = analyzeRepository(snapshot(files("source 'https://rubygems.org'\ngem 'pg'\nspec = Bundler.load_gemspec(File.expand_path('crm.gemspec', __dir__))\nspec.runtime_dependencies.each do |dep|\n  gem dep.name, *dep.requirement.as_list\nend\n")));
    expect(a.framework).toBe('rails');
    expect(a.evidence).toContainEqual({ fact: 'framework rails', source: 'crm.gemspec:3' });
  });

  it('a gemspec the Gemfile only mentions in comments, or loads without declaring its dependencies, stays unread (control)', () => {
    for (const gemfile of [
      "source 'https://rubygems.org'\ngem 'pg'\n# Bundler.load_gemspec('crm.gemspec').runtime_dependencies\n",
      "source 'https://rubygems.org'\ngem 'pg'\nspec = Bundler.load_gemspec('crm.gemspec')\n# spec.runtime_dependencies.each { |d| gem d.name }\n",
      "source 'https://rubygems.org'\ngem 'pg'\nspec = Bundler.load_gemspec('vendor/other.gemspec')\nspec.runtime_dependencies.each { |d| gem d.name }\n",
    ]) {
      const a = analyzeRepository(snapshot(files(gemfile)));
      expect(a.framework, gemfile).toBeNull();
      expect(a.evidence.some((e) => e.source.startsWith('crm.gemspec:')), gemfile).toBe(false);
    }
  });
});

describe('SQLite chosen by the deployment\'s environment', () => {
  const index = (env: string, cargoFeatures = '"mysql", "sqlite"') => analyzeRepository(snapshot({
    'Cargo.toml': `[package]\nname = "index"\n\n[dependencies]\naxum = "0.7"\nsqlx = { version = "0", features = ["migrate", ${cargoFeatures}] }\n`,
    'src/main.rs': 'fn main() {}\n',
    Containerfile: 'FROM rust:1 AS build\nRUN cargo build --release\nFROM debian:12\nCOPY --from=build /target/release/index /usr/bin/index\nEXPOSE 3001\nCMD ["/usr/bin/index"]\n',
    'compose.yaml': `services:\n  index:\n    build:\n      context: .\n      dockerfile: ./Containerfile\n    environment:\n      - ${env}\n    ports:\n      - 3001:3001\n    depends_on:\n      - mysql\n  mysql:\n    image: mysql:8.0\n`,
  }));

  it('a compose default (`${INDEX_DATABASE_DRIVER:-sqlite3}`) makes the compose MySQL the variant\'s, not a need', () => {
    const a = index('INDEX_DATABASE_DRIVER=${INDEX_DATABASE_DRIVER:-sqlite3}');
    expect(a.stateful).toEqual([]);
    expect(a.localState?.map((s) => s.name)).toContain('SQLite');
    expect(a.evidence.map((e) => e.fact)).toContain('optional mysql: one of several SQL engines the app supports beside its embedded SQLite');
  });

  it('counts `${VAR-default}` and a nested default the same way', () => {
    expect(index('INDEX_DATABASE_DRIVER=${INDEX_DATABASE_DRIVER-sqlite3}').stateful).toEqual([]);
    expect(index('INDEX_DATABASE_DRIVER=${INDEX_DATABASE_DRIVER:-${DRIVER:-sqlite3}}').stateful).toEqual([]);
  });

  it('the compose service selecting MySQL keeps it (control)', () => {
    expect(index('INDEX_DATABASE_DRIVER=${INDEX_DATABASE_DRIVER:-mysql}').stateful).toEqual(['mysql']);
  });

  it('the image\'s ENV selecting SQLite counts when the compose service sets no database setting', () => {
    const withImage = (env: string) => analyzeRepository(snapshot({
      'Cargo.toml': '[package]\nname = "index"\n\n[dependencies]\naxum = "0.7"\nsqlx = { version = "0", features = ["mysql", "sqlite"] }\n',
      'src/main.rs': 'fn main() {}\n',
      Dockerfile: 'FROM debian:12\nCOPY index /usr/bin/index\nENV INDEX_DATABASE_DRIVER=sqlite3\nEXPOSE 3001\nCMD ["/usr/bin/index"]\n',
      'compose.yaml': `services:\n  index:\n    build: .\n${env}    depends_on:\n      - mysql\n  mysql:\n    image: mysql:8.0\n`,
    }));
    expect(withImage('').stateful).toEqual([]);
    // (Control: compose pointing the app at the server overrides the image.)
    expect(withImage('    environment:\n      - DATABASE_URL=mysql://mysql/index\n').stateful).toEqual(['mysql']);
  });

  it('a sqlite feature only the tests\' dependencies switch on is no embedded alternative (control)', () => {
    const a = analyzeRepository(snapshot({
      'Cargo.toml': '[package]\nname = "index"\n\n[dependencies]\naxum = "0.7"\nsqlx = { version = "0", features = ["mysql"] }\n\n[dev-dependencies]\nsqlx = { version = "0", features = ["sqlite"] }\n',
      'src/main.rs': 'fn main() {}\n',
      'compose.yaml': 'services:\n  index:\n    build: .\n    environment:\n      - INDEX_DATABASE_DRIVER=${INDEX_DATABASE_DRIVER:-sqlite3}\n  mysql:\n    image: mysql:8.0\n',
    }));
    expect(a.stateful).toEqual(['mysql']);
  });

  it('with no sqlite feature on the SQL crate there is no embedded alternative (control)', () => {
    expect(index('INDEX_DATABASE_DRIVER=${INDEX_DATABASE_DRIVER:-sqlite3}', '"mysql"').stateful).toEqual(['mysql']);
  });
});

describe('an image exposing several ports', () => {
  const app = (ports: string) => analyzeRepository(snapshot({
    Gemfile: "source 'https://rubygems.org'\ngem 'rails'\n",
    'config/application.rb': 'require "rails/all"\n',
    'docker/Dockerfile': 'FROM ruby:3.3\nCOPY . /code\nEXPOSE 80 443 3000\nENTRYPOINT ["/bin/bash"]\nCMD ["/code/docker/entrypoint.sh"]\n',
    'docker-compose.yml': `services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    ports:\n${ports}`,
  }));

  it('is read at the one of them the app\'s compose service publishes', () => {
    expect(app('      - "${LOCAL_PORT}:3000"\n').port).toBe(3000);
  });

  it('keeps the first when compose publishes none or several of them (control)', () => {
    expect(app('      - "8080:8080"\n').port).toBe(80);
    expect(app('      - "80:80"\n      - "3000:3000"\n').port).toBe(80);
  });

  it('a HEALTHCHECK naming one of them still decides (control)', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\n",
      'config/application.rb': 'require "rails/all"\n',
      'docker/Dockerfile': 'FROM ruby:3.3\nCOPY . /code\nEXPOSE 80 443 3000\nHEALTHCHECK CMD curl -f http://localhost:80/up\nCMD ["/code/docker/entrypoint.sh"]\n',
      'docker-compose.yml': 'services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    ports:\n      - "3000:3000"\n',
    }));
    expect(a.port).toBe(80);
  });
});

describe('Active Storage configured from a template', () => {
  it('production\'s service found in config/storage.docker.yml: S3 is a store', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'mysql2'\ngem 'aws-sdk-s3'\n",
      'config/application.rb': 'require "rails/all"\n',
      'config/environments/production.rb': 'Rails.application.configure do\n  config.active_storage.service = :s3\nend\n',
      'config/storage.docker.yml': 'local:\n  service: Disk\n  root: <%= Rails.root.join("storage") %>\ns3:\n  service: S3\n  bucket: uploads\n',
    }));
    expect(a.stateful).toContain('s3');
  });

  it('config/storage.yml wins over a template; a Disk service is no bucket (control)', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'mysql2'\ngem 'aws-sdk-s3'\n",
      'config/application.rb': 'require "rails/all"\n',
      'config/environments/production.rb': 'Rails.application.configure do\n  config.active_storage.service = :s3\nend\n',
      'config/storage.yml': 's3:\n  service: Disk\n  root: /data\n',
      'config/storage.docker.yml': 's3:\n  service: S3\n  bucket: uploads\n',
      'app/models/user.rb': 'class User < ApplicationRecord\n  has_one_attached :avatar\nend\n',
    }));
    expect(a.stateful).not.toContain('s3');
    expect(a.localState?.map((s) => s.name)).toContain('uploads on local disk (Active Storage s3: Disk)');
  });
});

describe('Compose Watch', () => {
  const files = (develop: boolean) => ({
    'pyproject.toml': '[project]\nname = "grants"\ndependencies = ["django", "celery", "gunicorn"]\n',
    'manage.py': 'import django\n',
    Procfile: 'release: python manage.py migrate\nweb: gunicorn grants.wsgi:application\nworker: celery --app=grants.celery worker\n',
    'docker/Dockerfile': 'FROM python:3.12\nCOPY . /opt/app\nENTRYPOINT ["/opt/app/docker/entrypoint.sh"]\n',
    'docker/Dockerfile.dockerignore': 'node_modules\n',
    'docker/prod/Dockerfile': 'FROM python:3.12-slim\nCOPY . /opt/app\nEXPOSE 8000\nENTRYPOINT ["/opt/app/docker/prod/entrypoint.sh"]\nCMD ["gunicorn", "--config", "/opt/app/docker/prod/config/gunicorn.py"]\n',
    'docker/prod/Dockerfile.dockerignore': 'node_modules\n',
    'docker/compose.yaml': `services:\n  py:\n    build:\n      context: ..\n      dockerfile: docker/Dockerfile\n    ports:\n      - 9001:9001\n${develop ? '    develop:\n      watch:\n        - action: sync\n          path: ..\n          target: /opt/app\n' : ''}    depends_on:\n      - db\n  db:\n    image: postgres:17\n`,
  });

  it('marks the compose service a development setup: the production-marked image and the Procfile\'s processes are the deployment', () => {
    const a = analyzeRepository(snapshot(files(true)));
    expect(a.port).toBe(8000);
    expect(a.startCommand).toBe('/opt/app/docker/prod/entrypoint.sh gunicorn --config /opt/app/docker/prod/config/gunicorn.py');
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('without it the compose service is the deployment (control)', () => {
    const a = analyzeRepository(snapshot(files(false)));
    expect(a.startCommand).toBe('/opt/app/docker/entrypoint.sh');
    expect(a.services?.map((s) => s.name)).toEqual(['py']);
  });

  it('a Dockerfile.dockerignore is no Dockerfile: the one production-marked image stays one', () => {
    const { 'docker/compose.yaml': _, ...rest } = files(false);
    const a = analyzeRepository(snapshot({ ...rest, 'docker-compose.yml': 'services:\n  py:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n    volumes:\n      - .:/opt/app\n' }));
    expect(a.startCommand).toBe('/opt/app/docker/prod/entrypoint.sh gunicorn --config /opt/app/docker/prod/config/gunicorn.py');
  });
});

describe('a workspace whose image runs in one app\'s folder', () => {
  const files = (workdir: string) => ({
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['apps/*', 'packages/*'] }),
    'apps/web/package.json': JSON.stringify({ name: '@acme/web', scripts: { start: 'node build/server/main.js' }, dependencies: { '@react-router/node': '7.0.0', 'react-router': '7.0.0', hono: '4.0.0' } }),
    'apps/web/server/main.js': "import { serve } from '@hono/node-server';\nserve({ port: Number(process.env.PORT || '3000') });\n",
    'apps/api/package.json': JSON.stringify({ name: '@acme/api', scripts: { start: 'node index.js' }, dependencies: { express: '5.0.0' } }),
    'apps/api/index.js': "require('express')().listen(4000)\n",
    'docker/Dockerfile': `FROM node:22 AS builder\nCOPY . .\nRUN npx turbo prune --scope=@acme/web --docker\nFROM node:22\nCOPY --from=builder /app/out/full/ .\nWORKDIR ${workdir}\nCMD ["sh", "start.sh"]\n`,
  });

  it('is that app, with the image\'s command', () => {
    const a = analyzeRepository(snapshot(files('/app/apps/web')));
    expect(a.monorepo?.chosen).toBe('apps/web');
    expect(a.startCommand).toBe('sh start.sh');
    expect(a.evidence).toContainEqual({ fact: "the root's image runs sh start.sh in apps/web", source: 'docker/Dockerfile:6' });
  });

  it('a relative WORKDIR, or one inside the app folder, counts the same', () => {
    const relative = files('apps/web');
    relative['docker/Dockerfile'] = relative['docker/Dockerfile'].replace('WORKDIR apps/web', 'WORKDIR /app\nWORKDIR apps/web');
    expect(analyzeRepository(snapshot(relative)).monorepo?.chosen).toBe('apps/web');
    expect(analyzeRepository(snapshot(files('/app/apps/web/build'))).monorepo?.chosen).toBe('apps/web');
  });

  it('an image running at the workspace root, or in a folder a variable names, picks none (control)', () => {
    expect(analyzeRepository(snapshot(files('/app'))).monorepo?.chosen).toBeUndefined();
    expect(analyzeRepository(snapshot(files('$APP_HOME/apps/web'))).monorepo?.chosen).toBeUndefined();
  });
});

describe('React Router 7\'s framework mode', () => {
  const app = (deps: Record<string, string>) => analyzeRepository(snapshot({
    'package.json': JSON.stringify({ name: 'web', dependencies: { 'react-router': '7.0.0', ...deps } }),
    'app/root.tsx': 'export default function App() { return null }\n',
  }));

  it('is Remix, served by react-router-serve', () => {
    const a = app({ '@react-router/node': '7.0.0', '@react-router/serve': '7.0.0' });
    expect(a.framework).toBe('remix');
    expect(a.startCommand).toBe('PORT=3000 npx react-router-serve ./build/server/index.js');
  });

  it('a Remix 2 app keeps remix-serve (control)', () => {
    expect(app({ '@remix-run/node': '2.0.0', '@remix-run/serve': '2.0.0' }).startCommand).toBe('PORT=3000 npx remix-serve ./build/server/index.js');
  });
});

describe('Procfile process types repeating a command', () => {
  it('are one process: `custom_web` running what `web` runs is the same service under another platform\'s name', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'pg'\n",
      'config/application.rb': 'require "rails/all"\n',
      Procfile: 'release: bundle exec rake db:migrate\ncustom_web: bundle exec puma\nweb: bundle exec puma\nworker: bundle exec sidekiq\n',
    }));
    // (`web` is kept whichever comes first.)
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  it('types with commands of their own stay services (control)', () => {
    const a = analyzeRepository(snapshot({
      Gemfile: "source 'https://rubygems.org'\ngem 'rails'\ngem 'pg'\ngem 'sidekiq'\n",
      'config/application.rb': 'require "rails/all"\n',
      Procfile: 'web: bundle exec puma\nworker: bundle exec sidekiq\n',
    }));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });
});

describe('a JVM app whose config selects another cache type', () => {
  const app = (config: Record<string, string>, compose = '') => analyzeRepository(snapshot({
    'pom.xml': '<project><artifactId>viewer</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency><dependency><groupId>org.redisson</groupId><artifactId>redisson</artifactId></dependency></dependencies></project>',
    'src/main/java/App.java': 'class App {}\n',
    ...config,
    ...(compose ? { 'docker-compose.yml': compose } : {}),
  }));

  it('leaves Redis out when only the client library names it', () => {
    const props = app({ 'src/main/resources/application.properties': 'server.port = 8012\ncache.type = ${APP_CACHE_TYPE:jdk}\nspring.redisson.address = ${REDIS:127.0.0.1:6379}\n' });
    expect(props.stateful).toEqual([]);
    expect(props.evidence).toContainEqual({ fact: 'optional redis: only a client library names it; the config selects another cache type', source: 'src/main/resources/application.properties:2' });
    expect(app({ 'src/main/resources/application.yml': 'spring:\n  cache:\n    # redis for a cluster\n    type: CAFFEINE\n' }).stateful).toEqual([]);
  });

  it('keeps it when the cache type is Redis, or compose runs it for the app (control)', () => {
    expect(app({ 'src/main/resources/application.properties': 'cache.type = ${APP_CACHE_TYPE:redis}\n' }).stateful).toEqual(['redis']);
    expect(app({ 'src/main/resources/application.properties': 'cache.type = jdk\n' }, 'services:\n  app:\n    build: .\n  redis:\n    image: redis:7\n').stateful).toEqual(['redis']);
  });
});

describe('Django settings choosing a server only when a variable is set', () => {
  const settings = 'from decouple import config\n\nif config("DB_HOST", default=None):\n    DATABASES = {\n        "default": {\n            "ENGINE": "django.db.backends.postgresql",\n            "HOST": config("DB_HOST"),\n        },\n    }\nelse:\n    DATABASES = {\n        "default": {\n            "ENGINE": "django.db.backends.sqlite3",\n            "NAME": BASE_DIR / "db" / "db.sqlite3",\n        },\n    }\n';
  const app = (compose: string, extra: Record<string, string> = {}) => analyzeRepository(snapshot({
    'requirements.txt': 'django==5.1\npsycopg==3.2\nredis==5.0\n',
    'manage.py': 'import django\n',
    'src/config/settings.py': settings,
    'docker-compose.yml': compose,
    ...extra,
  }));
  const base = 'services:\n  app:\n    image: ghcr.io/acme/app\n    environment:\n      - REDIS_URL=redis://redis:6379\n    volumes:\n      - ./db:/app/db\n  redis:\n    image: redis:7\n';

  it('run on SQLite when the shipped compose file leaves it unset (a compose variant setting it is the opt-in)', () => {
    const a = app(base, { 'docker-compose.postgres.yml': 'services:\n  app:\n    environment:\n      - DB_HOST=db\n  db:\n    image: postgres:16\n' });
    expect(a.stateful).toEqual(['redis']);
    expect(a.localState?.map((s) => s.name)).toContain('SQLite');
    expect(a.evidence).toContainEqual({ fact: 'embedded SQLite: the Django settings fall back to django.db.backends.sqlite3; the server engine needs DB_HOST, which the deployment leaves unset', source: 'src/config/settings.py:13' });
  });

  it('settings with many blank lines in the branch are read in linear time (an ambiguous line pattern once backtracked exponentially)', () => {
    // An `if` with no `else`, its body padded with blank lines: the pattern fails there, so every way of splitting the lines was tried.
    const padded = `if config("DEBUG_TOOLBAR", default=False):\n${'    \n'.repeat(60)}    INSTALLED_APPS += ["debug_toolbar"]\n\n${settings}`;
    const a = analyzeRepository(snapshot({ 'requirements.txt': 'django==5.1\npsycopg==3.2\n', 'manage.py': 'import django\n', 'src/config/settings.py': padded, 'docker-compose.yml': base }));
    expect(a.stateful).toEqual(['redis']);
  });

  it('run on the server when the compose file or an env template sets it (control)', () => {
    expect(app(base.replace('      - REDIS_URL', '      - DB_HOST=db\n      - REDIS_URL')).stateful).toEqual(['postgres', 'redis']);
    expect(app(base, { '.env.example': 'DB_HOST=db\n' }).stateful).toEqual(['postgres', 'redis']);
    // …or a platform descriptor names it (a DigitalOcean app spec setting it from its managed database).
    expect(app(base, { '.do/deploy.template.yaml': 'spec:\n  services:\n    - envs:\n        - key: DB_HOST\n          value: ${db.HOSTNAME}\n' }).stateful).toEqual(['postgres', 'redis']);
  });
});

describe('a compose service kept alive for exec', () => {
  it('(`entrypoint: [sleep, infinity]`) is no app: its build target is not the image that ships', () => {
    const a = analyzeRepository(snapshot({
      'pyproject.toml': '[project]\nname = "codex"\ndependencies = ["django"]\n',
      'manage.py': 'import django\n',
      Dockerfile: 'FROM python:3.14 AS ci\nRUN pip install .[dev]\nFROM python:3.14-slim AS final\nCOPY . /app\nEXPOSE 9810\nCMD ["/usr/local/bin/codex"]\n',
      'compose.yaml': 'services:\n  ci:\n    build:\n      context: .\n      target: ci\n    entrypoint:\n      - sleep\n      - infinity\n',
    }));
    expect(a.port).toBe(9810);
    expect(a.startCommand).toBe('/usr/local/bin/codex');
  });
});
