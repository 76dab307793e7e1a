// An embedded Java database (H2, HSQLDB, Derby) is in memory by default, but a datasource URL in file mode
// (`jdbc:hsqldb:file:`, `jdbc:h2:~/db`, a Derby directory) in the app's configuration, profile files included,
// keeps it on local disk: local-file state. A server database configured beside it, or a URL in test resources, does not.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = (db: string): string =>
  `<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n  </parent>\n  <artifactId>shop</artifactId>\n  <dependencies>\n    <dependency>\n      <groupId>org.springframework.boot</groupId>\n      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n    <dependency>\n      <groupId>${db}</groupId>\n      <artifactId>${db === 'org.hsqldb' ? 'hsqldb' : 'h2'}</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n`;
const app = { 'src/main/java/shop/App.java': 'package shop;\n@SpringBootApplication\npublic class App { public static void main(String[] a) { SpringApplication.run(App.class, a); } }\n' };
const stateNames = (files: Record<string, string>): string[] => (analyzeRepository(snapshot(files)).localState ?? []).map((s) => s.name);

describe('embedded Java database in file mode', () => {
  it('is a database file when a profile config points the datasource at an HSQLDB file', () => {
    const files = { ...app, 'pom.xml': pom('org.hsqldb'), 'src/main/resources/application-shop.properties': 'server.port=8080\nspring.datasource.url=jdbc:hsqldb:file:${shop.home}/db\n' };
    expect(stateNames(files)).toEqual(['a database file (H2/HSQLDB/Derby)']);
    const a = analyzeRepository(snapshot(files));
    expect(a.localState?.[0]?.source).toBe('src/main/resources/application-shop.properties:2');
  });

  it("reads H2's implicit file mode (a path after jdbc:h2:) but not mem: or tcp:", () => {
    const h2 = (url: string) => stateNames({ ...app, 'pom.xml': pom('com.h2database'), 'src/main/resources/application.yml': `spring:\n  datasource:\n    url: ${url}\n` });
    expect(h2('jdbc:h2:~/shop;AUTO_SERVER=TRUE')).toEqual(['a database file (H2/HSQLDB/Derby)']);
    expect(h2('jdbc:h2:./data/shop')).toEqual(['a database file (H2/HSQLDB/Derby)']);
    expect(h2('jdbc:h2:mem:shop')).not.toContain('a database file (H2/HSQLDB/Derby)');
    expect(h2('jdbc:h2:tcp://db:9092/shop')).not.toContain('a database file (H2/HSQLDB/Derby)');
  });

  it('leaves a file URL in test resources, or beside a server database, alone', () => {
    const testOnly = { ...app, 'pom.xml': pom('org.hsqldb'), 'src/test/resources/application-it.properties': 'spring.datasource.url=jdbc:hsqldb:file:target/it\n' };
    expect(stateNames(testOnly)).toEqual(['in-memory database (HSQLDB)']);
    const server = { ...app, 'pom.xml': pom('org.hsqldb').replace('</dependencies>', '<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency></dependencies>'), 'src/main/resources/application.properties': 'spring.datasource.url=jdbc:postgresql://db/shop\n', 'src/main/resources/application-local.properties': 'spring.datasource.url=jdbc:hsqldb:file:./db\n' };
    expect(stateNames(server)).toEqual([]);
  });
});
