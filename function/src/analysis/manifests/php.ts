// composer.json: require (php and extensions apart), require-dev, type; composer.lock pins.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import type { DeclaredDependency, ManifestFacts } from '../model.js';
import { findLine, jsonKeyLines, loc } from '../text.js';
import { minimumVersion } from '../versions.js';
import { applyLocked, asString, asTable, jsonTable } from './common.js';

const PATH = 'composer.json';

function section(text: string, table: Record<string, unknown> | undefined, name: string): DeclaredDependency[] {
  const start = text.search(new RegExp(`"${name}"\\s*:`));
  const lines = jsonKeyLines(text, Math.max(0, start));
  return Object.entries(table ?? {})
    .filter(([pkg]) => pkg !== 'php' && !pkg.startsWith('ext-') && pkg.includes('/'))
    .map(([pkg, spec]): DeclaredDependency => {
      const dep: DeclaredDependency = { name: pkg, source: loc(PATH, lines.get(pkg)) };
      if (typeof spec === 'string' && spec !== '*') dep.version = spec;
      return dep;
    })
    .sort((a, b) => compare(a.name, b.name));
}

function locked(text: string | undefined): Map<string, { version: string; source: string }> {
  const out = new Map<string, { version: string; source: string }>();
  if (text === undefined) return out;
  try {
    const lock = asTable(JSON.parse(text));
    for (const p of Array.isArray(lock?.packages) ? lock.packages : []) {
      const name = asString(asTable(p)?.name);
      const version = asString(asTable(p)?.version)?.replace(/^v/, '');
      if (name && version) out.set(name, { version, source: loc('composer.lock', findLine(text, `"name": "${name}"`)) });
    }
  } catch {
    // an unreadable lock only loses pins
  }
  return out;
}

/**
 * Composer package types that other apps install, not apps: `library`, and a host app's plugins, themes, modules, extensions
 * and bundles (`wordpress-plugin`, `drupal-module`, `symfony-bundle`, `composer-plugin`).
 */
const INSTALLED_TYPE = String.raw`library|[\w-]+-(?:plugin|muplugin|theme|module|extension|bundle)`;
const INSTALLED_PACKAGE_TYPE = new RegExp(`^(?:${INSTALLED_TYPE})$`);

/**
 * Whether a composer.json declares such a package at its top level (`"type": "library"`, `"type": "wordpress-plugin"`; not an
 * inline package repository's `"type"` nested below).
 */
export function composerLibrary(text: string | undefined): boolean {
  if (text === undefined || !/"type"\s*:/.test(text)) return false;
  const type = asString(jsonTable(text)?.type);
  return type !== undefined && INSTALLED_PACKAGE_TYPE.test(type);
}

export function analyzePhp(snapshot: RepoSnapshot): ManifestFacts | null {
  const text = snapshot.files.get(PATH);
  if (text === undefined) return null;
  const facts: ManifestFacts = { language: 'php', manifests: [PATH], dependencies: [], devDependencies: [], packageManager: { value: 'composer', source: PATH }, notes: [] };
  const doc = jsonTable(text);
  if (!doc) {
    facts.notes.push(ev(`unparseable ${PATH}`, PATH));
    return facts;
  }
  const require = asTable(doc.require);
  facts.dependencies = applyLocked(section(text, require, 'require'), locked(snapshot.files.get('composer.lock')));
  facts.devDependencies = section(text, asTable(doc['require-dev']), 'require-dev');
  const php = asString(require?.php);
  const version = php ? minimumVersion(php) : undefined;
  if (version) facts.languageVersion = { value: version, source: loc(PATH, findLine(text, /"php"\s*:/)) };
  facts.buildCommand = { value: 'composer install --no-dev --optimize-autoloader', source: 'rule:composer-convention' };
  const type = asString(doc.type);
  if (type !== undefined && INSTALLED_PACKAGE_TYPE.test(type) && !snapshot.files.has('public/index.php')) facts.packageHint = ev(`package ${asString(doc.name) ?? PATH} (type ${type})`, loc(PATH, findLine(text, /"type"\s*:/)));
  const split = splitPackages(doc, type);
  if (split) facts.splitPackages = ev(`a monorepo of ${split} Composer packages published one by one (replace: self.version)`, loc(PATH, findLine(text, /"replace"\s*:/)));
  return facts;
}

/** How many of its own packages a root must replace to be a split-package monorepo rather than an app bundling a plugin or two. */
const MIN_SPLIT_PACKAGES = 3;

/**
 * A framework's development monorepo (`contao/contao`, `symfony/symfony`): its composer.json replaces the packages it is split
 * into (`"contao/core-bundle": "self.version"`), and it is no `"type": "project"` (an app that vendors its plugins that way,
 * like Mautic). The count of packages, or nothing; analyze.ts also asks that the root has no image or front controller of its own.
 */
function splitPackages(doc: Record<string, unknown>, type: string | undefined): number | undefined {
  if (type === 'project') return undefined;
  const own = Object.values(asTable(doc.replace) ?? {}).filter((v) => v === 'self.version').length;
  return own >= MIN_SPLIT_PACKAGES ? own : undefined;
}
