// JVM builds: Maven pom.xml or Gradle build.gradle(.kts). Dependencies are `group:artifact`.
// Spring Boot starters carry no version of their own (the parent/plugin manages them), so they
// take the Boot version. Test-scoped dependencies are dev dependencies. Regexes, not an XML or
// Groovy parser: they read the usual spellings and stay silent otherwise.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import type { DeclaredDependency, Located, ManifestFacts } from '../model.js';
import { lineAt, loc, withoutXmlComments, xmlTag } from '../text.js';
import { KTOR_SERVER_ENGINES } from '../frameworks.js';
import { optionalDependencies, reactorApplication } from './maven-reactor.js';

const BOOT_GROUP = 'org.springframework.boot';

function maven(path: string, text: string): Omit<ManifestFacts, 'language' | 'notes'> & { boot?: Located<string> } {
  const noComments = withoutXmlComments(text);
  const props = new Map<string, string>();
  const propBlock = /<properties>([\s\S]*?)<\/properties>/.exec(noComments)?.[1] ?? '';
  for (const m of propBlock.matchAll(/<([\w.-]+)>\s*([^<]*?)\s*<\/\1>/g)) if (m[1]) props.set(m[1], m[2] ?? '');
  const expand = (v: string | undefined) => v?.replace(/\$\{([\w.-]+)\}/g, (w, k: string) => props.get(k) ?? w);
  const runtime: DeclaredDependency[] = [];
  const dev: DeclaredDependency[] = [];
  let boot: Located<string> | undefined;
  const parent = /<parent>([\s\S]*?)<\/parent>/.exec(noComments);
  if (parent?.[1] && xmlTag(parent[1], 'artifactId') === 'spring-boot-starter-parent') {
    const v = expand(xmlTag(parent[1], 'version'));
    if (v) boot = { value: v, source: loc(path, lineAt(text, parent.index)) };
  }
  // Dependencies outside <dependencyManagement> (a BOM import is not a dependency).
  const managed = /<dependencyManagement>[\s\S]*?<\/dependencyManagement>/.exec(noComments);
  const body = managed ? noComments.replace(managed[0], (m) => m.replace(/[^\n]/g, ' ')) : noComments;
  for (const m of body.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const block = m[1] ?? '';
    const group = xmlTag(block, 'groupId');
    const artifact = xmlTag(block, 'artifactId');
    if (!group || !artifact) continue;
    const dep: DeclaredDependency = { name: `${group}:${artifact}`, source: loc(path, lineAt(text, m.index ?? 0)) };
    const version = expand(xmlTag(block, 'version'));
    if (version) dep.version = version;
    const scope = xmlTag(block, 'scope');
    (scope === 'test' || scope === 'provided' ? dev : runtime).push(dep);
  }
  if (!boot) {
    const bom = /<groupId>org\.springframework\.boot<\/groupId>\s*<artifactId>spring-boot-(?:dependencies|maven-plugin)<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(noComments);
    const v = expand(bom?.[1]);
    if (v && bom) boot = { value: v, source: loc(path, lineAt(text, bom.index)) };
  }
  const out: ReturnType<typeof maven> = { manifests: [path], dependencies: runtime, devDependencies: dev, packageManager: { value: 'maven', source: path } };
  const java = props.get('java.version') ?? props.get('maven.compiler.release') ?? props.get('maven.compiler.target');
  if (java) out.languageVersion = { value: java.replace(/^1\./, ''), source: loc(path, lineAt(text, text.search(/<(java\.version|maven\.compiler\.(release|target))>/))) };
  if (/<modules>/.test(body) && xmlTag(body, 'packaging') === 'pom') out.workspace = { value: 'maven modules', source: loc(path, lineAt(text, text.indexOf('<modules>'))) };
  if (boot) out.boot = boot;
  return out;
}

/** A dependency line's Gradle configuration (`implementation`, `testImplementation` …), captured. */
const GRADLE_CONFIG = String.raw`^\s*(implementation|api|compile|runtimeOnly|compileOnly|testImplementation|testRuntimeOnly|developmentOnly|annotationProcessor|kapt)\s*\(?\s*`;
const GRADLE_CONFIGS = new RegExp(GRADLE_CONFIG + String.raw`["']([^"':\s]+):([^"':\s]+)(?::([^"'\s]+))?["']`, 'gm');
/** A dependency written as a version-catalog accessor: `implementation libs.spring.starter.webflux`. */
const GRADLE_CATALOG_DEPS = new RegExp(GRADLE_CONFIG + String.raw`libs\.((?!plugins\.|versions\.|bundles\.)[\w.]+)`, 'gm');
const isDevConfig = (config: string | undefined) => /^test|^compileOnly|^annotationProcessor|^kapt|^developmentOnly/.test(config ?? '');

