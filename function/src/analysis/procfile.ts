// Procfile (Heroku/buildpack convention): `name: command` per line.
import type { RepoSnapshot } from '../types.js';
import type { Located } from './model.js';
import { loc, splitLines } from './text.js';

export function parseProcfile(snapshot: RepoSnapshot): Map<string, Located<string>> {
  const out = new Map<string, Located<string>>();
  const text = snapshot.files.get('Procfile');
  if (text === undefined) return out;
  splitLines(text).forEach((line, i) => {
    const m = /^([A-Za-z0-9_-]+)\s*:\s*(\S.*?)\s*$/.exec(line);
    if (m?.[1] && m[2] && !out.has(m[1])) out.set(m[1], { value: m[2], source: loc('Procfile', i + 1) });
  });
  return out;
}
