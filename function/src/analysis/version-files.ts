// Version-manager files that pin one runtime version (.python-version, .nvmrc, …). They are more
// specific than manifest ranges, so they win over them.
import type { RepoSnapshot } from '../types.js';
import type { Language, Located } from './model.js';
import { loc, splitLines } from './text.js';
import { versionIn } from './versions.js';

const FILES: Readonly<Record<Language, readonly string[]>> = {
  python: ['.python-version', 'runtime.txt'],
  node: ['.nvmrc', '.node-version'],
  go: [],
  ruby: ['.ruby-version'],
  rust: [],
  java: ['.java-version'],
  php: ['.php-version'],
  dotnet: [],
  elixir: [],
};

/** asdf/mise tool names per language. */
const TOOL_NAMES: Readonly<Record<Language, readonly string[]>> = {
  python: ['python'],
  node: ['nodejs', 'node'],
  go: ['golang', 'go'],
  ruby: ['ruby'],
  rust: ['rust'],
  java: ['java'],
  php: ['php'],
  dotnet: ['dotnet', 'dotnet-core'],
  elixir: ['elixir'],
};

export function pinnedVersion(snapshot: RepoSnapshot, language: Language): Located<string> | undefined {
  for (const path of FILES[language]) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    const lines = splitLines(text);
    const index = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const value = index < 0 ? undefined : versionIn(lines[index] ?? '');
    if (value !== undefined) return { value, source: loc(path, index + 1) };
  }
  const tools = snapshot.files.get('.tool-versions');
  if (tools !== undefined) {
    const lines = splitLines(tools);
    for (let i = 0; i < lines.length; i++) {
      const [tool, version] = (lines[i] ?? '').trim().split(/\s+/);
      const value = tool && TOOL_NAMES[language].includes(tool) && version ? versionIn(version) : undefined;
      if (value !== undefined) return { value, source: loc('.tool-versions', i + 1) };
    }
  }
  return undefined;
}
