// The only text that is ever embedded: what the seed prescribes, short, never file contents or
// secrets. Queries embed queryText (framework, language, dependencies, intent); records add
// strategy and outcome, which is what a neighbour is consulted for. The function embeds both; the
// controller only writes recordText, so it lives here with the write side.
import type { DeploymentRecord } from './record.js';

/** Well under the 500-word limit; USE-lite and MiniLM both read at most a few hundred tokens anyway. */
export const MAX_WORDS = 200;

export function capWords(text: string, max = MAX_WORDS): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length <= max ? words.join(' ') : words.slice(0, max).join(' ');
}

/** The text embedded for a query: short, meaningful, never file contents or secrets. */
export function queryText(parts: { framework: string | null; language: string | null; dependencies: string[]; prompt: string }): string {
  return [
    parts.framework && `framework ${parts.framework}`,
    parts.language && `language ${parts.language}`,
    parts.dependencies.length > 0 && `dependencies ${parts.dependencies.slice(0, 15).join(' ')}`,
    parts.prompt && `intent ${parts.prompt.slice(0, 500)}`,
  ]
    .filter(Boolean)
    .join('; ');
}

export function recordText(r: Pick<DeploymentRecord, 'framework' | 'language' | 'dependencies' | 'intent' | 'strategy' | 'outcome'>): string {
  const base = queryText({ framework: r.framework, language: r.language, dependencies: r.dependencies ?? [], prompt: r.intent ?? '' });
  return capWords([base, `strategy ${r.strategy}`, `outcome ${r.outcome}`].filter(Boolean).join('; '));
}
