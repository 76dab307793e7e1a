// A Node HTTP server with no store whose write routes put its records into a module-level Map (a game server's
// `gamesById`): the process is the store, lost on restart and not shared between instances (the rubric's `in-process`).
import type { RepoSnapshot, Sourced } from '../types.js';
import { escapeRegExp, lineAt, loc } from './text.js';

/** A Map created at the top of a module (not inside a function): `const gamesById = new Map();`, `let polls: Map<string, Poll> = new Map()`. */
const MODULE_MAP = /^(?:export\s+)?(?:const|let|var)\s+(\w+)(?:\s*:\s*Map<[^=\n]*>)?\s*=\s*new\s+Map\s*(?:<[^>\n]*>)?\(\s*\)/gm;
/** Names of working data rather than records: caches, sessions, connections, timers, rate limits, pending work. */
const WORKING_DATA = /cache|memo|session|socket|client|conn|timer|timeout|interval|limit|lock|pending|listener|handler|subscri|queue|retr|attempt|throttle|debounce|token/i;
/** A route that writes, as Express, Fastify, Koa's router and Hono register it: `app.post('/…'`, `fastify.put("/…"`. */
const WRITE_ROUTE = /\.(?:post|put|patch|delete)\(\s*["'`]\//;

export function nodeMemoryStore(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('new Map') || !WRITE_ROUTE.test(text)) continue;
    for (const m of text.matchAll(MODULE_MAP)) {
      const name = m[1] ?? '';
      if (WORKING_DATA.test(name)) continue;
      // A write route registered after it fills it: `gamesById.set(id, game)` inside `fastify.post("/game/start", …)`.
      const after = text.slice(m.index + m[0].length);
      const route = WRITE_ROUTE.exec(after);
      if (route && new RegExp(String.raw`\b${escapeRegExp(name)}\.set\(`).test(after.slice(route.index))) {
        return { name: 'in-memory store (a module-level map the write routes fill)', source: loc(path, lineAt(text, m.index)) };
      }
    }
  }
  return undefined;
}
