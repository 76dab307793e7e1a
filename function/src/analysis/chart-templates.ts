// A Helm chart's own workloads: the Deployments/StatefulSets/DaemonSets of its templates/ folder, whose
// image lines are template expressions (`"{{ .Values.web.image.repository }}:{{ .Values.web.image.tag }}"`)
// resolved against the chart's values.yaml where they can be. Dependency charts vendored under a chart's
// charts/ folder are someone else's.
import { parse } from 'yaml';
import type { RepoSnapshot } from '../types.js';
import { escapeRegExp } from './text.js';

/** Folders (ending in `/`, the root as '') holding a Chart.yaml. */
export function chartDirs(snapshot: RepoSnapshot): string[] {
  return [...snapshot.files.keys()].filter((p) => p === 'Chart.yaml' || p.endsWith('/Chart.yaml')).map((p) => p.slice(0, -'Chart.yaml'.length));
}

/** Of the chart folders, those that are not a dependency vendored under another chart's charts/. */
export function ownChartDirs(dirs: readonly string[]): string[] {
  return dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}charts/`)));
}

/** The text of a chart's helper templates (`templates/*.tpl`), where `define` blocks assemble image names. */
export function chartHelpers(snapshot: RepoSnapshot, chartDir: string): string {
  return [...snapshot.files].filter(([p]) => p.startsWith(`${chartDir}templates/`) && p.endsWith('.tpl')).map(([, t]) => t).join('\n');
}

/** The chart's values.yaml as plain data, or undefined when it is absent or not YAML. */
export function chartValues(snapshot: RepoSnapshot, chartDir: string): unknown {
  const text = snapshot.files.get(`${chartDir}values.yaml`);
  if (text === undefined) return undefined;
  try {
    return parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `.Values.a.b.c` looked up in the values, when it names a scalar. */
function lookup(values: unknown, path: string): string | undefined {
  let at: unknown = values;
  for (const key of path.split('.')) {
    if (!at || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' || typeof at === 'number' ? String(at) : undefined;
}

/** Stands in for an expression the values do not resolve. */
const UNRESOLVED = '\u0000';

/** The `define "name"` block of the chart's helper templates (`_helpers.tpl`), up to its `end`. */
function helper(helpers: string, name: string): string | undefined {
  const at = helpers.search(new RegExp(`\\{\\{-?\\s*define\\s+"${escapeRegExp(name)}"`));
  if (at < 0) return undefined;
  const end = /\{\{-?\s*end\s*-?\}\}/.exec(helpers.slice(at));
  return helpers.slice(at, end ? at + end.index : undefined);
}

/** What one `{{ … }}` gives: a `.Values` path, an `include` of a helper naming the image repository, or a `default "v"`. */
function expression(expr: string, values: unknown, helpers: string): string | undefined {
  const included = /\binclude\s+"([^"]+)"/.exec(expr)?.[1];
  if (included !== undefined) {
    const block = helper(helpers, included) ?? '';
    // The helper assembles the image from values: its repository (or image) value is the name.
    for (const m of block.matchAll(/\.Values\.([\w.]*(?:repository|image))\b/g)) {
      const found = lookup(values, m[1] ?? '');
      if (found) return found;
    }
    return undefined;
  }
  const path = /\.Values\.([\w.]+)/.exec(expr)?.[1];
  return (path === undefined ? undefined : lookup(values, path)) ?? /\bdefault\s+"([^"]*)"/.exec(expr)?.[1];
}

/**
 * An image value with its `{{ … }}` expressions replaced by what the values give; undefined when the image's name
 * cannot be resolved. A tag that cannot be (`.Chart.AppVersion`) is dropped: the name is what tells the app from a store.
 */
export function resolveImage(raw: string, values: unknown, helpers = ''): string | undefined {
  const out = raw.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_, expr: string) => expression(expr, values, helpers) ?? UNRESOLVED);
  const colon = out.lastIndexOf(':');
  const tagged = colon > out.lastIndexOf('/');
  const name = tagged ? out.slice(0, colon) : out;
  return name === '' || name.includes(UNRESOLVED) ? undefined : name;
}
