// Which files of a snapshot are worth reading, in a stable order.
import type { RepoSnapshot } from '../types.js';
import { compare } from './evidence.js';

export interface SourceFile {
  path: string;
  text: string;
}

/** Directories holding third-party, generated or test code: their ports and routes are not the app's. */
const SKIPPED_DIRS = new Set([
  'node_modules', 'vendor', '.git', 'dist', 'build', '.venv', 'venv', '__pycache__', '.next',
  'target', 'coverage', 'site-packages', 'test', 'tests', 'spec', '__tests__', 'testdata',
  'fixtures', 'e2e', 'examples', 'docs',
]);

/** A JVM source set's resources other than main's (`src/integrationTest/resources/`, Maven's `src/it/resources/`): a test's. */
export const NON_MAIN_RESOURCES = /(?:^|\/)src\/(?!main\/)[\w-]+\/resources\//;

const TEST_FILE = /(?:_test\.go|\.(?:test|spec)\.[cm]?[jt]sx?|(?:^|\/)test_[^/]*\.py|_test\.py|(?:^|\/)conftest\.py|_spec\.rb)$/;

/**
 * Folders whose platform manifests are not the app's own deployment: vendored code, tests, docs and examples (a
 * Kubernetes example of how to run the app beside a metrics stack deploys the example's pods, not the app's services).
 */
export const NOT_DEPLOYMENT_DIRS: ReadonlySet<string> = new Set(['node_modules', 'vendor', 'test', 'tests', 'testdata', 'fixtures', 'e2e', 'e2e-tests', 'examples', 'example', 'docs', 'third_party', '.github']);


/** Whether a path is test, vendored or generated code (a test file, or under one of the skipped folders). */
export function isTestOrVendored(path: string): boolean {
  return TEST_FILE.test(path) || path.split('/').slice(0, -1).some((dir) => SKIPPED_DIRS.has(dir));
}

const depthOf = (path: string): number => {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++;
  return n;
};

/** Shallow paths first, then code-unit order: entrypoints tend to sit near the root. */
export function byDepthThenPath(a: string, b: string): number {
  return depthOf(a) - depthOf(b) || compare(a, b);
}

/** `read` of a snapshot, computed once per snapshot: several detectors ask for the same reading. The result is shared: do not mutate. */
export function perSnapshot<T>(read: (snapshot: RepoSnapshot) => T): (snapshot: RepoSnapshot) => T {
  const memo = new WeakMap<RepoSnapshot, T>();
  return (snapshot) => {
    if (memo.has(snapshot)) return memo.get(snapshot) as T;
    const value = read(snapshot);
    memo.set(snapshot, value);
    return value;
  };
}

/** Whether the repository holds a file under `dir` (that `keep` accepts: a `.gitkeep` placeholder may not count). */
export function holdsFiles(snapshot: RepoSnapshot, dir: string, keep: (path: string) => boolean = () => true): boolean {
  const prefix = `${dir}/`;
  for (const p of snapshot.files.keys()) if (p.startsWith(prefix) && keep(p)) return true;
  return false;
}

/** Per snapshot and extension list: every detector asks for the same files; list and sort them once. */
const sourceFilesMemo = new WeakMap<RepoSnapshot, Map<string, readonly SourceFile[]>>();

/** Application source files with one of `extensions`, skipping vendored and test code. Shared: do not mutate. */
export function sourceFiles(snapshot: RepoSnapshot, extensions: readonly string[]): readonly SourceFile[] {
  const key = extensions.join('\u0000');
  let bySnapshot = sourceFilesMemo.get(snapshot);
  const known = bySnapshot?.get(key);
  if (known) return known;
  const out: SourceFile[] = [];
  for (const [path, text] of snapshot.files) {
    if (!extensions.some((ext) => path.endsWith(ext))) continue;
    if (isTestOrVendored(path)) continue;
    out.push({ path, text });
  }
  out.sort((a, b) => byDepthThenPath(a.path, b.path));
  if (!bySnapshot) sourceFilesMemo.set(snapshot, (bySnapshot = new Map()));
  bySnapshot.set(key, out);
  return out;
}

/** Spring Boot / Quarkus configuration files, profile files included (`application-prod.yml`, `application-dev.local.properties`). */
export const JVM_CONFIG_FILE = /(?:^|\/)application(?:-[\w.-]+)?\.(?:properties|ya?ml)$/;

export const SOURCE_EXTENSIONS = {
  python: ['.py'],
  node: ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'],
  go: ['.go'],
  ruby: ['.rb'],
  rust: ['.rs'],
  java: ['.java', '.kt'],
  php: ['.php'],
  dotnet: ['.cs'],
  elixir: ['.ex', '.exs'],
} as const;

export const ALL_SOURCE_EXTENSIONS: readonly string[] = Object.values(SOURCE_EXTENSIONS).flat();

/** A source file of a language scai reads (by its extension). */
export const isSourceCode = (path: string): boolean => ALL_SOURCE_EXTENSIONS.some((e) => path.endsWith(e));

/** Manifests that make a folder an app's code folder, beside source files of a language scai reads. */
const CODE_FOLDER_MANIFESTS = new Set(['package.json', 'go.mod', 'pyproject.toml', 'requirements.txt', 'composer.json', 'Gemfile', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'Cargo.toml', 'mix.exs']);

/**
 * A `templates/` folder of an app's code (beside its manifest or source files: `server/templates/`, a Go plugin's
 * `templates/chart/`; the caller rules Helm charts out) holds manifests the code renders for others at run time (a
 * PaaS's build Jobs, the charts it installs for its users' apps), not the repository's own deployment. A templates
 * folder among deployment files (`deploy/k8s/templates/` for envsubst, an Ansible role's) is not one.
 */
export function inCodeTemplatesFolder(snapshot: RepoSnapshot, path: string): boolean {
  const dirs = path.split('/').slice(0, -1);
  // (Any templates folder up the path: a chart the code installs keeps its own `templates/` inside the code's.)
  return dirs.some((d, i) => d === 'templates' && codeFolders(snapshot).has(dirs.slice(0, i).join('/')));
}

/** Folders holding code directly (a manifest, or a source file of a language scai reads), read once per snapshot. */
const codeFolders = perSnapshot((snapshot: RepoSnapshot): ReadonlySet<string> => {
  const out = new Set<string>();
  for (const file of snapshot.files.keys()) {
    const cut = file.lastIndexOf('/');
    const name = file.slice(cut + 1);
    if (CODE_FOLDER_MANIFESTS.has(name) || isSourceCode(name)) out.add(cut < 0 ? '' : file.slice(0, cut));
  }
  return out;
});
