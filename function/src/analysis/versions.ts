// Turning version specifiers into the one version a deployment would pick.

/**
 * Lowest version a range admits: `>=3.9,<4` → `3.9`, `^20.1` → `20.1`, `20.x` → `20`,
 * `~> 3.2` → `3.2`. Undefined when the range has no lower bound (`<4`, `*`, `lts/iron`).
 * A range's floor is what every satisfying runtime supports, so it is the safe pick.
 */
export function minimumVersion(spec: string): string | undefined {
  const first = (spec.split('||')[0] ?? '').replace(/([<>=!~^]+)\s+/g, '$1');
  for (const clause of first.split(/[,\s]+/)) {
    const m = /^(?:>=|===|==|~=|~>|\^|~|=|>)?v?(\d+(?:\.\d+)*)/.exec(clause);
    if (m) return m[1];
  }
  return undefined;
}

/** A bare version somewhere in a version file: `python-3.11.4` → `3.11.4`, `v20.11.0` → `20.11.0`. */
export function versionIn(text: string): string | undefined {
  return /(?:^|[^\d.])(\d+(?:\.\d+){0,2})/.exec(text.trim())?.[1];
}
