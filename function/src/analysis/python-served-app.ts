// Which Python web framework builds the app object the server command serves. A project may declare two (Flask for the
// API, FastAPI for a side websocket endpoint): the one whose object `gunicorn app.instance:app` runs is the app's.
import type { RepoSnapshot } from '../types.js';
import type { DockerfileFacts } from './docker.js';
import type { Located } from './model.js';
import { startedScript } from './start-command.js';
import { assignedCall } from './source-scan.js';
import { escapeRegExp, lineAt, loc } from './text.js';

/** The Python app object a command serves (`uvicorn pkg.main:app`, `gunicorn -k … pkg.wsgi:application`, `create_app()`): group 1. */
export const APP_TARGET = /(?:^|[\s"'=])([A-Za-z_][\w.]*:[A-Za-z_]\w*(?:\(\))?)(?=$|[\s"'])/;
/** A WSGI/ASGI server program named in a shell line. */
const WSGI_SERVER = /\b(?:gunicorn|uvicorn|hypercorn|daphne|granian|waitress-serve)\b/;

/** The `module:object` the first server line serves, read line by line (a comment line serves nothing). */
function servedTarget(text: string): { module: string; object: string } | undefined {
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const server = WSGI_SERVER.exec(line);
    const target = server ? APP_TARGET.exec(line.slice(server.index + server[0].length))?.[1] : undefined;
    const [module, object] = target?.replace(/\(\)$/, '').split(':') ?? [];
    if (module && object) return { module, object };
  }
  return undefined;
}

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
  const target = servedTarget(command) ?? servedTarget(startedScript(snapshot, command, dockerfile)?.text ?? '');
  const path = target === undefined ? undefined : moduleFile(snapshot, target.module);
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (target === undefined || path === undefined || text === undefined) return undefined;
  const { object } = target;
  for (const b of BUILDERS) {
    const m = assignedCall(escapeRegExp(object), `(?:\\w+\\.)?${b.call}`).exec(text);
    if (m) return { value: b.framework, source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}
