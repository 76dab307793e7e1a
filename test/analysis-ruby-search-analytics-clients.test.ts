// A Rails app that talks to its search and analytics servers through the official Ruby clients alone
// (`gem "elasticsearch"`, `gem "click_house"`), without a model layer such as elasticsearch-model, needs those
// servers as backing stores (the search server's address set in the env template, as an unconfigured one is optional).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (gems: string) =>
  snapshot({
    Gemfile: `source "https://rubygems.org"\ngem("rails", "~> 7.1.0")\ngem("pg")\n${gems}`,
    'config/application.rb': 'module Shop\n  class Application < Rails::Application\n  end\nend\n',
    '.env.example': 'ELASTICSEARCH_HOST=http://elasticsearch:9200\nCLICKHOUSE_URL=http://clickhouse:8123\n',
    Dockerfile: 'FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nEXPOSE 3000\nCMD ["bin/rails", "server", "-b", "0.0.0.0"]\n',
  });

describe('Ruby clients of search and analytics servers', () => {
  it('lists elasticsearch and clickhouse from the plain client gems', () => {
    expect(analyzeRepository(app('gem("elasticsearch", "~> 8.18.0")\ngem("click_house", "~> 2.1")\n')).stateful).toEqual(['clickhouse', 'elasticsearch', 'postgres']);
  });

  it('lists opensearch-ruby as the search server too', () => {
    expect(analyzeRepository(app('gem "opensearch-ruby"\n')).stateful).toEqual(['elasticsearch', 'postgres']);
  });
});
