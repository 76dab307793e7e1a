// Maven multi-module builds: the reactor's application module is the app, its reactor libraries' dependencies are its own.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = (artifactId: string, body = ''): string =>
  `<project>\n  <parent>\n    <artifactId>shop</artifactId>\n  </parent>\n  <artifactId>${artifactId}</artifactId>\n${body}\n</project>\n`;
const dep = (artifactId: string, groupId = 'org.example'): string => `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId></dependency>`;
const bootPlugin = '<build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>';

const reactor = {
  'pom.xml': `<project>\n  <artifactId>shop</artifactId>\n  <packaging>pom</packaging>\n  <modules>\n    <module>shop-admin</module>\n    <module>shop-framework</module>\n    <module>shop-common</module>\n    <!-- <module>shop-report</module> -->\n  </modules>\n  <dependencyManagement><dependencies>${dep('spring-boot-dependencies', 'org.springframework.boot')}</dependencies></dependencyManagement>\n</project>\n`,
  'shop-admin/pom.xml': pom('shop-admin', `<dependencies>${dep('shop-framework')}${dep('mysql-connector-j', 'com.mysql')}</dependencies>\n${bootPlugin}`),
  'shop-admin/src/main/java/org/example/App.java': 'package org.example;\n@SpringBootApplication\npublic class App {}\n',
  'shop-admin/src/main/resources/application.yml': 'server:\n  port: 8081\n',
  'shop-framework/pom.xml': pom('shop-framework', `<dependencies>${dep('shop-common')}${dep('spring-boot-starter-web', 'org.springframework.boot')}</dependencies>`),
  'shop-framework/src/main/java/org/example/Web.java': 'package org.example;\npublic class Web {}\n',
  'shop-common/pom.xml': pom('shop-common', `<dependencies>${dep('spring-boot-starter-data-redis', 'org.springframework.boot')}</dependencies>`),
  'shop-common/src/main/java/org/example/Cache.java': 'package org.example;\npublic class Cache {}\n',
  // Not in the reactor (commented out): not an app of this build.
  'shop-report/pom.xml': pom('shop-report', `<dependencies>${dep('spring-boot-starter-web', 'org.springframework.boot')}</dependencies>\n${bootPlugin}`),
  'shop-report/src/main/java/org/example/Report.java': 'package org.example;\npublic class Report {}\n',
};

describe('Maven reactor', () => {
  it('reads the one application module with the dependencies of the reactor libraries it packages', () => {
    const a = analyzeRepository(snapshot(reactor));
    expect(a.kind).toBe('web');
    expect(a.framework).toBe('spring-boot');
    expect(a.port).toBe(8081);
    expect(a.stateful).toEqual(['mysql', 'redis']);
    expect(a.monorepo).toBeUndefined();
  });

  it('two application modules (two runnable jars) stay a choice between them, not their libraries', () => {
    const files = { ...reactor, 'pom.xml': reactor['pom.xml'].replace('<!-- <module>shop-report</module> -->', '<module>shop-report</module>') };
    const a = analyzeRepository(snapshot(files));
    expect(a.kind).toBe('unknown');
    expect(a.monorepo?.candidates).toEqual(['shop-admin', 'shop-report']);
  });

  it('the compose building the app and one of the samples of a nested aggregator runs both: two services', () => {
    const files = {
      'pom.xml': '<project>\n  <artifactId>jobs</artifactId>\n  <packaging>pom</packaging>\n  <modules>\n    <module>jobs-core</module>\n    <module>jobs-admin</module>\n    <module>jobs-samples</module>\n  </modules>\n</project>\n',
      'jobs-core/pom.xml': pom('jobs-core', `<dependencies>${dep('netty-all', 'io.netty')}</dependencies>`),
      'jobs-admin/pom.xml': pom('jobs-admin', `<dependencies>${dep('jobs-core')}${dep('spring-boot-starter-web', 'org.springframework.boot')}</dependencies>\n${bootPlugin}`),
      'jobs-admin/Dockerfile': 'FROM eclipse-temurin:17-jre\nADD target/jobs-admin.jar /app.jar\nEXPOSE 8080\nENTRYPOINT ["java", "-jar", "/app.jar"]\n',
      'jobs-samples/pom.xml': '<project>\n  <artifactId>jobs-samples</artifactId>\n  <packaging>pom</packaging>\n  <modules>\n    <module>sample-executor</module>\n    <module>sample-ai</module>\n  </modules>\n</project>\n',
      'jobs-samples/sample-executor/pom.xml': pom('sample-executor', `<dependencies>${dep('jobs-core')}${dep('spring-boot-starter-web', 'org.springframework.boot')}</dependencies>\n${bootPlugin}`),
      'jobs-samples/sample-ai/pom.xml': pom('sample-ai', `<dependencies>${dep('jobs-core')}${dep('spring-boot-starter-web', 'org.springframework.boot')}</dependencies>\n${bootPlugin}`),
      'jobs-samples/sample-executor/Dockerfile': 'FROM eclipse-temurin:17-jre\nADD target/sample.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n',
      'docker/docker-compose.yml': 'services:\n  admin:\n    build:\n      context: ../jobs-admin\n    ports:\n      - "8080:8080"\n  executor:\n    build:\n      context: ../jobs-samples/sample-executor\n',
    };
    const a = analyzeRepository(snapshot(files));
    expect(a.port).toBe(8080);
    expect(a.services?.map((s) => s.name)).toEqual(['admin', 'executor']);
  });

  it("a library's optional dependencies (drivers it supports, the app picks) do not reach the application", () => {
    const optional = '<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><optional>true</optional></dependency><dependency><groupId>org.springframework.kafka</groupId><artifactId>spring-kafka</artifactId><optional>true</optional></dependency>';
    const files = { ...reactor, 'shop-common/pom.xml': pom('shop-common', `<dependencies>${dep('spring-boot-starter-data-redis', 'org.springframework.boot')}${optional}</dependencies>`) };
    expect(analyzeRepository(snapshot(files)).stateful).toEqual(['mysql', 'redis']);
  });
});

