// package.json: runtime and dev dependencies kept apart, engines.node, the package manager
// (packageManager field, else lockfile), scripts.start/build and package-lock.json versions.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import { FRAMEWORK_RULES } from '../frameworks.js';
import type { DeclaredDependency, Located, ManifestFacts } from '../model.js';
import { escapeRegExp, findLine, jsonKeyLines, lastSegment, loc } from '../text.js';
import { minimumVersion } from '../versions.js';
import { applyLocked, asString, asTable, jsonTable, type Table } from './common.js';

export interface NodeFacts extends ManifestFacts {
  startScript?: Located<string>;
  buildScript?: Located<string>;
  /** `main` when it names a file of the snapshot. */
  main?: Located<string>;
  /** The workspace package folder the root start script runs (`pnpm --filter ./apps/server …`). */
  workspacePackage?: string;
  /** The package.json holds only development tooling (`toolingOnlyPackage`): no app code of the language it names. */
  toolingOnly?: boolean;
}

const PATH = 'package.json';
/** `main` as a path of the snapshot (`./lib/app.js` → `lib/app.js`). */
const mainPath = (pkg: Table): string | undefined => asString(pkg.main)?.replace(/^\.\//, '');
/** The `main` that `npm init` writes whatever the project holds. */
const NPM_INIT_MAIN = 'index.js';
/** Files that make a folder a workspace root whatever package.json says (pnpm, lerna, nx, turbo, rush). */
const WORKSPACE_FILES = ['pnpm-workspace.yaml', 'lerna.json', 'nx.json', 'turbo.json', 'rush.json'];

/**
 * A package.json holding only development tooling (a test runner, linters): no dependencies, workspaces, bin or start
 * script, and no entry file (`"main": "index.js"` as `npm init` writes it, with no index.js, is none; a `main` under a
 * build folder may be built, so it still counts). It runs nothing.
 */
export function toolingOnlyPackage(pkg: Table, has: (path: string) => boolean): boolean {
  const filled = (v: unknown) => v !== undefined && v !== null && (typeof v !== 'object' || Object.keys(v).length > 0);
  const main = mainPath(pkg);
  const entry = main !== undefined && (main !== NPM_INIT_MAIN || has(main));
  return !filled(pkg.dependencies) && !filled(pkg.workspaces) && !entry && !filled(pkg.bin) && !filled(asTable(pkg.scripts)?.start) && !['exports', 'module', 'types'].some((k) => filled(pkg[k]));
}


/** `4.18.2`, `=4.18.2` and `v4.18.2` are exact pins; ranges, tags and URLs stay as written. */
export function npmVersion(spec: string): string | undefined {
  const s = spec.trim();
  if (s === '' || s === '*' || s === 'latest') return undefined;
  return /^[=v]*\s*(\d+\.\d+\.\d+(?:[-+][\w.+-]*)?)$/.exec(s)?.[1] ?? s;
}

/** Line of `"key":` inside the object under `"section":`. */
function keyLine(text: string, section: string, key: string): number | undefined {
  const start = text.search(new RegExp(`"${escapeRegExp(section)}"\\s*:`));
  if (start < 0) return undefined;
  return findLine(text, new RegExp(`"${escapeRegExp(key)}"\\s*:`), start + section.length + 2);
}

function dependencySection(text: string, pkg: Table, section: string, path = PATH): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  const start = text.search(new RegExp(`"${escapeRegExp(section)}"\\s*:`));
  const lines = start < 0 ? new Map<string, number>() : jsonKeyLines(text, start + section.length + 2);
  for (const [name, raw] of Object.entries(asTable(pkg[section]) ?? {})) {
    const dep: DeclaredDependency = { name, source: loc(path, lines.get(name)) };
    const version = typeof raw === 'string' ? npmVersion(raw) : undefined;
    if (version !== undefined) dep.version = version;
    out.push(dep);
  }
  return out.sort((a, b) => compare(a.name, b.name));
}

