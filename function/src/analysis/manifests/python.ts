// Python manifests: requirements.txt, pyproject.toml (PEP 621 and Poetry), Pipfile, and the
// poetry.lock / uv.lock / Pipfile.lock files that pin what was actually resolved.
import { parse as parseToml } from 'smol-toml';
import type { RepoSnapshot } from '../../types.js';
import { ev } from '../evidence.js';
import type { DeclaredDependency, Located, ManifestFacts } from '../model.js';
import { findLine, lineAt, loc, splitLines } from '../text.js';
import { minimumVersion } from '../versions.js';
import { applyLocked, asString, asTable, mergeDependencies, tomlKeyLine, tomlSection, type Table } from './common.js';

export interface Requirement {
  name: string;
  extras: string[];
  version?: string;
}

/** PEP 503 normalisation, so `Flask_SQLAlchemy` and `flask-sqlalchemy` are one dependency. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `==3.0.3` → `3.0.3`; any other specifier is kept, minus whitespace (PEP 440 ignores it). */
export function pythonVersion(spec: string): string | undefined {
  const s = spec.replace(/\s+/g, '');
  if (s === '' || s === '*') return undefined;
  return /^===?([^,*]+)$/.exec(s)?.[1] ?? s;
}

/** One PEP 508 requirement. Environment markers are dropped: the dependency is kept either way. */
export function parseRequirement(text: string): Requirement | null {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s.exec(text.trim());
  if (!m) return null;
  const name = normalizePythonName(m[1] ?? '');
  const extras = (m[2] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean).sort();
  const rest = (m[3] ?? '').split(';')[0]?.trim() ?? '';
  if (rest.startsWith('@')) return { name, extras }; // direct URL reference: no version
  if (rest !== '' && !/^[<>=!~(]/.test(rest)) return null;
  const version = pythonVersion(rest.replace(/^\((.*)\)$/, '$1'));
  return version === undefined ? { name, extras } : { name, extras, version };
}

function declared(req: Requirement, source: string): DeclaredDependency {
  const dep: DeclaredDependency = { name: req.name, source };
  if (req.version !== undefined) dep.version = req.version;
  if (req.extras.length > 0) dep.extras = req.extras;
  return dep;
}

export function parseRequirementsTxt(path: string, text: string): DeclaredDependency[] {
  const lines = splitLines(text);
  const out: DeclaredDependency[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i] ?? '';
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i] ?? ''}`;
    line = line.replace(/(^|\s)#.*$/, '').trim();
    // -r/-c includes, -e editables and pip options are not packages of this file.
    if (line === '' || line.startsWith('-')) continue;
    if (/^[a-z][\w+.-]*:\/\//i.test(line) || /\.(whl|zip|tar\.gz)$/i.test(line)) continue;
    const req = parseRequirement(line.split(/\s--/)[0] ?? '');
    if (req) out.push(declared(req, loc(path, lineNo)));
  }
  return out;
}

/** Line of a quoted array item, e.g. a PEP 621 dependency string. */
function stringItemLine(text: string, value: string, from: number): number | undefined {
  return findLine(text, `"${value}"`, from) ?? findLine(text, `'${value}'`, from);
}

/** Poetry and Pipfile use `1.2.3` (exact), `==1.2.3`, `^1.2` or `*`. */
function tableSpec(value: unknown): string | undefined {
  const spec = asString(value) ?? asString(asTable(value)?.version) ?? asString(asTable(Array.isArray(value) ? value[0] : undefined)?.version);
  if (spec === undefined) return undefined;
  return /^\d[\w.+-]*$/.test(spec.trim()) ? spec.trim() : pythonVersion(spec);
}

function tableDependencies(path: string, text: string, header: string, table: Table | undefined): DeclaredDependency[] {
  const out: DeclaredDependency[] = [];
  for (const [key, value] of Object.entries(table ?? {})) {
    if (key.toLowerCase() === 'python' || asTable(value)?.optional === true) continue;
    const dep: DeclaredDependency = { name: normalizePythonName(key), source: loc(path, tomlKeyLine(text, header, key)) };
    const version = tableSpec(value);
    if (version !== undefined) dep.version = version;
    const extras = asTable(value)?.extras;
    if (Array.isArray(extras)) dep.extras = extras.filter((e): e is string => typeof e === 'string').map((e) => e.toLowerCase()).sort();
    out.push(dep);
  }
  return out;
}

function parseTomlFile(path: string, text: string, facts: ManifestFacts): Table | undefined {
  try {
    return parseToml(text) as Table;
  } catch {
    facts.notes.push(ev(`unparseable ${path}`, path));
    return undefined;
  }
}

/**
 * Extras of the repository's own package that a requirements file installs (`-e .[gym,web]`, `.[web]`): their
 * optional dependencies are the app's as much as the base ones (a simulator package whose web server is an extra).
 */
export function installedLocalExtras(texts: readonly string[]): Set<string> {
  const extras = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/^\s*(?:-e\s+|--editable[=\s]+)?["']?\.\/?\[([^\]]+)\]["']?\s*(?:#.*)?$/gm)) {
      for (const e of (m[1] ?? '').split(',')) if (e.trim()) extras.add(e.trim().toLowerCase());
    }
  }
  return extras;
}

function readPyproject(path: string, text: string, facts: ManifestFacts, extras: ReadonlySet<string> = new Set()): DeclaredDependency[] {
  const doc = parseTomlFile(path, text, facts);
  if (!doc) return [];
  const deps: DeclaredDependency[] = [];
  const project = asTable(doc.project);
  const poetry = asTable(asTable(doc.tool)?.poetry);

  if (project) {
    const start = Math.max(0, tomlSection(text, 'project'));
    for (const item of Array.isArray(project.dependencies) ? project.dependencies : []) {
      if (typeof item !== 'string') continue;
      const req = parseRequirement(item);
      if (req) deps.push(declared(req, loc(path, stringItemLine(text, item, start))));
    }
    const optional = asTable(project['optional-dependencies']) ?? {};
    for (const [extra, items] of Object.entries(optional)) {
      if (!extras.has(extra.toLowerCase()) || !Array.isArray(items)) continue;
      const from = Math.max(0, tomlSection(text, 'project.optional-dependencies'));
      for (const item of items) {
        const req = typeof item === 'string' ? parseRequirement(item) : null;
        if (req) deps.push(declared(req, loc(path, stringItemLine(text, item as string, from))));
      }
    }
    const requires = asString(project['requires-python']);
    setLanguageVersion(facts, requires, loc(path, tomlKeyLine(text, 'project', 'requires-python')));
    if (asString(project.name)) facts.packageHint = ev(`package ${project.name}`, loc(path, tomlKeyLine(text, 'project', 'name')));
  }
  if (poetry) {
    const header = 'tool.poetry.dependencies';
    const table = asTable(poetry.dependencies);
    deps.push(...tableDependencies(path, text, header, table));
    setLanguageVersion(facts, asString(table?.python), loc(path, tomlKeyLine(text, header, 'python')));
    // `package-mode = false` is Poetry's way of saying "an application, not a package".
    if (asString(poetry.name) && poetry['package-mode'] !== false && !facts.packageHint) {
      facts.packageHint = ev(`package ${poetry.name}`, loc(path, tomlKeyLine(text, 'tool.poetry', 'name')));
    }
  }
  return deps;
}

function readPipfile(path: string, text: string, facts: ManifestFacts): DeclaredDependency[] {
  const doc = parseTomlFile(path, text, facts);
  if (!doc) return [];
  const requires = asTable(doc.requires);
  const key = asString(requires?.python_full_version) ? 'python_full_version' : 'python_version';
  setLanguageVersion(facts, asString(requires?.[key]), loc(path, tomlKeyLine(text, 'requires', key)));
  return tableDependencies(path, text, 'packages', asTable(doc.packages));
}

function setLanguageVersion(facts: ManifestFacts, spec: string | undefined, source: string): void {
  if (facts.languageVersion || spec === undefined) return;
  const value = minimumVersion(spec);
  if (value !== undefined) facts.languageVersion = { value, source };
}

/** name → resolved version from whichever lockfile exists. */
function lockedVersions(snapshot: RepoSnapshot): Map<string, { version: string; source: string }> {
  const out = new Map<string, { version: string; source: string }>();
  for (const path of ['poetry.lock', 'uv.lock']) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    let doc: Table;
    try {
      doc = parseToml(text) as Table;
    } catch {
      continue;
    }
    for (const pkg of Array.isArray(doc.package) ? doc.package : []) {
      const name = asString(asTable(pkg)?.name);
      const version = asString(asTable(pkg)?.version);
      if (!name || !version) continue;
      out.set(normalizePythonName(name), { version, source: loc(path, findLine(text, `name = "${name}"`)) });
    }
    return out;
  }
  const pipLock = snapshot.files.get('Pipfile.lock');
  if (pipLock !== undefined) {
    try {
      const def = asTable(asTable(JSON.parse(pipLock))?.default) ?? {};
      for (const [name, entry] of Object.entries(def)) {
        const version = asString(asTable(entry)?.version)?.replace(/^==/, '');
        if (version) out.set(normalizePythonName(name), { version, source: loc('Pipfile.lock', findLine(pipLock, `"${name}"`)) });
      }
    } catch {
      // An unreadable lockfile only costs precision: declared specifiers remain.
    }
  }
  return out;
}

function packageManager(snapshot: RepoSnapshot, pyprojectText: string | undefined): Located<string> {
  if (snapshot.files.has('uv.lock')) return { value: 'uv', source: 'uv.lock' };
  if (snapshot.files.has('poetry.lock')) return { value: 'poetry', source: 'poetry.lock' };
  if (pyprojectText !== undefined && tomlSection(pyprojectText, 'tool.poetry') >= 0) {
    return { value: 'poetry', source: loc('pyproject.toml', findLine(pyprojectText, /^\s*\[\s*tool\.poetry\s*\]/m)) };
  }
  if (snapshot.files.has('Pipfile')) return { value: 'pipenv', source: 'Pipfile' };
  if (snapshot.files.has('pdm.lock')) return { value: 'pdm', source: 'pdm.lock' };
  const manifest = snapshot.files.has('requirements.txt') ? 'requirements.txt' : 'pyproject.toml';
  return { value: 'pip', source: manifest };
}

/** A requirements file and the files it pulls in with `-r other.txt` (relative to it), each once. */
function requirementsWithIncludes(snapshot: RepoSnapshot, path: string, seen = new Set<string>()): DeclaredDependency[][] {
  const text = snapshot.files.get(path);
  if (text === undefined || seen.has(path) || seen.size > 10) return [];
  seen.add(path);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const included = [...text.matchAll(/^\s*(?:-r|--requirement)\s*=?\s*(\S+)/gm)].map((m) => normalizePath(`${dir}${m[1] ?? ''}`));
  return [parseRequirementsTxt(path, text), ...included.flatMap((p) => requirementsWithIncludes(snapshot, p, seen))];
}

/** `a/./b/../c` → `a/c`. */
function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') out.pop();
    else if (part && part !== '.') out.push(part);
  }
  return out.join('/');
}

/** Runtime requirement files of a `requirements/` folder. */
const REQUIREMENTS_DIR_FILES = ['requirements/base.txt', 'requirements/common.txt', 'requirements/prod.txt', 'requirements/production.txt'];

/** Facts from the root Python manifests, or null when there are none. */
export function analyzePython(snapshot: RepoSnapshot): ManifestFacts | null {
  const names = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'setup.py', 'setup.cfg', ...REQUIREMENTS_DIR_FILES];
  const present = names.filter((n) => snapshot.files.has(n));
  if (present.length === 0) return null;
  const facts: ManifestFacts = { language: 'python', manifests: present, dependencies: [], devDependencies: [], notes: [] };
  const lists: DeclaredDependency[][] = [];
  const requirements = snapshot.files.get('requirements.txt');
  if (requirements !== undefined) lists.push(...requirementsWithIncludes(snapshot, 'requirements.txt'));
  // Split requirements (requirements/common.txt + prod.txt …): the runtime ones, never dev/test.
  else for (const file of REQUIREMENTS_DIR_FILES) {
    const text = snapshot.files.get(file);
    if (text !== undefined) lists.push(parseRequirementsTxt(file, text));
  }
  const pyproject = snapshot.files.get('pyproject.toml');
  const extras = installedLocalExtras(requirements === undefined ? [] : [requirements]);
  if (pyproject !== undefined) lists.push(readPyproject('pyproject.toml', pyproject, facts, extras));
  const pipfile = snapshot.files.get('Pipfile');
  if (pipfile !== undefined) lists.push(readPipfile('Pipfile', pipfile, facts));
  for (const setup of ['setup.py', 'setup.cfg']) {
    if (snapshot.files.has(setup) && !facts.packageHint) facts.packageHint = ev('package setup script', setup);
  }
  facts.dependencies = applyLocked(mergeDependencies(lists), lockedVersions(snapshot));
  facts.packageManager = packageManager(snapshot, pyproject);
  const script = facts.packageHint ? undefined : entryScript(snapshot);
  if (script) facts.entryScript = script;
  return facts;
}

/** Root scripts that are tooling, never the program: packaging, tests, task runners, Django's manage.py, docs config. */
const TOOL_SCRIPT = /^(?:setup|conftest|noxfile|tasks|fabfile|manage|conf|dodo|tests?|test_.*|.*_tests?|run_?tests|example.*|demo.*|bench.*|build.*|release.*|deploy.*|bump.*|install.*|update.*|download.*|generate.*|gen_.*|docs?.*)\.py$/;
/** A top-level `if __name__ == "__main__":` guard: the script runs as a program. */
const MAIN_GUARD = /^if\s+__name__\s*==\s*["']__main__["']\s*:/m;

/**
 * The one script at the root that runs as a program (`bazarr.py` with its `__main__` guard), in an unpackaged project
 * (requirements only): how it starts when nothing else says. Two such scripts, or none, name no entry.
 */
function entryScript(snapshot: RepoSnapshot): Located<string> | undefined {
  const scripts = [...snapshot.files.keys()].filter((p) => !p.includes('/') && p.endsWith('.py') && !TOOL_SCRIPT.test(p));
  const entries = scripts.flatMap((p) => {
    const text = snapshot.files.get(p) ?? '';
    const m = MAIN_GUARD.exec(text);
    return m ? [{ value: p, source: loc(p, lineAt(text, m.index)) }] : [];
  });
  return entries.length === 1 ? entries[0] : undefined;
}
