// Backing services (databases, caches, brokers) and background-job systems an app needs,
// inferred from its dependencies, compose images and a few well-known config files.
import type { RepoSnapshot } from '../types.js';
import type { ComposeFacts, ComposeService, DockerfileFacts } from './docker.js';
import { imageName, withVariableDefaults } from './docker.js';
import { stripMajorVersion } from './manifests/go.js';
import { composerLibrary } from './manifests/php.js';
import { asTable, jsonTable } from './manifests/common.js';
import type { DeclaredDependency, Language, Located } from './model.js';
import { isTestOrVendored, JVM_CONFIG_FILE, perSnapshot, SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { COMPOSE_FILE, ENV_FILE } from './env-vars.js';
import { compare } from './evidence.js';
import { escapeRegExp, fileOf, findLine, jsonKeyLines, lineAt, loc } from './text.js';
import { chartDirs, chartValues, ownChartDirs } from './chart-templates.js';

type Table = Readonly<Record<string, string>>;

/**
 * Driver/client package → service. ORMs (sequelize, typeorm, knex) are absent: they name no database.
 * A search engine's client (Meilisearch, Elasticsearch) is a store too: the app's index lives on that server.
 */
const SERVICE_BY_PACKAGE: Readonly<Record<Language, Table>> = {
  python: {
    psycopg: 'postgres', 'psycopg-binary': 'postgres', psycopg2: 'postgres', 'psycopg2-binary': 'postgres', asyncpg: 'postgres', pg8000: 'postgres',
    mysqlclient: 'mysql', pymysql: 'mysql', 'mysql-connector-python': 'mysql', aiomysql: 'mysql',
    redis: 'redis', aioredis: 'redis', 'django-redis': 'redis', rq: 'redis', 'celery[redis]': 'redis',
    pymongo: 'mongodb', motor: 'mongodb', mongoengine: 'mongodb',
    pika: 'rabbitmq', 'aio-pika': 'rabbitmq', 'celery[amqp]': 'rabbitmq',
    'kafka-python': 'kafka', 'confluent-kafka': 'kafka', aiokafka: 'kafka',
    minio: 's3',
    // django-storages with its S3 backend's extra: uploads and static files live in a bucket.
    'django-storages[boto3]': 's3', 'django-storages[s3]': 's3',
    // A NATS client: the app's messages (JetStream queues) live on a NATS server.
    'nats-py': 'nats',
    temporalio: 'temporal',
    meilisearch: 'meilisearch', elasticsearch: 'elasticsearch', 'elasticsearch-dsl': 'elasticsearch', 'django-elasticsearch-dsl': 'elasticsearch',
    // A time-series server's client: the app's metrics live there. (Analytics and search clients are often an optional
    // feature's, e.g. an enterprise edition's ClickHouse: only the server compose runs says the app needs one.)
    'influxdb-client': 'influxdb', influxdb: 'influxdb',
  },
  node: {
    pg: 'postgres', 'pg-promise': 'postgres', postgres: 'postgres', '@neondatabase/serverless': 'postgres',
    mysql: 'mysql', mysql2: 'mysql',
    redis: 'redis', ioredis: 'redis', '@redis/client': 'redis', bullmq: 'redis', bull: 'redis',
    mongodb: 'mongodb', mongoose: 'mongodb',
    amqplib: 'rabbitmq', 'amqp-connection-manager': 'rabbitmq',
    kafkajs: 'kafka', 'node-rdkafka': 'kafka',
    '@aws-sdk/client-dynamodb': 'dynamodb', '@aws-sdk/lib-dynamodb': 'dynamodb', dynamoose: 'dynamodb',
    '@aws-sdk/client-sqs': 'sqs', '@aws-sdk/client-s3': 's3', minio: 's3',
    nats: 'nats',
    '@google-cloud/spanner': 'spanner', '@google-cloud/firestore': 'firestore',
    // A Temporal client or worker needs a Temporal server (workflow history and timers live there).
    '@temporalio/client': 'temporal', '@temporalio/worker': 'temporal',
    meilisearch: 'meilisearch', '@elastic/elasticsearch': 'elasticsearch', '@influxdata/influxdb-client': 'influxdb',
  },
  go: {
    'github.com/lib/pq': 'postgres', 'github.com/jackc/pgx': 'postgres', 'gorm.io/driver/postgres': 'postgres',
    'github.com/go-sql-driver/mysql': 'mysql', 'gorm.io/driver/mysql': 'mysql',
    'github.com/redis/go-redis': 'redis', 'github.com/go-redis/redis': 'redis', 'github.com/gomodule/redigo': 'redis',
    'go.mongodb.org/mongo-driver': 'mongodb',
    'github.com/rabbitmq/amqp091-go': 'rabbitmq', 'github.com/streadway/amqp': 'rabbitmq',
    'github.com/aws/aws-sdk-go-v2/service/dynamodb': 'dynamodb', 'github.com/aws/aws-sdk-go-v2/service/sqs': 'sqs', 'github.com/aws/aws-sdk-go-v2/service/s3': 's3', 'github.com/minio/minio-go': 's3',
    'github.com/segmentio/kafka-go': 'kafka', 'github.com/confluentinc/confluent-kafka-go': 'kafka', 'github.com/IBM/sarama': 'kafka', 'github.com/Shopify/sarama': 'kafka',
    'github.com/nats-io/nats.go': 'nats',
    'go.temporal.io/sdk': 'temporal',
    'github.com/meilisearch/meilisearch-go': 'meilisearch', 'github.com/elastic/go-elasticsearch': 'elasticsearch', 'github.com/olivere/elastic': 'elasticsearch',
    'github.com/influxdata/influxdb-client-go': 'influxdb', 'github.com/influxdata/influxdb1-client': 'influxdb',
  },
  ruby: {
    pg: 'postgres',
    mysql2: 'mysql', trilogy: 'mysql',
    redis: 'redis', sidekiq: 'redis', resque: 'redis',
    mongoid: 'mongodb', mongo: 'mongodb',
    bunny: 'rabbitmq', sneakers: 'rabbitmq',
    'ruby-kafka': 'kafka', rdkafka: 'kafka', karafka: 'kafka',
    meilisearch: 'meilisearch', 'meilisearch-rails': 'meilisearch', 'elasticsearch-model': 'elasticsearch', 'elasticsearch-rails': 'elasticsearch',
    // The official clients on their own (an app calling the search or analytics server without a model layer).
    elasticsearch: 'elasticsearch', 'opensearch-ruby': 'elasticsearch', click_house: 'clickhouse', 'clickhouse-activerecord': 'clickhouse',
  },
  rust: {
    'tokio-postgres': 'postgres', postgres: 'postgres', 'deadpool-postgres': 'postgres',
    mysql: 'mysql', mysql_async: 'mysql',
    redis: 'redis', 'deadpool-redis': 'redis',
    mongodb: 'mongodb', lapin: 'rabbitmq', rdkafka: 'kafka',
    'meilisearch-sdk': 'meilisearch', elasticsearch: 'elasticsearch', influxdb2: 'influxdb',
  },
  java: {
    'org.postgresql:postgresql': 'postgres', 'io.quarkus:quarkus-jdbc-postgresql': 'postgres', 'io.quarkus:quarkus-reactive-pg-client': 'postgres',
    'com.mysql:mysql-connector-j': 'mysql', 'mysql:mysql-connector-java': 'mysql', 'org.mariadb.jdbc:mariadb-java-client': 'mysql', 'io.quarkus:quarkus-jdbc-mysql': 'mysql',
    'org.springframework.boot:spring-boot-starter-data-redis': 'redis', 'redis.clients:jedis': 'redis', 'io.lettuce:lettuce-core': 'redis', 'io.quarkus:quarkus-redis-client': 'redis',
    'org.redisson:redisson': 'redis', 'org.redisson:redisson-spring-boot-starter': 'redis',
    'org.springframework.boot:spring-boot-starter-data-mongodb': 'mongodb', 'org.mongodb:mongodb-driver-sync': 'mongodb', 'io.quarkus:quarkus-mongodb-client': 'mongodb',
    'org.springframework.boot:spring-boot-starter-amqp': 'rabbitmq', 'com.rabbitmq:amqp-client': 'rabbitmq',
    'org.springframework.kafka:spring-kafka': 'kafka', 'org.apache.kafka:kafka-clients': 'kafka', 'io.quarkus:quarkus-smallrye-reactive-messaging-kafka': 'kafka',
    'org.springframework.boot:spring-boot-starter-data-elasticsearch': 'elasticsearch', 'co.elastic.clients:elasticsearch-java': 'elasticsearch',
  },
  php: {
    'predis/predis': 'redis', 'mongodb/mongodb': 'mongodb', 'php-amqplib/php-amqplib': 'rabbitmq',
    'meilisearch/meilisearch-php': 'meilisearch', 'elasticsearch/elasticsearch': 'elasticsearch',
  },
  dotnet: {
    Npgsql: 'postgres', 'Npgsql.EntityFrameworkCore.PostgreSQL': 'postgres',
    MySqlConnector: 'mysql', 'MySql.Data': 'mysql', 'Pomelo.EntityFrameworkCore.MySql': 'mysql',
    'Microsoft.EntityFrameworkCore.SqlServer': 'sqlserver', 'Microsoft.Data.SqlClient': 'sqlserver',
    'StackExchange.Redis': 'redis', 'Microsoft.Extensions.Caching.StackExchangeRedis': 'redis',
    'MongoDB.Driver': 'mongodb', 'RabbitMQ.Client': 'rabbitmq', 'Confluent.Kafka': 'kafka',
    Meilisearch: 'meilisearch', 'Elastic.Clients.Elasticsearch': 'elasticsearch', NEST: 'elasticsearch',
  },
  elixir: {
    postgrex: 'postgres', myxql: 'mysql', redix: 'redis', mongodb_driver: 'mongodb', amqp: 'rabbitmq', broadway_rabbitmq: 'rabbitmq', brod: 'kafka', broadway_kafka: 'kafka', ex_aws_s3: 's3',
  },
};

const JOBS_BY_PACKAGE: Readonly<Record<Language, Table>> = {
  python: { celery: 'celery', rq: 'rq', dramatiq: 'dramatiq', huey: 'huey', arq: 'arq' },
  node: { bullmq: 'bullmq', bull: 'bull', 'bee-queue': 'bee-queue', agenda: 'agenda', 'pg-boss': 'pg-boss' },
  go: { 'github.com/hibiken/asynq': 'asynq', 'github.com/riverqueue/river': 'river' },
  ruby: { sidekiq: 'sidekiq', resque: 'resque', good_job: 'good_job', delayed_job: 'delayed_job', delayed_job_active_record: 'delayed_job', solid_queue: 'solid_queue' },
  rust: { apalis: 'apalis' },
  java: { 'org.springframework.boot:spring-boot-starter-quartz': 'quartz', 'org.quartz-scheduler:quartz': 'quartz', 'org.jobrunr:jobrunr': 'jobrunr' },
  php: { 'laravel/horizon': 'horizon' },
  dotnet: { Hangfire: 'hangfire', 'Hangfire.Core': 'hangfire', 'Hangfire.AspNetCore': 'hangfire' },
  elixir: { oban: 'oban', exq: 'exq' },
};

/** Schedulers: jobs that run on a clock rather than from a queue. */
const SCHEDULERS_BY_PACKAGE: Readonly<Record<Language, Table>> = {
  python: { apscheduler: 'apscheduler', schedule: 'schedule', 'django-celery-beat': 'celery-beat', rocketry: 'rocketry' },
  node: { 'node-cron': 'node-cron', cron: 'cron', 'node-schedule': 'node-schedule', bree: 'bree', '@nestjs/schedule': 'nestjs-schedule' },
  go: { 'github.com/robfig/cron': 'robfig-cron', 'github.com/go-co-op/gocron': 'gocron' },
  ruby: { whenever: 'whenever', 'sidekiq-cron': 'sidekiq-cron', 'sidekiq-scheduler': 'sidekiq-scheduler', 'rufus-scheduler': 'rufus-scheduler' },
  rust: { 'tokio-cron-scheduler': 'tokio-cron-scheduler' },
  java: { 'org.springframework.boot:spring-boot-starter-quartz': 'quartz', 'org.quartz-scheduler:quartz': 'quartz', 'io.quarkus:quarkus-scheduler': 'quarkus-scheduler' },
  php: {},
  dotnet: { Quartz: 'quartz', 'Quartz.Extensions.Hosting': 'quartz' },
  elixir: { quantum: 'quantum' },
};

export function schedulersFromDependencies(language: Language, deps: readonly DeclaredDependency[]): Located<string>[] {
  return fromDependencies(SCHEDULERS_BY_PACKAGE, language, deps);
}

/** Every key a dependency can be looked up by: its name, extras (`celery[redis]`), Go path sans /vN. */
function lookupKeys(language: Language, dep: DeclaredDependency): string[] {
  const name = language === 'go' ? stripMajorVersion(dep.name) : dep.name;
  return [name, ...(dep.extras ?? []).map((e) => `${name}[${e}]`)];
}

function fromDependencies(table: Readonly<Record<Language, Table>>, language: Language, deps: readonly DeclaredDependency[]): Located<string>[] {
  const out: Located<string>[] = [];
  for (const dep of deps) {
    for (const key of lookupKeys(language, dep)) {
      const value = table[language][key];
      if (value) out.push({ value, source: dep.source });
    }
  }
  return out;
}

export function servicesFromDependencies(language: Language, deps: readonly DeclaredDependency[]): Located<string>[] {
  return fromDependencies(SERVICE_BY_PACKAGE, language, deps);
}

export function jobsFromDependencies(language: Language, deps: readonly DeclaredDependency[]): Located<string>[] {
  return fromDependencies(JOBS_BY_PACKAGE, language, deps);
}

/** Last path element of an image name → service (`bitnami/postgresql`, `postgis/postgis`, `mongo`). */
const SERVICE_BY_IMAGE: Table = {
  postgres: 'postgres', postgresql: 'postgres', postgis: 'postgres', timescaledb: 'postgres',
  mysql: 'mysql', 'mysql-server': 'mysql', mariadb: 'mysql', percona: 'mysql',
  redis: 'redis', 'redis-stack': 'redis', 'redis-stack-server': 'redis', valkey: 'redis', keydb: 'redis',
  mongo: 'mongodb', mongodb: 'mongodb', 'mongodb-community-server': 'mongodb',
  rabbitmq: 'rabbitmq',
  kafka: 'kafka', 'kafka-native': 'kafka', 'cp-kafka': 'kafka', 'cp-server': 'kafka', redpanda: 'kafka',
  // The server image only: SurrealDB's SDKs can also run the database embedded in the app's process.
  surrealdb: 'surrealdb',
  // Search, analytics and time-series servers and the NATS broker compose runs beside the app (`clickhouse/clickhouse-server`). Not memcached, a
  // cache the app runs without, nor Elasticsearch, which compose files often run for another store (Temporal's visibility).
  meilisearch: 'meilisearch', typesense: 'typesense', clickhouse: 'clickhouse', 'clickhouse-server': 'clickhouse', influxdb: 'influxdb', nats: 'nats',
};

/** Images whose last path element alone says nothing (`mssql/server`): looked up by their full name. */
const SERVICE_BY_FULL_IMAGE: Table = {
  'mssql/server': 'sqlserver', 'azure-sql-edge': 'sqlserver', 'mssql/rhel/server': 'sqlserver',
  'temporalio/auto-setup': 'temporal', 'temporalio/server': 'temporal',
};

/**
 * A last name segment `<product>-<store>` (`safeline-postgres`, a vendor's build of PostgreSQL): group 1 the store's image
 * name. Not a connector, sync or backup job named after the store it reads (`source-postgres`, `tap-mysql`, `backup-postgres`).
 */
const PRODUCT_STORE = /^(?!(?:source|destination|tap|target|backup|sync|export|import)-)[a-z0-9]+-([a-z][\w-]*)$/;

export function serviceOfImage(ref: string): string | undefined {
  const name = imageName(ref);
  // (Variables in the name, `safeline-postgres${ARCH_SUFFIX:-}`, pick a build of the same image.)
  const last = imageName(ref.replace(/\$\{[^}]*\}/g, '')).split('/').pop() ?? '';
  return SERVICE_BY_FULL_IMAGE[name] ?? SERVICE_BY_IMAGE[last] ?? SERVICE_BY_IMAGE[PRODUCT_STORE.exec(last)?.[1] ?? ''];
}

