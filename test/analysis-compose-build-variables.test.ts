// A compose build path written with a variable (`dockerfile: src/main/docker/Dockerfile.${QUARKUS_MODE:-jvm}`, as the
// Quarkus quickstarts do) names the file compose builds once the variable is resolved: from `.env` when the
// repository sets it there, else its default. That Dockerfile's command is the app's start command.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = '<project>\n  <artifactId>tasks</artifactId>\n  <dependencies>\n    <dependency>\n      <groupId>io.quarkus</groupId>\n      <artifactId>quarkus-rest-jackson</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n';
const app = {
  'pom.xml': pom,
  'src/main/java/org/acme/TaskResource.java': 'package org.acme;\n@Path("/tasks")\npublic class TaskResource {}\n',
  'src/main/docker/Dockerfile.jvm': 'FROM registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24\nCOPY target/quarkus-app/ /deployments/\nEXPOSE 8080\nENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]\n',
  'src/main/docker/Dockerfile.native': 'FROM quay.io/quarkus/quarkus-micro-image:2.0\nCOPY target/*-runner /work/application\nEXPOSE 8080\nCMD ["./application", "-Dquarkus.http.host=0.0.0.0"]\n',
};
const compose = 'services:\n  tasks:\n    build:\n      context: ./\n      dockerfile: src/main/docker/Dockerfile.${QUARKUS_MODE:-jvm}\n  nginx:\n    image: nginx:1.17.6\n    ports:\n      - 8080:8080\n';

describe('a compose build path with a variable in it', () => {
  it('builds the Dockerfile its default names', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose }));
    expect([a.framework, a.port, a.startCommand]).toEqual(['quarkus', 8080, '/opt/jboss/container/java/run/run-java.sh']);
    expect(a.services?.map((s) => s.name)).toEqual(['tasks']);
  });

  it('builds the one .env selects', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose, '.env': 'QUARKUS_MODE=native\n' }));
    expect(a.startCommand).toBe('./application -Dquarkus.http.host=0.0.0.0');
  });
});
