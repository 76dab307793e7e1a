// Environment variable names the app expects, from the example env files teams commit. Names
// only: values in these files are placeholders at best and secrets at worst, so they are never
// reported; `envFileValues` reads them only to resolve a compose setting (`build.target: ${TARGET}`).
import type { RepoSnapshot } from '../types.js';
import type { Located } from './model.js';
import { loc, splitLines } from './text.js';

/** The example env files teams commit: what an operator copies to `.env`. */
export const ENV_TEMPLATE_FILES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env', '.env.local.example', '.env.development.example'];
/** The env files a Docker or production setup copies to `.env` (Laravel's `.env.docker` …), then the templates. */
export const DEPLOY_ENV_FILES = ['.env.docker', '.env.production', ...ENV_TEMPLATE_FILES];
/** Any env file, anywhere (`.env`, `.env.prod`, `docker/app.env`): where a deployment sets the app's variables. */
export const ENV_FILE = /(?:^|\/)(?:\.env[\w.-]*|[\w.-]+\.env)$/;
/** Any compose file, anywhere (`docker-compose.prod.yml`, `compose.yaml`): its `environment:` sets variables too. */
export const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose[\w.-]*\.ya?ml$/;

/** A root compose file's `env_file:` entries (a string or a list item): the env files its services load. */
const ENV_FILE_ENTRY = /^[ \t]*env_file:[ \t]*["']?([\w./-]+)|^[ \t]*env_file:[ \t]*\r?\n((?:[ \t]*-[ \t]*["']?[\w./-]+["']?[ \t]*\r?\n?)+)/gm;

/** The repository's env files that its root compose files load (`env_file: .env-local`), as repository paths. */
export function composeEnvFiles(snapshot: RepoSnapshot): string[] {
  const out = new Set<string>();
  for (const [path, text] of snapshot.files) {
    if (!/^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/.test(path)) continue;
    for (const m of text.matchAll(ENV_FILE_ENTRY)) {
      const names = m[1] !== undefined ? [m[1]] : [...(m[2] ?? '').matchAll(/-[ \t]*["']?([\w./-]+)/g)].map((e) => e[1] ?? '');
      for (const name of names) if (snapshot.files.has(name.replace(/^\.\//, ''))) out.add(name.replace(/^\.\//, ''));
    }
  }
  return [...out].sort();
}

/** `KEY=value` of env files, quotes stripped; a key set in several files keeps the earliest file's value. */
export function envFileValues(snapshot: RepoSnapshot, files: readonly string[]): Map<string, string> {
  const vars = new Map<string, string>();
  for (const file of [...files].reverse()) {
    for (const m of (snapshot.files.get(file) ?? '').matchAll(/^\s*(?:export\s+)?(\w+)\s*=\s*("[^"]*"|'[^']*'|[^\s#]*)/gm)) vars.set(m[1] ?? '', (m[2] ?? '').replace(/^["']|["']$/g, ''));
  }
  return vars;
}

export function envVarNames(snapshot: RepoSnapshot): Located<string>[] {
  const out = new Map<string, Located<string>>();
  for (const path of ENV_TEMPLATE_FILES) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    splitLines(text).forEach((line, i) => {
      const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
      if (name && !out.has(name)) out.set(name, { value: name, source: loc(path, i + 1) });
    });
  }
  return [...out.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
