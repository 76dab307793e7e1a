// The Dockerfile a GitHub Actions workflow builds and pushes under an image name (build-push action or `docker build` step): how a compose file that
// pulls the project's published image (`org/app:latest`) leads back to the Dockerfile it is built from.
import { parseDocument } from 'yaml';
import type { RepoSnapshot } from '../types.js';
import { asObj } from '../../../lib/obj.js';
import { imageName, joinPath } from './docker.js';
import { perSnapshot } from './files.js';
import { escapeRegExp } from './text.js';

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const BUILD_PUSH = /^docker\/build-push-action@/;

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

type Vars = Record<string, string>;

/** `${{ matrix.context }}`, `${{ matrix.repos.image }}`, `${{ env.IMAGE_NAME }}` replaced by the value the job instance gives them; others kept. */
function interpolate(value: string, matrix: Vars, env: Vars): string {
  return value.replace(/\$\{\{\s*(matrix|env)\.([\w-]+(?:\.[\w-]+)*)\s*\}\}/g, (all, scope: string, key: string) => (scope === 'matrix' ? matrix[key] : env[key]) ?? all);
}

const strings = (o: Record<string, unknown> | undefined): Vars =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));

/** An axis value as the matrix variables it sets: a scalar under the axis's name, an object's scalars under `axis.key` (`matrix.repos.image`). */
function axisValue(key: string, v: unknown): Vars | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { [key]: String(v) };
  const o = asObj(v);
  return o ? Object.fromEntries(Object.entries(strings(o)).map(([k, s]) => [`${key}.${k}`, s])) : undefined;
}

/** An `include:` entry's variables: its scalars, and its objects' scalars under `key.field` as for an axis. */
const includeVars = (entry: Record<string, unknown> | undefined): Vars =>
  Object.assign({}, ...Object.entries(entry ?? {}).map(([k, v]) => axisValue(k, v) ?? {})) as Vars;

/** The job's matrix instances: `include:` entries, else the combinations of its list-valued keys; one empty instance without a matrix. */
function matrixInstances(job: Record<string, unknown> | undefined): Vars[] {
  const matrix = asObj(asObj(job?.strategy)?.matrix);
  if (!matrix) return [{}];
  const include = Array.isArray(matrix.include) ? matrix.include.map((i) => includeVars(asObj(i))) : [];
  const axes = Object.entries(matrix).filter(([k, v]) => k !== 'include' && k !== 'exclude' && Array.isArray(v)) as [string, unknown[]][];
  let combos: Vars[] = axes.length ? [{}] : [];
  for (const [key, values] of axes) {
    const sets = values.map((v) => axisValue(key, v)).filter((v): v is Vars => v !== undefined);
    combos = combos.flatMap((c) => sets.map((set) => ({ ...c, ...set })));
  }
  const all = [...combos.slice(0, 64), ...include];
  return all.length ? all : [{}];
}

/** Each job's steps, once per matrix instance, with the instance's matrix and env values filled in. */
function steps(text: string): Step[][] {
  let doc: unknown;
  try {
    doc = parseDocument(text).toJS();
  } catch {
    return [];
  }
  const workflowEnv = strings(asObj(asObj(doc)?.env));
  const jobs = asObj(asObj(doc)?.jobs) ?? {};
  return Object.values(jobs).flatMap((raw) => {
    const job = asObj(raw);
    const list = job?.steps;
    if (!Array.isArray(list)) return [];
    return matrixInstances(job).map((matrix) => {
      const env: Vars = { ...workflowEnv };
      for (const [k, v] of Object.entries(strings(asObj(job?.env)))) env[k] = interpolate(v, matrix, env);
      const fill = (v: unknown): unknown => (typeof v === 'string' ? interpolate(v, matrix, env) : v);
      return list.map((item) => {
        const step = (asObj(item) ?? {}) as Step;
        const withValues = step.with ? Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, fill(v)])) : undefined;
        return { ...step, ...(step.run ? { run: interpolate(step.run, matrix, env) } : {}), ...(withValues ? { with: withValues } : {}) };
      });
    });
  });
}

