// Helpers shared by the manifest readers.
import { parse as parseToml } from 'smol-toml';
import { asObj, type Obj } from '../../../../lib/obj.js';
import type { DeclaredDependency } from '../model.js';
import { compare } from '../evidence.js';
import { escapeRegExp, findLine } from '../text.js';

export type Table = Obj;
export { asObj as asTable };

/** The JSON object a manifest or lock file holds; undefined when the text is missing, unreadable or not an object. */
export function jsonTable(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  try {
    return asObj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The TOML document a manifest holds; undefined when the text is missing or unreadable. */
export function tomlTable(text: string | undefined): Table | undefined {
  if (text === undefined) return undefined;
  try {
    return asObj(parseToml(text));
  } catch {
    return undefined;
  }
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** An exact version (no operator, no wildcard) beats a range, which beats nothing. */
function specificity(d: DeclaredDependency): number {
  if (d.version === undefined) return 0;
  return /^[\w.+-]+$/.test(d.version) && !d.version.includes('*') ? 2 : 1;
}

/** One entry per name; the most specific version wins, then the earliest manifest. Sorted by name. */
export function mergeDependencies(lists: readonly DeclaredDependency[][]): DeclaredDependency[] {
  const byName = new Map<string, DeclaredDependency>();
  for (const list of lists) {
    for (const dep of list) {
      const prev = byName.get(dep.name);
      if (!prev || specificity(dep) > specificity(prev)) byName.set(dep.name, dep);
    }
  }
  return [...byName.values()].sort((a, b) => compare(a.name, b.name));
}

/** Replaces declared specifiers with the versions a lockfile resolved. */
export function applyLocked(
  deps: DeclaredDependency[],
  locked: ReadonlyMap<string, { version: string; source: string }>,
): DeclaredDependency[] {
  return deps.map((d) => {
    const hit = locked.get(d.name);
    return hit ? { ...d, version: hit.version, lockSource: hit.source } : d;
  });
}

/** Offset of a TOML `[header]` line's start, or -1. (Only blanks before it: `\s*` would start the match on an empty line above.) */
export function tomlSection(text: string, header: string): number {
  const m = new RegExp(`^[ \\t]*\\[[ \\t]*${escapeRegExp(header)}[ \\t]*\\]`, 'm').exec(text);
  return m ? m.index : -1;
}

/** Line of `key = …` inside a TOML section (bare or quoted key). */
export function tomlKeyLine(text: string, header: string, key: string): number | undefined {
  const start = tomlSection(text, header);
  if (start < 0) return undefined;
  return findLine(text, new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`, 'm'), start);
}
