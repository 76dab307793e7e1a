// A Node HTTP server with no store whose write routes put its records into a module-level Map (a game server's
// `gamesById`): the process is the store, lost on restart and not shared between instances (the rubric's `in-process`).
import type { RepoSnapshot, Sourced } from '../types.js';
import type { DeclaredDependency } from './model.js';
import { escapeRegExp, lineAt, loc } from './text.js';

/** A Map created at the top of a module (not inside a function): `const gamesById = new Map();`, `let polls: Map<string, Poll> = new Map()`. */
const MODULE_MAP = /^(?:export\s+)?(?:const|let|var)\s+(\w+)(?:\s*:\s*Map<[^=\n]*>)?\s*=\s*new\s+Map\s*(?:<[^>\n]*>)?\(\s*\)/gm;
/** Words of a name for working data rather than records: caches, sessions, connections, timers, rate limits, pending work. */
const WORKING_DATA_WORDS = new Set([
  'cache', 'cached', 'memoize', 'memoized', 'session', 'sessions', 'socket', 'sockets', 'conn', 'conns', 'connection', 'connections', 'timer', 'timers',
  'timeout', 'timeouts', 'interval', 'intervals', 'limit', 'limits', 'limiter', 'lock', 'locks', 'pending', 'listener', 'listeners', 'handler', 'handlers',
  'queue', 'queues', 'retry', 'retries', 'attempt', 'attempts', 'throttle', 'debounce', 'token', 'tokens', 'hit', 'hits', 'count', 'counts', 'counter',
  'counters', 'rate', 'bucket', 'buckets', 'stat', 'stats', 'metric', 'metrics', 'lru', 'recent', 'seen', 'inflight', 'dedupe', 'promise', 'promises',
  'abort', 'controller', 'controllers', 'client', 'clients', 'subscriber', 'subscribers', 'subscription', 'subscriptions', 'memo', 'memos',
]);
/** A name's words, split at camelCase and underscores: `gamesById` is games, by, id; `inflightRequests` is inflight, requests. */
const wordsOf = (name: string): string[] => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_]+/);
/** A route that writes, registered with its handler, as Express, Fastify, Koa's router and Hono do: `app.post('/games', (req, res) => …`. */
const WRITE_ROUTE = /\.(?:post|put|patch|delete)\(\s*["'`]\/[^"'`\n]*["'`]\s*,\s*(?:[\w.]+\s*,\s*)*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|\w+\s*=>)/g;
/** How far a registration call is read for its closing parenthesis. */
const HANDLER_SPAN = 4000;
/** A module that loads a Node server framework: route registrations elsewhere (an MSW mock's `http.post`, a client's `axios.post`) are not the server's. */
const SERVER_FRAMEWORK = /(?:require\(\s*|from\s+)["'](?:express|fastify|koa|@koa\/router|koa-router|hono|restify|@hapi\/hapi|polka)["']/;
/**
 * Hosted databases scai does not list as stores (Firestore, Supabase, Sheets, Airtable, Notion, serverless Redis and
 * KV): with one of them, a map beside the writes is a copy of records kept there.
 */
const HOSTED_DATA_CLIENTS = new Set([
  'firebase-admin', 'firebase', '@supabase/supabase-js', 'googleapis', 'airtable', '@notionhq/client', '@upstash/redis', '@vercel/kv',
  '@planetscale/database', 'pocketbase', 'faunadb', '@azure/cosmos',
]);

/** The write routes a file registers, each up to the parenthesis closing its registration call (strings' and comments' brackets counted too). */
function writeHandlers(text: string): string[] {
  return [...text.matchAll(WRITE_ROUTE)].map((route) => {
    const open = route.index + route[0].indexOf('(');
    let depth = 0;
    for (let i = open; i < Math.min(text.length, open + HANDLER_SPAN); i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
    }
    return text.slice(open, open + HANDLER_SPAN);
  });
}

export function nodeMemoryStore(snapshot: RepoSnapshot, code: readonly string[], dependencies: readonly DeclaredDependency[]): Sourced | undefined {
  if (dependencies.some((d) => HOSTED_DATA_CLIENTS.has(d.name))) return undefined;
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('new Map') || !SERVER_FRAMEWORK.test(text)) continue;
    const maps = [...text.matchAll(MODULE_MAP)].filter((m) => !wordsOf(m[1] ?? '').some((w) => WORKING_DATA_WORDS.has(w)));
    if (maps.length === 0) continue;
    const handlers = writeHandlers(text);
    for (const m of maps) {
      // A write route's own handler fills it: `gamesById.set(id, game)` inside `fastify.post("/game/start", (req) => { … })`.
      const fills = new RegExp(String.raw`\b${escapeRegExp(m[1] ?? '')}\.set\(`);
      if (handlers.some((h) => fills.test(h))) return { name: 'in-memory store (a module-level map the write routes fill)', source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}
