// Cargo.toml: [package] (name, rust-version), [dependencies] (string or table form), [[bin]],
// [workspace]; Cargo.lock pins. A crate with src/main.rs, src/bin/ or [[bin]] builds a program.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import type { DeclaredDependency, ManifestFacts } from '../model.js';
import { joinPath } from '../docker.js';
import { findLine, loc } from '../text.js';
import { applyLocked, asString, asTable, tomlKeyLine, tomlSection, tomlTable } from './common.js';

const PATH = 'Cargo.toml';

function lockedVersions(text: string | undefined): Map<string, { version: string; source: string }> {
  const out = new Map<string, { version: string; source: string }>();
  if (text === undefined) return out;
  // Lines are counted as the matches go, not from the top for each package (quadratic in a big lock file).
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(/\[\[package\]\]\s*\nname\s*=\s*"([^"]+)"\s*\nversion\s*=\s*"([^"]+)"/g)) {
    const at = m.index + m[0].indexOf('name');
    for (; counted < at; counted++) if (text.charCodeAt(counted) === 10) line++;
    if (m[1] && m[2] && !out.has(m[1])) out.set(m[1], { version: m[2], source: loc('Cargo.lock', line) });
  }
  return out;
}

/** A crate's [dependencies], each with its manifest line. */
function crateDependencies(text: string, path: string, doc: Record<string, unknown>): DeclaredDependency[] {
  const deps: DeclaredDependency[] = [];
  for (const [name, spec] of Object.entries(asTable(doc.dependencies) ?? {})) {
    const version = asString(spec) ?? asString(asTable(spec)?.version);
    const dep: DeclaredDependency = { name, source: loc(path, tomlKeyLine(text, 'dependencies', name)) };
    if (version) dep.version = version;
    deps.push(dep);
  }
  return deps;
}

/** `cargo build … --bin NAME` (or `-p NAME`, `--package NAME`; zigbuild, install) in the root Dockerfile, continuation lines joined. */
const DOCKERFILE_CARGO_TARGET = /\bcargo\s+(?:[\w-]+\s+)*?(?:build|zigbuild|install|auditable\s+build)\b[^\n]*?\s(?:--bin|-p|--package)[= ]\s*["']?([\w-]+)/;

interface Member {
  path: string;
  text: string;
  doc: Record<string, unknown>;
  binary: string;
}

/** A workspace's member manifests: its `members` paths and `dir/*` globs, less its `exclude` list. */
function memberManifests(snapshot: RepoSnapshot, workspace: Record<string, unknown>): string[] {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(asString).filter((m): m is string => !!m).map((m) => m.replace(/\/+$/, '')) : []);
  const excluded = new Set(list(workspace.exclude));
  const out: string[] = [];
  for (const member of list(workspace.members)) {
    const glob = member.endsWith('/*') ? member.slice(0, -1) : undefined;
    for (const path of glob === undefined ? [`${member}/Cargo.toml`] : [...snapshot.files.keys()].filter((p) => p.startsWith(glob) && /^[^/]+\/Cargo\.toml$/.test(p.slice(glob.length)))) {
      if (snapshot.files.has(path) && !excluded.has(path.slice(0, -'/Cargo.toml'.length)) && !out.includes(path)) out.push(path);
    }
  }
  return out.sort(compare);
}

/** The binary a member crate builds: its first [[bin]], else its package name when it has src/main.rs or src/bin/. */
function memberBinary(snapshot: RepoSnapshot, path: string, doc: Record<string, unknown>): string | undefined {
  const bin = Array.isArray(doc.bin) ? asString(asTable(doc.bin[0])?.name) : undefined;
  if (bin) return bin;
  const dir = path.slice(0, -'Cargo.toml'.length);
  const hasMain = snapshot.files.has(`${dir}src/main.rs`) || [...snapshot.files.keys()].some((p) => p.startsWith(`${dir}src/bin/`) && p.endsWith('.rs'));
  return hasMain ? asString(asTable(doc.package)?.name) : undefined;
}

/**
 * With no cargo target named in the Dockerfile (a plain `cargo build`, or an image that copies a prebuilt
 * binary), the workspace's one member that builds a program is the app; several leave it unknown.
 */
function soleBinaryMember(snapshot: RepoSnapshot, workspace: Record<string, unknown>): Member | undefined {
  const programs: Member[] = [];
  for (const path of memberManifests(snapshot, workspace)) {
    const text = snapshot.files.get(path) ?? '';
    const doc = tomlTable(text);
    const binary = doc ? memberBinary(snapshot, path, doc) : undefined;
    if (doc && binary) programs.push({ path, text, doc, binary });
  }
  return programs.length === 1 ? programs[0] : undefined;
}

/**
 * A virtual Cargo workspace (no [package] of its own) whose root Dockerfile builds one member's binary:
 * that member is what the image runs, so its dependencies are the app's (its web framework, its SQLite).
 */
