// fly.toml `[processes]`: named process groups of one app, each run on its own machines (fly scales
// them separately), the same contract as a Procfile's process types.
import { parse as parseToml } from 'smol-toml';
import type { RepoSnapshot, Service } from '../types.js';
import { ONE_SHOT } from './docker.js';
import { asString, asTable, tomlKeyLine } from './manifests/common.js';
import { namesBackgroundRole } from './service-roles.js';
import { loc } from './text.js';

/** The long-running process groups fly.toml declares (a one-shot task is not a service). */
export function flyProcesses(snapshot: RepoSnapshot): Service[] {
  const text = snapshot.files.get('fly.toml');
  if (text === undefined) return [];
  let processes: Record<string, unknown> | undefined;
  try {
    processes = asTable(parseToml(text).processes);
  } catch {
    return [];
  }
  return Object.entries(processes ?? {})
    .filter(([name, command]) => asString(command) !== undefined && !ONE_SHOT.test(name))
    .map(([name, command]) => ({ name, source: loc('fly.toml', tomlKeyLine(text, 'processes', name)), build: 'fly.toml', role: namesBackgroundRole(name, asString(command)) }));
}