export function servicesFromCompose(compose: ComposeFacts | undefined): Located<string>[] {
  const out: Located<string>[] = [];
  for (const service of compose?.services ?? []) {
    if (optInProfileStore(service, compose?.services ?? [])) continue;
    const value = service.image ? serviceOfImage(service.image.value) : undefined;
    if (value && service.image) out.push({ value, source: service.image.source });
  }
  return [...out, ...objectStoresDependedOn(compose)];
}

/**
 * A store gated behind a profile of its own (`profiles: [postgres]`, `[redis]`) beside services that always run, none of
 * which depends on it: an alternative the developer may switch on, not what the app needs. A `default` profile always runs.
 */
function optInProfileStore(service: ComposeService, services: readonly ComposeService[]): boolean {
  const optIn = (s: ComposeService): boolean => !!s.profiles?.length && !s.profiles.includes('default');
  if (!optIn(service)) return false;
  const always = services.filter((s) => !optIn(s));
  return always.length > 0 && !always.some((s) => (s.dependsOn ?? []).includes(service.name));
}

/** A chart name with a store's topology suffix (`postgresql-ha`, `mongodb-replicaset`, `redis-cluster`, `mongodb-sharded`). */
const CHART_TOPOLOGY = /-(?:ha|cluster|replicaset|sharded)$/;

