// Test-runner services named with the kind of test glued to the word (`apitest`, `unittest`, `testunit`, `teste2e`):
// they run the suite against the app and exit, like `tests` or `api-tests`; words that merely end in "test" stay services.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const files = { 'package.json': '{"name":"api"}', Dockerfile: 'FROM node:20\nCOPY . .\nCMD ["node","server.js"]\n' };
const names = (c: string): string[] => firstPartyServices(snapshot({ ...files, 'docker-compose.yml': c }), parseCompose('docker-compose.yml', c)).map((s) => s.name);
const withRunner = (name: string): string => `services:
  api:
    build: .
    ports:
      - "8080:8080"
  ${name}:
    build: .
    command: ./run-suite.sh
    depends_on:
      - api
`;

describe('compose test runners named with a glued kind of test', () => {
  for (const runner of ['apitest', 'unittest', 'integrationtest', 'testunit', 'teste2e', 'loadtest']) {
    it(`count ${runner} as a test runner, not a second service`, () => {
      expect(names(withRunner(runner))).toEqual(['api']);
    });
  }

  for (const service of ['latest', 'contest', 'attest']) {
    it(`keep ${service}, a word that only ends in "test"`, () => {
      expect(names(withRunner(service))).toEqual(['api', service]);
    });
  }
});
