// A Spring app whose MongoDB beans are conditional on the store's address being set
// (`@ConditionalOnExpression("'${spring.data.mongodb.uri:}' != ''")`, an in-memory fallback otherwise), when no
// Spring config, env template or compose file sets it: an opt-in store, not one the deployment needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = '<project>\n  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.5.4</version></parent>\n  <artifactId>gen</artifactId>\n  <dependencies>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-data-mongodb</artifactId></dependency>\n  </dependencies>\n</project>\n';
const gate = 'package gen.stats;\n\n@Retention(RetentionPolicy.RUNTIME)\n@ConditionalOnExpression("\'${spring.data.mongodb.uri:}\' != \'\'")\n@interface WithMongoDB {}\n';
const app = { 'pom.xml': pom, 'src/main/java/gen/App.java': 'package gen;\n@SpringBootApplication\npublic class App {}\n', 'src/main/java/gen/stats/WithMongoDB.java': gate, 'src/main/resources/config/application.yml': 'server:\n  port: 7471\n' };

describe('a store Spring beans are conditional on', () => {
  it('is optional when nothing sets its address', () => {
    const a = analyzeRepository(snapshot(app));
    expect(a.framework).toBe('spring-boot');
    expect(a.stateful).toEqual([]);
    expect(a.evidence.some((e) => /^optional mongodb/.test(e.fact) && e.source === 'src/main/java/gen/stats/WithMongoDB.java:4')).toBe(true);
  });

  it('is needed when the Spring config sets it', () => {
    const a = analyzeRepository(snapshot({ ...app, 'src/main/resources/config/application-prod.yml': 'spring:\n  data:\n    mongodb:\n      uri: mongodb://db:27017/gen\n' }));
    expect(a.stateful).toEqual(['mongodb']);
  });
});