function builtMember(snapshot: RepoSnapshot, workspace: Record<string, unknown>): Member | undefined {
  const dockerfile = snapshot.files.get('Dockerfile');
  const target = dockerfile === undefined ? undefined : DOCKERFILE_CARGO_TARGET.exec(dockerfile.replace(/\\\r?\n/g, ' '))?.[1];
  if (!target) return soleBinaryMember(snapshot, workspace);
  for (const path of [...snapshot.files.keys()].filter((p) => p.endsWith('/Cargo.toml')).sort(compare)) {
    const text = snapshot.files.get(path) ?? '';
    const doc = tomlTable(text);
    if (!doc) continue;
    const bins = Array.isArray(doc.bin) ? doc.bin.map((b) => asString(asTable(b)?.name)) : [];
    if (asString(asTable(doc.package)?.name) === target || bins.includes(target)) return { path, text, doc, binary: target };
  }
  return undefined;
}

/**
 * The member's dependencies and those of the workspace crates it depends on by path (a server crate over
 * its `core` crate that holds the database): they are compiled into the same binary. Path crates themselves are not listed.
 */
function memberDependencies(snapshot: RepoSnapshot, path: string, text: string, doc: Record<string, unknown>, seen = new Set<string>()): DeclaredDependency[] {
  seen.add(path);
  const out: DeclaredDependency[] = [];
  for (const dep of crateDependencies(text, path, doc)) {
    const local = asString(asTable(asTable(doc.dependencies)?.[dep.name])?.path);
    if (local === undefined) {
      if (!out.some((d) => d.name === dep.name)) out.push(dep);
      continue;
    }
    const crate = joinPath(path.split('/').slice(0, -1).join('/'), `${local}/Cargo.toml`);
    const crateText = snapshot.files.get(crate);
    const crateDoc = crateText === undefined || seen.has(crate) ? undefined : tomlTable(crateText);
    if (crateText === undefined || !crateDoc) continue;
    for (const d of memberDependencies(snapshot, crate, crateText, crateDoc, seen)) if (!out.some((o) => o.name === d.name)) out.push(d);
  }
  return out;
}

export function analyzeRust(snapshot: RepoSnapshot): ManifestFacts | null {
  const text = snapshot.files.get(PATH);
  if (text === undefined) return null;
  const facts: ManifestFacts = { language: 'rust', manifests: [PATH], dependencies: [], devDependencies: [], packageManager: { value: 'cargo', source: PATH }, notes: [] };
  const doc = tomlTable(text);
  if (!doc) {
    facts.notes.push(ev(`unparseable ${PATH}`, PATH));
    return facts;
  }
  const pkg = asTable(doc.package);
  const workspace = asTable(doc.workspace);
  const member = !pkg && workspace ? builtMember(snapshot, workspace) : undefined;
  const deps = member ? memberDependencies(snapshot, member.path, member.text, member.doc) : crateDependencies(text, PATH, doc);
  facts.dependencies = applyLocked(deps.sort((a, b) => compare(a.name, b.name)), lockedVersions(snapshot.files.get('Cargo.lock')));
  if (member) facts.manifests.push(member.path);
  const rustVersion = asString(pkg?.['rust-version']);
  if (rustVersion) facts.languageVersion = { value: rustVersion, source: loc(PATH, tomlKeyLine(text, 'package', 'rust-version')) };
  if (asTable(doc.workspace) && !pkg) facts.workspace = { value: 'cargo workspace', source: loc(PATH, findLine(text, /^\[workspace\]/m)) };
  const bins = Array.isArray(doc.bin) ? doc.bin.map((b) => asString(asTable(b)?.name)).filter((n): n is string => !!n) : [];
  const name = asString(pkg?.name);
  // Cargo's auto-discovered binaries: src/bin/<name>.rs and src/bin/<name>/main.rs.
  const autoBin = [...snapshot.files.keys()].sort(compare).map((p) => /^src\/bin\/([\w-]+)(?:\.rs|\/main\.rs)$/.exec(p)).find((m) => m);
  const binary = bins[0] ?? (snapshot.files.has('src/main.rs') ? name : (autoBin?.[1] ?? member?.binary));
  if (binary) {
    const source = member && binary === member.binary ? member.path : bins[0] ? loc(PATH, findLine(text, /^\[\[bin\]\]/m)) : snapshot.files.has('src/main.rs') ? 'src/main.rs' : (autoBin?.[0] ?? 'src/main.rs');
    facts.runnable = { value: binary, source };
    facts.buildCommand = { value: 'cargo build --release --locked', source: 'rule:cargo-convention' };
    facts.startCommand = { value: `./target/release/${binary}`, source: 'rule:cargo-convention' };
  } else if (pkg && name) {
    facts.packageHint = ev(`package ${name} (no binary target)`, loc(PATH, tomlSection(text, 'package') >= 0 ? findLine(text, /^\[package\]/m) : undefined));
  }
  return facts;
}
