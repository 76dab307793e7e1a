// Function/static-hosting targets: a vercel.json or netlify.toml, or a meta-framework whose build has a
// function target (OpenNext/Amplify for Next.js, Nitro presets, SvelteKit adapters). Each counts only for
// the part of the repository that is the deployed app: a hosting file in another folder hosts that folder
// (a docs site, a landing page, the UI of a server that serves its API elsewhere), and a framework the
// app runs inside its own Node server is that server's renderer, not a function.
import { parse as parseToml } from 'smol-toml';
import { asObj } from '../../../lib/obj.js';
import type { RepoSnapshot, Sourced } from '../types.js';
import { holdsFiles, SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import type { Language, ManifestFacts } from './model.js';
import type { DockerfileFacts } from './docker.js';
import { HOSTED_FUNCTION_PLATFORMS } from './platforms.js';
import { runsProgramsInBackground } from './start-command.js';
import { dirOf, fileOf } from './text.js';

/** Meta-frameworks that build to a function target themselves (OpenNext/Amplify, Nitro presets, SvelteKit adapters). */
const FUNCTION_TARGET_FRAMEWORKS: Readonly<Record<string, string>> = { nextjs: 'Next.js function target', nuxt: 'Nitro function preset', sveltekit: 'SvelteKit adapter' };

/**
 * The app's own server around the framework: a Next.js custom server (`next({ dev })` then
 * `app.getRequestHandler()` mounted in Express/Fastify/http), or a SvelteKit app built with adapter-node,
 * which emits a Node server (`build/index.js`, or `build/handler.js` mounted in the app's server).
 */
const OWN_SERVER: Readonly<Record<string, { files: 'code' | RegExp; pattern: RegExp; literal: string }>> = {
  nextjs: { files: 'code', pattern: /\.getRequestHandler\(\s*\)/, literal: 'getRequestHandler' },
  sveltekit: { files: /^svelte\.config\.[cm]?[jt]s$/, pattern: /['"]@sveltejs\/adapter-node['"]/, literal: '@sveltejs/adapter-node' },
};

export interface HostingInputs {
  snapshot: RepoSnapshot;
  language: Language | undefined;
  manifests: ReadonlyMap<Language, ManifestFacts>;
  framework?: { name: string; source: string } | undefined;
  platforms: readonly { kind: string; source: string }[];
  /** The app's image: a start script running the framework beside other programs makes it a container, not a function. */
  dockerfile?: DockerfileFacts | undefined;
}

/** vercel.json / netlify.toml of the app, or the app's meta-framework function target. */
export function hostingTarget(t: HostingInputs): Sourced | undefined {
  const appDir = appDirectory(t);
  const hosting = t.platforms.find((p) => HOSTED_FUNCTION_PLATFORMS.has(p.kind) && onAppPath(p.source, appDir) && !(p.kind === 'netlify' && staleNetlify(t.snapshot, p.source)));
  if (hosting) return { name: `${hosting.kind} functions`, source: hosting.source };
  const target = t.framework ? FUNCTION_TARGET_FRAMEWORKS[t.framework.name] : undefined;
  if (!target || !t.framework || ownServerAround(t.snapshot, t.framework.name) || runsBesideOthers(t)) return undefined;
  return { name: target, source: t.framework.source };
}

/** The image's start script runs other programs in the background (`node packages/api/app.js &`, `nginx &`) beside the framework's server. */
const runsBesideOthers = (t: HostingInputs): boolean => t.dockerfile?.command !== undefined && runsProgramsInBackground(t.snapshot, t.dockerfile.command.value, t.dockerfile);

/** The folder of the app's manifest ('' at the root): where its own hosting file would sit. */
function appDirectory(t: HostingInputs): string {
  return dirOf((t.language ? t.manifests.get(t.language)?.manifests[0] : undefined) ?? '');
}

/** A hosting file at the root or in a folder the app lives in hosts the app; one in a sibling folder hosts that folder. */
function onAppPath(source: string, appDir: string): boolean {
  const dir = dirOf(fileOf(source));
  return dir === '' || appDir === dir || appDir.startsWith(`${dir}/`);
}

/** Whether the repository runs the framework inside a server of its own (OWN_SERVER). */
function ownServerAround(snapshot: RepoSnapshot, framework: string): boolean {
  const sign = OWN_SERVER[framework];
  if (!sign) return false;
  const paths = sign.files === 'code' ? sourceFiles(snapshot, SOURCE_EXTENSIONS.node).map((f) => f.path) : [...snapshot.files.keys()].filter((p) => (sign.files as RegExp).test(p));
  return paths.some((p) => {
    const text = snapshot.files.get(p);
    return text !== undefined && text.includes(sign.literal) && sign.pattern.test(text);
  });
}

/**
 * A netlify.toml that publishes a folder built inside a package the repository no longer has (a renamed
 * or removed web app): a stale file, not where the app is hosted.
 */
function staleNetlify(snapshot: RepoSnapshot, path: string): boolean {
  const text = snapshot.files.get(path);
  let build: Record<string, unknown> | undefined;
  try {
    build = text === undefined ? undefined : asObj(asObj(parseToml(text))?.build);
  } catch {
    return false;
  }
  const publish = build?.publish;
  if (typeof publish !== 'string') return false;
  const base = typeof build?.base === 'string' ? build.base : '';
  const segments = [...path.split('/').slice(0, -1), ...base.split('/'), ...publish.split('/')].filter((p) => p !== '' && p !== '.');
  // The folder the build output lands in (packages/web for packages/web/dist) must exist; the root always does.
  const parent = segments.slice(0, -1).join('/');
  return parent !== '' && !holdsFiles(snapshot, parent);
}

