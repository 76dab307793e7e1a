// A Rack app at the repository's root: `config.ru` is what `rackup` (or Puma, Unicorn, Passenger) loads, and its
// builder's `run` line hands requests to the app. It serves HTTP though no framework scai lists builds it (a gem with
// its own Rack routing, a Roda or Hanami app): a web app, not a library.
import type { RepoSnapshot } from '../types.js';
import { lineAt, loc } from './text.js';

/** Rack's builder DSL: `run App.new`, `run Olelo::Application.new(…)`, at the start of a line (a `#` comment never is). */
const RUN_LINE = /^[ \t]*run[ \t(]+[\w:@$]/m;

/** Where the root `config.ru` runs a Rack app (its `run` line), or undefined. */
export function rackupApp(snapshot: RepoSnapshot): string | undefined {
  const text = snapshot.files.get('config.ru');
  if (text === undefined) return undefined;
  const m = RUN_LINE.exec(text);
  return m ? loc('config.ru', lineAt(text, m.index + m[0].indexOf('run'))) : undefined;
}
