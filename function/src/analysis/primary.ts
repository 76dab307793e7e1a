// The app's primary language and framework among the manifests found.
import type { RepoSnapshot } from '../types.js';
import { type DockerfileFacts, runtimeOfImage } from './docker.js';
import { type DetectedFramework, defaultPortOf, detectFramework, FRAMEWORK_RULES } from './frameworks.js';
import { type GoFacts } from './manifests/go.js';
import { type NodeFacts } from './manifests/node.js';
import { LANGUAGE_ORDER, type Language, type Located, type ManifestFacts } from './model.js';
import { languageByExtension } from './source-scan.js';
import { jobsFromDependencies } from './stateful.js';
import { SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { escapeRegExp } from './text.js';

/**
 * The ecosystem the app is written in: the one with a web framework, else background jobs,
 * else the Dockerfile's runtime, else a runnable entry, else the first in LANGUAGE_ORDER.
 * With no manifest at all: the Dockerfile's runtime, else the majority of source files.
 */
export function choosePrimary(
  snapshot: RepoSnapshot,
  manifests: ReadonlyMap<Language, ManifestFacts>,
  dockerfile: DockerfileFacts | undefined,
  node: NodeFacts | null,
  go: GoFacts | null,
): { language?: Located<Language>; framework?: DetectedFramework } {
  // The runtime of the stage the image ships (a JVM after a node stage that only builds the front-end), else the first stage's that names one.
  const shippedRuntime = dockerfile?.shippedBase ? { runtime: runtimeOfImage(dockerfile.shippedBase.value), source: dockerfile.shippedBase.source } : undefined;
  const dockerRuntime = shippedRuntime?.runtime ? shippedRuntime : dockerfile?.images.map((i) => ({ runtime: runtimeOfImage(i.value), source: i.source })).find((r) => r.runtime);
  const present = LANGUAGE_ORDER.filter((l) => manifests.has(l));
  if (present.length === 0) {
    const language: Located<Language> | undefined = dockerRuntime?.runtime
      ? { value: dockerRuntime.runtime.language, source: dockerRuntime.source }
      : languageByExtension(snapshot, LANGUAGE_ORDER);
    if (!language) return {};
    const framework = detectFramework(snapshot, language.value, [], false);
    return framework ? { language, framework } : { language };
  }
  // A Go module without package main is a library (gin itself): its net/http use is not a server.
  const libraryOnly = (l: Language): boolean => l === 'go' && !go?.mainPackage && manifests.get(l)?.packageHint !== undefined;
  // A Rust crate with no binary target cannot be run: its web framework dependency serves nobody (an API library of a workspace).
  const cannotRun = (l: Language): boolean => l === 'rust' && !manifests.get(l)?.runnable && manifests.get(l)?.packageHint !== undefined;
  const frameworks = new Map(present.map((l) => [l, cannotRun(l) ? undefined : hinted(manifests.get(l)) ?? detectFramework(snapshot, l, manifests.get(l)?.dependencies ?? [], true, manifests.get(l)?.devDependencies ?? [], libraryOnly(l))]));
  // A package.json with no start script beside another ecosystem's app only builds assets: its framework does not make the
  // app a Node one when the image runs the other ecosystem's runtime (php:apache), or when no source file loads the package.
  const imageLanguage = dockerRuntime?.runtime?.language;
  // (A start script that only builds or watches assets starts no app beside another ecosystem's code.)
  const nodeStarts = node?.startScript !== undefined && !(present.length > 1 && assetsOnly(node.startScript.value));
  if (present.length > 1 && !nodeStarts && frameworks.get('node') && ((imageLanguage !== undefined && imageLanguage !== 'node' && manifests.has(imageLanguage)) || !loadedBySource(snapshot, frameworks.get('node')))) frameworks.set('node', undefined);
  const runnable = (l: Language) => (l === 'node' && nodeStarts) || (l === 'go' && go?.mainPackage) || manifests.get(l)?.runnable;
  // A package.json holding only dev tooling (linters, test runners) beside an image of another runtime
  // whose ecosystem has no manifest (PHP files on php:apache): the image's language is the app's.
  const toolingOnly = (l: Language) => l === 'node' && !nodeStarts && !manifests.get(l)?.runnable && (manifests.get(l)?.dependencies.length ?? 0) === 0 && !frameworks.get(l);
  if (dockerRuntime && imageLanguage && !manifests.has(imageLanguage) && present.every(toolingOnly)) {
    const framework = detectFramework(snapshot, imageLanguage, [], false);
    const language = { value: imageLanguage, source: dockerRuntime.source };
    return framework ? { language, framework } : { language };
  }
  const chosen =
    present.find((l) => frameworks.get(l)) ??
    present.find((l) => jobsFromDependencies(l, manifests.get(l)?.dependencies ?? []).length > 0) ??
    present.find((l) => l === dockerRuntime?.runtime?.language) ??
    // (A runnable manifest at the root outranks one a subfolder holds: a Go module's root beside a helper's .csproj in agent/lhm/.
    // Not a root package.json, whose start script often only runs tooling beside a .NET app in src/App/.)
    present.find((l) => l !== 'node' && runnable(l) && !(manifests.get(l)?.manifests[0] ?? '/').includes('/')) ??
    present.find(runnable) ??
    present[0]!;
  const language = { value: chosen, source: manifests.get(chosen)?.manifests[0] ?? 'rule:manifest' };
  const framework = frameworks.get(chosen);
  return framework ? { language, framework } : { language };
}

/** A bundler, task runner or style compiler, in build or watch mode (not `babel-node` or `webpack-dev-server`, which run code). */
const BUNDLER_STEP = /^(?:npx\s+)?(?:parcel|webpack|rollup|grunt|gulp|esbuild|sass|postcss|babel|vite\s+build)(?=\s|$)/;
/** …or one of those, the TypeScript compiler, or a package script named for building assets (`npm run dev:components`, `yarn build:css`). */
const ASSET_STEP = new RegExp(`${BUNDLER_STEP.source}|^(?:npx\\s+)?tsc(?=\\s|$)|^(?:npm|pnpm|yarn)\\s+(?:run\\s+)?(?:build|dev|watch|compile|css|js|assets)(?::[\\w.-]+)?(?=\\s|$)`);

/** A start script whose steps only run asset tools and asset scripts, one of them a bundler (`npm run dev:css && parcel watch src/*.js`). */
function assetsOnly(script: string): boolean {
  const steps = script.split(/\s*&&\s*/).map((s) => s.trim());
  return steps.every((s) => ASSET_STEP.test(s)) && steps.some((s) => BUNDLER_STEP.test(s));
}

/** Node server frameworks an app loads in its own code (build-time frameworks such as Nuxt or Next.js load themselves). */
const SERVER_FRAMEWORKS = new Set(['express', 'koa', 'fastify', 'hapi', 'hono', 'nestjs']);
/** Where such a load can be written: scripts and their JSX/TSX forms. */
const NODE_CODE = [...SOURCE_EXTENSIONS.node, '.jsx', '.tsx'];

/**
 * Whether the app's Node code loads the server framework (`require('express')`, `from 'express'`, `import('@nestjs/core')`).
 * Any other framework, or one read from the code itself, counts as loaded.
 */
function loadedBySource(snapshot: RepoSnapshot, framework: DetectedFramework | undefined): boolean {
  if (!framework || !SERVER_FRAMEWORKS.has(framework.name)) return true;
  const packages = FRAMEWORK_RULES.find((r) => r.name === framework.name && r.language === 'node')?.packages ?? [];
  const loads = new RegExp(String.raw`(?:\brequire\(\s*|\bfrom\s*|\bimport\s*\(?\s*)["'](?:${packages.map(escapeRegExp).join('|')})(?:\/[^"']*)?["']`);
  return sourceFiles(snapshot, NODE_CODE).some((f) => loads.test(f.text));
}

/** A framework the manifest declares itself (.csproj SDK). */
function hinted(facts: ManifestFacts | undefined): DetectedFramework | undefined {
  const hint = facts?.frameworkHint;
  if (!hint) return undefined;
  return { name: hint.name, defaultPort: defaultPortOf(hint.name) ?? 8080, source: hint.source, outranked: [], ...(hint.version ? { version: hint.version, versionSource: hint.source } : {}) };
}

