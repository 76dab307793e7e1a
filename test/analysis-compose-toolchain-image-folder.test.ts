// A compose service that pulls a language toolchain or OS image (`gradle:8-jdk11`, `python:3.12`) is not a build of the
// repository folder that happens to share the name (the Gradle wrapper's gradle/ folder): it runs a task over the mounted
// checkout, not an image of the repository's. An image named after a folder that is not a toolchain stays the folder's build.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const repo = {
  'build.gradle': 'dependencies {\n    implementation("io.micronaut:micronaut-http-server-netty")\n}\n',
  'gradle/wrapper/gradle-wrapper.properties': 'distributionUrl=https\\://services.gradle.org/distributions/gradle-8.10-bin.zip\n',
  'worker/Dockerfile': 'FROM eclipse-temurin:17-jre\nCOPY build/libs/worker.jar /w.jar\nCMD ["java", "-jar", "/w.jar"]\n',
  Dockerfile: 'FROM eclipse-temurin:17-jre\nCOPY build/libs/app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n',
};
const names = (compose: string): string[] => firstPartyServices(snapshot({ ...repo, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

describe('toolchain image beside a folder of the same name', () => {
  it('gradle:8-jdk11 running a task over the checkout is not the gradle/ folder built', () => {
    const compose = 'services:\n  app:\n    build: .\n    ports:\n      - 8080:8080\n  test-data:\n    image: gradle:8-jdk11\n    command: "gradle --no-daemon injectData"\n    working_dir: /app\n    volumes:\n      - ./:/app:z\n';
    expect(names(compose)).toEqual(['app']);
  });

  it('an image named after a folder that is not a toolchain is still that folder built', () => {
    const compose = 'services:\n  app:\n    build: .\n  worker:\n    image: acme/shop-worker:latest\n';
    expect(names(compose)).toEqual(['app', 'worker']);
  });
});
