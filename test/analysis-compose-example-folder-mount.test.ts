// A compose service that bind-mounts a committed folder of examples or configuration (`./examples:/data`, the
// rate-limit rules envoyproxy/ratelimit reads from RUNTIME_ROOT=/data) hands the app files the repository ships:
// configuration, not data the app keeps on its disk. A data folder mounted the same way stays state.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { dataVolumes } from '../function/src/analysis/traits.js';
import { snapshot } from './helpers/snapshot.js';

const appOf = (compose: string, path = 'docker-compose.yml') => parseCompose(path, compose).services.find((s) => s.name === 'app');
const compose = `services:
  app:
    build: .
    volumes:
      - ./examples:/data
      - ./storage:/srv/data
`;

describe('examples or config folder mounted into the app container', () => {
  it('is not a data volume when the mounted folder is a committed examples folder', () => {
    const files = snapshot({ 'go.mod': 'module x\n', 'examples/ratelimit/config/example.yaml': 'domain: x\n' });
    expect(dataVolumes(undefined, appOf(compose), files).map((v) => v.name)).toEqual(['data volume /srv/data']);
  });

  it('resolves the folder against a compose file in a subfolder (docker/ ../config)', () => {
    const nested = `services:
  app:
    build: ..
    volumes:
      - ../config:/app/data
`;
    const files = snapshot({ 'config/settings.yaml': 'a: 1\n' });
    expect(dataVolumes(undefined, appOf(nested, 'docker/docker-compose.yml'), files)).toEqual([]);
  });

  it('stays a data volume when the examples folder is not in the repository (created at run time)', () => {
    const files = snapshot({ 'go.mod': 'module x\n' });
    expect(dataVolumes(undefined, appOf(compose), files).map((v) => v.name)).toEqual(['data volume /data', 'data volume /srv/data']);
  });

  it('stays a data volume for a committed folder named for data (./data with a .gitkeep)', () => {
    const data = `services:
  app:
    build: .
    volumes:
      - ./data:/app/data
`;
    const files = snapshot({ 'data/.gitkeep': '' });
    expect(dataVolumes(undefined, appOf(data), files).map((v) => v.name)).toEqual(['data volume /app/data']);
  });
});
