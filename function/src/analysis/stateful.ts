// Backing services (databases, caches, brokers) and background-job systems an app needs,
// inferred from its dependencies, compose images and a few well-known config files.
import type { RepoSnapshot } from '../types.js';
import type { ComposeFacts } from './docker.js';
import { imageName } from './docker.js';
import { stripMajorVersion } from './manifests/go.js';
import type { DeclaredDependency, Language, Located } from './model.js';
import { findLine, loc } from './text.js';

type Table = Readonly<Record<string, string>>;

/** Driver/client package → service. ORMs (sequelize, typeorm, knex) are absent: they name no database. */
const SERVICE_BY_PACKAGE: Readonly<Record<Language, Table>> = {
  python: {
    psycopg: 'postgres', 'psycopg-binary': 'postgres', psycopg2: 'postgres', 'psycopg2-binary': 'postgres', asyncpg: 'postgres', pg8000: 'postgres',
    mysqlclient: 'mysql', pymysql: 'mysql', 'mysql-connector-python': 'mysql', aiomysql: 'mysql',
    redis: 'redis', aioredis: 'redis', 'django-redis': 'redis', rq: 'redis', 'celery[redis]': 'redis',
    pymongo: 'mongodb', motor: 'mongodb', mongoengine: 'mongodb',
    pika: 'rabbitmq', 'aio-pika': 'rabbitmq', 'celery[amqp]': 'rabbitmq',
    'kafka-python': 'kafka', 'confluent-kafka': 'kafka', aiokafka: 'kafka',
  },
  node: {
    pg: 'postgres', 'pg-promise': 'postgres', postgres: 'postgres', '@neondatabase/serverless': 'postgres',
    mysql: 'mysql', mysql2: 'mysql',
    redis: 'redis', ioredis: 'redis', '@redis/client': 'redis', bullmq: 'redis', bull: 'redis',
    mongodb: 'mongodb', mongoose: 'mongodb',
    amqplib: 'rabbitmq', 'amqp-connection-manager': 'rabbitmq',
    kafkajs: 'kafka', 'node-rdkafka': 'kafka',
  },
  go: {
    'github.com/lib/pq': 'postgres', 'github.com/jackc/pgx': 'postgres', 'gorm.io/driver/postgres': 'postgres',
    'github.com/go-sql-driver/mysql': 'mysql', 'gorm.io/driver/mysql': 'mysql',
    'github.com/redis/go-redis': 'redis', 'github.com/go-redis/redis': 'redis', 'github.com/gomodule/redigo': 'redis',
    'go.mongodb.org/mongo-driver': 'mongodb',
    'github.com/rabbitmq/amqp091-go': 'rabbitmq', 'github.com/streadway/amqp': 'rabbitmq',
    'github.com/segmentio/kafka-go': 'kafka', 'github.com/confluentinc/confluent-kafka-go': 'kafka', 'github.com/IBM/sarama': 'kafka', 'github.com/Shopify/sarama': 'kafka',
  },
  ruby: {
    pg: 'postgres',
    mysql2: 'mysql', trilogy: 'mysql',
    redis: 'redis', sidekiq: 'redis', resque: 'redis',
    mongoid: 'mongodb', mongo: 'mongodb',
    bunny: 'rabbitmq', sneakers: 'rabbitmq',
    'ruby-kafka': 'kafka', rdkafka: 'kafka', karafka: 'kafka',
  },
};

const JOBS_BY_PACKAGE: Readonly<Record<Language, Table>> = {
  python: { celery: 'celery', rq: 'rq', dramatiq: 'dramatiq', huey: 'huey', arq: 'arq' },
  node: { bullmq: 'bullmq', bull: 'bull', 'bee-queue': 'bee-queue', agenda: 'agenda', 'pg-boss': 'pg-boss' },
  go: { 'github.com/hibiken/asynq': 'asynq', 'github.com/riverqueue/river': 'river' },
  ruby: { sidekiq: 'sidekiq', resque: 'resque', good_job: 'good_job', delayed_job: 'delayed_job', delayed_job_active_record: 'delayed_job', solid_queue: 'solid_queue' },
};

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
  mysql: 'mysql', mariadb: 'mysql', percona: 'mysql',
  redis: 'redis', 'redis-stack': 'redis', 'redis-stack-server': 'redis', valkey: 'redis', keydb: 'redis',
  mongo: 'mongodb', mongodb: 'mongodb', 'mongodb-community-server': 'mongodb',
  rabbitmq: 'rabbitmq',
  kafka: 'kafka', 'cp-kafka': 'kafka', 'cp-server': 'kafka',
};

export function serviceOfImage(ref: string): string | undefined {
  return SERVICE_BY_IMAGE[imageName(ref).split('/').pop() ?? ''];
}

export function servicesFromCompose(compose: ComposeFacts | undefined): Located<string>[] {
  const out: Located<string>[] = [];
  for (const service of compose?.services ?? []) {
    const value = service.image ? serviceOfImage(service.image.value) : undefined;
    if (value && service.image) out.push({ value, source: service.image.source });
  }
  return out;
}

/** Database settings that name the engine even when the driver hides behind an ORM. */
const CONFIG_RULES: readonly { file: RegExp; pattern: RegExp; services: Table }[] = [
  // prisma/schema.prisma: datasource provider
  { file: /(^|\/)schema\.prisma$/, pattern: /provider\s*=\s*"(postgresql|postgres|mysql|mongodb|cockroachdb)"/, services: { postgresql: 'postgres', postgres: 'postgres', cockroachdb: 'postgres', mysql: 'mysql', mongodb: 'mongodb' } },
  // Django settings: DATABASES ENGINE
  { file: /(^|\/)settings(\/\w+)?\.py$/, pattern: /django\.db\.backends\.(postgresql|mysql)/, services: { postgresql: 'postgres', mysql: 'mysql' } },
  // Rails config/database.yml adapter
  { file: /^config\/database\.yml$/, pattern: /adapter:\s*(postgresql|postgis|mysql2|trilogy)/, services: { postgresql: 'postgres', postgis: 'postgres', mysql2: 'mysql', trilogy: 'mysql' } },
];

export function servicesFromConfig(snapshot: RepoSnapshot, paths: readonly string[]): Located<string>[] {
  const out: Located<string>[] = [];
  for (const path of paths) {
    for (const rule of CONFIG_RULES) {
      if (!rule.file.test(path)) continue;
      const text = snapshot.files.get(path) ?? '';
      const m = rule.pattern.exec(text);
      const value = m?.[1] ? rule.services[m[1]] : undefined;
      if (value && m) out.push({ value, source: loc(path, findLine(text, m[0])) });
    }
  }
  return out;
}
