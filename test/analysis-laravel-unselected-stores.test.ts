// Round 9: Redis and search engines a Laravel app names only through a client library or Laravel Sail's
// development compose, on small synthetic repositories.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const composer = JSON.stringify({ name: 'acme/shop', type: 'project', require: { 'laravel/framework': '^12.0', 'predis/predis': '^2.2', 'elasticsearch/elasticsearch': '^8.10' } });
const sail = [
  'services:',
  '  laravel.test:',
  '    build:',
  '      context: ./vendor/laravel/sail/runtimes/8.3',
  '    environment:',
  '      LARAVEL_SAIL: 1',
  '  mysql:',
  "    image: 'mysql/mysql-server:8.0'",
  '  redis:',
  "    image: 'redis:alpine'",
  '  elasticsearch:',
  '    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0',
  '  kibana:',
  '    image: docker.elastic.co/kibana/kibana:7.17.0',
  '    environment:',
  "      ELASTICSEARCH_HOSTS: 'http://elasticsearch:9200'",
  '',
].join('\n');
const env = (drivers: string) => `APP_NAME=Shop\nDB_CONNECTION=mysql\nDB_HOST=127.0.0.1\n${drivers}\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n`;

describe('Laravel stores nothing selects', () => {
  it('leaves out Redis and Elasticsearch that only the client libraries and the Sail compose name', () => {
    const a = analyzeRepository(snapshot({ 'composer.json': composer, 'docker-compose.yml': sail, '.env.example': env('SESSION_DRIVER=database\nQUEUE_CONNECTION=sync\nCACHE_STORE=file') }));
    expect(a.stateful).toEqual(['mysql']);
    expect(a.evidence).toContainEqual({ fact: 'optional redis: only a client library or the Sail dev compose names it; no env file or compose service selects it', source: '.env.example:4' });
  });

  it('keeps them when an env file picks a Redis driver or sets the search host', () => {
    const redis = analyzeRepository(snapshot({ 'composer.json': composer, 'docker-compose.yml': sail, '.env.example': env('SESSION_DRIVER=database\nQUEUE_CONNECTION=redis\nCACHE_STORE=file\nELASTICSEARCH_HOST=http://elasticsearch:9200') }));
    expect(redis.stateful).toEqual(['elasticsearch', 'mysql', 'redis']);
    // …or the template leaves the drivers unchosen, or the code uses the Redis facade.
    const unchosen = analyzeRepository(snapshot({ 'composer.json': composer, 'docker-compose.yml': sail, '.env.example': env('SESSION_DRIVER=database') }));
    expect(unchosen.stateful).toContain('redis');
    const facade = analyzeRepository(snapshot({ 'composer.json': composer, '.env.example': env('SESSION_DRIVER=database\nQUEUE_CONNECTION=sync\nCACHE_STORE=file'), 'app/Services/Counter.php': "<?php\nuse Illuminate\\Support\\Facades\\Redis;\nclass Counter { function hit() { Redis::incr('hits'); } }\n" }));
    expect(facade.stateful).toContain('redis');
  });
});