/**
 * gradle/libs.versions.toml: `[libraries]` accessor (`spring.starter.webflux`: Gradle folds `-` and `_`
 * into `.`) → `group:artifact`, and `[plugins]` accessor → plugin id.
 */
export function gradleCatalog(snapshot: RepoSnapshot): { libraries: Map<string, string>; plugins: Map<string, string> } {
  const libraries = new Map<string, string>();
  const plugins = new Map<string, string>();
  const text = snapshot.files.get('gradle/libs.versions.toml');
  if (text === undefined) return { libraries, plugins };
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([\w-]+)\]/.exec(line);
    if (header?.[1]) {
      section = header[1];
      continue;
    }
    const entry = /^\s*([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!entry?.[1] || !entry[2]) continue;
    const alias = entry[1].replace(/[-_]/g, '.');
    const value = entry[2];
    if (section === 'plugins') {
      const id = /id\s*=\s*["']([^"']+)["']/.exec(value)?.[1] ?? /^["']([^"':]+)(?::[^"']*)?["']/.exec(value)?.[1];
      if (id) plugins.set(alias, id);
    }
    if (section !== 'libraries') continue;
    const coords = /module\s*=\s*["']([^"':]+):([^"':]+)["']/.exec(value) ?? /^["']([^"':]+):([^"':]+)(?::[^"']*)?["']/.exec(value);
    const group = /group\s*=\s*["']([^"']+)["']/.exec(value)?.[1];
    const name = /name\s*=\s*["']([^"']+)["']/.exec(value)?.[1];
    const coordinate = coords?.[1] && coords[2] ? `${coords[1]}:${coords[2]}` : group && name ? `${group}:${name}` : undefined;
    if (coordinate) libraries.set(alias, coordinate);
  }
  return { libraries, plugins };
}

type GradleCatalog = ReturnType<typeof gradleCatalog>;

