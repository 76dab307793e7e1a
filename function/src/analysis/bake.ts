// Docker Buildx Bake files (`docker-bake.hcl`): a packaging repository names its images by bake target (`target "erpnext"
// { dockerfile = "images/production/Containerfile" … }`) and its compose file pulls them (`frappe/erpnext:v15`). That is how
// a pulled image leads back to the Dockerfile the repository builds it from, when no CI step names it.
import type { RepoSnapshot } from '../types.js';
import { imageName, joinPath } from './docker.js';
import { perSnapshot } from './files.js';
import { escapeRegExp } from './text.js';

/** Bake files at the root or one folder down (`docker/docker-bake.hcl`, `docker-bake.override.hcl`). */
const BAKE_FILE = /^(?:[^/]+\/)?docker-bake(?:\.[\w-]+)?\.hcl$/;
/** `target "name" {`, group 1 the name (`[ \t]`, not `\s`: a `^\s*` run over blank lines would rescan them from every line). */
const TARGET = /^[ \t]*target[ \t]+"([\w.-]+)"[ \t]*\{/gm;

interface BakeTarget {
  name: string;
  body: string;
  file: string;
}

/** The text between a block's `{` at `open` and its matching `}` (`${VAR}` inside strings is balanced too). */
function blockBody(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

const bakeTargets = perSnapshot((snapshot: RepoSnapshot): BakeTarget[] =>
  [...snapshot.files.entries()]
    .filter(([p]) => BAKE_FILE.test(p))
    .flatMap(([file, text]) => [...text.matchAll(TARGET)].map((m) => ({ name: m[1] ?? '', body: blockBody(text, (m.index ?? 0) + m[0].length - 1), file }))),
);

const attribute = (body: string, key: string): string | undefined => new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*"([^"\\n$]*)"`, 'm').exec(body)?.[1];
const inherited = (body: string): string[] => [.../^[ \t]*inherits[ \t]*=[ \t]*\[([^\]\n]*)\]/m.exec(body)?.[1]?.matchAll(/"([\w.-]+)"/g) ?? []].map((m) => m[1] ?? '');

/** A target's `dockerfile` (relative to its `context`), from itself or the targets it inherits; the context's Dockerfile when none sets it. */
function targetDockerfile(t: BakeTarget, all: readonly BakeTarget[], seen = new Set<string>()): string {
  seen.add(t.name);
  const context = attribute(t.body, 'context') ?? '.';
  const own = attribute(t.body, 'dockerfile');
  if (own !== undefined) return joinPath(joinPath('', context), own);
  for (const name of inherited(t.body)) {
    const parent = all.find((o) => o.name === name && o.file === t.file);
    if (parent && !seen.has(name) && attribute(parent.body, 'dockerfile') !== undefined) return targetDockerfile(parent, all, seen);
  }
  return joinPath(joinPath('', context), 'Dockerfile');
}

/**
 * The Dockerfile of the bake target that builds a pulled image (`org/app`, compose defaults such as `${IMAGE:-org/app}` resolved by
 * the caller): the target named after the image's last part, or tagging it literally (`tags = ["org/app:latest"]`), in a bake file
 * that names the image's owner (`REGISTRY_USER` default "org"), so `bitnami/postgres` is never taken for a target named postgres.
 */
export function bakeBuiltDockerfile(snapshot: RepoSnapshot, image: string): string | undefined {
  const name = imageName(image);
  const [owner] = name.split('/');
  const last = name.split('/').pop() ?? name;
  if (!name.includes('/') || !owner) return undefined;
  const all = bakeTargets(snapshot);
  const ownerNamed = new RegExp(`["/]${escapeRegExp(owner)}["/]`);
  const tagged = new RegExp(`["/]${escapeRegExp(name)}[:"]`);
  for (const t of all) {
    if (!ownerNamed.test(snapshot.files.get(t.file) ?? '')) continue;
    if (t.name !== last && !tagged.test(t.body)) continue;
    const path = targetDockerfile(t, all);
    if (snapshot.files.has(path)) return path;
  }
  return undefined;
}
