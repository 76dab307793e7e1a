// Languages whose ecosystems scai does not read further still name themselves by their build files at the root.
import type { RepoSnapshot } from '../types.js';
import { sourceFiles } from './files.js';
import type { Language, Located } from './model.js';
import { languageFileCount } from './source-scan.js';

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

/** Source files a language read no further needs before it names the repository by their count alone. */
const UNREAD_MAJORITY_FILES = 20;

/** A Prolog file (`:- module(…)`, `:- use_module(…)`): `.pl` is Prolog's extension too. */
const PROLOG_DIRECTIVE = /^:-/m;

/**
 * With no build file of its own (Perl's modules installed by a script, Lua modules loaded by a server), a language read
 * no further names the repository when its source files are at least twice the counted language's (538 Perl modules
 * beside a web UI's 110 scripts): the count of the languages scai reads would otherwise name the helper code. The
 * reason gives both counts.
 */
export function countedUnreadLanguage(snapshot: RepoSnapshot, counted: Located<Language> | undefined): { language: Located<string>; why: string } | undefined {
  const rival = counted ? languageFileCount(snapshot, counted.value) : 0;
  let best: { language: string; count: number } | undefined;
  for (const { language, sources } of BUILD_FILE_LANGUAGES) {
    const count = sourceFiles(snapshot, sources).filter((f) => !(f.path.endsWith('.pl') && PROLOG_DIRECTIVE.test(f.text))).length;
    if (count >= UNREAD_MAJORITY_FILES && count >= 2 * rival && (!best || count > best.count)) best = { language, count };
  }
  if (!best) return undefined;
  const beside = counted ? `, at least twice the ${rival} ${counted.value} files` : '';
  return { language: { value: best.language, source: 'rule:file-extensions' }, why: `${best.count} ${best.language} source files${beside}` };
}
