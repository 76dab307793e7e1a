// Version-manager files that pin one runtime version (.python-version, .nvmrc, …). They are more
// specific than manifest ranges, so they win over them.
import type { RepoSnapshot } from '../types.js';
import { loc, splitLines } from './text.js';
import { versionIn } from './versions.js';
import { type DockerfileFacts, runtimeOfImage } from './docker.js';
import { type Language, type Located, type ManifestFacts } from './model.js';

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

/** The language version: a version-manager file, else the manifest, else the Dockerfile's runtime tag. */
export function resolveLanguageVersion(
  snapshot: RepoSnapshot,
  language: Language,
  primary: ManifestFacts | undefined,
  dockerfile: DockerfileFacts | undefined,
): Located<string> | undefined {
  const pinned = pinnedVersion(snapshot, language);
  if (pinned) return pinned;
  if (primary?.languageVersion) return primary.languageVersion;
  // Last matching stage: a builder stage may use a different tag than the runtime one.
  for (const image of [...(dockerfile?.images ?? [])].reverse()) {
    const runtime = runtimeOfImage(image.value);
    if (runtime?.language === language && runtime.version) return { value: runtime.version, source: image.source };
  }
  return undefined;
}

