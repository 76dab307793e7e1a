// Kamal's config/deploy.yml `servers:` roles: the processes of one image, each run as containers of their own (`web`, and
// `job` running `bin/jobs`), the same contract as a Procfile's process types. The file is ERB-templated YAML, so it is read
// by indentation with the template's lines skipped; destination files (`config/deploy.staging.yml`) are not read.
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
  let inner: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // (Blank lines, comments and ERB's own lines, `<% if … %>`, are not YAML.)
    if (/^\s*(?:#.*|<%.*)?$/.test(line)) continue;
    const depth = line.length - line.trimStart().length;
    if (depth === 0) break;
    indent ??= depth;
    if (depth === indent && /^\s*-\s/.test(line)) return [{ name: 'web', source: loc(DEPLOY_FILE, start + 1), build: DEPLOY_FILE, role: false }];
    const key = depth === indent ? /^\s*([\w-]+):/.exec(line)?.[1] : undefined;
    if (key !== undefined) {
      roles.push({ name: key, line: i + 1 });
      inner = undefined;
      continue;
    }
    // A role's own `cmd:` sits one level below its key (not under its `options:` or `labels:`); quotes around it dropped.
    if (depth > indent) inner ??= depth;
    const cmd = depth === inner ? /^\s*cmd:\s*(.+?)\s*(?:#.*)?$/.exec(line)?.[1]?.replace(/^(["'])(.*)\1$/, '$2') : undefined;
    const last = roles.at(-1);
    if (last && cmd !== undefined) last.cmd = cmd;
  }
  return roles
    .filter((r) => !ONE_SHOT.test(r.name))
    .map((r) => ({ name: r.name, source: loc(DEPLOY_FILE, r.line), build: DEPLOY_FILE, role: namesBackgroundRole(r.name, r.cmd) }));
}
