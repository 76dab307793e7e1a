// An image whose shipped stage runs on a servlet container (Jetty, Tomcat, WildFly …) serves HTTP even when the
// Dockerfile declares no EXPOSE and the app names no web framework: a plain servlet war is a web app. A build stage on
// a toolchain image (maven) with the app shipped on a plain JRE says nothing of the kind.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = '<project>\n  <artifactId>diagrams</artifactId>\n  <packaging>war</packaging>\n  <dependencies>\n    <dependency>\n      <groupId>jakarta.servlet</groupId>\n      <artifactId>jakarta.servlet-api</artifactId>\n      <scope>provided</scope>\n    </dependency>\n  </dependencies>\n</project>\n';
const servlet = { 'src/main/java/d/Render.java': 'package d;\npublic class Render extends jakarta.servlet.http.HttpServlet { }\n', 'src/main/webapp/WEB-INF/web.xml': '<web-app/>\n' };
const image = (base: string) => `FROM maven:3-eclipse-temurin-17 AS builder\nCOPY pom.xml /app/\nCOPY src/main /app/src/main/\nWORKDIR /app\nRUN mvn package\n\nFROM ${base}\nCOPY --from=builder /app/target/diagrams.war /var/lib/jetty/webapps/ROOT.war\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n`;

describe('servlet container image', () => {
  it('a war shipped on Jetty or Tomcat, no EXPOSE: web', () => {
    for (const base of ['jetty:12.1.6-jdk17-eclipse-temurin', 'tomcat:11.0-jdk21', 'quay.io/wildfly/wildfly:latest']) {
      const a = analyzeRepository(snapshot({ ...servlet, 'pom.xml': pom, Dockerfile: image(base) }));
      expect(a.kind, base).toBe('web');
      expect(a.evidence.find((e) => e.fact === 'serves http')?.source).toBe('Dockerfile:7');
    }
  });

  it('the same build shipped on a plain JRE running a command: not made web by the image', () => {
    const a = analyzeRepository(snapshot({ ...servlet, 'pom.xml': pom, Dockerfile: image('eclipse-temurin:17-jre') }));
    expect(a.kind).not.toBe('web');
  });
});
