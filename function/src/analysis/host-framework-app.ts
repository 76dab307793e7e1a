// An app of a host framework runs inside that framework's server, which the repository does not start itself: a Frappe app
// declares the Frappe version it needs (`[tool.bench.frappe-dependencies]`) and is installed into a bench that serves it.
// It serves HTTP through that server, though it declares no start command of its own: a web app, not a library.
import type { RepoSnapshot } from '../types.js';
import { lineAt, loc } from './text.js';

/** `[tool.bench.frappe-dependencies]` naming `frappe = "…"` (bench installs the app into a Frappe site). */
const FRAPPE_DEPENDENCIES = /^\[tool\.bench\.frappe-dependencies\][ \t]*\r?\n(?:[ \t]*(?:#.*)?\r?\n|[ \t]*[\w-]+[ \t]*=.*\r?\n)*?[ \t]*frappe[ \t]*=/m;

/** Where the repository declares itself an app of a host framework's server (a Frappe app), or undefined. */
export function hostFrameworkApp(snapshot: RepoSnapshot): string | undefined {
  const text = snapshot.files.get('pyproject.toml') ?? '';
  const m = FRAPPE_DEPENDENCIES.exec(text);
  return m ? loc('pyproject.toml', lineAt(text, m.index)) : undefined;
}
