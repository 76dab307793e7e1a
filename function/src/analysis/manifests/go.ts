// go.mod: module path, `go` directive, direct requirements; plus whether a `package main` exists.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import { SOURCE_EXTENSIONS, sourceFiles } from '../files.js';
import type { DeclaredDependency, Located, ManifestFacts } from '../model.js';
import { findLine, loc, splitLines } from '../text.js';

export interface GoFacts extends ManifestFacts {
  modulePath?: Located<string>;
  /** `func main` of a `package main`: the module builds a binary. */
  mainPackage?: Located<string>;
}

const PATH = 'go.mod';

/** `github.com/labstack/echo/v4` → `github.com/labstack/echo`: rules match across major versions. */
export function stripMajorVersion(modulePath: string): string {
  return modulePath.replace(/\/v\d+$/, '');
}

export function parseGoMod(text: string, path: string = PATH): { module?: Located<string>; go?: Located<string>; requires: DeclaredDependency[] } {
  const out: { module?: Located<string>; go?: Located<string>; requires: DeclaredDependency[] } = { requires: [] };
  let inRequire = false;
  splitLines(text).forEach((raw, i) => {
    const source = loc(path, i + 1);
    // `// indirect` requirements are transitive: not what the app chose to depend on.
    if (/\/\/\s*indirect\b/.test(raw)) return;
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inRequire) {
      if (line === ')') inRequire = false;
      else addRequire(line, source, out.requires);
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = /^module\s+"?([^\s"]+)"?$/.exec(line))) out.module = { value: m[1] ?? '', source };
    else if ((m = /^go\s+(\d+(?:\.\d+)*)$/.exec(line))) out.go = { value: m[1] ?? '', source };
    else if (/^require\s*\($/.test(line)) inRequire = true;
    else if ((m = /^require\s+(.+)$/.exec(line))) addRequire(m[1] ?? '', source, out.requires);
  });
  out.requires.sort((a, b) => compare(a.name, b.name));
  return out;
}

function addRequire(spec: string, source: string, into: DeclaredDependency[]): void {
  const m = /^"?([^\s"]+)"?\s+(v\S+)$/.exec(spec);
  if (m?.[1] && m[2]) into.push({ name: m[1], version: m[2], source });
}

function findMainPackage(snapshot: RepoSnapshot): Located<string> | undefined {
  for (const file of sourceFiles(snapshot, SOURCE_EXTENSIONS.go)) {
    if (!/^package\s+main\b/m.test(file.text)) continue;
    const line = findLine(file.text, /^func\s+main\s*\(\s*\)/m);
    if (line !== undefined) return { value: file.path, source: loc(file.path, line) };
  }
  return undefined;
}

export function analyzeGo(snapshot: RepoSnapshot): GoFacts | null {
  const text = snapshot.files.get(PATH);
  if (text === undefined) return null;
  const mod = parseGoMod(text);
  const facts: GoFacts = {
    language: 'go',
    manifests: [PATH],
    dependencies: mod.requires,
    devDependencies: [],
    packageManager: { value: 'go', source: PATH },
    notes: [],
  };
  if (mod.module) facts.modulePath = mod.module;
  if (mod.go) facts.languageVersion = mod.go;
  const main = findMainPackage(snapshot);
  if (main) {
    facts.mainPackage = main;
    const dir = main.value.includes('/') ? `./${main.value.slice(0, main.value.lastIndexOf('/'))}` : '.';
    facts.buildCommand = { value: `go build -o ${binaryName(mod.module?.value ?? 'app')} ${dir}`, source: main.source };
  }
  else if (mod.module) facts.packageHint = ev(`package ${mod.module.value} (no package main)`, mod.module.source);
  return facts;
}

/** Binary name `go build` gives the module: its last path element, major-version suffix dropped. */
export function binaryName(modulePath: string): string {
  return stripMajorVersion(modulePath).split('/').pop() || 'app';
}