function gradle(path: string, text: string, catalog?: GradleCatalog): Omit<ManifestFacts, 'language' | 'notes'> & { boot?: Located<string>; kotlin?: Located<string> } {
  const runtime: DeclaredDependency[] = [];
  const dev: DeclaredDependency[] = [];
  for (const m of text.matchAll(GRADLE_CONFIGS)) {
    const dep: DeclaredDependency = { name: `${m[2]}:${m[3]}`, source: loc(path, lineAt(text, m.index ?? 0)) };
    if (m[4]) dep.version = m[4];
    (isDevConfig(m[1]) ? dev : runtime).push(dep);
  }
  for (const m of catalog ? text.matchAll(GRADLE_CATALOG_DEPS) : []) {
    const name = catalog?.libraries.get(m[2] ?? '');
    if (name) (isDevConfig(m[1]) ? dev : runtime).push({ name, source: loc(path, lineAt(text, m.index ?? 0)) });
  }
  const out: ReturnType<typeof gradle> = { manifests: [path], dependencies: runtime, devDependencies: dev, packageManager: { value: 'gradle', source: path } };
  const boot = /id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?\s*version\s*["']([^"']+)["']/.exec(text);
  if (boot?.[1]) out.boot = { value: boot[1], source: loc(path, lineAt(text, boot.index)) };
  const kotlin = /kotlin\(\s*"jvm"\s*\)|id\s*\(?\s*["']org\.jetbrains\.kotlin\.jvm["']/.exec(text) ?? (catalog ? catalogPluginAlias(text, catalog, KOTLIN_JVM_PLUGIN) : null);
  if (kotlin) out.kotlin = { value: 'kotlin', source: loc(path, lineAt(text, kotlin.index)) };
  const java = /JavaLanguageVersion\.of\(\s*(\d+)\s*\)|jvmToolchain\(\s*(\d+)\s*\)|sourceCompatibility\s*=\s*(?:JavaVersion\.VERSION_(?:1_)?(\d+)|['"](?:1\.)?(\d+)['"])/.exec(text);
  const v = java?.slice(1).find((g) => g);
  if (v && java) out.languageVersion = { value: v, source: loc(path, lineAt(text, java.index)) };
  return out;
}

export function analyzeJvm(snapshot: RepoSnapshot): ManifestFacts | null {
  const pom = snapshot.files.get('pom.xml');
  const gradlePath = ['build.gradle.kts', 'build.gradle'].find((p) => snapshot.files.has(p));
  // A Gradle build may have no root build file at all: settings.gradle alone includes the app's project.
  const read = pom !== undefined ? readMaven(snapshot, pom) : gradlePath ? readGradle(snapshot, gradlePath) : includedGradleApp(snapshot, gradleCatalog(snapshot));
  if (!read) return null;
  const { boot, ...rest } = read as typeof read & { kotlin?: Located<string> };
  delete (rest as { kotlin?: unknown }).kotlin;
  const facts: ManifestFacts = { language: 'java', notes: [], ...rest };
  const kotlin = (read as { kotlin?: Located<string> }).kotlin;
  if (kotlin) facts.displayLanguage = kotlin;
  else if (pom !== undefined && /<artifactId>kotlin-maven-plugin<\/artifactId>/.test(pom)) facts.displayLanguage = { value: 'kotlin', source: loc('pom.xml', lineAt(pom, pom.indexOf('kotlin-maven-plugin'))) };
  else if (gradlePath?.endsWith('.kts') && [...snapshot.files.keys()].some((p) => p.startsWith('src/main/kotlin/'))) facts.displayLanguage = { value: 'kotlin', source: 'src/main/kotlin' };
  // Boot-managed starters take the Boot version.
  if (boot) facts.dependencies = facts.dependencies.map((d) => (d.version === undefined && d.name.startsWith(`${BOOT_GROUP}:`) ? { ...d, version: boot.value, lockSource: boot.source } : d));
  facts.dependencies.sort((a, b) => compare(a.name, b.name));
  facts.devDependencies.sort((a, b) => compare(a.name, b.name));
  const names = new Set(facts.dependencies.map((d) => d.name));
  const isMaven = pom !== undefined;
  const wrapper = isMaven ? (snapshot.files.has('mvnw') ? './mvnw' : 'mvn') : snapshot.files.has('gradlew') ? './gradlew' : 'gradle';
  facts.buildCommand = { value: isMaven ? `${wrapper} -B package -DskipTests` : `${wrapper} build -x test`, source: snapshot.files.has(isMaven ? 'mvnw' : 'gradlew') ? (isMaven ? 'mvnw' : 'gradlew') : `rule:${isMaven ? 'maven' : 'gradle'}-convention` };
  const quarkus = [...names].some((n) => n.startsWith('io.quarkus:'));
  const jarDir = isMaven ? 'target' : 'build/libs';
  if (quarkus) {
    facts.runnable = { value: 'quarkus', source: facts.manifests[0] ?? 'pom.xml' };
    facts.startCommand = { value: `java -jar ${isMaven ? 'target' : 'build'}/quarkus-app/quarkus-run.jar`, source: 'rule:quarkus-convention' };
    if (names.has('io.quarkus:quarkus-smallrye-health')) facts.healthCheckPath = { value: '/q/health', source: depSource(facts, 'io.quarkus:quarkus-smallrye-health') };
  } else if (boot || [...names].some((n) => n.startsWith(`${BOOT_GROUP}:`))) {
    facts.runnable = { value: 'spring-boot', source: boot?.source ?? facts.manifests[0] ?? 'pom.xml' };
    facts.startCommand = { value: `java -jar ${jarDir}/*.jar`, source: 'rule:spring-boot-convention' };
    if (names.has(`${BOOT_GROUP}:spring-boot-starter-actuator`)) facts.healthCheckPath = { value: '/actuator/health', source: depSource(facts, `${BOOT_GROUP}:spring-boot-starter-actuator`) };
  } else if (!facts.workspace) {
    facts.packageHint = ev(`package ${facts.manifests[0]} (no Spring Boot or Quarkus application)`, facts.manifests[0] ?? 'pom.xml');
  }
  return facts;
}

/** `include 'api', ':platform:web'` in settings.gradle(.kts): the included projects' directories. */
export function gradleIncludes(snapshot: RepoSnapshot): string[] {
  const text = snapshot.files.get('settings.gradle') ?? snapshot.files.get('settings.gradle.kts');
  if (text === undefined) return [];
  const dirs: string[] = [];
  for (const line of text.matchAll(/^\s*include\b(.*)$/gm)) for (const m of (line[1] ?? '').matchAll(/["']:?([\w.:-]+)["']/g)) if (m[1]) dirs.push(m[1].replace(/:/g, '/'));
  return dirs;
}

/** The Spring Boot or Quarkus Gradle plugin (by id, or a catalog alias of it): the project that builds the runnable app. */
const APP_PLUGIN_IDS: readonly string[] = ['org.springframework.boot', 'io.quarkus'];

function appliesAppPlugin(text: string, catalog: GradleCatalog): boolean {
  const byId = [...text.matchAll(/\bid\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
  const byAlias = [...text.matchAll(CATALOG_PLUGIN_ALIAS)].map((m) => catalog.plugins.get(m[1] ?? ''));
  return [...byId, ...byAlias].some((id) => id !== undefined && APP_PLUGIN_IDS.includes(id));
}

const KOTLIN_JVM_PLUGIN = 'org.jetbrains.kotlin.jvm';
/** A plugin applied through the version catalog: `alias(libs.plugins.kotlin.jvm)`. */
const CATALOG_PLUGIN_ALIAS = /alias\s*\(\s*libs\.plugins\.([\w.]+)\s*\)/g;

/** The first `alias(libs.plugins.…)` line whose catalog entry is the plugin `id`. */
function catalogPluginAlias(text: string, catalog: GradleCatalog, id: string): RegExpExecArray | null {
  for (const m of text.matchAll(CATALOG_PLUGIN_ALIAS)) if (catalog.plugins.get(m[1] ?? '') === id) return m as RegExpExecArray;
  return null;
}

/** A project that declares one of Ktor's server engines runs the HTTP server: it is the application, not a library. */
function runsKtorServer(read: ReturnType<typeof gradle>): boolean {
  return read.dependencies.some((d) => KTOR_SERVER_ENGINES.includes(d.name));
}

/**
 * The root Gradle build; when it declares no dependencies of its own and settings.gradle includes
 * projects, the application is the one included project that applies the Spring Boot or Quarkus plugin
 * (the other projects are its libraries: generated contracts, SDKs, a bundled front-end).
 */
function readGradle(snapshot: RepoSnapshot, rootPath: string): ReturnType<typeof gradle> {
  const catalog = gradleCatalog(snapshot);
  const root = gradle(rootPath, snapshot.files.get(rootPath) ?? '', catalog);
  if (root.dependencies.length > 0 || root.devDependencies.length > 0) return root;
  return includedGradleApp(snapshot, catalog) ?? root;
}

/** The one project settings.gradle includes that applies the Spring Boot or Quarkus plugin or runs a Ktor server engine, if exactly one does. */
function includedGradleApp(snapshot: RepoSnapshot, catalog: GradleCatalog): ReturnType<typeof gradle> | undefined {
  const apps = gradleIncludes(snapshot).flatMap((dir) => {
    const path = [`${dir}/build.gradle.kts`, `${dir}/build.gradle`].find((p) => snapshot.files.has(p));
    const text = path === undefined ? '' : (snapshot.files.get(path) ?? '');
    const read = path === undefined ? undefined : gradle(path, text, catalog);
    return read && (appliesAppPlugin(text, catalog) || runsKtorServer(read)) ? [read] : [];
  });
  return apps.length === 1 ? apps[0] : undefined;
}

/**
 * The root pom; when it is a reactor declaring no dependencies of its own, the reactor's application
 * module with the dependencies of the reactor libraries its jar holds (see maven-reactor.ts).
 */
function readMaven(snapshot: RepoSnapshot, pom: string): ReturnType<typeof maven> {
  const root = maven('pom.xml', pom);
  const app = root.dependencies.length === 0 ? reactorApplication(snapshot) : undefined;
  if (!app) return root;
  const own = maven(`${app.module.dir}/pom.xml`, snapshot.files.get(`${app.module.dir}/pom.xml`) ?? '');
  // A library's optional dependencies stay out of the application's jar.
  const libraries = app.libraries.map((m) => {
    const text = snapshot.files.get(`${m.dir}/pom.xml`) ?? '';
    return { read: maven(`${m.dir}/pom.xml`, text), optional: optionalDependencies(text) };
  });
  const names = new Set(own.dependencies.map((d) => d.name));
  const inherited: DeclaredDependency[] = [];
  for (const d of libraries.flatMap((l) => l.read.dependencies.filter((x) => !l.optional.has(x.name)))) {
    if (names.has(d.name)) continue;
    names.add(d.name);
    inherited.push(d);
  }
  const { workspace: _w, ...rest } = own;
  const boot = own.boot ?? root.boot;
  const languageVersion = own.languageVersion ?? root.languageVersion;
  return { ...rest, dependencies: [...own.dependencies, ...inherited], ...(boot ? { boot } : {}), ...(languageVersion ? { languageVersion } : {}) };
}

function depSource(facts: ManifestFacts, name: string): string {
  return facts.dependencies.find((d) => d.name === name)?.source ?? facts.manifests[0] ?? 'pom.xml';
}
