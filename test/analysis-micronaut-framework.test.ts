// Micronaut: an app that declares Micronaut's HTTP server module (Netty's, or a servlet container's) serves HTTP, on
// 8080 unless configured otherwise. A Micronaut HTTP *client* alone (a CLI, a consumer of another service) serves nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const gradle = (deps: string[]): string =>
  ['plugins {', '    id "io.micronaut.application" version "4.4.5"', '}', 'micronaut {', '    runtime("netty")', '}', 'dependencies {', ...deps.map((d) => `    implementation("${d}")`), '}', ''].join('\n');
const app = { 'src/main/java/ui/App.java': 'package ui;\nimport io.micronaut.runtime.Micronaut;\npublic class App { public static void main(String[] a) { Micronaut.run(App.class, a); } }\n' };

describe('Micronaut framework', () => {
  it('a Gradle build with the Netty HTTP server: micronaut, web, 8080', () => {
    const a = analyzeRepository(snapshot({ ...app, 'build.gradle': gradle(['io.micronaut:micronaut-runtime', 'io.micronaut:micronaut-http-server-netty']) }));
    expect(a.framework).toBe('micronaut');
    expect(a.kind).toBe('web');
    expect(a.port).toBe(8080);
  });

  it('a Maven build with a servlet-container HTTP server module', () => {
    const pom = '<project>\n  <artifactId>ui</artifactId>\n  <dependencies>\n    <dependency>\n      <groupId>io.micronaut.servlet</groupId>\n      <artifactId>micronaut-http-server-jetty</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n';
    expect(analyzeRepository(snapshot({ ...app, 'pom.xml': pom })).framework).toBe('micronaut');
  });

  it('only the HTTP client (a command-line tool calling an API): no web framework', () => {
    const cli = { 'src/main/java/ui/Cli.java': 'package ui;\npublic class Cli { public static void main(String[] a) { } }\n' };
    const a = analyzeRepository(snapshot({ ...cli, 'build.gradle': gradle(['io.micronaut:micronaut-http-client', 'info.picocli:picocli']) }));
    expect(a.framework).toBeNull();
    expect(a.kind).not.toBe('web');
  });
});
