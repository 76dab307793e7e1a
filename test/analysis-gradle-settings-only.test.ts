// A Gradle build with no root build file: settings.gradle includes the Spring Boot project (and, say, a
// front-end project whose build is copied into its static resources). That project is the app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const backend = 'plugins {\n  java\n  id("org.springframework.boot") version "3.3.3"\n}\ndependencies {\n  implementation("org.springframework.boot:spring-boot-starter-web")\n}\n';
const frontend = 'plugins {\n  id("com.github.node-gradle.node") version "7.0.2"\n}\n';
const files = {
  'settings.gradle.kts': 'rootProject.name = "app"\ninclude("backend")\ninclude("frontend")\n',
  'backend/build.gradle.kts': backend,
  'backend/src/main/java/demo/App.java': '@SpringBootApplication\npublic class App {}\n',
  'frontend/build.gradle.kts': frontend,
  'frontend/package.json': '{ "name": "web", "scripts": { "build": "vite build" }, "devDependencies": { "vite": "5" } }\n',
  Dockerfile: 'FROM gradle:8-jdk21 AS build\nCOPY . .\nRUN ./gradlew bootJar\nFROM eclipse-temurin:21\nCOPY --from=build /home/gradle/backend/build/libs/app.jar app.jar\nCMD ["java", "-jar", "app.jar"]\n',
};

describe('Gradle build with settings.gradle only', () => {
  it('reads the included project that applies the Spring Boot plugin', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.kind).toBe('web');
    expect(a.framework).toBe('spring-boot');
    expect(a.port).toBe(8080);
    expect(a.startCommand).toBe('java -jar app.jar');
    expect(a.evidence.some((e) => e.source === 'backend/build.gradle.kts:6')).toBe(true);
  });

  it('reads nothing from settings.gradle when no included project is an app', () => {
    const a = analyzeRepository(snapshot({ ...files, 'backend/build.gradle.kts': 'plugins {\n  java\n}\n' }));
    expect(a.framework).not.toBe('spring-boot');
  });
});
