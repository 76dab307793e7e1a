// Environment variable names the app expects, from the example env files teams commit. Names
// only: values in these files are placeholders at best and secrets at worst, so they are dropped.
import type { RepoSnapshot } from '../types.js';
import type { Located } from './model.js';
import { loc, splitLines } from './text.js';

/** The example env files teams commit: what an operator copies to `.env`. */
export const ENV_TEMPLATE_FILES = ['.env.example', '.env.sample', '.env.template', '.env.dist', 'example.env', '.env.local.example', '.env.development.example'];

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
