// A Spring app whose base application.properties activates a profile (`spring.profiles.active=hsqldb`) whose own file
// sets an in-memory JDBC URL runs on that in-memory database, even when other profiles point at MySQL or Postgres.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = `<project>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>
  <groupId>demo</groupId><artifactId>clinic</artifactId>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.hsqldb</groupId><artifactId>hsqldb</artifactId></dependency>
    <dependency><groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId></dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
  </dependencies>
</project>
`;
const files = (active: string, extra: Record<string, string> = {}) => ({
  'pom.xml': pom,
  'src/main/java/demo/App.java': 'package demo;\n\n@SpringBootApplication\npublic class App {\n  public static void main(String[] args) { SpringApplication.run(App.class, args); }\n}\n',
  'src/main/resources/application.properties': `# active profiles config\n${active}\nserver.port=9966\n`,
  'src/main/resources/application-hsqldb.properties': '# HSQLDB config start\nspring.datasource.url=jdbc:hsqldb:mem:petclinic\nspring.datasource.username=sa\n',
  'src/main/resources/application-mysql.properties': 'spring.datasource.url = jdbc:mysql://localhost:3306/petclinic\n',
  'src/main/resources/application-postgresql.properties': 'spring.datasource.url=jdbc:postgresql://localhost:5432/petclinic\n',
  ...extra,
});

describe('the in-memory database of the profile a Spring app activates', () => {
  it('is the state, beside profiles for database servers', () => {
    const a = analyzeRepository(snapshot(files('spring.profiles.active=hsqldb,spring-data-jpa')));
    expect(a.localState).toEqual([{ name: 'in-memory database (HSQLDB, profile hsqldb)', source: 'src/main/resources/application-hsqldb.properties:2' }]);
  });

  it('is read from a YAML base file too', () => {
    const a = analyzeRepository(snapshot(files('', { 'src/main/resources/application.yml': 'spring:\n  profiles:\n    active: hsqldb\n' })));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory database (HSQLDB, profile hsqldb)']);
  });

  it('is not the state when the active profile is a database server, nor when a deployment file picks the profiles', () => {
    expect(analyzeRepository(snapshot(files('spring.profiles.active=mysql'))).localState ?? []).toEqual([]);
    expect(analyzeRepository(snapshot(files('spring.profiles.active=@spring.profiles.active@'))).localState ?? []).toEqual([]);
    const deployed = files('spring.profiles.active=hsqldb', { 'docker-compose.yml': 'services:\n  app:\n    build: .\n    environment:\n      - SPRING_PROFILES_ACTIVE=mysql\n' });
    expect(analyzeRepository(snapshot(deployed)).localState?.filter((s) => s.name.startsWith('in-memory')) ?? []).toEqual([]);
  });
});
