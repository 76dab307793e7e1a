// A custom Next.js server: an Express (Fastify, Koa, hapi) app that serves the Next app through its request handler.
// The server framework is then the app's, Next one of the handlers it mounts, though Next outranks it as a dependency.
import type { RepoSnapshot } from '../types.js';
import { SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import type { Located } from './model.js';
import { lineAt, loc } from './text.js';

/** `import next from 'next'`, `require('next')`: the file uses Next's custom-server API (not an Express `next` callback). */
const IMPORTS_NEXT = /\bfrom\s+["']next["']|\brequire\(\s*["']next["']\s*\)/;
/** `next({ dev })`: the Next app a custom server prepares. */
const NEXT_APP = /\bnext\(\s*\{/;
/** The call that builds each server framework's app. */
const SERVER_APP: Readonly<Record<string, RegExp>> = {
  express: /\bexpress\(\s*\)/,
  fastify: /\b[Ff]astify\(\s*[{)]/,
  koa: /\bnew\s+Koa\(/,
  hapi: /\bHapi\.server\(/,
};

/** The server framework (among `candidates`, the ones Next outranked) whose app a source file builds beside `next({…})`. */
export function customNextServer(snapshot: RepoSnapshot, candidates: readonly string[]): Located<string> | undefined {
  const servers = candidates.filter((c) => SERVER_APP[c] !== undefined);
  if (servers.length === 0) return undefined;
  for (const file of sourceFiles(snapshot, SOURCE_EXTENSIONS.node)) {
    if (!NEXT_APP.test(file.text) || !IMPORTS_NEXT.test(file.text)) continue;
    for (const name of servers) {
      const m = SERVER_APP[name]?.exec(file.text);
      if (m) return { value: name, source: loc(file.path, lineAt(file.text, m.index)) };
    }
  }
  return undefined;
}
