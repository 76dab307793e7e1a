// Ktor apps: a Gradle project that declares one of Ktor's server engines (netty, cio …) runs Ktor's HTTP
// server. In a multi-project build whose root declares nothing, that project is the app; its Kotlin plugin
// applied through the version catalog (`alias(libs.plugins.kotlinJvm)`) makes the language Kotlin.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const catalog = [
  '[versions]',
  'ktor = "3.1.0"',
  '[libraries]',
  'ktor-server-core = { module = "io.ktor:ktor-server-core", version.ref = "ktor" }',
  'ktor-server-cio = { module = "io.ktor:ktor-server-cio", version.ref = "ktor" }',
  'ktor-client-core = { module = "io.ktor:ktor-client-core", version.ref = "ktor" }',
  '[plugins]',
  'kotlinJvm = { id = "org.jetbrains.kotlin.jvm", version = "2.1.0" }',
  'shadow = { id = "com.gradleup.shadow", version = "8.3.0" }',
  '',
].join('\n');
const server = 'plugins {\n    alias(libs.plugins.kotlinJvm)\n    alias(libs.plugins.shadow)\n}\ndependencies {\n    implementation(project(":core"))\n    implementation(libs.ktor.server.core)\n    implementation(libs.ktor.server.cio)\n}\n';
const core = 'plugins {\n    alias(libs.plugins.kotlinJvm)\n}\ndependencies {\n    implementation(libs.ktor.client.core)\n}\n';
const files = {
  'settings.gradle.kts': 'rootProject.name = "svc"\ninclude(":app")\ninclude(":core")\n',
  'build.gradle.kts': 'plugins {\n    alias(libs.plugins.kotlinJvm) apply false\n}\n',
  'gradle/libs.versions.toml': catalog,
  'app/build.gradle.kts': server,
  'app/src/main/kotlin/svc/App.kt': 'fun main() {\n    embeddedServer(CIO, port = config.port) { }.start(wait = true)\n}\n',
  'core/build.gradle.kts': core,
  Dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY app/build/libs/app-all.jar ./\nENTRYPOINT ["java", "-jar", "app-all.jar"]\nEXPOSE 8085\n',
};

describe('Ktor server in a Gradle multi-project build', () => {
  it('reads the included project that declares a Ktor server engine: Kotlin, Ktor', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.kind).toBe('web');
    expect(a.language).toBe('kotlin');
    expect(a.framework).toBe('ktor');
    expect(a.port).toBe(8085);
    expect(a.evidence.some((e) => e.source === 'app/build.gradle.kts:8')).toBe(true);
  });

  it('takes the framework default when nothing names a port', () => {
    const { Dockerfile: _d, ...noImage } = files;
    const a = analyzeRepository(snapshot({ ...noImage, 'build.gradle.kts': server, 'settings.gradle.kts': 'rootProject.name = "svc"\n' }));
    expect(a.framework).toBe('ktor');
    expect(a.port).toBe(8080);
  });

  it('is not Ktor when the projects only use ktor-server-core or the Ktor client (a plugin, an SDK)', () => {
    const a = analyzeRepository(snapshot({ ...files, 'app/build.gradle.kts': server.replace('    implementation(libs.ktor.server.cio)\n', '') }));
    expect(a.framework).not.toBe('ktor');
  });
});
