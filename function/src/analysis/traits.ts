// What decides where an app can run, beyond its framework: state it keeps in the process or on local
// disk (it cannot be replicated), connections that outlive a request (not request-driven functions),
// and a handler or adapter that lets it run on a function platform. From dependencies first, then a
// few code and config patterns; each with its file:line.
import type { RepoSnapshot, Sourced } from '../types.js';
import { APP_MANIFEST, joinPath, type ComposeFacts, type ComposeService, type DockerfileFacts } from './docker.js';
import { holdsFiles, isTestOrVendored, JVM_CONFIG_FILE, NON_MAIN_RESOURCES, SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { compare } from './evidence.js';
import type { DeclaredDependency, Language, Located, ManifestFacts } from './model.js';
import { composeEnvFiles, DEPLOY_ENV_FILES, ENV_TEMPLATE_FILES } from './env-vars.js';
import { dirOf, findLine, lineAt, loc } from './text.js';
import { laravelUploadsOnLocalDisk } from './laravel-uploads.js';
import { uploadFileOnLocalDisk } from './python-uploads.js';
import { javaUploadToLocalFile } from './jvm-uploads.js';
import { dotnetWritesUnderAppRoot } from './dotnet-uploads.js';
import { phpUploadKeptOnDisk } from './php-uploads.js';
import { rubyAttachmentsOnDisk } from './ruby-attachments.js';
import { rubyDataFolder } from './ruby-data-folder.js';
import { springMemoryStore } from './jvm-memory-store.js';
import { nodeMemoryStore } from './node-memory-store.js';
import { inComment } from './source-scan.js';
import { activeProfileMemoryDb } from './spring-profile-db.js';
import { hostingTarget } from './hosting-target.js';
import { CARGO_SQL_CRATE_FEATURES, composeSelectsSqlite, deploymentSetsVariableTo, deploymentTexts, DJANGO_SETTINGS_MODULE, djangoSettingsUseSqlite } from './stateful.js';

type ByLanguage = Partial<Record<Language, Readonly<Record<string, string>>>>;

/** Packages that bring Nitro's server (and its `defineWebSocketHandler`): Nuxt, Nitro itself, h3. */
const NITRO_PACKAGES: ReadonlySet<string> = new Set(['nuxt', 'nitropack', 'nitro', 'h3']);

/** Dependencies that hold connections open: socket servers, bot gateways, interactive sessions. */
const LONG_LIVED: ByLanguage = {
  python: { channels: 'websockets (Django Channels)', 'flask-socketio': 'websockets (Flask-SocketIO)', 'python-socketio': 'websockets (socket.io)', websockets: 'websockets', 'discord-py': 'Discord gateway bot', 'py-cord': 'Discord gateway bot', nextcord: 'Discord gateway bot', 'python-telegram-bot': 'Telegram bot', aiogram: 'Telegram bot', pytelegrambotapi: 'Telegram bot', 'slack-bolt': 'Slack bot', streamlit: 'Streamlit sessions', gradio: 'Gradio sessions' },
  node: { 'socket.io': 'websockets (socket.io)', ws: 'websockets (ws)', 'discord.js': 'Discord gateway bot', telegraf: 'Telegram bot', 'node-telegram-bot-api': 'Telegram bot', grammy: 'Telegram bot', '@slack/bolt': 'Slack bot', '@nestjs/websockets': 'websockets (NestJS gateway)', 'graphql-ws': 'websockets (GraphQL subscriptions)', 'uWebSockets.js': 'websockets (uWebSockets)' },
  go: { 'github.com/gorilla/websocket': 'websockets (gorilla)', 'nhooyr.io/websocket': 'websockets', 'github.com/coder/websocket': 'websockets', 'github.com/bwmarrin/discordgo': 'Discord gateway bot', 'github.com/go-telegram-bot-api/telegram-bot-api': 'Telegram bot' },
  rust: { 'tokio-tungstenite': 'websockets', serenity: 'Discord gateway bot', teloxide: 'Telegram bot' },
  ruby: { 'faye-websocket': 'websockets', anycable: 'websockets (AnyCable)', discordrb: 'Discord gateway bot', 'telegram-bot-ruby': 'Telegram bot' },
  java: { 'org.springframework.boot:spring-boot-starter-websocket': 'websockets (Spring)', 'net.dv8tion:JDA': 'Discord gateway bot' },
  php: { 'cboden/ratchet': 'websockets (Ratchet)', 'beyondcode/laravel-websockets': 'websockets' },
  elixir: { phoenix_live_view: 'LiveView websockets' },
  dotnet: { 'Microsoft.AspNetCore.SignalR': 'websockets (SignalR)' },
};

/**
 * A chat bot's client connecting with its token or starting to poll: discord.py `bot.run(TOKEN)` / `await bot.start(token)`,
 * discord.js `client.login(process.env.TOKEN)`, python-telegram-bot `run_polling()`, aiogram `start_polling(`,
 * pyTelegramBotAPI `infinity_polling()`, Telegraf `bot.launch()`. A webhook bot (`run_webhook`) serves HTTP and is left out.
 */
const BOT_CONNECT = /\.(?:run|start|login)\([^)\n]*token|\b(?:run_polling|start_polling|infinity_polling|launch)\(/i;

/**
 * A chat bot the code connects (a Discord gateway, Telegram or Slack bot client among its dependencies, and the call
 * that logs it in or starts polling): a process that runs on its own, even when nothing declares how to start it.
 * A bot framework's extension library depends on the client too, but does not log in.
 */
export function connectedChatBot(snapshot: RepoSnapshot, language: Language | undefined, manifests: Iterable<ManifestFacts>): Sourced | undefined {
  const bot = fromDependencies(LONG_LIVED, manifests).find((s) => / bot$/.test(s.name));
  if (!bot || !language) return undefined;
  const code = sourceFiles(snapshot, SOURCE_EXTENSIONS[language] ?? []).map((f) => f.path);
  return inFiles(snapshot, code, BOT_CONNECT, bot.name);
}

/** Embedded databases: state in a local file unless the app also uses a network database. */
const EMBEDDED_DB: ByLanguage = {
  // TinyDB keeps its documents in a JSON file on local disk.
  python: { aiosqlite: 'SQLite', tinydb: 'a JSON file database (TinyDB)' },
  // libsql's client opens a local SQLite file (`file:` URL) unless a remote Turso URL is configured.
  node: { sqlite3: 'SQLite', 'better-sqlite3': 'SQLite', sqlite: 'SQLite', '@libsql/client': 'SQLite (libsql)', libsql: 'SQLite (libsql)', lowdb: 'a JSON file database (lowdb)', nedb: 'a file database (NeDB)', '@seald-io/nedb': 'a file database (NeDB)', 'node-json-db': 'a JSON file database',
    // Persistent maps and key-value stores on local disk: Enmap and quick.db keep SQLite files, level/classic-level a LevelDB directory.
    enmap: 'SQLite (Enmap)', 'quick.db': 'SQLite (quick.db)', level: 'a LevelDB directory', 'classic-level': 'a LevelDB directory', leveldown: 'a LevelDB directory' },
  go: { 'github.com/mattn/go-sqlite3': 'SQLite', 'modernc.org/sqlite': 'SQLite', 'gorm.io/driver/sqlite': 'SQLite', 'github.com/glebarez/sqlite': 'SQLite', 'go.etcd.io/bbolt': 'a bbolt file', 'github.com/dgraph-io/badger': 'a Badger directory' },
  // Embedded stores: hiqlite is SQLite replicated with Raft; redb, RocksDB and fjall keep files in a local folder.
  rust: { rusqlite: 'SQLite', sled: 'a sled directory', hiqlite: 'SQLite (hiqlite)', redb: 'a redb file', rocksdb: 'a RocksDB directory', 'rust-rocksdb': 'a RocksDB directory', fjall: 'a fjall directory' },
  ruby: { sqlite3: 'SQLite' },
  // Spring Boot and Quarkus start an embedded H2/HSQLDB in memory when it is the only database on the classpath.
  java: { 'org.xerial:sqlite-jdbc': 'SQLite', 'com.h2database:h2': 'in-memory database (H2)', 'org.hsqldb:hsqldb': 'in-memory database (HSQLDB)' },
  dotnet: { 'Microsoft.EntityFrameworkCore.Sqlite': 'SQLite', 'Microsoft.Data.Sqlite': 'SQLite', LiteDB: 'a LiteDB file' },
  elixir: { ecto_sqlite3: 'SQLite' },
};

/** Storage backends that put the app's files in an object store (S3, GCS, Azure Blob). */
const OBJECT_STORAGE: ByLanguage = {
  python: { 'django-storages': 'django-storages' },
  node: { 'multer-s3': 'multer-s3', '@aws-sdk/client-s3': 'S3 client', minio: 'MinIO (S3) client' },
  ruby: { 'aws-sdk-s3': 'aws-sdk-s3', 'google-cloud-storage': 'google-cloud-storage', 'azure-storage-blob': 'azure-storage-blob' },
  php: { 'league/flysystem-aws-s3-v3': 'flysystem-s3' },
  elixir: { ex_aws_s3: 'ex_aws_s3' },
};

/** Handlers and adapters that run the app on a function platform. */
const ADAPTERS: ByLanguage = {
  python: { mangum: 'mangum', zappa: 'zappa', chalice: 'chalice', 'serverless-wsgi': 'serverless-wsgi', 'aws-wsgi': 'aws-wsgi', 'apig-wsgi': 'apig-wsgi' },
  node: { 'serverless-http': 'serverless-http', '@vendia/serverless-express': 'serverless-express', '@codegenie/serverless-express': 'serverless-express', 'aws-serverless-express': 'aws-serverless-express', '@fastify/aws-lambda': '@fastify/aws-lambda', '@hono/aws-lambda': 'hono aws-lambda' },
  go: { 'github.com/aws/aws-lambda-go': 'aws-lambda-go', 'github.com/awslabs/aws-lambda-go-api-proxy': 'aws-lambda-go-api-proxy' },
  rust: { lambda_http: 'lambda_http', lambda_runtime: 'lambda_runtime' },
  java: { 'com.amazonaws:aws-lambda-java-core': 'aws-lambda-java-core', 'com.amazonaws.serverless:aws-serverless-java-container-springboot3': 'aws-serverless-java-container', 'com.amazonaws.serverless:aws-serverless-java-container-springboot2': 'aws-serverless-java-container', 'io.quarkus:quarkus-amazon-lambda': 'quarkus-amazon-lambda', 'io.quarkus:quarkus-amazon-lambda-http': 'quarkus-amazon-lambda-http', 'org.springframework.cloud:spring-cloud-function-adapter-aws': 'spring-cloud-function-adapter-aws' },
  dotnet: { 'Amazon.Lambda.AspNetCoreServer': 'Amazon.Lambda.AspNetCoreServer', 'Amazon.Lambda.AspNetCoreServer.Hosting': 'Amazon.Lambda.AspNetCoreServer', 'Amazon.Lambda.Core': 'Amazon.Lambda.Core' },
  ruby: { lamby: 'lamby' },
  php: { 'bref/bref': 'bref' },
};

/** A network database among the backing services: an embedded one is then a dev/test convenience, and the app's records live there. */
export const NETWORK_DBS: ReadonlySet<string> = new Set(['postgres', 'mysql', 'mongodb', 'mariadb', 'dynamodb', 'cassandra', 'elasticsearch', 'firestore', 'spanner', 'mssql', 'sqlserver', 'cockroachdb']);

function fromDependencies(table: ByLanguage, manifests: Iterable<ManifestFacts>): Sourced[] {
  const out: Sourced[] = [];
  for (const m of manifests) {
    const names = table[m.language] ?? {};
    for (const d of m.dependencies as readonly DeclaredDependency[]) {
      // A scoped fork (`@louislam/sqlite3`, `@vscode/sqlite3`) is the package it forks.
      const what = names[d.name] ?? (m.language === 'node' && d.name.startsWith('@') ? names[d.name.slice(d.name.indexOf('/') + 1)] : undefined);
      if (what) out.push({ name: what, source: d.source });
    }
  }
  return out;
}

/** The first source file (code or config) matching `pattern`, as a Sourced fact. */
function inFiles(snapshot: RepoSnapshot, paths: readonly string[], pattern: RegExp, name: string, mustContain?: readonly string[]): Sourced | undefined {
  for (const path of paths) {
    const text = snapshot.files.get(path);
    // A literal every match contains is found far faster than the pattern is run over every source file.
    if (text === undefined || (mustContain && !mustContain.some((l) => text.includes(l))) || !pattern.test(text)) continue;
    return { name, source: loc(path, findLine(text, pattern)) };
  }
  return undefined;
}

/** `installSubscriptionHandlers: true`, or a `'graphql-ws'` / `'subscriptions-transport-ws'` transport key set on, outside a line comment. */
const GRAPHQL_SUBSCRIPTIONS = /(?<!\/\/[^\n]*)(?:\binstallSubscriptionHandlers\s*:\s*true\b|['"](?:graphql-ws|subscriptions-transport-ws)['"]\s*:\s*(?:true\b|\{))/;

// Cargo.toml: an ORM built for SQLite only; Rocket.toml: a `[default.databases.x]` pool on a file.
const CONFIG = /(?:^|\/)(?:Cargo\.toml|Rocket\.toml|settings\.py|config\/database\.yml|\.env|\.env\.example|\.env\.sample|\.env\.dist|appsettings\.json|application\.(?:properties|ya?ml)|config\/(?:prod|runtime)\.exs|schema\.prisma)$/;

export interface TraitInputs {
  snapshot: RepoSnapshot;
  language: Language | undefined;
  manifests: ReadonlyMap<Language, ManifestFacts>;
  dockerfile: DockerfileFacts | undefined;
  /** Backing services already found (postgres, redis …). */
  stateful: readonly string[];
  /** The ENV of the app's image that chooses SQLite (`DB_CLIENT="sqlite3"`): the image's database is a local file. */
  imageSqlite?: Located<string> | undefined;
  /** The go.mod line requiring PocketBase (pocketBaseRequirement): its pb_data folder holds the app's SQLite. */
  pocketBase?: string | undefined;
  /** The web framework and where it was found. */
  framework?: { name: string; source: string } | undefined;
  /** Platform manifests found (vercel.json, netlify.toml are function/static-hosting targets). */
  platforms: readonly { kind: string; source: string }[];
  /** The compose service that runs the app itself. */
  composeApp?: ComposeService | undefined;
  /** The compose file the deployment runs. */
  compose?: ComposeFacts | undefined;
}

/** Container paths that hold data, not code, caches or logs. */
const DATA_PATH = /(?:^|\/)(?:data|uploads?|media|storage|files|documents|attachments|db|database|sqlite)(?:\/|$)/i;
const NOT_DATA = /(?:^|\/)(?:tmp|temp|cache|logs?|run|node_modules|\.cache)(?:\/|$)/i;
/** A user's media library mounted into the app's container (`/photos`, `/music:ro`): the files it indexes and serves live on that disk. */
const MEDIA_LIBRARY = /^\/(?:[\w.-]+\/)*(?:photos|pictures|music|videos|movies|books|library)\/?$/i;

/**
 * A bind mount of a repository folder that holds the app's manifest (`./application:/data` beside
 * application/composer.json): the source tree mounted over the image's copy for development, not data.
 */
function sourceTreeMount(snapshot: RepoSnapshot | undefined, app: ComposeService, source: string): boolean {
  if (!snapshot || !/^\.\.?\//.test(source)) return false;
  const composeDir = dirOf(app.source.replace(/:\d+$/, ''));
  const dir = joinPath(composeDir, source);
  const prefix = dir ? `${dir}/` : '';
  return [...snapshot.files.keys()].some((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/') && APP_MANIFEST.test(p.slice(prefix.length)));
}

/** Folders of example or configuration material a repository commits (`examples/`, `config/`): mounted, they configure the app. */
const EXAMPLE_FOLDER = /^(?:examples?|samples?|config|configs|conf)$/i;

/**
 * A bind mount of a committed folder of examples or configuration (`./examples:/data` holding the rate-limit rules the
 * app reads): the app is handed files the repository ships, it does not keep its own data there.
 */
function exampleFolderMount(snapshot: RepoSnapshot | undefined, app: ComposeService, source: string): boolean {
  if (!snapshot || !/^\.\.?\//.test(source)) return false;
  const dir = joinPath(dirOf(app.source.replace(/:\d+$/, '')), source);
  if (!EXAMPLE_FOLDER.test(dir.split('/').pop() ?? '')) return false;
  return holdsFiles(snapshot, dir);
}

/** The name of a data-folder setting: `DATA_DIR`, `USER_DATA_PATH`, `TIMETAGGER_DATADIR` (not `METADATA_PATH`). */
const DATA_DIR_KEY = String.raw`(?:[A-Z0-9]+_)*DATA_?(?:DIR|DIRECTORY|FOLDER|PATH)`;
/** A data-folder setting of the service points at the mount (`TIMETAGGER_DATADIR=/root/_timetagger` on `/root/_timetagger`). */
const COMPOSE_DATA_DIR = new RegExp(`^${DATA_DIR_KEY}=(.*)$`);
function dataDirSetting(app: ComposeService, target: string): boolean {
  const folder = (path: string) => path.trim().replace(/^["']|["']$/g, '').replace(/\/$/, '');
  return (app.environment ?? []).some((line) => {
    const value = COMPOSE_DATA_DIR.exec(line)?.[1];
    return value !== undefined && folder(value) === folder(target);
  });
}

/**
 * Data the app keeps on its own disk: a VOLUME its image declares, or a data folder its compose service
 * mounts (`./data:/app/data`, a named volume on `/app/media`). A mount of the source tree (the checkout, or the
 * folder holding the app's manifest) is for development, and one of a committed examples or config folder is configuration: not state.
 */
export function dataVolumes(dockerfile: DockerfileFacts | undefined, app: ComposeService | undefined, snapshot?: RepoSnapshot): Sourced[] {
  const out: Sourced[] = [];
  for (const v of dockerfile?.volumes ?? []) if (!NOT_DATA.test(v.value)) out.push({ name: `data volume ${v.value}`, source: v.source });
  for (const v of app?.volumes ?? []) {
    const { source, target } = v.value;
    if (/^\.?\/?$/.test(source) || NOT_DATA.test(target) || /\.(?:sock|conf|ya?ml|json|ini|env)$/.test(target)) continue;
    if (app && (sourceTreeMount(snapshot, app, source) || exampleFolderMount(snapshot, app, source))) continue;
    if (DATA_PATH.test(target) || (app && dataDirSetting(app, target))) out.push({ name: `data volume ${target}`, source: v.source });
    else if (MEDIA_LIBRARY.test(target)) out.push({ name: `media library ${target}`, source: v.source });
  }
  return out;
}

/** Words naming working data (sessions, caches, logs, temp files, rate limits) rather than the app's files, in a storage setting or key. */
const WORKING_DATA = ['sessions?', 'cache', 'logs?', 'logger', 'logging', 'queue', 'tmp', 'temp', 'lock', 'backups?', 'rate', 'rate-?limit(?:er|s)?', 'throttle'];
/** A setting's prefix naming working data (`SESSION_FILE_STORAGE`): not the app's data. */
const NOT_DATA_PREFIX = `(?!(?:${WORKING_DATA.map((w) => w.toUpperCase()).join('|')})_)`;
/** A storage setting's role word (`STORAGE_DRIVER`, `FILES_BACKEND`). */
const STORAGE_ROLE = 'TYPE|DRIVER|BACKEND|PROVIDER|ADAPTER';
/** …of a files setting (`FILES_DRIVER`): not `TYPE`, which names a file's type (`UPLOAD_TYPE=file`). */
const FILES_ROLE = 'DRIVER|BACKEND|PROVIDER|ADAPTER';
/** A value choosing local disk. */
const LOCAL_VALUE = 'local|disk|fs|filesystem|file';

/**
 * `FILE_STORAGE=local`, `FILE_UPLOAD_STORAGE="local"`, `MEDIA_STORAGE_DRIVER=disk`, `PRESENTATION_STORAGE=local`,
 * a bare `STORAGE_DRIVER=local`, `FILES_DRIVER=local`: the template picks local disk for the app's files (sessions,
 * caches, logs and temp files are not its data).
 */
const LOCAL_FILE_STORAGE = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+)?(?:(?:${NOT_DATA_PREFIX}[A-Z]+_)*${NOT_DATA_PREFIX}[A-Z]+_?STORAGE(?:_(?:${STORAGE_ROLE}))?|STORAGE_(?:${STORAGE_ROLE})|(?:${NOT_DATA_PREFIX}[A-Z]+_)*(?:FILES?|UPLOADS?|ATTACHMENTS?)_(?:${FILES_ROLE}))[ \t]*=[ \t]*["']?(?:${LOCAL_VALUE})["']?[ \t]*(?:#.*)?$`,
  'm',
);

/**
 * The env template choosing local disk for uploaded files, where the app offers local or object storage:
 * the files are then kept on the app's disk, and an object-store client among its dependencies is the
 * other option, not a need.
 */
export function localFileStorageChoice(snapshot: RepoSnapshot): Sourced | undefined {
  return (
    inFiles(snapshot, ENV_TEMPLATE_FILES, LOCAL_FILE_STORAGE, 'uploads on local disk (the env template chooses local storage)') ??
    inFiles(snapshot, [...ENV_TEMPLATE_FILES, ...composeEnvFiles(snapshot)], LOCAL_STORAGE_URL, 'uploads on local disk (the storage URL is a local folder)') ??
    configStorageChoice(snapshot) ??
    jsonConfigStorageChoice(snapshot) ??
    codeStorageDefault(snapshot) ??
    goDataDirFlag(snapshot)
  );
}

/**
 * A config module's storage default choosing local disk: a TypeScript schema or default object
 * (`storage: z.object({ provider: z.enum(['local', 's3']).default('local')`, `storage: { provider: 'local' }`), or a Go
 * config struct's tag (`env:"FILES_DRIVER" envDefault:"local"`). Only the storage object's own keys before a nested one
 * count; a type's union (`provider: 'local' | 's3'`) is no default.
 */
const CODE_STORAGE_DEFAULT = [
  new RegExp(String.raw`\bstorage\s*:\s*(?:z\.object\(\s*)?\{[^{}]*?\b(?:provider|driver|type|backend|adapter)\s*:\s*(?:z\.enum\([^()]*\)\s*\.default\(\s*)?["'](?:${LOCAL_VALUE})["'](?!\s*\|)`, 'gi'),
  new RegExp(String.raw`\benv:"(?:${NOT_DATA_PREFIX}[A-Z]+_)*(?:FILES?|STORAGE|UPLOADS?|ATTACHMENTS?)_(?:${STORAGE_ROLE})"\s+envDefault:"(?:${LOCAL_VALUE})"`, 'g'),
];
/**
 * A config module of the app's server code: `lib/config/index.ts`, `src/config.ts`, `internal/config/config.go`; not a
 * tool's config file (`config/webpack.config.js`), a dot folder's (`.vitepress/config.ts`) or a front end's.
 */
const CONFIG_MODULE = /(?:^|\/)(?:config|configs|settings)(?:\/[\w-]+)?\.(?:[cm]?[jt]s|go)$/;
const NOT_SERVER_CODE = /(?:^|\/)(?:\.[\w-]+|frontend|client|web|webapp|ui|public|static|assets|scripts)\//;
/** Keys of objects holding working data, not the app's files: a cache's or session's own storage. */
const WORKING_DATA_KEY = new RegExp(`^(?:${WORKING_DATA.join('|')})$`, 'i');

/** The key of the object literal that encloses `index` (`cache: { storage: … }` gives `cache`), within the 2,000 characters before it. */
function enclosingKey(text: string, index: number): string | undefined {
  let depth = 0;
  for (let i = index - 1; i >= Math.max(0, index - 2000); i--) {
    const c = text[i];
    if (c === '}') depth++;
    else if (c === '{' && depth-- === 0) return /([\w-]+)["']?\s*:\s*(?:z\.object\(\s*)?$/.exec(text.slice(Math.max(0, i - 80), i))?.[1];
  }
  return undefined;
}

function codeStorageDefault(snapshot: RepoSnapshot): Sourced | undefined {
  const paths = [...snapshot.files.keys()].filter((p) => CONFIG_MODULE.test(p) && !NOT_SERVER_CODE.test(p) && !isTestOrVendored(p)).sort(compare);
  for (const pattern of CODE_STORAGE_DEFAULT) {
    for (const path of paths) {
      const text = snapshot.files.get(path) ?? '';
      if (!/storage|env:"/i.test(text)) continue;
      for (const m of text.matchAll(pattern)) {
        if (inComment(text, m.index) || WORKING_DATA_KEY.test(enclosingKey(text, m.index) ?? '')) continue;
        return { name: 'uploads on local disk (the config\'s storage default is local)', source: loc(path, lineAt(text, m.index)) };
      }
    }
  }
  return undefined;
}

/**
 * A storage DSN or URL naming a folder (`DEFAULT_STORAGE_DSN=file:///data/media/`, `MEDIA_STORAGE_URL=/srv/media`)
 * in the env template or an env file compose loads: the app's default file storage is that local folder.
 */
const LOCAL_STORAGE_URL = /^[ \t]*(?:export\s+)?(?:[A-Z]+_)*STORAGE_(?:DSN|URL|URI)[ \t]*=[ \t]*["']?(?:file:\/\/|\/)/m;

/** A local storage type or backend: `local`, `local_filesystem`, `disk`, `fs`, `filesystem`, `file`. */
const LOCAL_KIND = String.raw`["']?(?:local\w*|disk|fs|filesystem|file)["']?[ \t]*(?:[#;].*)?$`;
/**
 * The storage section of an app config: INI/TOML `[storage]` then `type = …`; YAML `storage:` then `  active: …`; or a
 * top-level flat key (`storage-backend: "local"`, `storage_type = "local"`).
 */
const CONFIG_STORAGE_KIND = [
  new RegExp(String.raw`^\[storage\][ \t]*\r?\n(?:(?!\[)[^\n]*\n)*?[ \t]*(?:type|driver|backend|provider|active|default)[ \t]*=[ \t]*${LOCAL_KIND}`, 'm'),
  new RegExp(String.raw`^([ \t]*)storage:[ \t]*\r?\n(?:\1[ \t]+[^\n]*\n)*?\1[ \t]+(?:type|driver|backend|provider|active|default):[ \t]*${LOCAL_KIND}`, 'm'),
  new RegExp(String.raw`^storage[_-](?:type|driver|backend|provider)[ \t]*[:=][ \t]*${LOCAL_KIND}`, 'm'),
];
/** The app's own config files: INI/TOML/YAML at the root or in conf/, config/, etc/, the template example(s)/config.*, and Spring's application*.yml. */
const APP_CONFIG_FILE = /^examples?\/config\.(?:ini|toml|ya?ml)$|^(?:(?:conf|config|configs|etc)\/)?\w[\w.-]*\.(?:ini|toml|ya?ml)$|(?:^|\/)src\/main\/resources\/(?:config\/)?application[\w-]*\.ya?ml$/;

/** The app's config file choosing local disk for its object storage (where it offers object stores too). */
function configStorageChoice(snapshot: RepoSnapshot): Sourced | undefined {
  const paths = [...snapshot.files.keys()].filter((p) => APP_CONFIG_FILE.test(p) && !/compose/.test(p)).sort();
  for (const pattern of CONFIG_STORAGE_KIND) {
    const hit = inFiles(snapshot, paths, pattern, 'uploads on local disk (the app config chooses local storage)');
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A JSON config's storage object choosing the filesystem: `"Storage": { "engine": "Filesystem", "Filesystem": { "base_dir": "data" } }`,
 * `"storage": { "type": "file" }`. Only the object's own keys before its first nested object are read.
 */
const JSON_STORAGE_KIND = /"storage"\s*:\s*\{[^{}]*?"(?:engine|type|driver|backend|provider|adapter)"\s*:\s*"(?:local\w*|disk|fs|filesystem|file)"/i;
/** The app's JSON config at the root or in a conf/ folder (a `sample_conf/` copied into place on install, too). */
const APP_JSON_CONFIG = /^(?:(?:sample[_-]?)?(?:conf|config|configs|etc)\/)?[\w.-]+\.json$/;

/** The app's JSON config keeping its data on the filesystem (where it offers database or object-store engines too). */
function jsonConfigStorageChoice(snapshot: RepoSnapshot): Sourced | undefined {
  const paths = [...snapshot.files.keys()].filter((p) => APP_JSON_CONFIG.test(p)).sort();
  return inFiles(snapshot, paths, JSON_STORAGE_KIND, 'data on local disk (the app config stores it on the filesystem)', ['"storage"', '"Storage"', '"STORAGE"']);
}

/**
 * A Go command-line flag naming the folder the app keeps its uploads or stored files in, with a local default:
 * `f.StringVar(&Flags.UploadDir, "upload-dir", "./data", …)`, `flag.String("storage-path", "files", …)`, pflag's
 * `StringVarP(&dir, "media-dir", "m", "/var/lib/app", …)`. A bare `data-path` is left out: a demo server's scratch
 * folder is named so too. Group 1 is the flag, group 2 its default: a path, so that a one-letter shorthand before an
 * empty default is not read as the default.
 */
const GO_DATA_DIR_FLAG = /\.String(?:Var)?P?\(\s*(?:&[\w.]+\s*,\s*)?"((?:uploads?|storage|files|media|attachments)[-_]?(?:dir|directory|path|folder|root))"\s*,\s*(?:"\w"\s*,\s*)?"(\.{0,2}\/[^"\n]*|~\/[^"\n]*|[\w.-]{2,}(?:\/[^"\n]*)?)"/;

/**
 * A Go server whose flag puts its uploads or data in a local folder by default: without other flags (an S3
 * bucket's) the files live on its own disk. Caches, logs and temp folders are not data.
 */
function goDataDirFlag(snapshot: RepoSnapshot): Sourced | undefined {
  for (const { path, text } of sourceFiles(snapshot, SOURCE_EXTENSIONS.go)) {
    if (NOT_THE_APP.test(path) || !text.includes('.String')) continue;
    const m = GO_DATA_DIR_FLAG.exec(text);
    if (m?.[2] && !NOT_DATA.test(m[2])) return { name: `data on local disk (flag -${m[1]} default ${m[2]})`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

const LARAVEL_S3 = OBJECT_STORAGE.php?.['league/flysystem-aws-s3-v3'];

/** Laravel stores files on its `local` disk unless the env (its template, or the one its Docker setup copies) picks S3 (FILESYSTEM_DISK=s3): the S3 adapter alone is an option. */
function laravelSelectsS3(snapshot: RepoSnapshot): boolean {
  return inFiles(snapshot, DEPLOY_ENV_FILES, /^\s*(?:[A-Z]+_)*FILESYSTEM_(?:DISK|DRIVER|CLOUD)\s*=\s*["']?s3/m, 's3') !== undefined;
}

/** An object-store setting in an env template (`AWS_S3_BUCKET=`, `R2_ACCESS_KEY_ID=`, `S3_ENDPOINT=`), commented out or not. */
const OBJECT_STORE_SETTING = /^\s*(#\s*)?(?:export\s+)?\w*(?:S3|R2|BUCKET)\w*\s*=/gm;

/** The root's env templates, then those of the workspace package the root's start script runs. */
const envTemplates = (packageDir?: string): string[] => [...ENV_TEMPLATE_FILES, ...(packageDir ? ENV_TEMPLATE_FILES.map((f) => `${packageDir}/${f}`) : [])];

/** The comment lines directly above the line starting at `at` (none when a blank or a setting line comes first). */
function commentAbove(text: string, at: number): string {
  const lines = text.slice(0, at).split(/\r?\n/).slice(0, -1);
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && /^\s*#/.test(lines[i] ?? ''); i--) out.unshift(lines[i] ?? '');
  return out.join('\n');
}

/**
 * The env template lists the object store's settings only commented out, or under a comment calling
 * them optional: uploads to it are an opt-in feature ("if not configured, file upload is disabled"),
 * so its client is an option, not a need.
 */
export function objectStoreOptIn(snapshot: RepoSnapshot, packageDir?: string): Sourced | undefined {
  for (const path of envTemplates(packageDir)) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    const settings = [...text.matchAll(OBJECT_STORE_SETTING)];
    const first = settings[0];
    if (first && settings.every((m) => m[1] !== undefined)) return { name: 'object storage commented out in the env template', source: loc(path, findLine(text, first[0].trim())) };
    // The comment heading the object-store block calls it optional (`# Object Storage (S3) (optional)`).
    if (first && /\boptional\b/i.test(commentAbove(text, first.index + (first[0].length - first[0].trimStart().length)))) return { name: 'object storage marked optional in the env template', source: loc(path, findLine(text, first[0].trim())) };
  }
  return undefined;
}

/** A store's address settings in an env template (`REDIS_URL=`, `# REDIS_HOST=localhost`): group 1 is the comment mark. */
const STORE_ADDRESS: readonly [string, RegExp][] = [
  ['redis', /^[ \t]*(#[ \t]*)?(?:export[ \t]+)?(?:REDIS|VALKEY)_(?:URL|URI|HOST|ADDR)[ \t]*=/gm],
  ['rabbitmq', /^[ \t]*(#[ \t]*)?(?:export[ \t]+)?(?:RABBITMQ|AMQP)_(?:URL|URI|HOST)[ \t]*=/gm],
];

/**
 * Stores whose address the env template (the root's, else that of the workspace package the root runs) lists
 * only commented out (`# REDIS_URL=`, `# REDIS_HOST=localhost` under a queue mode it leaves off): an opt-in
 * mode of the app, as with commented-out object storage, not a store it needs.
 */
export function commentedOutStores(snapshot: RepoSnapshot, packageDir?: string): Map<string, Sourced> {
  const out = new Map<string, Sourced>();
  for (const [store, pattern] of STORE_ADDRESS) {
    for (const path of envTemplates(packageDir)) {
      const text = snapshot.files.get(path);
      const settings = text === undefined ? [] : [...text.matchAll(pattern)];
      if (settings.length === 0) continue;
      if (settings.every((m) => m[1] !== undefined)) out.set(store, { name: `${store} address commented out in the env template`, source: loc(path, lineAt(text ?? '', settings[0]?.index ?? 0)) });
      break;
    }
  }
  return out;
}

/** `if ENV["VAR"] == "value"` (or `ENV.fetch("VAR", …) ==`) opening a block whose next lines set the Active Storage service. */
const ENV_CONDITIONAL_STORAGE = /^[ \t]*(?:if|elsif)[ \t]+ENV(?:\[\s*|\.fetch\(\s*)["'](\w+)["'](?:\s*\]|[^)\n]*\))[ \t]*==[ \t]*["']([\w-]+)["'][ \t]*\r?\n(?:[ \t]*(?!(?:end|else|elsif|when)\b)\S[^\n]*\n|[ \t]*\r?\n){0,3}?[ \t]*config\.active_storage\.service[ \t]*=[ \t]*:?["']?(\w+)/gm;

/**
 * The Active Storage service production runs with: `= :local`, `ENV.fetch("ACTIVE_STORAGE_SERVICE", "local")`,
 * or the `else` branch of a conditional that picks a bucket only when its variable is set — or the service an
 * `if ENV["VAR"] == "value"` block sets when the deployment (deployTexts) sets VAR to that value.
 */
function productionStorageService(text: string, deployTexts: readonly string[] = []): { name: string; index: number } | undefined {
  const m = /^[ \t]*config\.active_storage\.service\s*=\s*(.*)$/m.exec(text);
  if (!m) return undefined;
  // An override under a condition the deployment meets (`if ENV["HAVEN_DEPLOY"]=="local"` with the image's `ENV HAVEN_DEPLOY="local"`),
  // unless an assignment at the first one's indentation comes after it: in Rails the last assignment wins.
  const indent = /^[ \t]*/.exec(m[0])?.[0] ?? '';
  const unconditional = [...text.matchAll(/^([ \t]*)config\.active_storage\.service\s*=/gm)].filter((a) => a[1] === indent).map((a) => a.index);
  for (const o of text.matchAll(ENV_CONDITIONAL_STORAGE)) {
    if (unconditional.some((i) => i > o.index) || !deploymentSetsVariableTo(deployTexts, o[1] ?? '', o[2] ?? '')) continue;
    return { name: o[3] ?? '', index: o.index + o[0].lastIndexOf('config.') };
  }
  const direct = /^:(\w+)|^["'](\w+)["']|^ENV\.fetch\(\s*["']\w+["']\s*,\s*:?["']?(\w+)|^ENV\.fetch\(\s*["']\w+["']\s*\)\s*\{\s*:?["']?(\w+)|^ENV\[\s*["']\w+["']\s*\]\s*(?:\|\||\bor\b)\s*:?["']?(\w+)/.exec(m[1]?.trim() ?? '');
  // A conditional: the value of its `else` branch, read up to the `end` that closes it.
  const rest = text.slice(m.index + m[0].length);
  const conditional = rest.slice(0, /^\s*end\b/m.exec(rest)?.index ?? rest.length);
  const name = direct ? direct.slice(1).find((g) => g !== undefined) : /^\s*else\s*\n\s*:?["']?(\w+)/m.exec(conditional)?.[1];
  return name ? { name, index: m.index } : undefined;
}

/** The block of a config/storage.yml service (`amazon:` and its indented lines). */
const storageBlock = (storage: string, name: string): string => new RegExp(`^${name}:[ \\t]*\\r?\\n((?:[ \\t]+.*\\r?\\n?|[ \\t]*\\r?\\n)*)`, 'm').exec(storage)?.[1] ?? '';

/**
 * The bucket a Rails app keeps its uploads in: production's Active Storage service (`= :amazon`) is an `S3` service of
 * config/storage.yml. A bucket block production does not select (`ENV.fetch(…, "local")`) is an option, not the store.
 */
export function railsS3Uploads(snapshot: RepoSnapshot, deployTexts: readonly string[] = []): Located<string> | undefined {
  const path = 'config/environments/production.rb';
  const production = snapshot.files.get(path);
  const service = production === undefined ? undefined : productionStorageService(production, deployTexts);
  if (production === undefined || !service) return undefined;
  return /^[ \t]+service:\s*S3\b/m.test(railsStorageBlock(snapshot, service.name)) ? { value: 's3', source: loc(path, lineAt(production, service.index)) } : undefined;
}

/** config/storage.yml, or the template an install or image copies to it (`config/storage.docker.yml`, `storage.sample.yml`). */
const RAILS_STORAGE_CONFIGS = ['config/storage.yml', 'config/storage.production.yml', 'config/storage.docker.yml', 'config/storage.sample.yml', 'config/storage.example.yml', 'config/storage.yml.example', 'config/storage.yml.sample'];

/** The block of Active Storage service `name` in the first storage config that defines it. */
function railsStorageBlock(snapshot: RepoSnapshot, name: string): string {
  for (const path of RAILS_STORAGE_CONFIGS) {
    const block = storageBlock(snapshot.files.get(path) ?? '', name);
    if (block) return block;
  }
  return '';
}

/**
 * Uploads a Rails app keeps on its own disk: its models attach files (`has_one_attached`) and production's
 * Active Storage service is a `Disk` service of config/storage.yml. An S3 gem beside it is an option, not the store.
 */
export function railsDiskUploads(snapshot: RepoSnapshot, deployTexts: readonly string[] = []): Sourced | undefined {
  const path = 'config/environments/production.rb';
  const production = snapshot.files.get(path);
  if (production === undefined) return undefined;
  const service = productionStorageService(production, deployTexts);
  if (!service) return undefined;
  if (!/^[ \t]+service:\s*Disk\b/m.test(railsStorageBlock(snapshot, service.name))) return undefined;
  const attaches = sourceFiles(snapshot, SOURCE_EXTENSIONS.ruby).some((f) => /\bhas_(?:one|many)_attached\b/.test(f.text));
  return attaches ? { name: `uploads on local disk (Active Storage ${service.name}: Disk)`, source: loc(path, lineAt(production, service.index)) } : undefined;
}

/**
 * A Laravel disk entry, read up to its first nested array or its end: `'avatars' => [ 'driver' => 'local', 'root' => storage_path('app/avatars') ]`.
 * Driver and root come first; a nested array after them (`...(env('X') ? ['visibility' => 'public'] : [])`) does not hide them.
 * The body is read in a lookahead so that an outer entry (`'disks' => [`) does not consume the keys of the disks inside it.
 */
const LARAVEL_DISK = /'([\w-]+)'\s*=>\s*\[(?=([^[\]]*))/g;
/** Disks every Laravel app has, and disks for caches, temp files, logs, backups, translations, views or tests: not the app's data. */
const NOT_APP_DISK = /^(?:local|public|private)$|tmp|temp|cache|logs?\b|backups?|lang|views?|tests?/i;

/**
 * Disks a Laravel app adds to config/filesystems.php for its own files on local disk (`torrent-files`,
 * `user-avatars` with the local driver): the uploads it keeps live on the server's disk.
 */
export function laravelAppDisks(snapshot: RepoSnapshot): Sourced | undefined {
  const path = 'config/filesystems.php';
  const text = snapshot.files.get(path);
  if (text === undefined) return undefined;
  for (const m of text.matchAll(LARAVEL_DISK)) {
    const [, name = '', body = ''] = m;
    const root = /'root'\s*=>\s*([^\n]*)/.exec(body)?.[1] ?? '';
    if (/'driver'\s*=>\s*'local'/.test(body) && !NOT_APP_DISK.test(name) && !NOT_APP_DISK.test(root)) return { name: `uploads on local disk (Laravel disk ${name})`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

/**
 * PHP opening a SQLite file: through PDO (`new PDO('sqlite:' . $file)`, `new \PDO\Sqlite(…)`) or the SQLite3 class
 * (`new SQLite3($databaseFile)`), not an in-memory one (`sqlite::memory:`, `new SQLite3(':memory:')`).
 */
const PHP_SQLITE_OPEN = /\bnew\s+\\?PDO(?:\\Sqlite)?\s*\(\s*["']sqlite:(?!:memory:)|\bnew\s+\\?SQLite3\s*\((?!\s*["']:memory:["'])/;
/** A PDO DSN for a database server (`'mysql:'`, `'pgsql:'`, `'sqlsrv:'`). */
const PDO_SERVER_DSN = /["'](?:mysql|pgsql|sqlsrv|dblib|oci|odbc|firebird):/;

/**
 * The PHP code's SQLite file, when SQLite is the only database it opens: code that also builds PDO DSNs
 * for database servers lets a setting pick the engine (SQLite is then one option among them).
 */
function phpSqliteFile(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  const sqlite = inFiles(snapshot, code, PHP_SQLITE_OPEN, 'SQLite');
  return sqlite && !inFiles(snapshot, code, PDO_SERVER_DSN, 'database server DSN') ? sqlite : undefined;
}

/** An upload folder set to a local path: `export MEDIA_ROOT=${MEDIA_ROOT:-/opt/app/media}`, `ENV UPLOAD_FOLDER /data/uploads`. */
const UPLOAD_SETTING = /^[ \t]*(?:export[ \t]+|ENV[ \t]+)?(MEDIA_ROOT|MEDIA_DIR|UPLOAD_FOLDER|UPLOAD_DIR|UPLOADS_DIR)(?:=|[ \t]+)["']?(?:\$\{\w+:-)?(\/[\w./-]*)/m;

/**
 * Uploads the app's image is configured to keep on its own disk: its Dockerfile, or the start script its
 * command runs (`boot.sh`), sets the upload folder to a local path. An object-store backend beside it is an option.
 */
export function imageUploadFolder(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined): Sourced | undefined {
  if (!dockerfile) return undefined;
  const scripts = new Set((dockerfile.command?.value ?? '').split(/\s+/).filter((t) => t.endsWith('.sh')).map((t) => t.split('/').pop()));
  const started = [...snapshot.files.keys()].filter((p) => scripts.has(p.split('/').pop()) && p.split('/').length <= 2).sort();
  for (const path of [dockerfile.path, ...started]) {
    const text = snapshot.files.get(path) ?? '';
    const m = UPLOAD_SETTING.exec(text);
    if (m?.[2] && !NOT_DATA.test(m[2])) return { name: `uploads on local disk (${m[1]} ${m[2]})`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

/** Whether the app declares an embedded SQL driver (SQLite): its default database when no server is configured. */
export function hasEmbeddedSql(manifests: Iterable<ManifestFacts>): boolean {
  return fromDependencies(EMBEDDED_DB, manifests).some((s) => s.name === 'SQLite');
}

/** A Lambda handler or adapter the app declares as a dependency (mangum, serverless-http, aws-lambda-go …). */
export function dependencyAdapter(manifests: Iterable<ManifestFacts>): Sourced | undefined {
  return fromDependencies(ADAPTERS, manifests)[0];
}

/**
 * A JDBC URL of an embedded Java database in file mode: HSQLDB `file:`, H2 `file:` or a bare path (`jdbc:h2:~/db`,
 * `jdbc:h2:./data/db`), Derby's embedded directory (not `memory:` or a `//host` server).
 */
const FILE_JDBC = /jdbc:(?:hsqldb:file:|h2:(?:file:|~|\.{1,2}\/|\/|[A-Za-z]:[\\/]|\$\{)|derby:(?!memory:|\/\/))/;

/** An embedded Java database kept in a file, as the app's configuration (outside tests) sets its URL. */
function jvmFileDatabase(snapshot: RepoSnapshot): Sourced | undefined {
  const configs = [...snapshot.files.keys()].filter((p) => JVM_CONFIG_FILE.test(p) && !isTestOrVendored(p)).sort(compare);
  return inFiles(snapshot, configs, FILE_JDBC, 'a database file (H2/HSQLDB/Derby)');
}

/** Spring Boot's and Quarkus's base config, the one every profile starts from (`application.properties`, not `application-dev.yml`). */
const JVM_BASE_CONFIG = /(?:^|\/)application\.(?:properties|ya?ml)$/;
/** A JDBC URL of a database server. */
const SERVER_JDBC = /jdbc:(?:postgresql|mysql|mariadb|sqlserver|oracle|db2):/;

/**
 * The base config's datasource defaulting to an embedded database file (`${DB_URL:jdbc:h2:file:./database/app}`) with no
 * server URL beside it: what the app runs on unless the deployment sets another URL, so a server driver is the alternative.
 */
export function jvmBaseConfigFileDatabase(snapshot: RepoSnapshot): Located<string> | undefined {
  for (const path of [...snapshot.files.keys()].filter((p) => JVM_BASE_CONFIG.test(p) && !isTestOrVendored(p) && !NON_MAIN_RESOURCES.test(p)).sort(compare)) {
    // (Comment lines, `#` or `!` in a properties file and `#` in YAML, set nothing.)
    const lines = (snapshot.files.get(path) ?? '').split('\n').map((line, i) => ({ line, i })).filter(({ line }) => !/^\s*[#!]/.test(line));
    const file = lines.find(({ line }) => FILE_JDBC.test(line));
    if (file && !lines.some(({ line }) => SERVER_JDBC.test(line))) return { value: 'file database', source: loc(path, file.i + 1) };
  }
  return undefined;
}

export interface Traits {
  localState: Sourced[];
  longLived: Sourced[];
  serverlessAdapter?: Sourced;
}

export function deploymentTraits(t: TraitInputs): Traits {
  const { snapshot } = t;
  const code = t.language ? sourceFiles(snapshot, SOURCE_EXTENSIONS[t.language] ?? []).map((f) => f.path) : [];
  // A test's or an example's configuration (src/test/resources/application.properties, Gradle's src/integrationTest/resources/) sets up the test, not the app.
  const configs = [...snapshot.files.keys()].filter((p) => CONFIG.test(p) && !isTestOrVendored(p) && !NON_MAIN_RESOURCES.test(p)).sort();

  const longLived = fromDependencies(LONG_LIVED, t.manifests.values());
  if (t.language === 'dotnet') {
    const signalR = inFiles(snapshot, code, /\bAdd(?:SignalR|WebSockets)\s*\(|\bUseWebSockets\s*\(/, 'websockets (SignalR)');
    if (signalR) longLived.push(signalR);
  }
  // GraphQL subscriptions switched on in the server's config: their WebSocket transport comes with the GraphQL module, undeclared.
  if (t.language === 'node' && longLived.length === 0) {
    const subscriptions = inFiles(snapshot, code, GRAPHQL_SUBSCRIPTIONS, 'websockets (GraphQL subscriptions)', ['installSubscriptionHandlers', 'graphql-ws', 'subscriptions-transport-ws']);
    if (subscriptions) longLived.push(subscriptions);
  }
  // Nitro's (Nuxt's) WebSocket routes come with Nitro itself (crossws), no dependency of their own to name them.
  // (Nuxt is as often a dev dependency, its build bundling Nitro into the server it outputs.)
  const node = t.manifests.get('node');
  if (t.language === 'node' && longLived.length === 0 && [...(node?.dependencies ?? []), ...(node?.devDependencies ?? [])].some((d) => NITRO_PACKAGES.has(d.name))) {
    const nitroSocket = inFiles(snapshot, code, /\bdefineWebSocketHandler\s*\(/, 'websockets (Nitro)', ['defineWebSocketHandler']);
    if (nitroSocket) longLived.push(nitroSocket);
  }

  const localState: Sourced[] = [];
  if (!t.stateful.some((s) => NETWORK_DBS.has(s))) {
    localState.push(...fromDependencies(EMBEDDED_DB, t.manifests.values()));
    if (t.pocketBase) localState.push({ name: "SQLite (PocketBase's pb_data folder)", source: t.pocketBase });
    const sqliteConfig =
      inFiles(snapshot, configs, /django\.db\.backends\.sqlite3|adapter:\s*sqlite3|DB_CONNECTION=sqlite|DATABASE_URL="?sqlite:|provider\s*=\s*"sqlite"|Data Source=[^"]*\.db|jdbc:sqlite:|ecto_sqlite3|databases\.[\w-]+\]\s*\n\s*url\s*=\s*"[^"]*\.(?:sqlite3?|db)"/, 'SQLite') ??
      inFiles(snapshot, configs, CARGO_SQLITE_ONLY, 'SQLite') ??
      inFiles(snapshot, code, /sqlite:\/\/\/|["']sqlite:\/\/(?!:memory:)[\w.~-]|\bSqlite(?:Ext|Queue)?Database\((?!\s*["']:memory:)|sqlite3\.connect\(|jdbc:sqlite:|UseSqlite\(|\bnew\s+S(?:QL|ql)ite(?:Connection|ConnectionStringBuilder)\b|gorm\/dialects\/sqlite|"github\.com\/mattn\/go-sqlite3"|["'](?:node|bun):sqlite["']/, 'SQLite') ??
      (t.language === 'php' ? phpSqliteFile(snapshot, code) : undefined) ??
      // (Django settings split into a package, `settings/base.py`, as well as one `settings.py`.)
      (t.framework?.name === 'django' ? asSqlite(djangoSettingsUseSqlite(snapshot)?.source) : undefined) ??
      asSqlite(t.imageSqlite?.source) ??
      asSqlite(composeSelectsSqlite(t.composeApp)?.source);
    if (sqliteConfig && !localState.some((s) => s.name === 'SQLite')) localState.push(sqliteConfig);
    const jvmFile = jvmFileDatabase(snapshot);
    // The datasource names a file: the embedded H2/HSQLDB on the classpath is not the in-memory default.
    if (jvmFile) localState.splice(0, localState.length, ...localState.filter((s) => !/^in-memory database \((?:H2|HSQLDB)\)$/.test(s.name)), jvmFile);
  }
  const inMemory = t.stateful.some((s) => NETWORK_DBS.has(s)) ? undefined : inFiles(snapshot, configs, /jdbc:h2:mem:|jdbc:hsqldb:mem:/, 'in-memory database (H2/HSQLDB)');
  if (inMemory) localState.push(inMemory);
  // A profile the base config activates may hold the datasource: its in-memory database is what runs, beside profiles for servers.
  const profileMemory = t.language !== 'java' || localState.some((s) => s.name.startsWith('in-memory')) ? undefined : activeProfileMemoryDb(snapshot);
  if (profileMemory) localState.push(profileMemory);
  // Every Django settings module names MEDIA_ROOT: whether uploads land there is djangoLocalMedia's call (a model file field).
  const uploadCode = t.framework?.name === 'django' ? code.filter((p) => !DJANGO_SETTINGS_MODULE.test(p)) : code;
  const uploads = inFiles(snapshot, uploadCode, UPLOADS_IN_CODE, 'uploads on local disk') ?? inFiles(snapshot, code, UPLOADS_UNDER_APP_ROOT, 'uploads on local disk (a folder of the app)');
  if (uploads) localState.push(uploads);
  const chosen = localFileStorageChoice(snapshot);
  if (chosen) localState.push(chosen);
  const activeStorage = t.language === 'ruby' ? railsDiskUploads(snapshot, deploymentTexts(snapshot, [t.dockerfile?.path, t.compose?.path])) : undefined;
  if (activeStorage) localState.push(activeStorage);
  const laravelDisk = t.framework?.name === 'laravel' && !laravelSelectsS3(snapshot) ? (laravelAppDisks(snapshot) ?? laravelUploadsOnLocalDisk(snapshot)) : undefined;
  if (laravelDisk) localState.push(laravelDisk);
  const imageUploads = uploads ? undefined : imageUploadFolder(snapshot, t.dockerfile);
  if (imageUploads) localState.push(imageUploads);
  // Files kept in an object store when the app has a storage backend for one: a media volume is then a cache or a fallback.
  const objectStore = t.stateful.includes('s3') || fromDependencies(OBJECT_STORAGE, t.manifests.values()).some((s) => !(t.framework?.name === 'laravel' && s.name === LARAVEL_S3 && !laravelSelectsS3(snapshot)));
  if (!objectStore) localState.push(...dataVolumes(t.dockerfile, t.composeApp, snapshot).filter((v) => !(t.framework?.name === 'django' && djangoFilesVolumeUnused(v, snapshot, code))));
  const dataDir = uploads || objectStore ? undefined : (dataFolderInCode(snapshot, code) ?? dataDirWrites(snapshot, code));
  if (dataDir) localState.push(dataDir);
  const djangoMedia = !uploads && !objectStore && t.framework?.name === 'django' ? djangoLocalMedia(snapshot, code) : undefined;
  if (djangoMedia) localState.push(djangoMedia);
  const uploadFile = !uploads && !objectStore && t.language === 'python' ? uploadFileOnLocalDisk(snapshot, code) : undefined;
  if (uploadFile) localState.push(uploadFile);
  const multipartFile = !uploads && !objectStore && t.language === 'java' ? javaUploadToLocalFile(snapshot, code) : undefined;
  if (multipartFile) localState.push(multipartFile);
  const appRootFiles = !uploads && !objectStore && t.language === 'dotnet' ? dotnetWritesUnderAppRoot(snapshot, code) : undefined;
  if (appRootFiles) localState.push(appRootFiles);
  const phpUpload = !uploads && !objectStore && t.language === 'php' ? phpUploadKeptOnDisk(snapshot, code) : undefined;
  if (phpUpload) localState.push(phpUpload);
  const rubyData = !uploads && !objectStore && t.language === 'ruby' ? rubyDataFolder(snapshot, code) : undefined;
  if (rubyData) localState.push(rubyData);
  const rubyAttachments = !uploads && !objectStore && !activeStorage && t.language === 'ruby' ? rubyAttachmentsOnDisk(snapshot, code) : undefined;
  if (rubyAttachments) localState.push(rubyAttachments);
  // A PHP app with no database server writing its records under a data folder it names (a flat-file CMS).
  const phpFiles = t.language === 'php' && localState.length === 0 && !t.stateful.some((s) => NETWORK_DBS.has(s)) ? phpDataFolder(snapshot, code) : undefined;
  if (phpFiles) localState.push(phpFiles);
  // A Python or Node app with no database server rewriting a JSON file of its records (a bot's balances, reminders).
  const jsonFile = (t.language === 'python' || t.language === 'node') && localState.length === 0 && !t.stateful.some((s) => NETWORK_DBS.has(s)) ? jsonFileStore(snapshot, code) : undefined;
  if (jsonFile) localState.push(jsonFile);
  // A Node socket server with no store holding its rooms in a table of its own (a signaling or game server).
  const roomTable = t.language === 'node' && localState.length === 0 && t.stateful.length === 0 && longLived.some((l) => l.name.startsWith('websockets')) ? socketRoomTable(snapshot, code) : undefined;
  if (roomTable) localState.push(roomTable);
  // …or a Node HTTP server with no store whose write routes fill a module-level Map (a game server's games by id).
  const nodeMap = t.language === 'node' && localState.length === 0 && t.stateful.length === 0 ? nodeMemoryStore(snapshot, code.filter((p) => !NOT_SERVER_CODE.test(p)), t.manifests.get('node')?.dependencies ?? []) : undefined;
  if (nodeMap) localState.push(nodeMap);
  // With no store and nothing on disk, a lock-wrapped map the server shares as its state is the database.
  const sharedMap = t.language === 'rust' && localState.length === 0 && t.stateful.length === 0 ? sharedMapStore(snapshot, code) : undefined;
  if (sharedMap) localState.push(sharedMap);
  // …and so is a Spring bean's collection field that the write handlers change.
  const springMemory = t.language === 'java' && t.framework?.name === 'spring-boot' && localState.length === 0 && t.stateful.length === 0 ? springMemoryStore(snapshot, code, t.manifests.get('java')) : undefined;
  if (springMemory) localState.push(springMemory);

  const adapter =
    dependencyAdapter(t.manifests.values()) ??
    inDockerfile(snapshot, t.dockerfile) ??
    hostingTarget(t) ??
    inFiles(snapshot, code, LAMBDA_HANDLER, 'a Lambda handler', LAMBDA_HANDLER_LITERALS) ??
    containerServiceTarget(snapshot);
  return { localState, longLived, ...(adapter ? { serverlessAdapter: adapter } : {}) };
}

/**
 * Code that saves uploads to a folder, or reads an upload-folder setting by name (`var("MEDIA_UPLOAD_DIRECTORY")`, `getenv("UPLOAD_DIR")`,
 * a settings schema's `env: 'FILE_DIR'`; a prefixed FILE_ name is some other file's folder, e.g. LOG_FILE_DIR);
 * Spring writing a MultipartFile to a local path (`file.transferTo(Paths.get(path))`); gin saving the request's
 * file to a path (`c.SaveUploadedFile(file, dst)`). Multer staging uploads in the OS temp folder (`dest: '/tmp/imports/'`,
 * `os.tmpdir()`) keeps nothing: the app reads the file into its database and the folder is scratch.
 */
const UPLOADS_IN_CODE = /(?:UPLOAD|MEDIA)_FOLDER\s*=|["'](?:(?:[A-Z]+_)*(?:MEDIA|UPLOADS?)_(?:DIR|DIRECTORY|FOLDER|PATH|ROOT)|FILES?_(?:DIR|DIRECTORY|FOLDER|ROOT))["']|\.save\(\s*os\.path\.join\(\s*(?:app\.config\[\s*["'](?:UPLOAD|MEDIA)_FOLDER|(?:UPLOAD|MEDIA)_FOLDER)|\bFileSystemStorage\(\s*\)\.save\(|\bfs\s*=\s*FileSystemStorage\(|multer\(\s*\{\s*dest\s*:(?!\s*(?:["'`]\/(?:var\/)?tmp\b|os\.tmpdir\(\)))|multer\.diskStorage\(|\.transferTo\(\s*(?:Paths\.get|Path\.of|new\s+File)\(|\.SaveUploadedFile\(/;

/**
 * Uploaded files kept in a folder of the app's own tree: Laravel's `$file->move(base_path('assets/img'))`
 * (or public_path/storage_path), Rails' `File.join(Rails.root, "files")` / `Rails.root.join("uploads")`.
 */
const UPLOADS_UNDER_APP_ROOT = /->move\(\s*(?:base_path|public_path|storage_path)\(|\bFile\.join\(\s*Rails\.root\s*,\s*["'](?:files|uploads?|attachments)["']|\bRails\.root\.join\(\s*["'](?:files|uploads?|attachments)["']/;

/** Creating a folder at a literal path: Go `os.MkdirAll("./data", …)`, Rust `create_dir_all("data")`, Python `os.makedirs("uploads")`, Node `mkdirSync("./data")`, .NET `Directory.CreateDirectory("data")`. */
const MAKE_DIR = /\b(?:os\.Mkdir(?:All)?|create_dir(?:_all)?|os\.makedirs|mkdirSync|Directory\.CreateDirectory)\(\s*["']([^"'$`{]+)["']/g;

/**
 * The app creating its own data folder at a fixed path (`os.MkdirAll("./data", 0755)`): it keeps what it
 * writes there (profiles, settings, uploads) on local disk. Caches, logs and temp folders are not data.
 */
function dataFolderInCode(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    for (const m of text.matchAll(MAKE_DIR)) {
      const dir = m[1] ?? '';
      if (DATA_PATH.test(dir) && !NOT_DATA.test(dir)) return { name: `data folder on local disk (${dir})`, source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}

/** A data-folder setting read from the environment with a local default: `process.env.USER_DATA_DIR || './user-data/'`, `os.getenv("DATA_DIR", "data")`. */
const DATA_DIR_SETTING = new RegExp(String.raw`\b(?:process\.env\.|os\.(?:getenv|environ\.get)\(\s*["']|os\.Getenv\(\s*")(${DATA_DIR_KEY})\b["']?\s*(?:\)\s*)?(?:\|\||\?\?|,|or\b)\s*["'\x60]\.?\/?([\w./-]+)["'\x60]`);
/**
 * Writing a file: Node `fs.writeFile(Sync)` / `fs.promises.writeFile`, Go `os.WriteFile`, Python `open(…, "w")`,
 * PHP `file_put_contents` / `fwrite` / `move_uploaded_file`.
 */
const WRITES_FILE = /\b(?:writeFile(?:Sync)?|os\.WriteFile)\(|\b(?:file_put_contents|fwrite|move_uploaded_file)\s*\(|\bopen\([^)\n]*,\s*["']w/;

/**
 * Code that writes files into a data folder it reads from a setting with a local default (a dashboard saving
 * its configuration to `user-data/conf.yml`): what it writes there is its data, on local disk.
 */
function dataDirWrites(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    const m = DATA_DIR_SETTING.exec(text);
    if (!m || NOT_DATA.test(m[2] ?? '') || !WRITES_FILE.test(text)) continue;
    return { name: `data written on local disk (${m[1]} default ${m[2]})`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

/**
 * Writing a JSON file at a fixed path: Python `open("bank.json", "w")` followed by `json.dump(`, or `json.dump(data, open("bank.json", "w"))`;
 * Node `writeFile(Sync)("./data/users.json", JSON.stringify(…))` (a template path too) and fs-extra's `writeJson(Sync)` / `outputJson(Sync)`;
 * Node writing one JSON file per record at a path it concatenates (`writeFile(store + '/' + uuid + '.json', JSON.stringify(schedule))`).
 * Group 2 (Python), 4 (Python inline), 6/8 (Node) is the path, group 9 the concatenated one. The rest of the `open(` line and the next one are matched as
 * `[^\n]*(?:\n[^\n]*)?`: with an optional newline between two runs, a long line splits between them every way (quadratic).
 */
const JSON_FILE_WRITE = /\bopen\(\s*[rf]?(["'])([^"'\n]+\.json)\1\s*,\s*["'][wa]\+?["'][^\n]*(?:\n[^\n]*)?\bjson\.dump\(|\bjson\.dump\([^\n]*\bopen\(\s*[rf]?(["'])([^"'\n]+\.json)\3\s*,\s*["'][wa]|\bwriteFile(?:Sync)?\(\s*(["'`])([^"'`\n]+\.json)\5\s*,\s*JSON\.stringify\(|\b(?:writeJson|outputJson)(?:Sync)?\(\s*(["'`])([^"'`\n]+\.json)\7|\bwriteFile(?:Sync)?\(\s*([\w.$]+(?:\s*\+\s*(?:[\w.$]+|(["'])[^"'\n]*\10))*?\s*\+\s*["'][^"'\n]*\.json["'])\s*,\s*JSON\.stringify\(/g;
/** JSON files that are a project's own manifests and tool configs, not data. */
const TOOL_JSON = /(?:^|\/)(?:package|package-lock|tsconfig|jsconfig|composer|manifest|app|vercel|now|firebase|\.?babelrc|\.?eslintrc|\.?prettierrc)\.json$/;
/** A JSON file that is a cache, scratch file or log by its name (`cache.json`, `api-cache.json`), or build output (`dist/stats.json`). */
const JSON_NOT_DATA = /(?:^|[/._-])(?:cache|tmp|temp|logs?)\.json$|(?:^|\/)(?:dist|build|out)\//i;
/** Build, release and maintenance scripts write JSON too (a version file, a generated index): not the running app's records. */
const SCRIPT_DIR = /(?:^|\/)(?:scripts?|tools?|build|bin|docs?|examples?)\//;

/** A concatenated path read as one (`store + '/' + uuid + '.json'` is `store/uuid.json`). */
const concatenatedPath = (expr: string): string => expr.replace(/\s*\+\s*/g, '').replace(/["']/g, '');
/** A concatenated path built from a cache, temp or log folder's name (`cacheDir + key + '.json'`): not records. */
const CONCATENATED_NOT_DATA = /cache|te?mp(?:dir|[/_-]|$)|logs?(?:dir|[/_-]|$)/i;

/** A template path interpolating a temp, cache or log folder by name (`${tmpTaskFolder}/assets.json`, `${os.tmpdir()}/x.json`; not `${temperature}`): scratch, not records. */
const TEMPLATE_NOT_DATA = /\$\{\s*(?:[\w$]+\.)*(?:[Tt]e?mp|TE?MP|[Cc]ache|CACHE|[Ll]ogs?|LOGS?)(?:[A-Z_\d][\w$]*)?(?:\(\))?\s*\}|\$\{[^}]*\btmpdir\(\)[^}]*\}/;

/**
 * App code that keeps its records in a JSON file it rewrites (a bot's `mainbank.json`, `./reminders/<id>.json`):
 * the file on local disk is its database. Manifests, tool configs, caches, logs and build scripts are left out.
 */
function jsonFileStore(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    if (SCRIPT_DIR.test(path)) continue;
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('.json')) continue;
    for (const m of text.matchAll(JSON_FILE_WRITE)) {
      const file = m[2] ?? m[4] ?? m[6] ?? m[8] ?? concatenatedPath(m[9] ?? '');
      if (TOOL_JSON.test(file) || NOT_DATA.test(file) || JSON_NOT_DATA.test(file) || TEMPLATE_NOT_DATA.test(file) || (m[9] !== undefined && CONCATENATED_NOT_DATA.test(file))) continue;
      return { name: `data kept in a JSON file (${file})`, source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}

/** A PHP constant naming the app's data folder: `define('PATH_DATABASES', PATH_CONTENT . 'databases' . DS)`, `define('UPLOAD_DIR', 'uploads/')`. */
const PHP_DATA_FOLDER_CONSTANT = /\bdefine\(\s*["'](\w+)["']\s*,[^;\n]*["'](databases?|db|data|uploads?)\/?["']/;

/**
 * PHP code that names a data folder by a constant and writes files (a flat-file CMS): pages, users and uploads are
 * files on the server's disk, the app's system of record (the caller checks no database server is configured).
 */
function phpDataFolder(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  if (!code.some((p) => WRITES_FILE.test(snapshot.files.get(p) ?? ''))) return undefined;
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    const m = PHP_DATA_FOLDER_CONSTANT.exec(text);
    if (m) return { name: `data files on local disk (${m[1]}: ${m[2]}/)`, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}

/** `RwLock<HashMap<…>>`, `Mutex<LinkedHashMap<…>>`, `DashMap<…>`: a map many requests read and write. */
const LOCKED_MAP = /\b(?:(?:RwLock|Mutex)<\s*(?:Linked|BTree|Index)?HashMap|DashMap)</;
/**
 * The server handing one value to every handler: actix `app_data`/`web::Data`, axum `with_state`/`Extension`, Rocket `manage`,
 * warp's filter that clones the state into each route (`warp::any().map(move || state.clone())`).
 */
const SHARED_APP_STATE = /\.app_data\(|\bweb::Data<|\bData::new\(|\.with_state\(|\.layer\(\s*Extension\(|\.manage\(|\bwarp::any\(\)\s*\.map\(\s*move\s*\|\|/;

/**
 * A Rust server that keeps its records in a lock-wrapped map it shares with every handler (a paste bin's
 * `RwLock<LinkedHashMap<String, Bytes>>` in `web::Data`): the process is the store, lost on restart and
 * not shared between instances.
 */
function sharedMapStore(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  if (!code.some((p) => SHARED_APP_STATE.test(snapshot.files.get(p) ?? ''))) return undefined;
  return inFiles(snapshot, code, LOCKED_MAP, 'in-memory store (a map shared by the request handlers)');
}

/**
 * A socket server's rooms or games kept in a field or variable it creates empty: `this._rooms = {}`,
 * `const lobbies = new Map()`, `games: Map<string, Game> = new Map()` (not `matches`: a search's or router's results are
 * named so too). The type annotation is one run of characters up
 * to the `=` (spaces around the colon inside it): letting spaces match both before and inside it backtracks cubically.
 */
const ROOM_TABLE = /\b(?:this\.)?_?(?:rooms|lobbies|games)\b(?:\s*:[^=\n]*|\s*)=\s*(?:\{\s*\}|new\s+Map\s*(?:<[^>\n]*>)?\(\s*\))/;

/**
 * A Node WebSocket server (ws, socket.io, uWebSockets) that keeps its rooms or games in a table it creates in the
 * process, with no store beside it: the process is the database, lost on restart and not shared between instances.
 */
function socketRoomTable(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  return inFiles(snapshot, code, ROOM_TABLE, 'in-memory store (rooms held by the socket server)', ['rooms', 'lobbies', 'games']);
}

/** A Rust SQL crate whose features switch on SQLite and no server engine. */
const CARGO_SQLITE_ONLY = new RegExp(`${CARGO_SQL_CRATE_FEATURES}(?![^\\]]*"(?:postgres|mysql)[\\w-]*")[^\\]]*"(?:sqlx-)?sqlite"`);

/** SQLite named at a source, as local state. */
function asSqlite(source: string | undefined): Sourced | undefined {
  return source === undefined ? undefined : { name: 'SQLite', source };
}

/** Django's default (media) storage set explicitly to the local FileSystemStorage. */
const DJANGO_LOCAL_STORAGE = /["']default["']\s*:\s*\{\s*["']BACKEND["']\s*:\s*["']django\.core\.files\.storage\.FileSystemStorage["']|\bDEFAULT_FILE_STORAGE\s*=\s*["']django\.core\.files\.storage\.FileSystemStorage["']/;
/** A model's file field (`models.FileField(`, `ImageField(`; not a form's or a serializer's, whose files are not stored). */
const DJANGO_FILE_FIELD = /(?<![\w.])(?:models\.)?(?:File|Image)Field\(/;

/** Any setting of Django's file storage: `STORAGES = {…}`, `DEFAULT_FILE_STORAGE = …` (the default is FileSystemStorage when none is set). */
const DJANGO_STORAGE_SETTING = /^[ \t]*(?:STORAGES|DEFAULT_FILE_STORAGE)[ \t]*=/m;

/** The first model file field that keeps its files in the default storage (not one given its own `storage=`), as a Sourced fact; migrations repeat the models' fields. */
function defaultStorageFileField(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('Field(') || /(?:^|\/)migrations\//.test(path)) continue;
    for (const m of text.matchAll(new RegExp(DJANGO_FILE_FIELD.source, 'g'))) {
      // The field's call, read up to the line its parenthesis closes on (at most 400 characters).
      const end = text.indexOf(')\n', m.index);
      const call = text.slice(m.index, end === -1 ? m.index + 400 : Math.min(end + 1, m.index + 400));
      if (!/\bstorage\s*=/.test(call)) return { name: 'uploads on local disk (Django default FileSystemStorage)', source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}

/** A volume on Django's collected static files or its media folder (`/data/static`, `/app/media`). */
const DJANGO_FILES_VOLUME = /^data volume (?:\S*\/)?(?:static|staticfiles|media)\/?$/;
/** Code that writes into Django's storage: a model file field, or a save through a storage object. */
const DJANGO_STORAGE_WRITE = /\b(?:models\.)?(?:File|Image)Field\(|\bdefault_storage\.save\(|\bFileSystemStorage\(/;

/**
 * A Django app's static or media volume when nothing in the app writes to its storage (no file field, no storage save):
 * collected static files are build output, and the media folder stays empty, so neither is data.
 */
function djangoFilesVolumeUnused(volume: Sourced, snapshot: RepoSnapshot, code: readonly string[]): boolean {
  if (!DJANGO_FILES_VOLUME.test(volume.name)) return false;
  return /\/static(?:files)?\/?$/.test(volume.name) || !inFiles(snapshot, code, DJANGO_STORAGE_WRITE, 'storage write', ['Field(', 'default_storage', 'FileSystemStorage']);
}

/**
 * Models that accept uploaded files, kept by Django's default storage on local disk (FileSystemStorage under MEDIA_ROOT):
 * set explicitly, or left to Django's default when no settings file names a storage. The caller checks that no
 * object-store backend (django-storages) is among the dependencies.
 */
function djangoLocalMedia(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  const setting = inFiles(snapshot, code, DJANGO_LOCAL_STORAGE, 'uploads on local disk (Django FileSystemStorage)');
  if (setting) return inFiles(snapshot, code, DJANGO_FILE_FIELD, 'file field') ? setting : undefined;
  return inFiles(snapshot, code, DJANGO_STORAGE_SETTING, 'storage setting') ? undefined : defaultStorageFileField(snapshot, code);
}

/**
 * A Lambda handler: Python `def handler(event, context)`, Go `lambda.Start(`, a JS/TS export named `handler`, but
 * not one taking `(req, res …)`: that is a web framework's middleware or route handler (`export const handler =
 * async (req: Request, res: Response, next)`), which a server mounts.
 */
/** Every match of LAMBDA_HANDLER contains one of these. */
const LAMBDA_HANDLER_LITERALS = ['handler', 'lambda.Start('];
const LAMBDA_HANDLER = /^\s*def\s+(?:lambda_)?handler\s*\(\s*event\s*,\s*context|^\s*(?:exports\.handler|export\s+const\s+handler)\s*(?::[^=\n]*)?=(?!\s*(?:async\s*)?(?:function\s*)?\(\s*(?:req|request)\b)|^\s*export\s+(?:async\s+)?function\s+handler\b(?!\s*\(\s*(?:req|request)\b)|lambda\.Start\(/m;

/** Terraform resources that run a container image as a request-driven service (Cloud Run, App Runner). */
const CONTAINER_SERVICE_RESOURCE = /^[ \t]*resource\s+"(google_cloud_run_(?:v2_)?service|aws_apprunner_service)"/m;
/** Examples, tests and fixtures declare targets for something else than the app. */
const NOT_THE_APP = /(?:^|\/)(?:examples?|samples?|tests?|spec|fixtures?|testdata)\//;

/**
 * A container-serverless service the repository declares for its app: Terraform's Cloud Run / App Runner
 * resources, a Cloud Run (Knative) service.yaml, or apprunner.yaml. The platform runs the image unchanged.
 */
function containerServiceTarget(snapshot: RepoSnapshot): Sourced | undefined {
  for (const path of [...snapshot.files.keys()].filter((p) => !NOT_THE_APP.test(p)).sort()) {
    const text = snapshot.files.get(path) ?? '';
    if (path.endsWith('.tf')) {
      const m = CONTAINER_SERVICE_RESOURCE.exec(text);
      if (m) return { name: m[1]?.startsWith('aws_') ? 'App Runner service' : 'Cloud Run service', source: loc(path, findLine(text, m[0].trim())) };
    } else if (/(?:^|\/)apprunner\.ya?ml$/.test(path) && /^runtime:/m.test(text)) {
      return { name: 'App Runner service', source: loc(path, findLine(text, /^runtime:/m)) };
    } else if (/\.ya?ml$/.test(path) && /^apiVersion:\s*serving\.knative\.dev\//m.test(text) && /^kind:\s*["']?Service["']?\s*$/m.test(text)) {
      return { name: 'Cloud Run service', source: loc(path, findLine(text, /^apiVersion:\s*serving\.knative\.dev\//m)) };
    }
  }
  return undefined;
}

/** Lambda Web Adapter copied in, or an AWS Lambda base image: the container runs on Lambda as is. */
function inDockerfile(snapshot: RepoSnapshot, dockerfile: DockerfileFacts | undefined): Sourced | undefined {
  if (!dockerfile) return undefined;
  const text = snapshot.files.get(dockerfile.path) ?? '';
  const adapter = /aws-lambda-adapter/.exec(text);
  if (adapter) return { name: 'Lambda Web Adapter', source: loc(dockerfile.path, findLine(text, adapter[0])) };
  const base = dockerfile.images.find((i) => /(?:^|\/)lambda\/[\w.-]+/.test(i.value) && /public\.ecr\.aws\/lambda|amazon\/aws-lambda/.test(i.value));
  return base ? { name: 'AWS Lambda base image', source: base.source } : undefined;
}
