// Internal shapes shared by the analysis modules. Only analyze.ts turns them into an `Analysis`.
import type { Dependency, Evidence } from '../types.js';

export type Language = 'python' | 'node' | 'go' | 'ruby' | 'rust' | 'java' | 'php' | 'dotnet' | 'elixir';

/**
 * Order used to break ties between ecosystems in one repository. Node comes last because a
 * package.json beside a Gemfile or requirements.txt usually only builds front-end assets.
 */
export const LANGUAGE_ORDER: readonly Language[] = ['python', 'ruby', 'php', 'elixir', 'java', 'dotnet', 'rust', 'go', 'node'];

/** A value and where it was read: `file:line`, `file` or `rule:<name>`. */
export interface Located<T> {
  value: T;
  source: string;
}

export interface DeclaredDependency extends Dependency {
  /** Where the manifest declares it. */
  source: string;
  /** Where a lockfile pinned `version`, when one did. */
  lockSource?: string;
  /** Python extras (`celery[redis]`), used only to infer backing services. */
  extras?: readonly string[];
}

/** What one ecosystem's manifests say. Dependencies are runtime only, deduped, sorted by name. */
export interface ManifestFacts {
  language: Language;
  /** Manifest files that put the ecosystem in play, in reading order. */
  manifests: string[];
  dependencies: DeclaredDependency[];
  devDependencies: DeclaredDependency[];
  languageVersion?: Located<string>;
  packageManager?: Located<string>;
  /** Set when the manifest describes a distributable package (library candidate). */
  packageHint?: Evidence;
  /** Parse failures and similar remarks worth surfacing as evidence. */
  notes: Evidence[];
  /** A framework the manifest itself declares (a .csproj SDK, a Spring Boot plugin), beating dependency rules. */
  frameworkHint?: { name: string; source: string; version?: string };
  /** Reported language when it differs from the ecosystem (kotlin for a JVM build with the Kotlin plugin). */
  displayLanguage?: Located<string>;
  /** Command that builds the app, when the manifest or build tool says. */
  buildCommand?: Located<string>;
  /** Command that starts the built app, when the manifest or build tool says. */
  startCommand?: Located<string>;
  /** A health endpoint the framework exposes when a dependency enables it (actuator …). */
  healthCheckPath?: Located<string>;
  /** The manifest describes a runnable program (a binary target, an Exe output …). */
  runnable?: Located<string>;
  /** An unpackaged Python project's one root script run as a program (`bazarr.py`): kept apart from `runnable`, which ranks languages. */
  entryScript?: Located<string>;
  /** The manifest aggregates modules/members: a monorepo root. */
  workspace?: Located<string>;
  /** The root is a monorepo of packages published one by one (Composer's `replace` of its own split packages): libraries, whatever framework they build on. */
  splitPackages?: Evidence;
}
