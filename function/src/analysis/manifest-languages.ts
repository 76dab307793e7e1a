// Languages whose ecosystems scai does not read further still name themselves by their build files at the root.
import type { RepoSnapshot } from '../types.js';
import { sourceFiles } from './files.js';
import type { Located } from './model.js';

/**
 * Root build files, the language they build and its source files: Erlang's rebar.config, Scala's build.sbt, Crystal's
 * shard.yml, Perl's cpanfile, Lua's rockspec.
 */
const BUILD_FILE_LANGUAGES: readonly { file: RegExp; language: string; sources: readonly string[] }[] = [
  { file: /^(?:rebar\.config|erlang\.mk)$/, language: 'erlang', sources: ['.erl'] },
  { file: /^build\.sbt$/, language: 'scala', sources: ['.scala'] },
  { file: /^shard\.yml$/, language: 'crystal', sources: ['.cr'] },
  { file: /^(?:cpanfile|Makefile\.PL|Build\.PL|dist\.ini)$/, language: 'perl', sources: ['.pl', '.pm'] },
  { file: /^[\w.-]+\.rockspec$/, language: 'lua', sources: ['.lua'] },
];

/**
 * The language a root build file of such an ecosystem names (the first of the table's order), when the repository has
 * code in it outside tests and vendored folders (a stray `cpanfile` beside a Python app names nothing), or nothing.
 */
export function buildFileLanguage(snapshot: RepoSnapshot): Located<string> | undefined {
  const root = [...snapshot.files.keys()].filter((p) => !p.includes('/')).sort();
  for (const { file, language, sources } of BUILD_FILE_LANGUAGES) {
    const path = root.find((p) => file.test(p));
    if (path !== undefined && sourceFiles(snapshot, sources).length > 0) return { value: language, source: path };
  }
  return undefined;
}
