// Languages whose ecosystems scai does not read further still name themselves by their build files at the root.
import type { RepoSnapshot } from '../types.js';
import type { Located } from './model.js';

/** Root build files and the language they build: Erlang's rebar.config, Scala's build.sbt, Crystal's shard.yml, Perl's cpanfile, Lua's rockspec. */
const BUILD_FILE_LANGUAGES: readonly { file: RegExp; language: string }[] = [
  { file: /^(?:rebar\.config|erlang\.mk)$/, language: 'erlang' },
  { file: /^build\.sbt$/, language: 'scala' },
  { file: /^shard\.yml$/, language: 'crystal' },
  { file: /^(?:cpanfile|Makefile\.PL|Build\.PL|dist\.ini)$/, language: 'perl' },
  { file: /^[\w.-]+\.rockspec$/, language: 'lua' },
];

/** The language a root build file of such an ecosystem names (the first of the table's order), or nothing. */
export function buildFileLanguage(snapshot: RepoSnapshot): Located<string> | undefined {
  const root = [...snapshot.files.keys()].filter((p) => !p.includes('/')).sort();
  for (const { file, language } of BUILD_FILE_LANGUAGES) {
    const path = root.find((p) => file.test(p));
    if (path !== undefined) return { value: language, source: path };
  }
  return undefined;
}
