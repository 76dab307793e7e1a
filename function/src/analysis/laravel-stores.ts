// Laravel stores the deployment does not need: Redis and search engines that only a client library or
// Laravel Sail's development compose names, when nothing the app loads selects them.
import type { RepoSnapshot } from '../types.js';
import { isTestOrVendored, SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { COMPOSE_FILE, ENV_FILE } from './env-vars.js';
import type { Located } from './model.js';
import { findLine, loc } from './text.js';

/** Laravel Sail's compose: the app service builds a Sail runtime from vendor/ (or says LARAVEL_SAIL). */
const SAIL = /vendor\/laravel\/sail\/runtimes|\bLARAVEL_SAIL\b/;

const DRIVER_KEYS = 'CACHE_STORE|CACHE_DRIVER|SESSION_DRIVER|QUEUE_CONNECTION|QUEUE_DRIVER|BROADCAST_CONNECTION|BROADCAST_DRIVER';
/** An env or compose line picking a Redis-backed driver (`QUEUE_CONNECTION=redis`, `CACHE_STORE: redis`) or giving a Redis URL. */
const REDIS_DRIVER = new RegExp(`^[ \\t]*-?[ \\t]*["']?(?:${DRIVER_KEYS})["']?[ \\t]*[:=][ \\t]*["']?redis\\b|^[ \\t]*-?[ \\t]*["']?REDIS_URL["']?[ \\t]*[:=][ \\t]*["']?rediss?:`, 'm');
/** The code talking to Redis itself (the facade), or Horizon, which runs on it. */
const REDIS_IN_CODE = /\bRedis::\w|\\Facades\\Redis\b/;
/** An env line setting a search engine's address or picking it as Scout's driver. */
const SEARCH_SELECTED: Readonly<Record<string, RegExp>> = {
  meilisearch: /^[ \t]*-?[ \t]*["']?(?:MEILI(?:SEARCH)?_(?:HOST|URL)|SCOUT_DRIVER)["']?[ \t]*[:=][ \t]*["']?(?:https?:|meilisearch\b|[\w.-]+:\d)/m,
  elasticsearch: /^[ \t]*-?[ \t]*["']?(?:(?:ELASTICSEARCH|ELASTIC|ES|OPENSEARCH)_(?:HOSTS?|URLS?|URIS?|ENDPOINT)|SCOUT_DRIVER)["']?[ \t]*[:=][ \t]*["']?(?:https?:|elastic\w*\b|[\w.-]+:\d)/m,
};

/**
 * Redis, Meilisearch and Elasticsearch named only by a client library (predis, the search client) or run
 * only by a Laravel Sail development compose, when no env file or other compose file
 * selects them (the env template puts cache, session and queue on the database or files; no search host):
 * the deployment does not need them. A store anything selects stays.
 */
export function laravelStoresNothingSelects(snapshot: RepoSnapshot): Located<string>[] {
  const files = [...snapshot.files].filter(([path]) => !isTestOrVendored(path));
  const compose = files.filter(([path]) => COMPOSE_FILE.test(path));
  // What the app loads: env files, and compose files other than Sail's (whose stores are its scaffold).
  const loaded = [...files.filter(([path]) => ENV_FILE.test(path)), ...compose.filter(([, text]) => !SAIL.test(text))];
  // Where the choice is visible: the env template's driver line, else its first line.
  const template = loaded.find(([path]) => /^\.env\.(?:example|sample|dist|template)$/.test(path));
  if (!template) return [];
  const source = loc(template[0], findLine(template[1], new RegExp(`^(?:${DRIVER_KEYS})=`, 'm')) ?? 1);
  const out: Located<string>[] = [];
  // The template must choose the cache, session and queue drivers itself: left out, Redis may still be meant.
  const choosesDrivers = [/^CACHE_(?:STORE|DRIVER)=/m, /^SESSION_DRIVER=/m, /^QUEUE_(?:CONNECTION|DRIVER)=/m].every((key) => key.test(template[1]));
  const redisUsed =
    !choosesDrivers ||
    loaded.some(([, text]) => REDIS_DRIVER.test(text)) ||
    sourceFiles(snapshot, SOURCE_EXTENSIONS.php).some((f) => !f.path.startsWith('config/') && REDIS_IN_CODE.test(f.text)) ||
    /"laravel\/horizon"/.test(snapshot.files.get('composer.json') ?? '');
  if (!redisUsed) out.push({ value: 'redis', source });
  for (const [engine, selected] of Object.entries(SEARCH_SELECTED)) {
    if (!loaded.some(([, text]) => selected.test(text))) out.push({ value: engine, source });
  }
  return out;
}
