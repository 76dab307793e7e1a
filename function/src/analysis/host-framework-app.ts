// An app of a host framework runs inside that framework's server, which the repository does not start itself: a Frappe app
// declares the Frappe version it needs (`[tool.bench.frappe-dependencies]`) and is installed into a bench that serves it.
// It serves HTTP through that server, though it declares no start command of its own: a web app, not a library.
import type { RepoSnapshot } from '../types.js';
import { asTable, tomlSection, tomlTable } from './manifests/common.js';
import { lineAt, loc } from './text.js';

const FRAPPE_DEPENDENCIES = 'tool.bench.frappe-dependencies';

/** Where the repository declares itself an app of a host framework's server (pyproject's `[tool.bench.frappe-dependencies]` naming frappe), or undefined. */
export function hostFrameworkApp(snapshot: RepoSnapshot): string | undefined {
  const text = snapshot.files.get('pyproject.toml');
  // (Only a pyproject naming the table is parsed: most are not Frappe apps.)
  if (text === undefined || !text.includes(FRAPPE_DEPENDENCIES)) return undefined;
  const table = asTable(asTable(asTable(tomlTable(text)?.tool)?.bench)?.['frappe-dependencies']);
  return table?.frappe !== undefined ? loc('pyproject.toml', lineAt(text, tomlSection(text, FRAPPE_DEPENDENCIES))) : undefined;
}
