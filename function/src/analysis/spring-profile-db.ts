// The database a Spring Boot app runs with when its own configuration activates a profile: the profile's file
// holds the datasource URL, so the base file alone does not say whether the database is in memory.
import type { RepoSnapshot, Sourced } from '../types.js';
import { compare } from './evidence.js';
import { isTestOrVendored } from './files.js';
import { dirOf, lineAt, loc } from './text.js';

/** `spring.profiles.active=hsqldb,spring-data-jpa` (properties) or `profiles:` then `  active: hsqldb` (YAML); a `@…@` build placeholder is no list. */
const ACTIVE_PROFILES = [/^[ \t]*spring\.profiles\.active[ \t]*[=:][ \t]*([\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)[ \t]*$/m, /^[ \t]*profiles:[ \t]*\r?\n[ \t]+active:[ \t]*["']?([\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)["']?[ \t]*$/m];
/** An embedded database's in-memory JDBC URL: group 1 is the engine. */
const MEMORY_JDBC = /jdbc:(h2|hsqldb):mem:/;
/** A deployment file choosing the profiles itself (`SPRING_PROFILES_ACTIVE=mysql`, `-Dspring.profiles.active=prod`): the base file's choice is then not what runs. */
const DEPLOY_PROFILE = /SPRING_PROFILES_ACTIVE|spring\.profiles\.active/;
const DEPLOY_FILE = /(?:^|\/)(?:[\w.-]*Dockerfile[\w.-]*|[\w.-]*compose[\w.-]*\.ya?ml|Procfile|\.env[\w.-]*|app\.ya?ml|fly\.toml|pom\.xml|build\.gradle(?:\.kts)?)$/;

function activeProfiles(text: string): string[] | undefined {
  for (const pattern of ACTIVE_PROFILES) {
    const m = pattern.exec(text);
    if (m?.[1]) return m[1].split(',').map((p) => p.trim());
  }
  return undefined;
}

/**
 * The in-memory embedded database (H2/HSQLDB) of a profile that the app's base `application.properties`/`.yml`
 * activates (`spring.profiles.active=hsqldb` with `application-hsqldb.properties` on `jdbc:hsqldb:mem:`): the app
 * runs on it by default, even when other profiles point at MySQL or Postgres. Left out when a deployment file
 * (Dockerfile, compose, Procfile, env file, build plugin) sets the profiles instead.
 */
export function activeProfileMemoryDb(snapshot: RepoSnapshot): Sourced | undefined {
  const paths = [...snapshot.files.keys()].filter((p) => !isTestOrVendored(p)).sort(compare);
  if (paths.some((p) => DEPLOY_FILE.test(p) && DEPLOY_PROFILE.test(snapshot.files.get(p) ?? ''))) return undefined;
  for (const base of paths.filter((p) => /(?:^|\/)src\/main\/resources\/(?:config\/)?application\.(?:properties|ya?ml)$/.test(p))) {
    const active = activeProfiles(snapshot.files.get(base) ?? '');
    if (!active) continue;
    const dir = dirOf(base);
    for (const profile of active) {
      for (const ext of ['properties', 'yml', 'yaml']) {
        const path = `${dir}/application-${profile}.${ext}`;
        const text = snapshot.files.get(path);
        const m = text === undefined ? undefined : MEMORY_JDBC.exec(text);
        if (text !== undefined && m) return { name: `in-memory database (${m[1] === 'h2' ? 'H2' : 'HSQLDB'}, profile ${profile})`, source: loc(path, lineAt(text, m.index)) };
      }
    }
  }
  return undefined;
}
