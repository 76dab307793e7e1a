// A Node "server" that only serves the repository's files (`app.use(express.static('.'))` in the file `npm start` runs,
// no route of its own, nothing else of the repository loaded): the app is those static files, and the server a local
// convenience. Object storage behind a CDN serves them as well.
import type { RepoSnapshot } from '../types.js';
import { staticEntry } from './source-scan.js';
import { lineAt, loc } from './text.js';

/** The file a start script runs with node (`node dev-server.js`, `node ./server.mjs`). */
const NODE_RUN = /^node\s+(?:\.\/)?([\w./-]+\.[cm]?js)\s*$/;
const SERVES_STATIC = /\bexpress\.static\s*\(|\bserveStatic\s*\(/;
/** A route or handler of its own (an SPA fallback that only sends index.html aside), or a proxy to a backend. */
const OWN_ROUTE = /\.(?:get|post|put|patch|delete|all|route)\s*\((?![^\n]*sendFile\()|\b(?:createProxyMiddleware|proxy)\s*\(|\bapp\.use\s*\(\s*["'`]\/api/;
/** What such a file may load: the server and its plumbing, never the repository's own modules. */
const LOADS = /\b(?:require\s*\(\s*|from\s+|import\s+)["'`]([^"'`]+)["'`]/g;
const PLUMBING = /^(?:node:)?(?:express|path|url|http|https|fs|compression|serve-static|helmet|morgan|cors)$/;

/** Where the start script's file serves static files and nothing of its own, when the repository has an index.html. */
export function staticFileServer(snapshot: RepoSnapshot, startScript: string | undefined): string | undefined {
  const file = startScript === undefined ? undefined : NODE_RUN.exec(startScript.trim())?.[1];
  const text = file === undefined ? undefined : snapshot.files.get(file);
  if (text === undefined || staticEntry(snapshot) === undefined) return undefined;
  const serves = SERVES_STATIC.exec(text);
  if (!serves || OWN_ROUTE.test(text)) return undefined;
  for (const m of text.matchAll(LOADS)) if (!PLUMBING.test(m[1] ?? '')) return undefined;
  return loc(file ?? '', lineAt(text, serves.index));
}