/** Versions resolved by package-lock.json (v2/v3 `packages`, v1 `dependencies`). */
/** Locked versions of the packages named (a lock file lists thousands; each line lookup scans it). */
function lockedVersions(snapshot: RepoSnapshot, names: ReadonlySet<string>): Map<string, { version: string; source: string }> {
  const out = new Map<string, { version: string; source: string }>();
  const text = snapshot.files.get('package-lock.json');
  if (text === undefined) return out;
  const lock = jsonTable(text);
  if (!lock) return out;
  for (const [key, entry] of Object.entries(asTable(lock.packages) ?? {})) {
    const version = asString(asTable(entry)?.version);
    // Only top-level installs: nested node_modules are other packages' copies.
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
    if (m?.[1] && version && names.has(m[1])) out.set(m[1], { version, source: loc('package-lock.json', findLine(text, `"${key}"`)) });
  }
  for (const [name, entry] of Object.entries(asTable(lock.dependencies) ?? {})) {
    const version = asString(asTable(entry)?.version);
    if (version && names.has(name) && !out.has(name)) out.set(name, { version, source: loc('package-lock.json', findLine(text, `"${name}"`)) });
  }
  return out;
}

const LOCKFILES: readonly [string, string][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

function packageManager(snapshot: RepoSnapshot, text: string, pkg: Table): Located<string> {
  const field = asString(pkg.packageManager);
  const named = field ? /^(npm|yarn|pnpm|bun)@/.exec(field)?.[1] : undefined;
  if (named) return { value: named, source: loc(PATH, findLine(text, /"packageManager"\s*:/)) };
  for (const [file, manager] of LOCKFILES) if (snapshot.files.has(file)) return { value: manager, source: file };
  return { value: 'npm', source: 'rule:default-package-manager' };
}

function script(text: string, pkg: Table, name: string): Located<string> | undefined {
  const value = asString(asTable(pkg.scripts)?.[name]);
  return value === undefined ? undefined : { value, source: loc(PATH, keyLine(text, 'scripts', name)) };
}

/** Where a start script hands over to another package: `pnpm --filter ./apps/server run …`, `npm --prefix server start`, `npm -w api start`, `yarn workspace api start`, `cd server && …`. */
const HANDOVER = [/--filter[= ]\s*["']?([\w@./-]+)/, /--prefix[= ]\s*["']?([\w./-]+)/, /(?:^|\s)(?:-w|--workspace)[= ]\s*["']?([\w@./-]+)/, /\byarn\s+workspace\s+([\w@./-]+)/, /(?:^|&&|;)\s*cd\s+["']?([\w./-]+)["']?\s*&&/];

/** The package.json of a folder below the root, or of its nearest parent that has one (`cd packages/server/bin && ./run start` runs packages/server). */
function packageAbove(snapshot: RepoSnapshot, dir: string): string | undefined {
  for (let d = dir; d !== '' && d !== '.' && !d.startsWith('..'); d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') {
    if (snapshot.files.has(`${d}/package.json`)) return `${d}/package.json`;
  }
  return undefined;
}

/** `run-script-os` picks the script named for the platform: on a Linux server, `start:linux`, else `start:nix`, else `start:default`. */
function scriptForLinux(pkg: Table, name: string, value: string): string {
  if (!/^\s*run-script-os\b/.test(value)) return value;
  const scripts = asTable(pkg.scripts) ?? {};
  return [`${name}:linux`, `${name}:nix`, `${name}:default`].map((k) => asString(scripts[k])).find((v) => v !== undefined) ?? value;
}

/** `npm run start:prod`, `pnpm start:prod`, `yarn run start:prod` as the whole script: the script it names. */
const RUN_SCRIPT = /^\s*(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)\s*$/;

/**
 * A script that only runs another of the package's scripts (`"start": "pnpm run start:prod"`), followed to the one that does
 * something (`pnpm --filter teammapper-backend run start:prod`), a few hops at most.
 */
function runScriptText(pkg: Table, value: string): string {
  const scripts = asTable(pkg.scripts) ?? {};
  let text = value;
  for (let hop = 0; hop < 3; hop++) {
    const name = RUN_SCRIPT.exec(text)?.[1];
    const next = name === undefined ? undefined : asString(scripts[name]);
    if (next === undefined || next === text) break;
    text = next;
  }
  return text;
}

/** Runtime dependencies of the workspace package (by folder or package name) a root start script runs. */
export function delegatedPackage(snapshot: RepoSnapshot, start: string): { dir: string; dependencies: DeclaredDependency[] } | undefined {
  for (const pattern of HANDOVER) {
    const target = pattern.exec(start)?.[1];
    if (!target) continue;
    const dir = target.replace(/^\.\//, '').replace(/\/$/, '');
    const byName = (p: string): boolean => p.endsWith('/package.json') && !p.includes('node_modules/') && new RegExp(`"name"\\s*:\\s*"${escapeRegExp(target)}"`).test(snapshot.files.get(p) ?? '');
    const path = packageAbove(snapshot, dir) ?? [...snapshot.files.keys()].filter(byName).sort(compare)[0];
    const text = path === undefined ? undefined : snapshot.files.get(path);
    if (path === undefined || text === undefined) continue;
    try {
      const pkg = asTable(JSON.parse(text));
      if (pkg) return { dir: path.slice(0, -'/package.json'.length), dependencies: dependencySection(text, pkg, 'dependencies', path) };
    } catch {
      // An unreadable package says nothing about the app.
    }
  }
  return undefined;
}

/**
 * The workspace package whose build the image ships (`COPY --from=builder /app/apps/web/.next/standalone ./`), when
 * the root's own dependencies name no web framework: of the packages the shipped stage copies from, the only one
 * with a web framework dependency is the server the image runs (the others are its CLI, migrations, libraries).
 */
/** Dependencies that name a Node web framework (a dev dependency only where the framework's rule allows it). */
const serves = (deps: readonly DeclaredDependency[], dev: readonly DeclaredDependency[]): boolean =>
  FRAMEWORK_RULES.some((r) => r.language === 'node' && [...deps, ...(r.devOk ? dev : [])].some((d) => r.packages.includes(d.name)));

export function shippedWorkspacePackage(
  snapshot: RepoSnapshot,
  root: NodeFacts,
  shippedPaths: readonly Located<string>[],
  fromContext = false,
): { dir: string; dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[]; source: string } | undefined {
  // (A package the root's start script runs that serves nothing, `cd client && npm start`, is the dev front-end: the image decides.)
  if (serves(root.dependencies, root.devDependencies)) return undefined;
  const dirs = [...snapshot.files.keys()].filter((p) => p.endsWith('/package.json') && !p.includes('node_modules/')).map((p) => p.slice(0, -'/package.json'.length));
  const hits = new Map<string, { dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[]; source: string }>();
  for (const dir of dirs) {
    // (A build stage's path holds the folder anywhere, `/app/apps/web/.next`; a build-context path starts with it, `server/src`.)
    const holds = (value: string): boolean => {
      const v = value.replace(/^\.?\//, '').replace(/\/$/, '');
      return fromContext ? v === dir || v.startsWith(`${dir}/`) : `/${v}/`.includes(`/${dir}/`);
    };
    const copied = shippedPaths.find((p) => holds(p.value));
    if (!copied || hits.has(dir)) continue;
    const path = `${dir}/package.json`;
    const text = snapshot.files.get(path) ?? '';
    const pkg = jsonTable(text);
    if (!pkg) continue;
    const dependencies = dependencySection(text, pkg, 'dependencies', path);
    const devDependencies = dependencySection(text, pkg, 'devDependencies', path);
    if (serves(dependencies, devDependencies)) hits.set(dir, { dependencies, devDependencies, source: copied.source });
  }
  const [only, ...more] = [...hits];
  return only && more.length === 0 ? { dir: only[0], ...only[1] } : undefined;
}

/** A `pnpm deploy` in an image build (`pnpm --filter directus9 deploy --prod dist`): the workspace package it bundles and the folder it writes. */
export function pnpmDeploys(dockerfile: string): { filter: string; target: string }[] {
  const out: { filter: string; target: string }[] = [];
  for (const m of dockerfile.matchAll(/\bpnpm\s[^\n;&|]*/g)) {
    const words = m[0].split(/\s+/).filter((w) => w && w !== '\\');
    if (!words.includes('deploy')) continue;
    const i = words.findIndex((w) => w === '--filter' || w === '-F' || w.startsWith('--filter='));
    const filter = (words[i]?.startsWith('--filter=') ? words[i].slice('--filter='.length) : words[i + 1])?.replace(/^["']|["']$/g, '');
    const target = words[words.length - 1];
    if (i >= 0 && filter && target && !target.startsWith('-') && target !== 'deploy') out.push({ filter, target });
  }
  return out;
}

/** The package.json of the workspace package a pnpm filter or a dependency names: by folder (`./api`), by name (`@org/api`), or by a scoped name's last part (`directus9` for `@wbce-d9/directus9`). */
function workspacePackageNamed(snapshot: RepoSnapshot, filter: string): string | undefined {
  const dir = filter.replace(/^\.\//, '').replace(/\/$/, '');
  if (snapshot.files.has(`${dir}/package.json`)) return `${dir}/package.json`;
  const named = (p: string): boolean => {
    const name = p.endsWith('/package.json') && !p.includes('node_modules/') ? asString(jsonTable(snapshot.files.get(p))?.name) : undefined;
    return name !== undefined && (name === filter || name.endsWith(`/${filter}`));
  };
  return [...snapshot.files.keys()].filter(named).sort(compare)[0];
}

/** Runtime and dev dependencies of a workspace package, by its package.json path. */
function packageDependencies(snapshot: RepoSnapshot, path: string): { dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[] } | undefined {
  const text = snapshot.files.get(path) ?? '';
  const pkg = jsonTable(text);
  return pkg ? { dependencies: dependencySection(text, pkg, 'dependencies', path), devDependencies: dependencySection(text, pkg, 'devDependencies', path) } : undefined;
}

/**
 * The bundle package a `pnpm deploy` writes into the folder the image ships (`pnpm --filter directus9 deploy --prod dist`,
 * `COPY --from=builder /directus/dist .`), when neither the root nor the bundle names a web framework but a workspace package
 * it links does (directus/ depends on `@wbce-d9/api: workspace:*`, which has express): one program built from several
 * folders, so the linked server's web framework is the app's.
 */
export function deployedWorkspacePackage(snapshot: RepoSnapshot, root: NodeFacts, dockerfile: string, shippedPaths: readonly Located<string>[]): { dir: string; dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[]; source: string } | undefined {
  if (root.workspacePackage || serves(root.dependencies, root.devDependencies)) return undefined;
  for (const { filter, target } of pnpmDeploys(dockerfile)) {
    const copied = shippedPaths.find((p) => lastSegment(p.value) === lastSegment(target));
    const path = copied ? workspacePackageNamed(snapshot, filter) : undefined;
    const own = path === undefined ? undefined : packageDependencies(snapshot, path);
    // A package with a web framework of its own is a server, not a bundle: the shipped paths decide it (shippedWorkspacePackage).
    if (!copied || path === undefined || !own || serves(own.dependencies, own.devDependencies)) continue;
    // Only the linked server's web framework is taken: which of its many drivers (pg, mysql, redis clients chosen by a
    // setting) a deployment uses is for its configuration to say, not its package.json.
    const linked = own.dependencies.flatMap((d) => {
      const linkedPath = d.version?.startsWith('workspace:') ? workspacePackageNamed(snapshot, d.name) : undefined;
      return ((linkedPath === undefined ? undefined : packageDependencies(snapshot, linkedPath))?.dependencies ?? []).filter((l) => serves([l], []));
    });
    if (linked.length === 0) continue;
    return { dir: path.slice(0, -'/package.json'.length), dependencies: [...own.dependencies, ...linked], devDependencies: own.devDependencies, source: copied.source };
  }
  return undefined;
}

/**
 * The package an image's start script runs by changing into its folder (`cd server` then `node index.js`, beside
 * `cd ../client` then `npx serve`), when the root's dependencies name no web framework: of the folders entered, the
 * only one whose package.json names a web framework, and that framework is what it adds. An image path (`/app/server`)
 * is matched by its trailing folders.
 */
export function enteredWorkspacePackage(snapshot: RepoSnapshot, root: NodeFacts, folders: readonly Located<string>[]): { dir: string; dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[]; source: string } | undefined {
  if (root.workspacePackage || serves(root.dependencies, root.devDependencies)) return undefined;
  const hits = new Map<string, { dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[]; source: string }>();
  for (const folder of folders) {
    const parts = folder.value.split('/');
    const dir = parts.map((_, i) => parts.slice(i).join('/')).find((d) => snapshot.files.has(`${d}/package.json`));
    const own = dir === undefined || hits.has(dir) ? undefined : packageDependencies(snapshot, `${dir}/package.json`);
    // Only its web framework is taken: the database drivers a server package lists may be connectors for its users'
    // data sources (a dashboard tool's pg, mysql2, mongodb), its own stores are for the deployment files to say.
    const framework = own && { dependencies: own.dependencies.filter((d) => serves([d], [])), devDependencies: own.devDependencies.filter((d) => serves([], [d])) };
    if (dir !== undefined && framework && serves(framework.dependencies, framework.devDependencies)) hits.set(dir, { ...framework, source: folder.source });
  }
  const [only, ...more] = [...hits];
  return only && more.length === 0 ? { dir: only[0], ...only[1] } : undefined;
}

/** The root's facts with the dependencies of the workspace package it runs added (its own come first). */
export function withWorkspacePackage(root: NodeFacts, pkg: { dir: string; dependencies: DeclaredDependency[]; devDependencies: DeclaredDependency[] }): NodeFacts {
  const merge = (own: DeclaredDependency[], more: DeclaredDependency[]) => {
    const names = new Set(own.map((d) => d.name));
    return [...own, ...more.filter((d) => !names.has(d.name))].sort((a, b) => compare(a.name, b.name));
  };
  return { ...root, dependencies: merge(root.dependencies, pkg.dependencies), devDependencies: merge(root.devDependencies, pkg.devDependencies), workspacePackage: pkg.dir };
}

export function analyzeNode(snapshot: RepoSnapshot): NodeFacts | null {
  const text = snapshot.files.get(PATH);
  if (text === undefined) return null;
  const facts: NodeFacts = { language: 'node', manifests: [PATH], dependencies: [], devDependencies: [], notes: [] };
  // An unreadable file still says "this is a Node project".
  const pkg = jsonTable(text);
  if (!pkg) {
    facts.notes.push(ev(`unparseable ${PATH}`, PATH));
    return facts;
  }
  const declared = dependencySection(text, pkg, 'dependencies');
  facts.dependencies = applyLocked(declared, lockedVersions(snapshot, new Set(declared.map((d) => d.name))));
  facts.devDependencies = dependencySection(text, pkg, 'devDependencies');
  facts.packageManager = packageManager(snapshot, text, pkg);

  const engine = asString(asTable(pkg.engines)?.node);
  const engineVersion = engine === undefined ? undefined : minimumVersion(engine);
  if (engineVersion !== undefined) facts.languageVersion = { value: engineVersion, source: loc(PATH, keyLine(text, 'engines', 'node')) };

  const start = script(text, pkg, 'start');
  if (start) facts.startScript = start;
  // A workspace root whose start script runs one package runs that package's code: its dependencies are the app's.
  const delegated = start ? delegatedPackage(snapshot, runScriptText(pkg, scriptForLinux(pkg, 'start', start.value))) : undefined;
  if (delegated) {
    const own = new Set(facts.dependencies.map((d) => d.name));
    facts.dependencies = [...facts.dependencies, ...delegated.dependencies.filter((d) => !own.has(d.name))].sort((a, b) => compare(a.name, b.name));
    facts.workspacePackage = delegated.dir;
  }
  const build = script(text, pkg, 'build');
  if (build) facts.buildScript = build;

  const main = mainPath(pkg);
  if (main && snapshot.files.has(main)) facts.main = { value: main, source: loc(PATH, findLine(text, /"main"\s*:/)) };

  // Entry-point fields mean "meant to be imported": a library unless something says otherwise.
  // …but a private package cannot be published: nobody else imports it (`"private": true` with `"main"` is an app's entry file).
  // Nor is a package of tooling only meant to be imported (npm init's `"main": "index.js"` with no index.js).
  if (toolingOnlyPackage(pkg, (p) => snapshot.files.has(p))) facts.toolingOnly = true;
  // (A workspace root's, a plugin's with peer dependencies on its host, stay hints.)
  const privateApp = pkg.private === true && pkg.workspaces === undefined && pkg.peerDependencies === undefined && !WORKSPACE_FILES.some((f) => snapshot.files.has(f));
  const libraryField = privateApp || facts.toolingOnly ? undefined : ['exports', 'main', 'module', 'types'].find((k) => pkg[k] !== undefined);
  if (libraryField) facts.packageHint = ev(`package ${asString(pkg.name) ?? PATH} (${libraryField})`, loc(PATH, findLine(text, new RegExp(`"${libraryField}"\\s*:`))));
  return facts;
}