/** The items of a Chart.yaml's top-level `dependencies:` list: each item's lines, and the line number its `- ` starts on. */
function chartDependencyItems(text: string): { lines: string[]; line: number }[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^dependencies:\s*$/.test(l));
  const items: { lines: string[]; line: number }[] = [];
  for (let i = at + 1; at >= 0 && i < lines.length; i++) {
    const line = lines[i] ?? '';
    // The list ends at the next top-level key.
    if (/^[^\s#-]/.test(line)) break;
    if (/^\s*-\s/.test(line)) items.push({ lines: [line.replace(/^\s*-\s+/, '')], line: i + 1 });
    else items.at(-1)?.lines.push(line);
  }
  return items;
}

/** Whether the chart's values switch the dependency off through its `condition` (`postgresql.enabled` set to false). */
function conditionOff(values: unknown, condition: string | undefined): boolean {
  // Helm takes the first of comma-separated paths the values define.
  for (const path of condition?.split(',').map((c) => c.trim()) ?? []) {
    let at: unknown = values;
    for (const key of path.split('.')) at = at && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
    if (typeof at === 'boolean') return !at;
  }
  return false;
}

/**
 * Backing stores the app's own Helm chart installs as dependency charts (`dependencies: - name: postgresql`, Bitnami's
 * mongodb or redis): the chart deploys them beside the app, as compose runs a store's image. A dependency whose
 * `condition` the chart's values.yaml sets false (`postgresql.enabled: false`, use an external one) is left out.
 */
export function storesFromChartDependencies(snapshot: RepoSnapshot): Located<string>[] {
  const out: Located<string>[] = [];
  for (const dir of ownChartDirs(chartDirs(snapshot))) {
    const path = `${dir}Chart.yaml`;
    if (isTestOrVendored(path)) continue;
    const values = chartValues(snapshot, dir);
    for (const item of chartDependencyItems(snapshot.files.get(path) ?? '')) {
      const field = (key: string) => item.lines.map((l) => new RegExp(`^\\s*${key}:\\s*["']?([\\w.,-]+)`).exec(l)?.[1]).find((v) => v !== undefined);
      const name = field('name') ?? '';
      const store = SERVICE_BY_IMAGE[name] ?? SERVICE_BY_IMAGE[name.replace(CHART_TOPOLOGY, '')];
      if (store && !conditionOff(values, field('condition'))) out.push({ value: store, source: loc(path, item.line) });
    }
  }
  return out;
}

/** S3-compatible object-store servers by the last element of their image name (`minio/minio`, `bitnami/minio`). */
const OBJECT_STORE_IMAGE = /^minio$/;
const isObjectStoreImage = (ref: string | undefined): boolean => ref !== undefined && OBJECT_STORE_IMAGE.test(imageName(ref).split('/').pop() ?? '');

/**
 * An S3-compatible server compose runs is the app's bucket when a service of the file that is neither a store
 * nor a bucket tool waits for it (`depends_on: [minio]`); one nothing depends on is a test or dev helper.
 */
function objectStoresDependedOn(compose: ComposeFacts | undefined): Located<string>[] {
  const services = compose?.services ?? [];
  const stores = services.filter((s) => isObjectStoreImage(s.image?.value));
  const client = (s: (typeof services)[number]) => !isObjectStoreImage(s.image?.value) && !/\/mc$|^mc$/.test(imageName(s.image?.value ?? '')) && !(s.image && serviceOfImage(s.image.value));
  return stores.filter((store) => services.some((s) => client(s) && (s.dependsOn ?? []).includes(store.name))).map((store) => ({ value: 's3', source: store.image?.source ?? store.source }));
}

/** A compose service's image line left commented out (`#     image: rabbitmq:3-management-alpine`). */
const COMMENTED_IMAGE = /^[ \t]*#[ \t]*image:[ \t]*["']?([^\s"'#]+)/gm;

/**
 * Stores the compose file the deployment runs offers only as commented-out services (`# rabbitmq:` /
 * `#     image: rabbitmq:3`): when it runs no service of them, the file's author left them off, so a client library
 * naming them is an opt-in backend (an async import queue), not a store the deployment needs.
 */
export function storesTheComposeCommentsOut(snapshot: RepoSnapshot, compose: ComposeFacts | undefined): Map<string, { name: string; source: string }> {
  const out = new Map<string, { name: string; source: string }>();
  if (!compose) return out;
  const text = snapshot.files.get(compose.path) ?? '';
  // (Whether compose also runs the store is the caller's check, against the stores it computed once.)
  for (const m of text.matchAll(COMMENTED_IMAGE)) {
    const store = serviceOfImage(m[1] ?? '');
    if (store && !out.has(store)) out.set(store, { name: `${store} service commented out in ${compose.path}`, source: loc(compose.path, lineAt(text, m.index)) });
  }
  return out;
}

/** Engine names app config files use (knex/typeorm/sequelize clients and dialects). */
const CONFIG_ENGINES: Table = { postgres: 'postgres', postgresql: 'postgres', pg: 'postgres', mysql: 'mysql', mysql2: 'mysql', mariadb: 'mysql', mongodb: 'mongodb', mssql: 'sqlserver' };

/** Database settings that name the engine even when the driver hides behind an ORM. */
const CONFIG_RULES: readonly { file: RegExp; pattern: RegExp; services: Table; read?: boolean; shadowedByDotEnv?: boolean; envBranches?: boolean }[] = [
  // prisma/schema.prisma: datasource provider
  { file: /(^|\/)schema\.prisma$/, pattern: /provider\s*=\s*"(postgresql|postgres|mysql|mongodb|cockroachdb)"/, services: { postgresql: 'postgres', postgres: 'postgres', cockroachdb: 'postgres', mysql: 'mysql', mongodb: 'mongodb' } },
  // Django settings: DATABASES ENGINE (not a sample settings module to copy, `settings/local_sample.py`, as `.example.py` is not)
  { file: /(^|\/)settings(\/(?!\w*_(?:sample|example)\.py$)\w+)?\.py$/, pattern: /django\.db\.backends\.(postgresql|mysql)/, services: { postgresql: 'postgres', mysql: 'mysql' }, envBranches: true },
  // Rails config/database.yml adapter
  { file: /^config\/database\.yml$/, pattern: /adapter:\s*(postgresql|postgis|mysql2|trilogy)/, services: { postgresql: 'postgres', postgis: 'postgres', mysql2: 'mysql', trilogy: 'mysql' } },
  // …or the template an install copies to it (config/database.yml.example): its first uncommented adapter is the default setup
  { file: /^config\/database\.yml\.(?:example|sample|template|dist)$/, pattern: /^[ \t]+adapter:[ \t]*(postgresql|postgis|mysql2|trilogy)\b/m, services: { postgresql: 'postgres', postgis: 'postgres', mysql2: 'mysql', trilogy: 'mysql' } },
  // Spring Boot / Quarkus: spring.datasource.url=jdbc:postgresql://…
  { file: JVM_CONFIG_FILE, pattern: /jdbc:(postgresql|mysql|mariadb)/, services: { postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql' } },
  // Laravel's env template (.env.example, or the one its Docker setup copies: .env.docker …): DB_CONNECTION=pgsql
  // (a committed .env that sets DB_CONNECTION itself is what the app loads: the template's choice is then boilerplate)
  { file: /^\.env(?:\.(?:example|sample|dist|docker|production))?$/, pattern: /^DB_CONNECTION=["']?(pgsql|mysql|mariadb)\b/m, services: { pgsql: 'postgres', mysql: 'mysql', mariadb: 'mysql' }, shadowedByDotEnv: true },
  // …and its default filesystem disk: FILESYSTEM_DISK=s3 keeps the app's files in a bucket (FILESYSTEM_CLOUD only names an optional one)
  { file: /^\.env\.(?:example|sample|dist|docker|production)$/, pattern: /^FILESYSTEM_(?:DISK|DRIVER)=["']?(s3)\b/m, services: { s3: 's3' } },
  // Django's env template (.env.example, .env_sample) choosing django-storages' S3 backend as the default file storage: uploads live in a bucket
  { file: /^\.env[._](?:example|sample|dist|docker|production)$/, pattern: /^(?:DJANGO_)?DEFAULT_FILE_STORAGE[ \t]*=[ \t]*["']?storages\.backends\.(s3)(?:boto3)?\.S3(?:Boto3)?Storage\b/m, services: { s3: 's3' } },
  // CloudFormation / SAM resources the app's functions use
  { file: /(^|\/)(?:template|sam|serverless|stack)[\w.-]*\.(?:ya?ml|json)$/, pattern: /AWS::(DynamoDB::Table|SQS::Queue)\b/, services: { 'DynamoDB::Table': 'dynamodb', 'SQS::Queue': 'sqs' } },
  // Serverless Framework: a function triggered by an SQS queue
  { file: /(^|\/)serverless\.ya?ml$/, pattern: /^\s*-\s*(sqs):/m, services: { sqs: 'sqs' } },
  // Serverless Framework with Lift: a `type: queue` construct is an SQS queue and its worker
  { file: /(^|\/)serverless\.ya?ml$/, pattern: /^\s+type:\s*(queue)\s*$/m, services: { queue: 'sqs' } },
  // sqlx names its database through Cargo features (inline or over several lines of a `features = [...]` table)
  { file: /(^|\/)Cargo\.toml$/, pattern: /^sqlx\b[^}]*?"(postgres|mysql)"/m, services: { postgres: 'postgres', mysql: 'mysql' } },
  // actix-session / tower-sessions keep sessions in Redis through a Cargo feature
  { file: /(^|\/)Cargo\.toml$/, pattern: /^(?:actix-session|tower-sessions-redis-store|axum-sessions)\b[^}\n]*"(redis)[\w-]*"/m, services: { redis: 'redis' } },
  // DATABASE_URL / REDIS_URL in a committed env file names the server the app connects to
  // (only when something reads that variable: a template copied from elsewhere names nothing the app uses)
  { file: /(^|\/)\.env(?:\.example|\.sample|\.dist|\.template)?$/, pattern: /^(DATABASE_URL|DB_URL)\s*=\s*["']?(postgres|postgresql|mysql|mariadb|mongodb(?:\+srv)?)(?=:\/\/)/m, services: { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql', mongodb: 'mongodb', 'mongodb+srv': 'mongodb' }, read: true },
  // An app's own config file naming its database engine: config.yml `db:\n  type: postgres`, config/default.json `"database": { "client": "pg" }`
  { file: /^(?:config|settings)(?:\.(?:sample|example|default|production))?\.ya?ml$|^config\/(?:default|production|config|settings)\.ya?ml$/, pattern: /^(?:db|database):[ \t]*\r?\n(?:[ \t][^\n]*\n)*?[ \t]+(?:type|client|dialect|driver|adapter|engine):[ \t]*["']?(postgres|postgresql|pg|mysql|mysql2|mariadb|mongodb|mssql)\b/m, services: CONFIG_ENGINES },
  { file: /^(?:config|settings)(?:\.(?:sample|example|default|production))?\.json$|^config\/(?:default|production|config|settings)\.json$/, pattern: /"(?:db|database)"\s*:\s*\{[^{}]*?"(?:type|client|dialect|driver|adapter|engine)"\s*:\s*"(postgres|postgresql|pg|mysql|mysql2|mariadb|mongodb|mssql)"/, services: CONFIG_ENGINES },
  // …or its INI config (`conf/app.ini`): a `[database]` section whose type/driver key names a server engine
  { file: /^(?:(?:conf|config|configs|etc)\/)?[\w-]+\.ini$/, pattern: /^\[(?:database|db)\][ \t]*\r?\n(?:(?!\[)[^\n]*\n)*?[ \t]*(?:db_?)?(?:type|driver|dialect|adapter|engine)[ \t]*=[ \t]*["']?(postgres|postgresql|pg|mysql|mariadb|mongodb|mssql)\b/im, services: CONFIG_ENGINES },
  // Phoenix/Ecto: use Ecto.Repo, adapter: Ecto.Adapters.Postgres
  { file: /(^|\/)repo\.ex$/, pattern: /Ecto\.Adapters\.(Postgres|MyXQL)/, services: { Postgres: 'postgres', MyXQL: 'mysql' } },
];

const ENV_OR_DOC = /(?:^|\/)(?:\.env[\w.-]*|[\w.-]+\.env|[^/]+\.(?:md|rst|txt|adoc))$/;

const MANIFEST_FILE = /(?:^|\/)(?:Cargo\.toml|requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|package\.json|Gemfile|go\.mod|mix\.exs|composer\.json)$/;
/** Libraries that read DATABASE_URL themselves (sqlx macros, diesel, dj-database-url, django-environ, Rails, ORMs). */
const READS_DATABASE_URL = /["'\s](?:sqlx|diesel|sea-orm|dj-database-url|dj_database_url|django-environ|environs|rails|activerecord|prisma|@prisma\/client|sequelize|typeorm|knex|drizzle-orm|gorm\.io\/gorm|ecto_sql)["'\s=~<>@[]/;

/** Whether something reads the variable: a file other than an env file or a document names it, or a library that reads it is a dependency. */
function readElsewhere(snapshot: RepoSnapshot, variable: string): boolean {
  const name = new RegExp(`\\b${variable}\\b`);
  for (const [path, text] of snapshot.files) {
    if (MANIFEST_FILE.test(path) ? READS_DATABASE_URL.test(text) || name.test(text) : !ENV_OR_DOC.test(path) && name.test(text)) return true;
  }
  return false;
}

/** A committed root `.env` that picks the database connection itself (`DB_CONNECTION=sqlite` in the release's .env). */
const DOT_ENV_CONNECTION = /^DB_CONNECTION\s*=\s*["']?\w/m;
/** The compose file's environment picking it (`DB_CONNECTION: pgsql`, `- DB_CONNECTION=mysql`, `${DB_CONNECTION:-pgsql}`). */
const COMPOSE_CONNECTION = /^[ \t]*-?[ \t]*["']?DB_CONNECTION["']?[ \t]*[:=][ \t]*["']?(?:\$\{DB_CONNECTION:?-)?(pgsql|mysql|mariadb|sqlite)\b/m;

/**
 * `compose`: the compose file the deployment runs. Where its environment sets DB_CONNECTION, that is the
 * connection the app gets, and the env template's is only the default it overrides.
 */
export function servicesFromConfig(snapshot: RepoSnapshot, paths: readonly string[], compose?: ComposeFacts): Located<string>[] {
  const out: Located<string>[] = [];
  const composeText = compose ? (snapshot.files.get(compose.path) ?? '') : '';
  const composeConnection = COMPOSE_CONNECTION.exec(composeText);
  const dotEnvConnects = DOT_ENV_CONNECTION.test(snapshot.files.get('.env') ?? '');
  if (compose && composeConnection) {
    const value = ({ pgsql: 'postgres', mysql: 'mysql', mariadb: 'mysql' } as Table)[composeConnection[1] ?? ''];
    if (value) out.push({ value, source: loc(compose.path, lineAt(composeText, composeConnection.index)) });
  }
  // (A test's or an example's config configures the test, not the app: `jdbc-mysql/src/test/resources/application-test.yml`.)
  for (const path of paths.filter((p) => !isTestOrVendored(p))) {
    for (const rule of CONFIG_RULES) {
      if (!rule.file.test(path) || (rule.shadowedByDotEnv && (composeConnection || dotEnvConnects) && path !== '.env')) continue;
      const text = snapshot.files.get(path) ?? '';
      // Settings branching on an engine name the env template sets: the branch it selects, not the first one written.
      const chosen = rule.envBranches ? engineTheEnvSelects(snapshot, text) : undefined;
      const selected = chosen ? rule.services[chosen.value] : undefined;
      if (chosen && selected) {
        out.push({ value: selected, source: chosen.source });
        continue;
      }
      const m = rule.pattern.exec(text);
      // A `read` rule captures the variable first, then the engine; the variable must be read somewhere else.
      const engine = rule.read ? m?.[2] : m?.[1];
      const value = engine ? rule.services[engine] : undefined;
      if (rule.read && m?.[1] && !readElsewhere(snapshot, m[1])) continue;
      if (value && m) out.push({ value, source: loc(path, findLine(text, m[0])) });
    }
  }
  return out;
}

/** Env templates an install copies to `.env` (`.env.example`, `.env_sample`). */
const ENV_TEMPLATE = /^\.env[._](?:example|sample|dist|template)$/;
/** A settings variable read from the environment: `db_engine = os.environ.get('DB_ENGINE')`. */
const FROM_ENV = /^[ \t]*(\w+)[ \t]*=[ \t]*os\.environ\.get\([ \t]*["'](\w+)["']/gm;
/** A branch on that variable's value: `if db_engine == 'mysql':`, `elif db_engine == 'postgresql':`. */
const VALUE_BRANCH = /^[ \t]*(?:if|elif)[ \t]+(\w+)[ \t]*==[ \t]*["'](\w+)["'][ \t]*:/gm;

/**
 * The engine name a settings file's branches take from the env template: `db_engine = os.environ.get('DB_ENGINE')`, one
 * branch per engine (`if db_engine == 'mysql':` … `elif db_engine == 'postgresql':`), and `.env_sample` setting
 * DB_ENGINE=postgresql. The other branches are engines the app can be pointed at, not the one it is set up with.
 */
function engineTheEnvSelects(snapshot: RepoSnapshot, settings: string): Located<string> | undefined {
  const envOf = new Map([...settings.matchAll(FROM_ENV)].map((m) => [m[1] ?? '', m[2] ?? '']));
  const branches = [...settings.matchAll(VALUE_BRANCH)].filter((m) => envOf.has(m[1] ?? ''));
  const variable = branches[0]?.[1];
  const env = variable === undefined ? undefined : envOf.get(variable);
  if (env === undefined || branches.length < 2) return undefined;
  for (const path of [...snapshot.files.keys()].filter((p) => ENV_TEMPLATE.test(p)).sort(compare)) {
    const text = snapshot.files.get(path) ?? '';
    const m = new RegExp(`^${escapeRegExp(env)}[ \\t]*=[ \\t]*["']?(\\w+)`, 'm').exec(text);
    if (m?.[1] && branches.some((b) => b[1] === variable && b[2] === m[1])) return { value: m[1], source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

/** A Rust SQL crate's dependency entry up to its features list: inline (`sqlx = { version = "0.7", features = [`) or a table's (`features = [` under `[dependencies.sqlx]`). */
export const CARGO_SQL_CRATE_FEATURES = String.raw`(?<![^\n])(?:(?:diesel|sqlx|sea-orm)\s*=\s*\{[^}\n]*|\[(?:workspace\.)?dependencies\.(?:diesel|sqlx|sea-orm)\][ \t]*\r?\n(?:(?![ \t]*(?:\[|features\b))[^\n]*\n)*[ \t]*)features\s*=\s*\[`;
const CARGO_SQLITE_FEATURE = new RegExp(`${CARGO_SQL_CRATE_FEATURES}[^\\]]*"(?:sqlx-)?sqlite"`);
/** The manifest's runtime dependency tables (not `[dev-dependencies]` or `[build-dependencies]`), each from its header on. */
const CARGO_RUNTIME_TABLES = /^\[(?:workspace\.)?(?:target\.[^\]\n]+\.)?dependencies(?:\.[\w-]+)?\][^\n]*\n(?:(?!\[)[^\n]*\n)*(?:(?!\[)[^\n]+)?/gm;

/**
 * The embedded SQLite driver a Rust app switches on as a Cargo feature of its SQL crate (sqlx's `"sqlite"`, sea-orm's
 * `"sqlx-sqlite"`), not as a crate of its own; a feature only the tests' dependencies switch on does not count.
 */
export function cargoSqliteFeature(snapshot: RepoSnapshot): boolean {
  return [...snapshot.files].some(([path, text]) => /(?:^|\/)Cargo\.toml$/.test(path) && !isTestOrVendored(path) && [...text.matchAll(CARGO_RUNTIME_TABLES)].some((t) => CARGO_SQLITE_FEATURE.test(t[0])));
}

/** SQL servers an app may be pointed at; SQLite is their embedded alternative. */
const SQL_SERVERS = new Set(['postgres', 'mysql', 'sqlserver']);
/** Whether any of these stores is a SQL server (the engines a driver beside embedded SQLite may be the alternative to). */
export const namesSqlServer = (items: readonly Located<string>[]): boolean => items.some((s) => SQL_SERVERS.has(s.value));

/**
 * SQL servers that are options, not needs: an app with an embedded SQL driver and drivers for two or
 * more SQL servers lets its configuration pick the engine (gitea-style `--driver sqlite|mysql|postgres`),
 * so the servers named only by its dependencies, or a compose file offering several engines side by
 * side, are alternatives to its embedded default. A config file naming one, or compose running exactly
 * one the app is pointed at, is the deployment's choice and stays — unless the deployment's own
 * environment (the app's compose service, or its image's ENV that compose leaves alone) selects SQLite:
 * then that server is the variant's.
 */
export function optionalSqlServers(p: { embeddedSql: boolean; dependencies: readonly Located<string>[]; compose: readonly Located<string>[]; config: readonly Located<string>[]; perEngineConfigs?: boolean; sqliteConfigured?: boolean; serverUrlCommentedOut?: boolean; composeUnwired?: ReadonlySet<string>; deploymentSelectsSqlite?: boolean }): Set<string> {
  const engines = (items: readonly Located<string>[]) => new Set(items.map((s) => s.value).filter((v) => SQL_SERVERS.has(v)));
  // A driver a manifest switches on (sqlx's `"postgres"` Cargo feature) is a dependency, not the deployment's choice.
  const inManifest = (s: Located<string>): boolean => MANIFEST_FILE.test(s.source.replace(/:\d+$/, ''));
  const fromDependencies = engines([...p.dependencies, ...p.config.filter(inManifest)]);
  // The choice is left to config (per-engine configs, the app's config choosing SQLite, a server URL only
  // commented out in the env template): then even a single server driver is the alternative.
  // …or compose runs a server the app's service leaves commented out (sqlServersTheAppLeavesCommentedOut).
  const unwired = p.composeUnwired ?? new Set<string>();
  const choiceLeftToConfig = p.perEngineConfigs === true || p.sqliteConfigured === true || p.serverUrlCommentedOut === true || unwired.size > 0;
  if (!p.embeddedSql || (fromDependencies.size < 2 && !(choiceLeftToConfig && fromDependencies.size > 0))) return new Set();
  const chosen = engines(p.config.filter((s) => !inManifest(s)));
  const composed = engines(p.compose.filter((s) => !unwired.has(s.value)));
  if (composed.size === 1 && p.deploymentSelectsSqlite !== true) for (const e of composed) chosen.add(e);
  return new Set([...fromDependencies, ...composed, ...unwired].filter((e) => !chosen.has(e)));
}

/**
 * The app's own config file (the ones CONFIG_RULES read for a server engine, or the template an install copies from
 * example/config.yaml) and a database-engine key set to SQLite (`db_type: sqlite`, `db-type: "sqlite"`).
 */
const APP_CONFIG_FILE = /^(?:config|settings)(?:\.(?:sample|example|default|production))?\.(?:json|ya?ml|toml)$|^config\/(?:default|production|config|settings)\.(?:json|ya?ml|toml)$|^examples?\/config\.ya?ml$/;
// A TOML `[database]` table's engine key counts commented out too: a template documents its defaults that way (`#engine = "sqlite"`).
const SQLITE_ENGINE_KEY = /["']?(?:db|database)[_-]?(?:name|type|driver|dialect|engine|adapter|client)["']?[ \t]*:[ \t]*["']?(sqlite3?)\b|^(?:db|database):[ \t]*\r?\n(?:[ \t][^\n]*\n)*?[ \t]+(?:type|client|dialect|driver|adapter|engine):[ \t]*["']?(sqlite3?)\b|"(?:db|database)"\s*:\s*\{[^{}]*?"(?:type|client|dialect|driver|adapter|engine)"\s*:\s*"(sqlite3?)"|^\[(?:db|database)\][ \t]*\r?\n(?:(?!\[).*\r?\n)*?[ \t]*#?[ \t]*(?:type|client|dialect|driver|adapter|engine)[ \t]*=[ \t]*["']?(sqlite3?)\b/im;

/**
 * The app's own config file selecting SQLite as its database (`"db_name": "sqlite3"`, `db:\n  driver: sqlite`, `db-type: "sqlite"`,
 * `[database]\nengine = "sqlite"`):
 * the engine the shipped configuration runs on, so a server driver beside it is an alternative.
 */
export function configSelectsSqlite(snapshot: RepoSnapshot): Located<string> | undefined {
  for (const path of [...snapshot.files.keys()].filter((p) => APP_CONFIG_FILE.test(p)).sort()) {
    const text = snapshot.files.get(path) ?? '';
    const m = SQLITE_ENGINE_KEY.exec(text);
    if (m) return { value: 'sqlite', source: loc(path, findLine(text, m[0].split(/\r?\n/).pop() ?? m[0])) };
  }
  return undefined;
}

/**
 * Django settings modules: `settings.py`, `settings/<name>.py`, `local_settings.py`, and the copy a Dockerfile installs
 * under its own suffix (`local_settings.py.container`).
 */
export const DJANGO_SETTINGS_MODULE = /(?:^|\/)(?:\w+_)?settings(?:\/\w+)?\.py(?:\.\w+)?$/;
const DJANGO_SQLITE_ENGINE = /["']django\.db\.backends\.sqlite3["']/;
/** A demo, example, sample, sandbox or test project's folder (`testproject`, `example_project`, `demo-site`). */
const DEMO_PROJECT = /^(?:test|demo|example|sample|sandbox)[\w-]*$/i;
const DJANGO_SERVER_ENGINE = /django\.db\.backends\.(?:postgresql|mysql|oracle)|\bdj_database_url\b|\benv\.db(?:_url)?\(/;

/**
 * Django settings that configure SQLite as the database and name no server engine (nor read a DATABASE_URL with
 * dj-database-url / django-environ): the default database is the embedded one, so server drivers the manifest installs
 * (psycopg and mysqlclient side by side) are engines it can be pointed at, not the one it is set up with.
 */
export const djangoSettingsUseSqlite = perSnapshot((snapshot: RepoSnapshot): Located<string> | undefined => {
  const settings = [...snapshot.files.keys()].filter((p) => DJANGO_SETTINGS_MODULE.test(p)).sort(compare);
  // A test suite's settings (`tests/settings.py`, `test_settings.py`) run on SQLite whatever the app uses, and so do a
  // reusable app's demo or test project's (`testproject/testproject/settings/base.py`, `example_project/settings.py`).
  const appSettings = settings.filter((p) => !isTestOrVendored(p) && !/(?:^|\/)tests?_settings\.py/.test(p) && !p.split('/').some((d) => DEMO_PROJECT.test(d)));
  if (settings.some((p) => DJANGO_SERVER_ENGINE.test(snapshot.files.get(p) ?? ''))) return undefined;
  for (const path of appSettings) {
    const text = snapshot.files.get(path) ?? '';
    const m = DJANGO_SQLITE_ENGINE.exec(text);
    if (m) return { value: 'sqlite', source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
});

/** Distinct stores only drivers name past which the drivers read as integrations to choose among, not stores the app needs. */
const INTEGRATION_DRIVER_COUNT = 4;
/** A store's name in a deployment text (`REDIS_URL`, `postgres://`, `KAFKA_BROKERS`), for the stores SELF_HOSTED_STORE leaves out. */
const STORE_MENTION: Readonly<Record<string, RegExp>> = { s3: /\bs3\b|bucket/i, sqs: /\bsqs\b/i };

/**
 * Drivers for many backends (MinIO's notification targets, Centrifugo's brokers, soketi's app managers) that neither a
 * compose file, manifest or config nor the env templates and compose files mention: integrations an operator points the
 * app at, not stores it needs. Empty below INTEGRATION_DRIVER_COUNT such stores, where an unnamed driver is still the app's
 * store. `dependencies` are the drivers other rules have not already set aside.
 */
export function integrationDrivers(snapshot: RepoSnapshot, dependencies: readonly Located<string>[], named: readonly Located<string>[]): Located<string>[] {
  // (Most apps name fewer stores than that: no deployment file is read for them.)
  if (new Set(dependencies.filter((d) => !named.some((n) => n.value === d.value)).map((d) => d.value)).size < INTEGRATION_DRIVER_COUNT) return [];
  const texts = [...snapshot.files].filter(([path]) => !isTestOrVendored(path) && (ENV_FILE.test(path) || COMPOSE_FILE.test(path))).map(([, text]) => text);
  const mentioned = (store: string) => {
    const pattern = SELF_HOSTED_STORE[store] ?? STORE_MENTION[store] ?? new RegExp(String.raw`\b${escapeRegExp(store)}\b`, 'i');
    return texts.some((t) => pattern.test(t));
  };
  const onlyDrivers = dependencies.filter((d) => !named.some((n) => n.value === d.value) && !mentioned(d.value));
  return new Set(onlyDrivers.map((d) => d.value)).size >= INTEGRATION_DRIVER_COUNT ? onlyDrivers : [];
}

/** PDO opened with a literal DSN naming a server engine (`new \PDO('mysql:host=' . $host …)`): group 1 is the driver. */
const PHP_PDO_SERVER = /\bnew\s+\\?PDO\s*\(\s*["'](mysql|pgsql|sqlsrv):/g;
/**
 * …or a PDO DSN literal assigned before the call, naming its host (`$dsn = "mysql:host={$host};dbname=…"`). (Not `mysql:dbname=`
 * alone: a bundled database layer's per-engine handlers write those, one per engine; nor one in usage text.)
 */
const PHP_PDO_DSN = /=\s*["'](mysql|pgsql|sqlsrv):host=/g;
const PDO_ENGINES: Table = { mysql: 'mysql', pgsql: 'postgres', sqlsrv: 'sqlserver' };
/**
 * Folders of PHP that is not the app's running code: tests (any case), docs, examples, installers, and the folders of CI,
 * preview and local-development tools (`.ci/config-test.inc.php`, `.tugboat/settings.local.php`, `.ddev/`).
 */
const NOT_APP_PHP = /(?:^|\/)(?:tests?|docs?|examples?|samples?|install(?:er)?|\.ci|\.circleci|\.github|\.gitlab|\.tugboat|\.ddev|\.lando|\.devcontainer)\//i;
/** Top-level folders PHP apps bundle third-party libraries in. */
const BUNDLED_PHP = /^(?:lib|libs|third_party|thirdparty|external)\//i;

/** PDO opened with a server's DSN, and native extensions' connect calls, in a plain PHP app's own code: each engine at its first call. */
interface PhpConnects {
  pdo: ReadonlyMap<string, Located<string>>;
  native: ReadonlyMap<string, Located<string>>;
}

/**
 * The engines a plain PHP app's own code opens (not vendored, test, docs, example or installer files, not a bundled
 * library, not a comment line), through PDO and through native extensions, read in one walk of its PHP files.
 */
const phpConnects = perSnapshot((snapshot: RepoSnapshot): PhpConnects => {
  const pdo = new Map<string, Located<string>>();
  const native = new Map<string, Located<string>>();
  if (composerLibrary(snapshot.files.get('composer.json'))) return { pdo, native };
  // (Libraries bundled below the root are not the app's code: a package whose composer.json says `"type": "library"`, or a
  // top-level library folder, `lib/simplepie/`.)
  const packages = [...snapshot.files].filter(([p, t]) => p.endsWith('/composer.json') && composerLibrary(t)).map(([p]) => p.slice(0, -'composer.json'.length));
  const files = [...snapshot.files].filter(([p]) => p.endsWith('.php') && !isTestOrVendored(p) && !NOT_APP_PHP.test(p) && !BUNDLED_PHP.test(p) && !packages.some((d) => p.startsWith(d))).sort(([a], [b]) => compare(a, b));
  const scan = (text: string, path: string, patterns: readonly RegExp[], engines: Table, found: Map<string, Located<string>>): void => {
    for (const m of patterns.flatMap((pattern) => [...text.matchAll(pattern)])) {
      const before = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
      const value = engines[(m.slice(1).find((g) => g !== undefined) ?? '').toLowerCase()];
      if (/^\s*(?:\/\/|#|\*|\/\*)/.test(before) || value === undefined || found.has(value)) continue;
      found.set(value, { value, source: loc(path, lineAt(text, m.index)) });
    }
  };
  for (const [path, text] of files) {
    scan(text, path, [PHP_PDO_SERVER, PHP_PDO_DSN], PDO_ENGINES, pdo);
    scan(text, path, [PHP_NATIVE_CONNECT], NATIVE_ENGINES, native);
  }
  return { pdo, native };
});

/** The one engine found, when it is a server's (SQLite among them leaves the choice to config). */
function oneServerEngine(found: ReadonlyMap<string, Located<string>>): Located<string> | undefined {
  const [only, ...more] = [...found.values()];
  return more.length === 0 && only?.value !== 'sqlite' ? only : undefined;
}

/**
 * Plain PHP (no framework configuring the database) opening its database through PDO with a literal DSN prefix, in the
 * app's own code: the server it connects to, when the code opens one server engine only (an app offering mysql and
 * pgsql leaves the choice to its config).
 */
export function phpPdoServer(snapshot: RepoSnapshot): Located<string> | undefined {
  return oneServerEngine(phpConnects(snapshot).pdo);
}

/**
 * A native extension's connect call, as a function (not a method `->pg_connect(`, a variable `$mysqli_connect(` or a
 * definition `function pg_connect(`): mysqli's or the legacy mysql extension's (`mysqli_connect(`, `mysql_pconnect(`,
 * `new mysqli(`), PostgreSQL's (`pg_connect(`), SQL Server's (`sqlsrv_connect(`), or SQLite's own (`new SQLite3(`, a
 * PDO `sqlite:` DSN).
 */
const PHP_NATIVE_CONNECT = /(?<![\w$>:]|function\s)(?:(mysqli?)_(?:real_|p)?connect\s*\(|new\s+\\?(mysqli)\s*\(|(pg)_p?connect\s*\(|(sqlsrv)_connect\s*\(|new\s+\\?(sqlite3)\s*\(|new\s+\\?PDO\s*\(\s*["'](sqlite):)/gi;
const NATIVE_ENGINES: Table = { mysqli: 'mysql', mysql: 'mysql', pg: 'postgres', sqlsrv: 'sqlserver', sqlite3: 'sqlite', sqlite: 'sqlite' };

/**
 * Plain PHP whose own code connects through one SQL server's native extension (`mysqli_connect(…)`, `pg_connect(…)`):
 * that server, when its code connects to no other engine, natively or through PDO (SQLite included). (Code offering
 * two engines leaves the choice to its config.)
 */
export function phpNativeDriverServer(snapshot: RepoSnapshot): Located<string> | undefined {
  const { pdo, native } = phpConnects(snapshot);
  return oneServerEngine(new Map([...native, ...[...pdo].filter(([engine]) => !native.has(engine))]));
}

/**
 * A plain PHP app's config file or its template: `config.php`, `config_defaults.php`, `config.inc.php.sample`, `config.php-dist`,
 * `Settings.php` (`settings.example.php`), or any PHP file in a `config/` folder (`config/database.php`).
 */
const PHP_CONFIG_FILE = /(?:(?:^|\/)[\w.-]*config[\w.-]*|(?:^|\/)settings(?:[.-][\w.-]*)?|(?:^|\/)config\/[\w.-]+)\.php(?:[.-](?:sample|dist|example|default))?$/i;
/**
 * A database-type setting given an engine (`'db_vendor' => 'mysql'`, `$gDbType = 'mysql';`, `$CONFIG['dbtype'] = 'mysqli';`,
 * `define('DB_TYPE', 'pgsql');`, `'db_driver' => 'pdo_mysql'`, `'driver' => env('DB_DRIVER', 'pgsql')`): group 1 the engine.
 */
const PHP_DB_TYPE_SETTING = /^[ \t]*(?:\$?(?:\w+\[\s*)?['"]?(?:\w*?db_?(?:type|vendor|driver|engine)|driver)['"]?\s*\]?\s*(?:=>|=)|define\(\s*['"]\w*?DB_?(?:TYPE|VENDOR|DRIVER|ENGINE)['"]\s*,)\s*(?:(?:env|getenv)\(\s*['"]\w+['"]\s*,\s*)?['"](?:pdo_)?(mysqli?|mariadb|pgsql|postgres(?:ql)?|sqlite3?)['"]/gim;
/** …or a DSN setting naming the engine (`$config['db_dsnw'] = 'mysql://…'`, `'dsn' => 'pgsql:host=…'`). */
const PHP_DB_DSN_SETTING = /^[ \t]*\$?(?:\w+\[\s*)?['"]?\w{0,40}dsn\w{0,40}['"]?\s*\]?\s*(?:=>|=)\s*['"](mysqli?|mariadb|pgsql|postgres(?:ql)?|sqlite3?):/gim;
/** …or any setting given a database server's URL (`$database = 'mysql://user:pass@localhost/db';`). */
const PHP_DB_URL_SETTING = /^[ \t]*\$?(?:\w+\[\s*)?['"]?\w{1,40}['"]?\s*\]?\s*(?:=>|=)\s*['"](mysqli?|mariadb|pgsql|postgres(?:ql)?):\/\//gim;
/**
 * …or a `type`/`engine` entry in the config's database array (`'database' => [ … 'type' => 'mysql', … ]`), before the
 * array closes: group 1 the engine.
 */
const PHP_DB_ARRAY_TYPE = /^[ \t]*['"](?:database|db)['"][ \t]*=>[ \t]*(?:\[|array[ \t]*\()[ \t]*(?:\/\/[^\n]*)?\r?\n(?:[ \t]*[^ \t\r\n\])][^\n]*\n|[ \t]*\r?\n){0,40}?[ \t]+['"](?:type|engine)['"][ \t]*=>[ \t]*['"](?:pdo_)?(mysqli?|mariadb|pgsql|postgres(?:ql)?|sqlite3?)['"]/gim;
const PHP_DB_TYPES: Table = { mysql: 'mysql', mysqli: 'mysql', mariadb: 'mysql', pgsql: 'postgres', postgres: 'postgres', postgresql: 'postgres', sqlite: 'sqlite', sqlite3: 'sqlite' };
/** A block comment, blanked to its line breaks so line numbers hold. */
const PHP_BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;

/**
 * Plain PHP whose own config file (or the template an install copies) sets the database type to a server engine: the
 * server it runs on, when the settings name that one engine only (SQLite among them leaves the choice open; the other
 * choices sit in comments, the installer or docs). Never a Composer library's settings.
 */
export function phpConfigDatabaseType(snapshot: RepoSnapshot): Located<string> | undefined {
  if (composerLibrary(snapshot.files.get('composer.json'))) return undefined;
  const found = new Map<string, Located<string>>();
  const files = [...snapshot.files].filter(([p]) => PHP_CONFIG_FILE.test(p) && !isTestOrVendored(p) && !NOT_APP_PHP.test(p) && !BUNDLED_PHP.test(p)).sort(([a], [b]) => compare(a, b));
  for (const [path, raw] of files) {
    const text = raw.replace(PHP_BLOCK_COMMENT, (c) => c.replace(/[^\n]/g, ' '));
    for (const m of [...text.matchAll(PHP_DB_TYPE_SETTING), ...text.matchAll(PHP_DB_DSN_SETTING), ...text.matchAll(PHP_DB_URL_SETTING), ...text.matchAll(PHP_DB_ARRAY_TYPE)]) {
      const value = PHP_DB_TYPES[(m[1] ?? '').toLowerCase()];
      // (On the line naming the engine: an array's `'type' =>` entry sits lines below where the match starts.)
      if (value !== undefined && !found.has(value)) found.set(value, { value, source: loc(path, lineAt(text, m.index + m[0].lastIndexOf(m[1] ?? ''))) });
    }
  }
  return oneServerEngine(found);
}

/** PHP extensions a Composer project requires to reach a database (`"ext-pdo_mysql": "*"`), and the engine each speaks. */
const PHP_DATABASE_EXTENSIONS: Table = { 'ext-pdo_mysql': 'mysql', 'ext-mysqli': 'mysql', 'ext-pdo_pgsql': 'postgres', 'ext-pgsql': 'postgres', 'ext-pdo_sqlite': 'sqlite', 'ext-sqlite3': 'sqlite' };

/**
 * Plain PHP whose root composer.json requires the extension of one SQL server (`ext-pdo_mysql`, `ext-mysqli`): the
 * engine it is built to run on, when it requires no other engine's (SQLite's among them leaves the choice open).
 * Never a Composer library's.
 */
export function phpDatabaseExtension(snapshot: RepoSnapshot): Located<string> | undefined {
  const text = snapshot.files.get('composer.json') ?? '';
  if (composerLibrary(text)) return undefined;
  const engines = new Map<string, Located<string>>();
  // (Lines read from the `require` object on: the same extension under `suggest` earlier is not it.)
  const lines = jsonKeyLines(text, Math.max(0, text.search(/"require"\s*:/)));
  for (const name of Object.keys(asTable(jsonTable(text)?.require) ?? {})) {
    const value = PHP_DATABASE_EXTENSIONS[name];
    if (value !== undefined && !engines.has(value)) engines.set(value, { value, source: loc('composer.json', lines.get(name)) });
  }
  return oneServerEngine(engines);
}

/** `if config("DB_HOST", default=None):` … a server engine … `else:` … SQLite: settings choosing the server only when a variable is set. */
const DJANGO_ENGINE_BY_VARIABLE = /^if[ \t]+(?:config|env(?:\.\w+)?|os\.environ\.get|os\.getenv|getenv)\(\s*["'](\w+)["'][^\n]*:[ \t]*\r?\n((?:[ \t]+\S[^\n]*\n|[ \t]*\r?\n)+)else:[ \t]*\r?\n((?:[ \t]+\S[^\n]*(?:\n|$)|[ \t]*\r?\n)+)/gm;

/** Platform descriptors a deployment sets the app's variables in (a DigitalOcean app spec, Render, Heroku, Fly, Terraform, Helm values, manifests). */
const PLATFORM_DESCRIPTOR = /^\.do\/[^/]+\.ya?ml$|(?:^|\/)(?:app\.json|render\.ya?ml|heroku\.yml|fly\.toml|values[\w.-]*\.ya?ml|[^/]+\.tf)$|^(?:k8s|kubernetes|deploy|manifests)\/.*\.ya?ml$/;

/** The texts a deployment sets the app's variables in: the image's and the main compose file's, and the root env templates. */
export function deploymentTexts(snapshot: RepoSnapshot, paths: readonly (string | undefined)[]): string[] {
  const templates = [...snapshot.files.keys()].filter((p) => ROOT_ENV_TEMPLATE.test(p));
  return [...paths, ...templates].filter((p): p is string => p !== undefined).map((p) => snapshot.files.get(p) ?? '');
}

/** An assignment of the variable in an image, compose file or env template (`ENV DB_HOST=db`, `- DB_HOST=db`, `DB_HOST: db`); group 1 the value. */
const assignmentOf = (variable: string): RegExp => new RegExp(`^[ \t]*(?:-[ \t]*)?(?:ENV[ \t]+)?["']?${escapeRegExp(variable)}["']?[ \t]*[=: ][ \t]*["']?([^\\s"'#]+)`, 'gm');

/**
 * The deployment sets a variable: the image, the main compose file or a root env template assigns it a value
 * (`ENV DB_HOST=db`, `- DB_HOST=db`, `DB_HOST: db`), or a platform descriptor names it.
 */
function deploymentSetsVariable(snapshot: RepoSnapshot, deployTexts: readonly string[], variable: string, unlessValue?: RegExp): boolean {
  const sets = assignmentOf(variable);
  const named = new RegExp(`\\b${escapeRegExp(variable)}\\b`);
  const descriptors = [...snapshot.files].filter(([p]) => PLATFORM_DESCRIPTOR.test(p) && !isTestOrVendored(p)).map(([, t]) => t);
  // (A value the code treats as unset, `DB_TYPE=sqlite` for `!DB_TYPE || DB_TYPE === "sqlite"`, sets nothing.)
  return deployTexts.some((t) => [...t.matchAll(sets)].some((m) => !unlessValue?.test(m[1] ?? ''))) || descriptors.some((t) => named.test(t));
}

/** The image, the main compose file or a root env template sets the variable to exactly this value (`ENV HAVEN_DEPLOY="local"`). */
export function deploymentSetsVariableTo(deployTexts: readonly string[], variable: string, value: string): boolean {
  const sets = assignmentOf(variable);
  // (`${HAVEN_DEPLOY:-local}` sets it to its default.)
  return deployTexts.some((t) => [...t.matchAll(sets)].some((m) => withVariableDefaults(m[1] ?? '') === value));
}

/** A condition on an unset env variable opening a block: `} else if (!process.env.DB_TYPE || …) {`; group 1 is the variable. */
const NODE_UNSET_CONDITION = /\b(?:if|else\s+if)\s*\(\s*!\s*process\.env\.(\w+)\b[^\n]*\{[ \t]*$/;
/** An ORM's SQLite dialect: Sequelize's `dialect: 'sqlite'`, knex's `client: 'better-sqlite3'`. */
const NODE_SQLITE_DIALECT = /\b(?:dialect|client)\s*:\s*["'](?:sqlite3?|better-sqlite3)["']/;
/** Lines longer than this are bundled or minified code, not the app's database setup. */
const MAX_SOURCE_LINE = 500;

/**
 * Node code choosing SQLite in the block of a condition on an unset env variable (`} else if (!process.env.DB_TYPE || …) {`
 * and, within the next few lines of that block, `new Sequelize({ dialect: 'sqlite', … })`). Read line by line.
 */
export function nodeSqliteUnlessVariableSet(snapshot: RepoSnapshot, deployTexts: readonly string[]): Located<string> | undefined {
  for (const { path, text } of sourceFiles(snapshot, SOURCE_EXTENSIONS.node ?? [])) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const variable = line.length <= MAX_SOURCE_LINE ? NODE_UNSET_CONDITION.exec(line)?.[1] : undefined;
      if (!variable) continue;
      // The block's first lines, up to the line closing it.
      const block = lines.slice(i + 1, i + 8);
      const end = block.findIndex((l) => /^\s*\}/.test(l));
      const dialect = (end < 0 ? block : block.slice(0, end)).findIndex((l) => l.length <= MAX_SOURCE_LINE && NODE_SQLITE_DIALECT.test(l));
      if (dialect < 0 || deploymentSetsVariable(snapshot, deployTexts, variable, /sqlite/i)) continue;
      return { value: variable, source: loc(path, i + 2 + dialect) };
    }
  }
  return undefined;
}

/**
 * Django settings that configure a server engine only when a variable is set and SQLite otherwise, when neither the
 * image, the main compose file nor a root env template sets that variable, and no platform descriptor names it: what
 * the shipped deployment runs is SQLite (a compose variant setting it, `docker-compose.postgres.yml`, is the opt-in).
 * The value is the variable's name; the source is the SQLite engine's line.
 */
export function djangoSqliteUnlessVariableSet(snapshot: RepoSnapshot, deployTexts: readonly string[]): Located<string> | undefined {
  for (const path of [...snapshot.files.keys()].filter((p) => DJANGO_SETTINGS_MODULE.test(p) && !isTestOrVendored(p)).sort(compare)) {
    const text = snapshot.files.get(path) ?? '';
    for (const m of text.matchAll(DJANGO_ENGINE_BY_VARIABLE)) {
      const [, variable = '', server = '', otherwise = ''] = m;
      if (!DJANGO_SERVER_ENGINE.test(server) || !DJANGO_SQLITE_ENGINE.test(otherwise)) continue;
      if (deploymentSetsVariable(snapshot, deployTexts, variable)) continue;
      return { value: variable, source: loc(path, lineAt(text, (m.index ?? 0) + m[0].lastIndexOf(otherwise) + (DJANGO_SQLITE_ENGINE.exec(otherwise)?.index ?? 0))) };
    }
    // …or an engine setting read with SQLite as its default (`DB_ENGINE = os.environ.get("DB_ENGINE", "sqlite3")`) beside the
    // SQLite engine it selects, the server engines under other values.
    const byDefault = DJANGO_ENGINE_DEFAULT.exec(text);
    const sqlite = byDefault ? DJANGO_SQLITE_ENGINE.exec(text) : null;
    if (byDefault?.[1] && sqlite && DJANGO_SERVER_ENGINE.test(text) && !deploymentSetsVariable(snapshot, deployTexts, byDefault[1], /sqlite/i)) return { value: byDefault[1], source: loc(path, lineAt(text, sqlite.index)) };
  }
  return undefined;
}

/** An engine-choosing setting read from the environment with SQLite as its default: group 1 the variable. */
const DJANGO_ENGINE_DEFAULT = /^\w+[ \t]*=[ \t]*(?:os\.environ\.get|os\.getenv|getenv|env(?:\.str)?|config)\(\s*["'](\w*(?:ENGINE|DB_TYPE|DATABASE_TYPE|DB_BACKEND)\w*)["']\s*,\s*(?:default\s*=\s*)?["'](?:django\.db\.backends\.)?sqlite3?["']\s*\)/m;

/** A Go option naming a database (`db`, `database`, `datasource`, `dsn`, `DB_PATH`, `GITNESS_DATABASE_DATASOURCE`). */
const GO_DATABASE_OPTION = String.raw`"(?:[\w-]*[_-])?(?:db|database|datasource|dsn)(?:[_-][\w-]*)?"`;
/** A SQLite file name as a string literal's whole value (`"tg-spam.db"`, `"data/store.sqlite3"`). */
const SQLITE_FILE_VALUE = String.raw`"([\w./-]*\.(?:db|sqlite3?))"`;
/**
 * Go code giving its database option a SQLite file as the default: a struct tag (`long:"db" env:"DB" default:"tg-spam.db"`,
 * `envconfig:"X_DATABASE_DATASOURCE" default:"database.sqlite3"`) or a flag (`flag.String("db", "data/store.db", …)`,
 * `StringP("database", "d", "./app.db", …)`). Both are read within one line; each part is a bounded run, so it is linear.
 */
const GO_SQLITE_DEFAULT = new RegExp(
  String.raw`\b(?:long|env|envconfig|name|flag|yaml|mapstructure):${GO_DATABASE_OPTION}[^\n\`]{0,200}?\bdefault:${SQLITE_FILE_VALUE}` +
    String.raw`|\.String(?:Var)?P?\((?:&[\w.]+,[ \t]*)?${GO_DATABASE_OPTION},[ \t]*(?:"\w?",[ \t]*)?${SQLITE_FILE_VALUE}`,
  'i',
);

/**
 * The app's Go code defaults its database option to a SQLite file (`default:"tg-spam.db"` on the `--db` option): run as
 * shipped it writes that file, so a server driver beside the embedded one is what the option can be pointed at instead.
 */
export function codeDefaultsToSqliteFile(snapshot: RepoSnapshot): Located<string> | undefined {
  for (const { path, text } of sourceFiles(snapshot, SOURCE_EXTENSIONS.go ?? [])) {
    const m = GO_SQLITE_DEFAULT.exec(text);
    if (m) return { value: m[1] ?? m[2] ?? '', source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

/** `# DATABASE_URL="postgres://…"`, `#LNBITS_DATABASE_URL=mysql://…`: a server database URL left commented out; the variable. */
const COMMENTED_SERVER_URL = /^[ \t]*#[ \t]*(\w*DATABASE_URL)[ \t]*=[ \t]*["']?(?:postgres(?:ql)?|mysql|mariadb|cockroachdb)(?:\+\w+)?:\/\//gm;

/**
 * The root env template offers a server database only as a commented-out URL (`# DATABASE_URL=postgres://…`)
 * and sets that variable nowhere else in it: the server is an opt-in; the embedded database is the default.
 */
export function serverUrlCommentedOut(snapshot: RepoSnapshot): Located<string> | undefined {
  for (const path of [...snapshot.files.keys()].filter((p) => ROOT_ENV_TEMPLATE.test(p)).sort()) {
    const text = snapshot.files.get(path) ?? '';
    for (const m of text.matchAll(COMMENTED_SERVER_URL)) {
      const variable = m[1] ?? '';
      if (!new RegExp(`^[ \\t]*(?:export[ \\t]+)?${variable}[ \\t]*=`, 'm').test(text)) return { value: variable, source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}

/** An env template at the root; the one the app copies to `.env`. */
const ROOT_ENV_TEMPLATE = /^\.env(?:\.example|\.sample|\.dist|\.template)?$/;
const SELECTS_SQLITE = /^(?:DB_CONNECTION\s*=\s*["']?sqlite\b|DATABASE_URL\s*=\s*["']?sqlite:)/m;
const SETS_CONNECTION = /\b(?:DB_CONNECTION|DATABASE_URL|DB_HOST)\b\s*[:=]/;

/**
 * SQL servers only a compose file runs, when the env template selects the embedded engine
 * (`DB_CONNECTION=sqlite`, `DATABASE_URL=sqlite:…`) and the compose file sets no connection for the app
 * (a Sail scaffold's database next to an app configured for SQLite): nothing points the app at them.
 * The app's image choosing SQLite in an ENV counts as the template's choice.
 */
export function sqlServersTheEnvLeavesOut(snapshot: RepoSnapshot, compose: ComposeFacts | undefined, fromCompose: readonly Located<string>[], imageSqlite?: Located<string>): Located<string>[] {
  if (!compose || SETS_CONNECTION.test(snapshot.files.get(compose.path) ?? '')) return [];
  const templates = [...snapshot.files.keys()].filter((p) => ROOT_ENV_TEMPLATE.test(p)).sort();
  const template = templates.find((p) => SELECTS_SQLITE.test(snapshot.files.get(p) ?? ''));
  // …or the app's image selects it in an ENV (`DB_CLIENT="sqlite3"`).
  const source = template ? loc(template, findLine(snapshot.files.get(template) ?? '', SELECTS_SQLITE)) : imageSqlite?.source;
  if (!source) return [];
  // A compose file that runs no service of the app (nothing built here) beside an image on SQLite is a set of
  // development targets: its other stores are left out too, unless an env template names them.
  const appless = !template && compose.services.every((s) => !s.built);
  const leftOut = (v: string) => SQL_SERVERS.has(v) || (appless && SELF_HOSTED_STORE[v] !== undefined && !templates.some((p) => SELF_HOSTED_STORE[v]!.test(snapshot.files.get(p) ?? '')));
  return fromCompose.filter((s) => leftOut(s.value)).map((s) => ({ value: s.value, source }));
}

/** An `environment:` entry naming the datastore engine the app runs on (`SPICEDB_DATASTORE_ENGINE=cockroachdb`, `DB_TYPE=postgres`). */
const ENGINE_SETTING = /^\w*?(?:DATASTORE|DATABASE|DB)_?(?:ENGINE|TYPE|DRIVER|DIALECT)=["']?([\w-]+)["']?$/i;
/** Engine names as such a setting spells them, and the SQL server each is (CockroachDB speaks the Postgres protocol). */
const ENGINE_SERVER: Readonly<Record<string, string>> = { postgres: 'postgres', postgresql: 'postgres', pgsql: 'postgres', cockroachdb: 'postgres', cockroach: 'postgres', mysql: 'mysql', mariadb: 'mysql', sqlserver: 'sqlserver', mssql: 'sqlserver' };

/**
 * The SQL server the app's compose service selects by an engine setting (`SPICEDB_DATASTORE_ENGINE=cockroachdb`): an app
 * built with drivers for several servers runs on that one, so the others its dependencies name are options, not needs.
 * A setting naming no SQL server (`memory`) selects nothing here.
 */
export function sqlServerTheComposeSelects(app: ComposeService | undefined): Located<string> | undefined {
  for (const entry of app?.environment ?? []) {
    const engine = ENGINE_SETTING.exec(withVariableDefaults(entry.trim()))?.[1]?.toLowerCase();
    const server = engine === undefined ? undefined : ENGINE_SERVER[engine];
    if (server) return { value: server, source: app?.source ?? '' };
  }
  return undefined;
}

/** SQL servers only the app's dependencies name, other than the one its compose service selects: drivers it does not run on. */
export function sqlServersTheComposeEngineRulesOut(app: ComposeService | undefined, fromDependencies: readonly Located<string>[]): Located<string>[] {
  const chosen = sqlServerTheComposeSelects(app);
  return chosen ? fromDependencies.filter((s) => SQL_SERVERS.has(s.value) && s.value !== chosen.value) : [];
}

/**
 * SQL servers compose runs beside the one the app's configuration selects (LinkAce's compose runs MariaDB and Postgres;
 * its env templates set DB_CONNECTION=mysql): an engine matrix for development, not two databases the app needs. Only
 * when the configuration names exactly one SQL server, compose runs it too, no driver of the app names another, and no
 * other service waits on, links to or names the other engine's server.
 */
export function sqlServersTheConfigRulesOut(config: readonly Located<string>[], compose: ComposeFacts | undefined, fromCompose: readonly Located<string>[], dependencies: readonly Located<string>[]): Located<string>[] {
  const chosen = new Set(config.filter((s) => SQL_SERVERS.has(s.value) && !MANIFEST_FILE.test(fileOf(s.source))).map((s) => s.value));
  // (Compose running only another engine is the deployment's own choice against the template's; that stays.)
  if (!compose || chosen.size !== 1 || !fromCompose.some((s) => chosen.has(s.value))) return [];
  const driven = new Set(dependencies.map((s) => s.value));
  // A server another service waits on, links to or names in its environment is that service's database (keycloak-db), not an option.
  const referenced = (name: string) => compose.services.some((o) => o.name !== name && ((o.dependsOn ?? []).includes(name) || (o.links ?? []).some((l) => l.split(':')[0] === name) || (o.environment ?? []).some((e) => new RegExp(String.raw`(?:^|[^\w-])${escapeRegExp(name)}(?:[^\w-]|$)`).test(e.replace(/^[^=]*=/, '')))));
  const options = new Set<string>();
  const kept = new Set<string>();
  for (const svc of compose.services) {
    const engine = svc.image ? serviceOfImage(svc.image.value) : undefined;
    if (!engine || !SQL_SERVERS.has(engine) || chosen.has(engine) || driven.has(engine)) continue;
    (referenced(svc.name) ? kept : options).add(engine);
  }
  return fromCompose.filter((s) => options.has(s.value) && !kept.has(s.value));
}

/** A database setting's name (`DATABASE_URL`, `DB_HOST`, `POSTGRES_HOST`, `APP__POSTGRES_PASS`, a DSN, Spring's datasource). */
const DATABASE_SETTING_NAME = String.raw`\w*(?:DATABASE|DB|POSTGRES|PG|MYSQL|MARIADB|DSN|DATASOURCE)\w*`;
/** …as an `environment:` entry. */
const DATABASE_SETTING = new RegExp(`^${DATABASE_SETTING_NAME}=`, 'i');
/** …and as a line of a compose file left commented out (`#      APP__POSTGRES_HOST: db`, `# - DATABASE_URL=…`). */
const COMMENTED_DATABASE_SETTING = new RegExp(String.raw`^[ \t]*#[ \t]*(?:-[ \t]*)?["']?${DATABASE_SETTING_NAME}["']?[ \t]*[:=]`, 'im');

/** The lines of a compose service's block: after its key, up to the next line (not a comment) indented no deeper. */
function serviceBlock(text: string, service: ComposeService): string {
  const lines = text.split(/\r?\n/);
  const at = Number(/:(\d+)$/.exec(service.source)?.[1] ?? 0) - 1;
  const indent = /^[ \t]*/.exec(lines[at] ?? '')?.[0].length ?? 0;
  const body: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.trim() !== '' && !line.trimStart().startsWith('#') && (/^[ \t]*/.exec(line)?.[0].length ?? 0) <= indent) break;
    body.push(line);
  }
  return body.join('\n');
}

/**
 * SQL servers a compose file runs that the app's service is only commented-out wired to: its database settings are
 * left commented out in its block (`#    environment:` / `#      APP__POSTGRES_HOST: db`), and nothing built here
 * depends on or links to the server, loads an env file, or sets a database setting or the server's name in its
 * environment. Beside an embedded SQLite driver (the caller checks) the app then runs on SQLite: the server is
 * the opt-in engine, not the deployment's database.
 */
export function sqlServersTheAppLeavesCommentedOut(snapshot: RepoSnapshot, compose: ComposeFacts | undefined, app: ComposeService | undefined): Set<string> {
  const apps = (compose?.services ?? []).filter((s) => s === app || s.built);
  if (!compose || !app || !COMMENTED_DATABASE_SETTING.test(serviceBlock(snapshot.files.get(compose.path) ?? '', app))) return new Set();
  if (apps.some((s) => s.envFile || (s.environment ?? []).some((e) => DATABASE_SETTING.test(e)))) return new Set();
  const unwired = new Map<string, boolean>();
  for (const store of compose.services) {
    const value = store.image ? serviceOfImage(store.image.value) : undefined;
    if (!value || !SQL_SERVERS.has(value) || apps.includes(store)) continue;
    const named = new RegExp(`(?:^|[^\\w-])${escapeRegExp(store.name)}(?:[^\\w-]|$)`);
    const wired = apps.some((s) => (s.dependsOn ?? []).includes(store.name) || (s.links ?? []).includes(store.name) || (s.environment ?? []).some((e) => named.test(e.slice(e.indexOf('=') + 1))));
    unwired.set(value, (unwired.get(value) ?? true) && !wired);
  }
  return new Set([...unwired].filter(([, none]) => none).map(([value]) => value));
}

/**
 * An image ENV picking SQLite: `DB_CLIENT="sqlite3"`, `DATABASE_TYPE=sqlite`, `DATABASE_URL=sqlite:…`, or the same under the
 * app's prefix (`GITNESS_DATABASE_DRIVER sqlite3`, `FLAGR_DB_DBDRIVER=sqlite3`).
 */
export const IMAGE_SELECTS_SQLITE = /\b(?:(?:[A-Z0-9]+_)*(?:DB|DATABASE)_(?:DB)?(?:CLIENT|TYPE|DRIVER|ENGINE|DIALECT|CONNECTION|ADAPTER)[= ]["']?sqlite3?\b|DATABASE_URL[= ]["']?sqlite3?:)/;

/**
 * SQLite selected by the deployment's environment: the app's compose service, or the image's ENV when the
 * compose service sets no database setting of its own.
 */
export function deploymentSelectsSqlite(app: ComposeService | undefined, imageSqlite: Located<string> | undefined): Located<string> | undefined {
  return composeSelectsSqlite(app) ?? (imageSqlite && !(app?.environment ?? []).some((e) => DATABASE_SETTING.test(e)) ? imageSqlite : undefined);
}

/**
 * The app's compose service selecting SQLite in its environment (`DB_TYPE=sqlite`, `DB_DRIVER=${DB_DRIVER:-sqlite3}`: an
 * interpolation's default is what runs when the operator sets nothing), as an image ENV would.
 */
export function composeSelectsSqlite(app: ComposeService | undefined): Located<string> | undefined {
  return app?.environment?.some((e) => IMAGE_SELECTS_SQLITE.test(withVariableDefaults(e))) ? { value: 'sqlite', source: app.source } : undefined;
}

/** `ARG DB_TYPE=sqlite`: a build argument and its default. */
const ARG_DEFAULT = /^\s*ARG\s+(\w+)=["']?([\w.:/-]*)/i;
/** `$DB_TYPE`, `${DB_TYPE}`: a variable an ENV value takes. */
const ENV_REFERENCE = /\$\{?(\w+)\}?/g;

/**
 * The ENV instruction of the Dockerfile at `path` that selects SQLite as the app's database, if any. An ENV
 * that copies a build argument (`ARG DB_TYPE=sqlite` … `ENV DB_TYPE=$DB_TYPE`) selects that argument's
 * default: the image built without `--build-arg` runs on it.
 */
export function imageSelectsSqlite(snapshot: RepoSnapshot, path: string | undefined): Located<string> | undefined {
  const lines = (path === undefined ? '' : (snapshot.files.get(path) ?? '')).split(/\r?\n/);
  const args = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const arg = ARG_DEFAULT.exec(lines[i] ?? '');
    if (arg) args.set(arg[1] ?? '', arg[2] ?? '');
    if (!/^\s*ENV\s/i.test(lines[i] ?? '')) continue;
    // The instruction and its `\` continuation lines.
    for (let j = i; j < lines.length; j++) {
      const line = (lines[j] ?? '').replace(ENV_REFERENCE, (ref, name: string) => args.get(name) ?? ref);
      if (IMAGE_SELECTS_SQLITE.test(line)) return { value: 'sqlite', source: loc(path ?? '', j + 1) };
      if (!/\\\s*$/.test(lines[j] ?? '')) break;
    }
  }
  return undefined;
}

/** A Prisma schema's datasource engine (the generator's `provider = "prisma-client-js"` is not one). */
const PRISMA_ENGINE = /provider\s*=\s*"(sqlite|postgresql|postgres|mysql|cockroachdb|sqlserver|mongodb)"/;

/**
 * Prisma schemas kept one per engine (`prisma/sqlite/schema.prisma` beside `prisma/pgsql/schema.prisma`),
 * SQLite among them: which one the app generates is a deployment setting (`--schema ./prisma/$DB_TYPE/…`).
 * The paths of the server engines' schemas; empty unless there are two engines or more, SQLite one of them.
 */
export function perEngineServerSchemas(snapshot: RepoSnapshot): Set<string> {
  const engines = new Map<string, string>();
  for (const [path, text] of snapshot.files) {
    if (!/(?:^|\/)schema\.prisma$/.test(path) || isTestOrVendored(path)) continue;
    const engine = PRISMA_ENGINE.exec(text)?.[1];
    if (engine) engines.set(path, engine);
  }
  const kinds = new Set(engines.values());
  if (kinds.size < 2 || !kinds.has('sqlite')) return new Set();
  return new Set([...engines].filter(([, engine]) => engine !== 'sqlite').map(([path]) => path));
}

/** A database config kept per engine (`config/database.sqlite.yml` beside `config/database.mysql.yml`). */
const PER_ENGINE_DATABASE_CONFIG = /(?:^|\/)config\/database\.(sqlite3?|mysql|postgres(?:ql)?|pg|trilogy|mariadb)\.ya?ml$/;

/**
 * Whether the app ships one database config per engine, a SQLite one among them: which engine runs is
 * a deployment setting, as with drivers for several SQL servers beside the embedded one.
 */
export function perEngineDatabaseConfigs(snapshot: RepoSnapshot): boolean {
  const engines = [...snapshot.files.keys()].map((p) => PER_ENGINE_DATABASE_CONFIG.exec(p)?.[1]).filter((e): e is string => e !== undefined);
  return engines.length >= 2 && engines.some((e) => e.startsWith('sqlite'));
}

/** Stores a compose file could run beside the app; a managed cloud store (s3, dynamodb) never is one. */
const SELF_HOSTED_STORE: Readonly<Record<string, RegExp>> = {
  postgres: /postgres|\bpg(?:host|database|user)\b/i, mysql: /mysql|mariadb/i, sqlserver: /mssql|sqlserver/i, mongodb: /mongo/i,
  redis: /redis|valkey/i, rabbitmq: /rabbitmq|amqp/i, kafka: /kafka|redpanda/i, elasticsearch: /elasticsearch|opensearch/i,
  influxdb: /influx/i, clickhouse: /clickhouse/i, meilisearch: /meili/i, typesense: /typesense/i, nats: /(?:^|[^a-z])nats(?![a-z])/i,
};
const DOCKER_SOCKET = /docker\.sock$/;

/**
 * Self-hosted stores named only by a client library, when the compose file the repository ships runs
 * the app alone with its data in a volume (mounted by compose, or declared by the image it builds) and neither that file nor an env template mentions
 * them: the library is an option (a monitor probing redis, an alternative MariaDB beside SQLite), not a
 * store the deployment needs. Stores a config file names stay.
 */
export function storesTheComposeLeavesOut(snapshot: RepoSnapshot, compose: ComposeFacts | undefined, dependencies: readonly Located<string>[], config: readonly Located<string>[], imageVolumes: readonly Located<string>[] = []): Set<string> {
  const only = compose?.services.length === 1 ? compose.services[0] : undefined;
  if (!compose || !only || (only.image && serviceOfImage(only.image.value))) return new Set();
  // The data volume is compose's mount or, for the image compose builds, the image's own VOLUME.
  const imageVolume = only.built === true && imageVolumes.length > 0;
  if (!imageVolume && !only.volumes.some((v) => !DOCKER_SOCKET.test(v.value.source) && !DOCKER_SOCKET.test(v.value.target))) return new Set();
  const texts = [snapshot.files.get(compose.path) ?? '', ...[...snapshot.files].filter(([path]) => ENV_FILE.test(path)).map(([, text]) => text)];
  const named = new Set(config.map((s) => s.value));
  return new Set(dependencies.map((d) => d.value).filter((v) => SELF_HOSTED_STORE[v] && !named.has(v) && !texts.some((t) => SELF_HOSTED_STORE[v]!.test(t))));
}

/** A config file the image is built with (`COPY cmd/registry/config-dev.yml /etc/distribution/config.yml`). */
const IMAGE_CONFIG_FILE = /(?:^|\/)[\w.-]*(?:config|conf|settings)[\w.-]*\.(?:ya?ml|toml|json|ini)$/i;
/** A cache's or broker's name in an environment-variable-style identifier (`REDIS_URL`, `APP_REDIS_HOST`): group 1 is the word. */
const STORE_VARIABLE = /\b(?:[A-Z0-9]+_)*(REDIS|VALKEY|MONGO(?:DB)?|RABBITMQ|AMQP|KAFKA)(?:_[A-Z0-9]+)+\b|\b(?:[A-Z0-9]+_)+(REDIS|VALKEY|MONGO(?:DB)?|RABBITMQ|AMQP|KAFKA)\b/g;

/**
 * Caches and brokers (redis, mongodb, rabbitmq, kafka) named only by a client library, when the app's image is built with
 * its config file and neither that file, an env file, a compose file nor the code (an env-style name such as REDIS_URL)
 * mentions them: the shipped configuration runs without them (a registry's optional Redis blob-descriptor cache).
 */
export function storesTheImageConfigLeavesOut(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined, language: Language | undefined, dependencies: readonly Located<string>[], named: readonly Located<string>[]): Set<string> {
  const configs = (dockerfile?.copied ?? []).filter((c) => c.shipped && IMAGE_CONFIG_FILE.test(c.value)).map((c) => c.value.replace(/^\.?\//, '')).filter((p) => snapshot.files.has(p));
  const candidates = new Set(dependencies.map((d) => d.value).filter((v) => STORE_OF_VARIABLE.some(([, store]) => store === v) && !named.some((n) => n.value === v)));
  if (configs.length === 0 || candidates.size === 0) return new Set();
  const deployed = [...snapshot.files].filter(([path]) => !isTestOrVendored(path) && !DEV_SETUP_OR_DOCS.test(path));
  const texts = [...configs.map((p) => snapshot.files.get(p) ?? ''), ...deployed.filter(([path]) => ENV_FILE.test(path) || COMPOSE_FILE.test(path)).map(([, text]) => text)];
  const inCode = new Set<string>();
  for (const { text } of language ? sourceFiles(snapshot, SOURCE_EXTENSIONS[language] ?? []) : []) {
    for (const m of text.matchAll(STORE_VARIABLE)) {
      const store = STORE_OF_VARIABLE.find(([re]) => re.test(m[1] ?? m[2] ?? ''))?.[1];
      if (store) inCode.add(store);
    }
  }
  return new Set([...candidates].filter((v) => !inCode.has(v) && !texts.some((t) => SELF_HOSTED_STORE[v]!.test(t))));
}

/** A setting given a value (`FLAGR_RECORDER_ENABLED=false`, `X_ENABLED: "true"`, `ENV X_ENABLED 0`): group 1 the name, group 2 the value. */
const SETTING_VALUE = /\b([A-Z][A-Z0-9_]*)["']?(?:[ \t]*[=:][ \t]*|[ \t]+)["']?([A-Za-z0-9]+)/g;
/** Go's env struct tag with its default (`env:"FLAGR_RECORDER_ENABLED" envDefault:"false"`): group 1 the name, group 2 the default. */
const GO_ENV_DEFAULT = /\benv:"([A-Z][A-Z0-9_]*)(?:,[^"]*)?"[ \t]+envDefault:"([^"]*)"/g;
/** A feature's on/off setting, and the values that turn it off or on. */
const FEATURE_SWITCH = /_ENABLED?$/;
/** A test suite's own folder (`integration_tests/docker-compose.yml`): its compose file turns features on to test them. */
const TEST_HARNESS_DIR = /(?:^|\/)[\w.-]*[_-]tests?\//i;
const OFF = /^(?:false|0|no|off)$/i;
const ON = /^(?:true|1|yes|on)$/i;

/** Feature switches (`X_ENABLED`) the text sets to a value `value` matches. */
function switchesSet(text: string, pattern: RegExp, value: RegExp): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(pattern)) if (FEATURE_SWITCH.test(m[1] ?? '') && value.test(m[2] ?? '')) out.add(m[1] ?? '');
  return out;
}

/** The switch in `off` a store's setting sits under: a prefix of its name, up to the store's word, plus `_ENABLED`. */
function switchOver(variable: string, store: string, off: ReadonlySet<string>): string | undefined {
  const parts = variable.split('_');
  const at = parts.findIndex((p) => STORE_OF_VARIABLE.some(([re, s]) => s === store && re.test(p)));
  for (let i = 1; i <= at + 1; i++) {
    const prefix = parts.slice(0, i).join('_');
    const sw = [`${prefix}_ENABLED`, `${prefix}_ENABLE`].find((n) => off.has(n));
    if (sw) return sw;
  }
  return undefined;
}

/** A JVM app's cache-type setting and its value, or its `${ENV:default}`'s default: `cache.type = ${KK_CACHE_TYPE:jdk}`, `spring.cache.type: caffeine`, a YAML `cache:` block's `type:`. */
const JVM_CACHE_TYPE = /^[ \t]*(?:spring\.)?cache\.type[ \t]*[=:][ \t]*(?:\$\{\w+:)?["']?(\w+)|^[ \t]*cache:[ \t]*\r?\n(?:[ \t]*#.*\r?\n)*[ \t]+type:[ \t]*(?:\$\{\w+:)?["']?(\w+)/m;

/**
 * Redis that a JVM app only reaches through a client library, when its config picks another cache (`cache.type = jdk`,
 * `spring.cache.type: CAFFEINE`): the Redis client backs a cache type the deployment does not select.
 */
export function jvmCacheLeavesRedisOut(snapshot: RepoSnapshot, language: Language | undefined): Located<string> | undefined {
  if (language !== 'java') return undefined;
  for (const [path, text] of [...snapshot.files].filter(([p]) => JVM_CONFIG_FILE.test(p) && !isTestOrVendored(p)).sort(([a], [b]) => compare(a, b))) {
    const m = JVM_CACHE_TYPE.exec(text);
    const type = (m?.[1] ?? m?.[2])?.toLowerCase();
    // (The match ends on the line naming the type.)
    if (m && type && type !== 'redis') return { value: 'redis', source: loc(path, lineAt(text, m.index + m[0].length - 1)) };
  }
  return undefined;
}

/**
 * Caches and brokers (redis, mongodb, rabbitmq, kafka) whose every setting the code names sits under a feature switch
 * that is off by default: the app's image sets it false (`ENV FLAGR_RECORDER_ENABLED=false`) or Go's env default does
 * (`envDefault:"false"`) and the image does not turn it on, and no compose or env file turns it on. The store serves
 * an opt-in feature (a Kafka recorder of evaluations), not the deployment. Switch and store are linked by name:
 * `FLAGR_RECORDER_KAFKA_BROKERS` sits under `FLAGR_RECORDER_ENABLED`, `REDIS_URL` under `REDIS_ENABLED`.
 */
export function storesSwitchedOff(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined, language: Language | undefined, candidates: readonly Located<string>[]): Located<string>[] {
  const stores = new Set(candidates.map((c) => c.value).filter((v) => STORE_OF_VARIABLE.some(([, s]) => s === v)));
  if (stores.size === 0 || !language) return [];
  const dockerText = dockerfile ? (snapshot.files.get(dockerfile.path) ?? '') : '';
  const imageEnv = dockerText.split(/\r?\n/).filter((l) => /^\s*ENV\s/i.test(l)).map((l) => l.replace(/^\s*ENV\s+/i, '')).join('\n');
  const imageOff = switchesSet(imageEnv, SETTING_VALUE, OFF);
  const imageOn = switchesSet(imageEnv, SETTING_VALUE, ON);
  const code = sourceFiles(snapshot, SOURCE_EXTENSIONS[language] ?? []);
  const codeOff = new Set(code.flatMap((f) => [...switchesSet(f.text, GO_ENV_DEFAULT, OFF)]));
  const deployed = [...snapshot.files].filter(([path]) => (ENV_FILE.test(path) || COMPOSE_FILE.test(path)) && !isTestOrVendored(path) && !TEST_HARNESS_DIR.test(path));
  const turnedOn = new Set(deployed.flatMap(([, text]) => [...switchesSet(text, SETTING_VALUE, ON)]));
  const off = new Set([...imageOff, ...[...codeOff].filter((s) => !imageOn.has(s))].filter((s) => !turnedOn.has(s)));
  if (off.size === 0) return [];
  const settings = new Map<string, Set<string>>();
  for (const f of code) {
    for (const m of f.text.matchAll(STORE_VARIABLE)) {
      const store = STORE_OF_VARIABLE.find(([re]) => re.test(m[1] ?? m[2] ?? ''))?.[1];
      if (store && stores.has(store)) settings.set(store, (settings.get(store) ?? new Set()).add(m[0]));
    }
  }
  const out: Located<string>[] = [];
  for (const [store, names] of settings) {
    const switches = [...names].map((n) => switchOver(n, store, off));
    const sw = switches[0];
    if (!sw || switches.some((s) => s === undefined)) continue;
    const file = imageOff.has(sw) && dockerfile ? { path: dockerfile.path, text: dockerText } : code.find((f) => f.text.includes(`"${sw}"`));
    out.push({ value: store, source: file ? loc(file.path, findLine(file.text, sw)) : sw });
  }
  return out;
}

/**
 * A Go provider option defaulting to an in-process implementation (`envconfig:"GITNESS_LOCK_PROVIDER" default:"inmemory"`,
 * `long:"type" … default:"mem"`): group 1 the option's name. One line, bounded runs: linear.
 */
const GO_IN_MEMORY_PROVIDER = /\b(?:envconfig|env|long|name|yaml|mapstructure):"([\w-]*(?:provider|mode|type|backend|driver))"[^\n`]{0,200}?\bdefault:"(?:inmemory|in-memory|memory|mem)"/gi;
/** A Go option defaulting to Redis (`default:"redis"`, `default:"redis_pub_sub"`). */
const GO_REDIS_DEFAULT = /\bdefault:"redis[\w-]*"/i;
/** Files that configure the deployment: Dockerfiles, compose and env files, Helm values. */
const DEPLOY_CONFIG_FILE = /(?:^|\/)(?:[\w.-]*[Dd]ockerfile[\w.-]*|values[\w.-]*\.ya?ml)$/;

/**
 * Redis that only the Go client library names, when the code's lock, pub/sub, events or cache providers all default to
 * their in-process implementations (`default:"inmemory"`) and no Dockerfile, compose, env file or chart values mention
 * Redis: one instance runs without it; Redis is what a scaled-out setup switches those providers to.
 */
export function redisBehindInMemoryProviders(snapshot: RepoSnapshot, language: Language | undefined, candidates: readonly Located<string>[]): Located<string> | undefined {
  const redis = candidates.find((c) => c.value === 'redis');
  if (language !== 'go' || !redis) return undefined;
  const code = sourceFiles(snapshot, SOURCE_EXTENSIONS.go);
  if (code.some((f) => GO_REDIS_DEFAULT.test(f.text))) return undefined;
  const provider = code.map((f) => ({ f, m: [...f.text.matchAll(GO_IN_MEMORY_PROVIDER)][0] })).find((x) => x.m !== undefined);
  if (!provider?.m) return undefined;
  // (Hidden folders hold tooling: a devcontainer's Dockerfile installing Redis is the developer's box.)
  const inHiddenFolder = (path: string) => path.split('/').slice(0, -1).some((d) => d.startsWith('.'));
  const deployment = [...snapshot.files].filter(([path]) => (DEPLOY_CONFIG_FILE.test(path) || ENV_FILE.test(path) || COMPOSE_FILE.test(path)) && !isTestOrVendored(path) && !TEST_HARNESS_DIR.test(path) && !inHiddenFolder(path));
  if (deployment.some(([, text]) => /redis/i.test(text))) return undefined;
  return { value: 'redis', source: loc(provider.f.path, lineAt(provider.f.text, provider.m.index)) };
}

/** A line of an env or compose file giving the variable a value (`VAR=x`, `VAR: x`, `- VAR=x`; not commented out, not empty). */
const setting = (variable: string): RegExp => new RegExp(`^[ \\t]*(?:-[ \\t]*)?(?:export[ \\t]+)?["']?(?:[A-Z][A-Z0-9]*_)*${variable}["']?[ \\t]*[:=][ \\t]*["']?[^\\s"'#]`, 'm');
/** A search engine's address set (`MEILISEARCH_HOST=http://…`, `ELASTICSEARCH_HOSTS: es:9200`, `SPRING_ELASTICSEARCH_URIS=…`). */
const SEARCH_ADDRESS: Readonly<Record<string, RegExp>> = {
  meilisearch: setting('MEILI(?:SEARCH)?_(?:HOST|URL|ADDR(?:ESS)?)'),
  elasticsearch: setting('(?:ELASTICSEARCH|ELASTIC|ES|OPENSEARCH)_(?:HOSTS?|UR[IL]S?|ENDPOINT|ADDR(?:ESS)?)'),
};
/** Spring Boot's own setting of the address (`spring.elasticsearch.uris=…`, or `uris:` under `elasticsearch:`). */
const SPRING_SEARCH_ADDRESS: Readonly<Record<string, RegExp>> = {
  elasticsearch: /^[ \t]*spring\.elasticsearch\.uris[ \t]*[=:][ \t]*\S|^([ \t]*)elasticsearch:[ \t]*\r?\n\1[ \t]+uris:[ \t]*\S/m,
};

/**
 * Search engines named only by a client library when no env file, compose file or Spring Boot config sets
 * the engine's address: a search backend the app can be pointed at (Wagtail's Elasticsearch when its endpoint is set,
 * a notification target), not a store its deployment needs.
 */
export function unconfiguredSearchEngines(snapshot: RepoSnapshot, dependencies: readonly Located<string>[]): Set<string> {
  const engines = new Set(dependencies.map((d) => d.value).filter((v) => SEARCH_ADDRESS[v]));
  if (engines.size === 0) return engines;
  const deployed = [...snapshot.files].filter(([path]) => !DEV_SETUP_OR_DOCS.test(path) && !isTestOrVendored(path));
  const texts = deployed.filter(([path]) => ENV_FILE.test(path) || COMPOSE_FILE.test(path)).map(([, text]) => text);
  const springTexts = deployed.filter(([path]) => JVM_CONFIG_FILE.test(path)).map(([, text]) => text);
  const set = (e: string) => texts.some((t) => SEARCH_ADDRESS[e]!.test(t)) || (SPRING_SEARCH_ADDRESS[e] !== undefined && springTexts.some((t) => SPRING_SEARCH_ADDRESS[e]!.test(t)));
  return new Set([...engines].filter((e) => !set(e)));
}

/** An object store named in a deployment file: `AWS_S3_BUCKET=`, `S3_ENDPOINT:`, `s3://…`, `MINIO_ROOT_USER`, `R2_ACCESS_KEY_ID`. */
const OBJECT_STORE_NAMED = /\bs3\b|s3_|_s3|bucket|minio|\bR2_/i;
/** Deployment files beyond env and compose files: fly.toml, Heroku's app.json, render.yaml, Helm charts and k8s manifests. */
const PLATFORM_CONFIG_FILE = /(?:^|\/)(?:fly\.toml|app\.json|render\.ya?ml)$|(?:^|\/)(?:charts?|helm|k8s|kubernetes|deploy(?:ment)?s?)\/.*\.ya?ml$/;
/** The app's own config file (`config.yaml`, `conf/app.ini`, `example/config.yaml`): `storage-backend: "s3"` picks the bucket. */
const APP_SETTINGS_FILE = /^(?:(?:conf|config|configs|etc|examples?)\/)?[\w.-]*(?:config|conf|settings)[\w.-]*\.(?:ya?ml|toml|ini|json)$/;
/**
 * Code reading an object-store variable straight from the environment (`os.Getenv("S3_BUCKET")`, `process.env.AWS_S3_BUCKET`,
 * `os.environ["AWS_STORAGE_BUCKET_NAME"]`, `env("MINIO_URL")`, `System.get_env("BUCKET_NAME")`): the deployment must set it.
 */
const OBJECT_STORE_ENV_READ = /(?:process\.env\.|process\.env\[\s*["'`]|os\.(?:Getenv|LookupEnv)\(\s*"|os\.(?:getenv|environ\.get)\(\s*["']|os\.environ\[\s*["']|\bENV(?:\.fetch\(\s*|\[\s*)["']|System\.(?:getenv|get_env|fetch_env!?)\(\s*"|env::var\(\s*"|\benv(?:\.\w+)?\(\s*["'])\w*(?:S3|BUCKET|MINIO)\w*/;

/**
 * An object store (s3) named only by a client library when the repository ships its deployment's settings (an env,
 * compose or platform file) and none of them, nor the app's or Spring's config file, names one (no bucket, endpoint or S3 setting),
 * and no code reads such a setting from the environment: the app's storage backend is picked at run time (an admin
 * setting kept in its database, a backup destination added in its UI, a bucket used only when its optional secrets
 * are set), so the SDK is an option, not a store the deployment provides. Without such files the library is all there is to go by.
 */
export function unconfiguredObjectStore(snapshot: RepoSnapshot, dependencies: readonly Located<string>[]): boolean {
  if (!dependencies.some((d) => d.value === 's3')) return false;
  const deployed = [...snapshot.files].filter(([path]) => !DEV_SETUP_OR_DOCS.test(path) && !isTestOrVendored(path));
  const settings = deployed.filter(([path]) => ENV_FILE.test(path) || COMPOSE_FILE.test(path) || PLATFORM_CONFIG_FILE.test(path));
  if (settings.length === 0) return false;
  const config = [...settings, ...deployed.filter(([path]) => JVM_CONFIG_FILE.test(path) || APP_SETTINGS_FILE.test(path))];
  if (config.some(([, text]) => OBJECT_STORE_NAMED.test(text))) return false;
  const code = Object.values(SOURCE_EXTENSIONS).flatMap((exts) => sourceFiles(snapshot, exts));
  return !code.some((f) => OBJECT_STORE_ENV_READ.test(f.text));
}

/** A backend adapter's file name (`lib/document_stores/postgres.js`, `memcached.js`, `amazon-s3.js`): the store it is, or '' for one that is no store of the vocabulary. */
const ADAPTER_STORE: Table = {
  postgres: 'postgres', postgresql: 'postgres', pg: 'postgres', mysql: 'mysql', mariadb: 'mysql', redis: 'redis', mongo: 'mongodb', mongodb: 'mongodb',
  rabbitmq: 'rabbitmq', kafka: 'kafka', dynamodb: 'dynamodb', s3: 's3', 'amazon-s3': 's3',
  memcached: '', memcache: '', rethinkdb: '', file: '', filesystem: '', memory: '', sqlite: '',
};
/** A storage-type setting (`ENV STORAGE_TYPE=memcached`, `- APP_STORE_BACKEND: redis`): group 1 the value. */
const STORAGE_SELECTOR = /^[ \t]*(?:-[ \t]*|ENV[ \t]+)?["']?(?:[A-Z0-9]+_)*(?:STORAGE|STORE|BACKEND)_?(?:TYPE|DRIVER|BACKEND|ENGINE|PROVIDER)?["']?[ \t]*[=: \t][ \t]*["']?([\w.-]+)/gim;

/** Source folders holding three or more backend adapters named for what they store (`lib/document_stores/{postgres,redis,memcached}.js`): folder → file name → store. */
function adapterFolders(snapshot: RepoSnapshot): Map<string, Map<string, string>> {
  const folders = new Map<string, Map<string, string>>();
  for (const path of snapshot.files.keys()) {
    const m = /^(.*)\/([\w-]+)\.(?:js|mjs|cjs|ts|py|go|rb|php|java|kt|cs|rs|ex)$/.exec(path);
    const name = m?.[2]?.toLowerCase() ?? '';
    if (!m || !(name in ADAPTER_STORE) || isTestOrVendored(path)) continue;
    folders.set(m[1] ?? '', (folders.get(m[1] ?? '') ?? new Map<string, string>()).set(name, ADAPTER_STORE[name] ?? ''));
  }
  return new Map([...folders].filter(([, adapters]) => adapters.size >= 3));
}

/**
 * Stores the app has a pluggable adapter for (a folder of backend modules named postgres.js, redis.js, memcached.js …)
 * when the deployment's image ENV or compose environment selects another of those adapters by a storage-type setting
 * (`ENV STORAGE_TYPE=memcached`): the drivers of the unselected adapters are options, not stores the deployment needs.
 * `texts` are the app's Dockerfile and compose file.
 */
export function unselectedStoreAdapters(snapshot: RepoSnapshot, texts: readonly { path: string; text: string }[]): Located<string>[] {
  const folders = adapterFolders(snapshot);
  if (folders.size === 0) return [];
  for (const { path, text } of texts) {
    for (const m of text.matchAll(STORAGE_SELECTOR)) {
      // `kinto.core.storage.postgresql` names its adapter by its last segment.
      const value = (m[1] ?? '').toLowerCase().split('.').pop() ?? '';
      const adapters = [...folders.values()].find((a) => a.has(value));
      if (!adapters) continue;
      const selected = adapters.get(value);
      const source = loc(path, lineAt(text, m.index));
      return [...new Set([...adapters.values()].filter((store) => store !== '' && store !== selected))].map((store) => ({ value: store, source }));
    }
  }
  return [];
}

/** `os.getenv('REDIS_HOST', None)`, `os.environ.get("REDIS_URL", "")`: a store's address read with an explicit empty default. */
const OPT_IN_ADDRESS = /\bos\.(?:getenv|environ\.get)\(\s*["'](\w*(?:REDIS|VALKEY|MONGO|RABBITMQ|AMQP|KAFKA)\w*)["']\s*,\s*(?:None|""|'')\s*\)/g;
const STORE_OF_VARIABLE: readonly [RegExp, string][] = [[/REDIS|VALKEY/, 'redis'], [/MONGO/, 'mongodb'], [/RABBITMQ|AMQP/, 'rabbitmq'], [/KAFKA/, 'kafka']];
/**
 * Spring beans gated on a store's address being set: `@ConditionalOnExpression("'${spring.data.mongodb.uri:}' != ''")`
 * (an empty default) or `@ConditionalOnProperty("spring.data.mongodb.uri")`; without it the app runs on a fallback.
 */
const SPRING_OPT_IN_ADDRESS = /@ConditionalOn(?:Expression\(\s*"[^"]*\$\{((?:spring\.)?(?:data\.)?(?:mongodb|redis|rabbitmq|kafka)[\w.-]*):\}'?\s*!=|Property\([^)]*["']((?:spring\.)?(?:data\.)?(?:mongodb|redis|rabbitmq|kafka)[\w.-]*)["'])/g;

/**
 * Self-hosted stores named only by a client library whose address the Python code reads with an
 * explicit empty default (`REDIS_HOST = os.getenv('REDIS_HOST', None)`, then `if REDIS_HOST:`), or on whose
 * address Spring beans are conditional, when no compose file, env template or Spring config mentions the
 * store: an opt-in cache or feature, not a need.
 */
export function optInStores(snapshot: RepoSnapshot, dependencies: readonly Located<string>[], named: readonly Located<string>[]): Located<string>[] {
  const candidates = new Set(dependencies.map((d) => d.value).filter((v) => SELF_HOSTED_STORE[v] && !named.some((n) => n.value === v)));
  if (candidates.size === 0) return [];
  const declared = [...snapshot.files].filter(([path]) => ENV_FILE.test(path) || COMPOSE_FILE.test(path) || (JVM_CONFIG_FILE.test(path) && !isTestOrVendored(path))).map(([, text]) => text);
  const out: Located<string>[] = [];
  const reads = [...sourceFiles(snapshot, SOURCE_EXTENSIONS.python).map((file) => ({ file, pattern: OPT_IN_ADDRESS })), ...sourceFiles(snapshot, SOURCE_EXTENSIONS.java).map((file) => ({ file, pattern: SPRING_OPT_IN_ADDRESS }))];
  for (const { file, pattern } of reads) {
    for (const m of file.text.matchAll(pattern)) {
      const store = STORE_OF_VARIABLE.find(([re]) => re.test((m[1] ?? m[2] ?? '').toUpperCase()))?.[1];
      if (!store || !candidates.has(store) || declared.some((t) => SELF_HOSTED_STORE[store]!.test(t)) || out.some((o) => o.value === store)) continue;
      out.push({ value: store, source: loc(file.path, findLine(file.text, m[0])) });
    }
  }
  return out;
}

/** What configures a broker for a task queue: its URL scheme, its address variables, the queue's broker setting. */
const BROKER_SETTING: Readonly<Record<string, RegExp>> = {
  redis: /\brediss?:\/\/|\b(?:REDIS|VALKEY)_?(?:URL|URI|HOST|ADDR|SERVER)\b|\b(?:CELERY_)?BROKER(?:_URL)?\b|\bbroker_url\b/i,
  rabbitmq: /\bamqps?:\/\/|\bRABBITMQ\w*|\b(?:CELERY_)?BROKER(?:_URL)?\b|\bbroker_url\b/i,
};
const PYTHON_MANIFEST = /(?:^|\/)(?:requirements[\w.-]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|Pipfile(?:\.lock)?|poetry\.lock|uv\.lock)$/;
/** Development containers and documents describe a setup, not the deployment. */
const DEV_SETUP_OR_DOCS = /(?:^|\/)\.devcontainer\/|\.(?:md|rst|txt|adoc)$/;

/**
 * Brokers named only by a task queue's extra (`celery[redis]`) when nothing outside tests, dev containers
 * and documents configures one (no `redis://`, no REDIS_URL or broker setting): the queue is opt-in and
 * its tasks run in process until a broker is set (`CELERY_CONFIG = {}`). A client package or a compose
 * service naming the store keeps it.
 */
export function unconfiguredBrokerExtras(snapshot: RepoSnapshot, deps: readonly DeclaredDependency[]): Located<string>[] {
  const plain = new Set(servicesFromDependencies('python', deps.map((d) => ({ ...d, extras: [] }))).map((s) => s.value));
  const viaExtra = servicesFromDependencies('python', deps).filter((s) => BROKER_SETTING[s.value] && !plain.has(s.value));
  if (viaExtra.length === 0) return [];
  const texts = [...snapshot.files].filter(([path]) => !isTestOrVendored(path) && !DEV_SETUP_OR_DOCS.test(path) && !PYTHON_MANIFEST.test(path));
  return viaExtra.filter((s) => !texts.some(([, text]) => BROKER_SETTING[s.value]!.test(text)));
}

/** How .NET code configures each database provider (Entity Framework Core or a plain connection). */
const DOTNET_PROVIDER_CALL: Readonly<Record<string, RegExp>> = {
  sqlserver: /\bUseSqlServer\s*\(|\bnew\s+SqlConnection\s*\(|\bAddSqlServer\w*\s*\(/,
  postgres: /\bUseNpgsql\s*\(|\bNpgsql(?:Connection|DataSource)\b|\bAddNpgsql\w*\s*\(/,
  mysql: /\bUseMy[Ss]ql\s*\(|\bnew\s+MySqlConnection\s*\(|\bAddMySql\w*\s*\(/,
};
const DOTNET_ANY_PROVIDER = /\bUse(?:Sqlite|SqlServer|Npgsql|My[Ss]ql|InMemoryDatabase|Cosmos)\s*\(/;

/**
 * .NET provider packages the code never configures, when it does configure one (`UseSqlite("Data
 * Source=app.db")` beside a referenced but unused SqlServer provider): a package reference is not a use.
 */
export function unusedDotnetProviders(snapshot: RepoSnapshot, dependencies: readonly Located<string>[]): Set<string> {
  const code = sourceFiles(snapshot, SOURCE_EXTENSIONS.dotnet);
  if (!code.some((f) => DOTNET_ANY_PROVIDER.test(f.text))) return new Set();
  const unused = new Set<string>();
  for (const d of dependencies) {
    const call = DOTNET_PROVIDER_CALL[d.value];
    if (call && !code.some((f) => call.test(f.text))) unused.add(d.value);
  }
  return unused;
}
