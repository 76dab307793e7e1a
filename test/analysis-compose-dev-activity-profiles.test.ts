// A development compose file runs checks beside the app: the app's image with a linter as its `entrypoint:`
// (`bundle exec rubocop`), and services that only start under profiles named for a development activity (`tests`,
// `linter`), such as a gem built for the test suite. None of them is a service of the running system; a worker
// behind a profile of its own and an entrypoint that starts a server are.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const compose = `services:
  app:
    build:
      context: .
    image: shop
    command: foreman start
    ports:
      - "9000:9000"
  rubocop:
    image: shop
    volumes:
      - .:/app
    entrypoint: bundle exec rubocop --cache-root /rubocop_cache
    profiles:
      - style
  linter:
    image: shop
    entrypoint: yarn run lint
  markup:
    build:
      context: lib/markup_rb
    image: markup
    profiles:
      - tests
  postgres:
    image: postgres:17
`;
const files = { Gemfile: "gem 'rails'\n", Dockerfile: 'FROM ruby:3.3\nCMD ["foreman", "start"]\n', 'lib/markup_rb/Dockerfile': 'FROM ruby:3.3\nCOPY . .\n', 'docker-compose.yml': compose };
const names = (text: string): string[] => firstPartyServices(snapshot({ ...files, 'docker-compose.yml': text }), parseCompose('docker-compose.yml', text)).map((s) => s.name);

describe('checks and development-activity profiles in compose', () => {
  it('leaves linters run as the entrypoint and services of test/lint profiles out', () => {
    expect(names(compose)).toEqual(['app']);
  });

  it('keeps a worker behind a profile of its own and an entrypoint that starts a server', () => {
    const c = compose.replace('    profiles:\n      - tests\n', '    profiles:\n      - worker\n').replace('entrypoint: yarn run lint', 'entrypoint: bundle exec puma -p 9001');
    expect(names(c)).toEqual(['app', 'linter', 'markup']);
  });
});
