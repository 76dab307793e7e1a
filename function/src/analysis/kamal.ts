// Kamal's config/deploy.yml `servers:` roles: the processes of one image, each run on its own hosts (`web`, and `job`
// running `bin/jobs`), the same contract as a Procfile's process types. Read by indentation: the file is ERB-templated YAML.
import type { RepoSnapshot, Service } from '../types.js';
import { ONE_SHOT } from './docker.js';
import { namesBackgroundRole } from './service-roles.js';
import { loc } from './text.js';

const DEPLOY_FILE = 'config/deploy.yml';

/** The roles Kamal's deploy file runs: each key under `servers:` (a bare host list is the one `web` role). */
export function kamalRoles(snapshot: RepoSnapshot): Service[] {
  const text = snapshot.files.get(DEPLOY_FILE);
  if (text === undefined || !/^image:/m.test(text)) return [];
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^servers:\s*(?:#.*)?$/.test(l));
  if (start < 0) return [];
  const roles: { name: string; line: number; cmd?: string }[] = [];
  let indent: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(?:#.*)?$/.test(line)) continue;
    const depth = line.length - line.trimStart().length;
    if (depth === 0) break;
    indent ??= depth;
    if (depth === indent && /^\s*-\s/.test(line)) return [{ name: 'web', source: loc(DEPLOY_FILE, start + 1), build: DEPLOY_FILE, role: false }];
    const key = depth === indent ? /^\s*([\w-]+):/.exec(line)?.[1] : undefined;
    if (key !== undefined) roles.push({ name: key, line: i + 1 });
    const cmd = depth > indent ? /^\s*cmd:\s*["']?([^"'#\n]+)/.exec(line)?.[1]?.trim() : undefined;
    const last = roles.at(-1);
    if (last && cmd !== undefined) last.cmd = cmd;
  }
  return roles
    .filter((r) => !ONE_SHOT.test(r.name))
    .map((r) => ({ name: r.name, source: loc(DEPLOY_FILE, r.line), build: DEPLOY_FILE, role: namesBackgroundRole(r.name, r.cmd) }));
}