/** Each workflow job's steps (per matrix instance), in path order: parsed once per snapshot, however many pulled images ask. */
const workflowSteps = perSnapshot((snapshot: RepoSnapshot): Step[][] =>
  [...snapshot.files].filter(([p]) => WORKFLOW.test(p)).sort(([a], [b]) => a.localeCompare(b)).flatMap(([, text]) => steps(text)),
);

/**
 * The Dockerfile (`with.file`, else the context's Dockerfile) of a docker/build-push-action step whose
 * tags name the image, written in `tags:` or in the step its tags come from (`${{ steps.meta.outputs.tags }}`:
 * a metadata-action's `images:`, or a script composing the tag list); else the one a shell step's `docker build -t` tags so.
 */
export function ciBuiltDockerfile(snapshot: RepoSnapshot, image: string): string | undefined {
  const name = imageName(image);
  if (!name.includes('/')) return undefined;
  // (Under any registry host: `ghcr.io/org/app` is the image the compose file pulls as `ghcr.io/org/app:main`.)
  const named = new RegExp(`(?:^|[\\s,"'=])(?:[\\w-]+(?:\\.[\\w-]+)+(?::\\d+)?/)?${escapeRegExp(name)}(?=[:\\s,"']|$)`, 'm');
  for (const all of workflowSteps(snapshot)) {
    for (const step of all.filter((s) => typeof s.uses === 'string' && BUILD_PUSH.test(s.uses))) {
      const tags = String(step.with?.tags ?? '');
      const sources = [...tags.matchAll(/steps\.([\w-]+)\.outputs/g)].map((m) => all.find((s) => s.id === m[1]));
      const texts = [tags, ...sources.map((s) => `${s?.run ?? ''}\n${String(s?.with?.images ?? '')}\n${String(s?.with?.tags ?? '')}`)];
      if (!texts.some((t) => named.test(t))) continue;
      const context = typeof step.with?.context === 'string' ? step.with.context : '.';
      const file = typeof step.with?.file === 'string' ? step.with.file : joinPath(context, 'Dockerfile');
      const resolved = joinPath('', file);
      if (snapshot.files.has(resolved)) return resolved;
    }
    for (const step of all) {
      const built = step.run ? scriptBuiltDockerfile(step.run, named) : undefined;
      if (built !== undefined && snapshot.files.has(built)) return built;
    }
  }
  return undefined;
}

/** A `docker build` / `docker buildx build` command line of a script (continuation lines joined). */
const DOCKER_BUILD = /^\s*docker\s+(?:buildx\s+)?build\s/;
/** `docker build` options that take no value: any other option consumes the next word. */
const FLAG_OPTIONS = new Set(['--no-cache', '--pull', '--push', '--load', '--rm', '--force-rm', '-q', '--quiet', '--squash', '--compress']);

/**
 * The Dockerfile a workflow's shell step builds under the image's name: `docker build -f src/main/docker/Dockerfile.native
 * -t quay.io/org/app:latest .` (`-f`/`--file`, else the context's Dockerfile). Only literal paths: a variable leaves it unknown.
 */
export function scriptBuiltDockerfile(run: string, named: RegExp): string | undefined {
  for (const line of run.replace(/\\\r?\n/g, ' ').split('\n')) {
    if (!DOCKER_BUILD.test(line)) continue;
    const words = line.trim().split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ''));
    const options = new Map<string, string[]>();
    const add = (option: string, value: string) => {
      const values = options.get(option);
      if (values) values.push(value);
      else options.set(option, [value]);
    };
    const positional: string[] = [];
    for (let i = words.indexOf('build') + 1; i < words.length; i++) {
      const word = words[i] ?? '';
      const eq = word.indexOf('=');
      if (!word.startsWith('-')) positional.push(word);
      else if (eq > 0) add(word.slice(0, eq), word.slice(eq + 1));
      else if (!FLAG_OPTIONS.has(word)) add(word, words[++i] ?? '');
    }
    const tags = [...(options.get('-t') ?? []), ...(options.get('--tag') ?? [])];
    if (!tags.some((t) => named.test(t))) continue;
    const file = options.get('-f')?.at(-1) ?? options.get('--file')?.at(-1) ?? joinPath(positional.at(-1) ?? '.', 'Dockerfile');
    if (!/[$`]/.test(file)) return joinPath('', file);
  }
  return undefined;
}
