// mix.exs: app name, elixir requirement, deps ({:name, "~> x"} tuples, only: :test/:dev apart);
// mix.lock pins.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import type { DeclaredDependency, ManifestFacts } from '../model.js';
import { findLine, lineAt, loc } from '../text.js';
import { minimumVersion } from '../versions.js';
import { applyLocked } from './common.js';

const PATH = 'mix.exs';

export function analyzeElixir(snapshot: RepoSnapshot): ManifestFacts | null {
  const text = snapshot.files.get(PATH);
  if (text === undefined) return null;
  const facts: ManifestFacts = { language: 'elixir', manifests: [PATH], dependencies: [], devDependencies: [], packageManager: { value: 'mix', source: PATH }, notes: [] };
  const runtime: DeclaredDependency[] = [];
  for (const m of text.matchAll(/\{\s*:(\w+)\s*,\s*(?:"([^"]+)"\s*)?([^}]*)\}/g)) {
    const dep: DeclaredDependency = { name: m[1] ?? '', source: loc(PATH, lineAt(text, m.index ?? 0)) };
    if (m[2]) dep.version = m[2];
    // `only: :test` / `only: [:dev, :test]` deps never run in production.
    const only = /only:\s*(\[[^\]]*\]|:\w+)/.exec(m[3] ?? '')?.[1];
    if (!m[2] && !/\b(?:git|github|path|hex):/.test(m[3] ?? '')) continue; // not a dep tuple
    (only && !/\bprod\b/.test(only) ? facts.devDependencies : runtime).push(dep);
  }
  const lock = new Map<string, { version: string; source: string }>();
  const lockText = snapshot.files.get('mix.lock');
  for (const m of lockText?.matchAll(/^\s*"(\w+)":\s*\{:hex,\s*:\w+,\s*"([^"]+)"/gm) ?? []) {
    if (m[1] && m[2] && lockText) lock.set(m[1], { version: m[2], source: loc('mix.lock', lineAt(lockText, m.index ?? 0)) });
  }
  facts.dependencies = applyLocked(runtime.sort((a, b) => compare(a.name, b.name)), lock);
  const elixir = /elixir:\s*"([^"]+)"/.exec(text);
  const version = elixir?.[1] ? minimumVersion(elixir[1]) : undefined;
  if (version && elixir) facts.languageVersion = { value: version, source: loc(PATH, lineAt(text, elixir.index)) };
  const app = /\bapp:\s*:(\w+)/.exec(text);
  // An OTP application module (`mod: {MyApp.Application, []}`) means something runs; without one it is a library.
  if (/\bmod:\s*\{/.test(text) && app?.[1]) {
    facts.runnable = { value: app[1], source: loc(PATH, findLine(text, /\bmod:\s*\{/)) };
    facts.buildCommand = { value: 'mix deps.get --only prod && MIX_ENV=prod mix release', source: 'rule:mix-release-convention' };
  } else if (app?.[1]) facts.packageHint = ev(`package ${app[1]} (no application module)`, loc(PATH, lineAt(text, app.index)));
  return facts;
}
