// A JVM project's image builds live in src/main/docker/ (docker-maven-plugin's folder; the Quarkus generator writes
// Dockerfile.jvm and Dockerfile.native there). With no other Dockerfile, the plain build there, else the JVM one, is the
// app's image and declares how it starts. The native build alone (it needs a GraalVM build first) or a Dockerfile
// elsewhere is not taken from this folder.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = '<project>\n  <artifactId>conduit</artifactId>\n  <dependencies>\n    <dependency>\n      <groupId>io.quarkus</groupId>\n      <artifactId>quarkus-resteasy</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n';
const jvm = 'FROM fabric8/java-alpine-openjdk8-jre\nENV JAVA_OPTIONS="-Dquarkus.http.host=0.0.0.0"\nCOPY target/*-runner.jar /deployments/app.jar\nENTRYPOINT [ "/deployments/run-java.sh" ]\n';
const native = 'FROM registry.access.redhat.com/ubi8/ubi-minimal\nCOPY target/*-runner /work/application\nCMD ["./application", "-Dquarkus.http.host=0.0.0.0"]\n';
const start = (files: Record<string, string>) => analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/java/c/Api.java': 'package c;\n', ...files })).startCommand;

describe('JVM src/main/docker builds', () => {
  it("Quarkus's Dockerfile.jvm beside Dockerfile.native declares the start", () => {
    expect(start({ 'src/main/docker/Dockerfile.jvm': jvm, 'src/main/docker/Dockerfile.native': native })).toBe('/deployments/run-java.sh');
  });

  it('a plain Dockerfile there comes first', () => {
    expect(start({ 'src/main/docker/Dockerfile': 'FROM eclipse-temurin:21\nADD app.sh /\nENTRYPOINT ["/app.sh"]\n', 'src/main/docker/Dockerfile.jvm': jvm })).toBe('/app.sh');
  });

  it('the native build alone is not taken, and a root Dockerfile still wins', () => {
    expect(start({ 'src/main/docker/Dockerfile.native': native })).toBe('java -jar target/quarkus-app/quarkus-run.jar');
    expect(start({ Dockerfile: 'FROM eclipse-temurin:21\nCOPY target/app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n', 'src/main/docker/Dockerfile.jvm': jvm })).toBe('java -jar /app.jar');
  });
});
