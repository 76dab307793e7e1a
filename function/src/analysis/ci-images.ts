// The Dockerfile a GitHub Actions workflow builds and pushes under an image name: how a compose file that
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

function steps(text: string): Step[] {
  let doc: unknown;
  try {
    doc = parseDocument(text).toJS();
  } catch {
    return [];
  }
  const jobs = asObj(asObj(doc)?.jobs) ?? {};
  return Object.values(jobs).flatMap((job) => {
    const list = asObj(job)?.steps;
    return Array.isArray(list) ? list.map((s) => (asObj(s) ?? {}) as Step) : [];
  });
}

/** Each workflow's steps, in path order: parsed once per snapshot, however many pulled images ask. */
const workflowSteps = perSnapshot((snapshot: RepoSnapshot): Step[][] =>
  [...snapshot.files].filter(([p]) => WORKFLOW.test(p)).sort(([a], [b]) => a.localeCompare(b)).map(([, text]) => steps(text)),
);

/**
 * The Dockerfile (`with.file`, else the context's Dockerfile) of a docker/build-push-action step whose
 * tags name the image, written in `tags:` or in the step its tags come from (`${{ steps.meta.outputs.tags }}`:
 * a metadata-action's `images:`, or a script composing the tag list).
 */
export function ciBuiltDockerfile(snapshot: RepoSnapshot, image: string): string | undefined {
  const name = imageName(image);
  if (!name.includes('/')) return undefined;
  const named = new RegExp(`(?:^|[\\s,"'=])(?:docker\\.io/)?${escapeRegExp(name)}(?=[:\\s,"']|$)`, 'm');
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
  }
  return undefined;
}
