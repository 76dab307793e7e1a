// Cargo.toml: [package] (name, rust-version), [dependencies] (string or table form), [[bin]],
// [workspace]; Cargo.lock pins. A crate with src/main.rs, src/bin/ or [[bin]] builds a program.
import { parse as parseToml } from 'smol-toml';
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import type { DeclaredDependency, ManifestFacts } from '../model.js';
import { findLine, loc } from '../text.js';
import { applyLocked, asString, asTable, tomlKeyLine, tomlSection } from './common.js';

const PATH = 'Cargo.toml';

function lockedVersions(text: string | undefined): Map<string, { version: string; source: string }> {
  const out = new Map<string, { version: string; source: string }>();
  if (text === undefined) return out;
  for (const m of text.matchAll(/\[\[package\]\]\s*\nname\s*=\s*"([^"]+)"\s*\nversion\s*=\s*"([^"]+)"/g)) {
    if (m[1] && m[2] && !out.has(m[1])) out.set(m[1], { version: m[2], source: loc('Cargo.lock', findLine(text, `name = "${m[1]}"`)) });
  }
  return out;
}

export function analyzeRust(snapshot: RepoSnapshot): ManifestFacts | null {
  const text = snapshot.files.get(PATH);
  if (text === undefined) return null;
  const facts: ManifestFacts = { language: 'rust', manifests: [PATH], dependencies: [], devDependencies: [], packageManager: { value: 'cargo', source: PATH }, notes: [] };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    facts.notes.push(ev(`unparseable ${PATH}`, PATH));
    return facts;
  }
  const deps: DeclaredDependency[] = [];
  for (const [name, spec] of Object.entries(asTable(doc.dependencies) ?? {})) {
    const version = asString(spec) ?? asString(asTable(spec)?.version);
    const dep: DeclaredDependency = { name, source: loc(PATH, tomlKeyLine(text, 'dependencies', name)) };
    if (version) dep.version = version;
    deps.push(dep);
  }
  facts.dependencies = applyLocked(deps.sort((a, b) => compare(a.name, b.name)), lockedVersions(snapshot.files.get('Cargo.lock')));
  const pkg = asTable(doc.package);
  const rustVersion = asString(pkg?.['rust-version']);
  if (rustVersion) facts.languageVersion = { value: rustVersion, source: loc(PATH, tomlKeyLine(text, 'package', 'rust-version')) };
  if (asTable(doc.workspace) && !pkg) facts.workspace = { value: 'cargo workspace', source: loc(PATH, findLine(text, /^\[workspace\]/m)) };
  const bins = Array.isArray(doc.bin) ? doc.bin.map((b) => asString(asTable(b)?.name)).filter((n): n is string => !!n) : [];
  const name = asString(pkg?.name);
  // Cargo's auto-discovered binaries: src/bin/<name>.rs and src/bin/<name>/main.rs.
  const autoBin = [...snapshot.files.keys()].sort(compare).map((p) => /^src\/bin\/([\w-]+)(?:\.rs|\/main\.rs)$/.exec(p)).find((m) => m);
  const binary = bins[0] ?? (snapshot.files.has('src/main.rs') ? name : autoBin?.[1]);
  if (binary) {
    const source = bins[0] ? loc(PATH, findLine(text, /^\[\[bin\]\]/m)) : snapshot.files.has('src/main.rs') ? 'src/main.rs' : (autoBin?.[0] ?? 'src/main.rs');
    facts.runnable = { value: binary, source };
    facts.buildCommand = { value: 'cargo build --release --locked', source: 'rule:cargo-convention' };
    facts.startCommand = { value: `./target/release/${binary}`, source: 'rule:cargo-convention' };
  } else if (pkg && name) {
    facts.packageHint = ev(`package ${name} (no binary target)`, loc(PATH, tomlSection(text, 'package') >= 0 ? findLine(text, /^\[package\]/m) : undefined));
  }
  return facts;
}
