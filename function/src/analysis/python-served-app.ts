// Which Python web framework builds the app object the server command serves. A project may declare two (Flask for the
// API, FastAPI for a side websocket endpoint): the one whose object `gunicorn app.instance:app` runs is the app's.
import type { RepoSnapshot } from '../types.js';
import type { DockerfileFacts } from './docker.js';
import type { Located } from './model.js';
import { startedScript } from './start-command.js';
import { escapeRegExp, lineAt, loc } from './text.js';

/** A WSGI/ASGI server given `module:object` on a non-comment line: group 1 the module, group 2 the object. */
const SERVED_TARGET = /^(?![ \t]*#)[^\n]*?\b(?:gunicorn|uvicorn|hypercorn|daphne|granian|waitress-serve)\b[^\n]*?[\s"'=]([A-Za-z_][\w.]*):([A-Za-z_]\w*)(?![\w.:])/m;

/** The constructor call that builds an app object, by framework. */
const BUILDERS: readonly { framework: string; call: string }[] = [
  { framework: 'flask', call: 'Flask' },
  { framework: 'fastapi', call: 'FastAPI' },
  { framework: 'django', call: 'get_(?:wsgi|asgi)_application' },
];

/** The module's file: `app.instance` is app/instance.py or app/instance/__init__.py. */
function moduleFile(snapshot: RepoSnapshot, module: string): string | undefined {
  const base = module.replace(/\./g, '/');
  return [`${base}.py`, `${base}/__init__.py`].find((p) => snapshot.files.has(p));
}

/**
 * The framework whose constructor builds the object a server command serves, read from the command itself or the script it
 * starts (`sh scripts/container_start.sh` running `gunicorn -b 0.0.0.0:${PORT} app.instance:app`).
 */
export function servedPythonFramework(snapshot: RepoSnapshot, command: string, dockerfile?: DockerfileFacts): Located<string> | undefined {
  const target = SERVED_TARGET.exec(command) ?? SERVED_TARGET.exec(startedScript(snapshot, command, dockerfile)?.text ?? '');
  const [module, object] = [target?.[1], target?.[2]];
  const path = module === undefined ? undefined : moduleFile(snapshot, module);
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (path === undefined || text === undefined || object === undefined) return undefined;
  for (const b of BUILDERS) {
    const m = new RegExp(`^${escapeRegExp(object)}\\s*(?::\\s*\\w+\\s*)?=\\s*(?:\\w+\\.)?${b.call}\\(`, 'm').exec(text);
    if (m) return { value: b.framework, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}
