// A compose service that bind-mounts the folder holding the app's manifest over the image's copy
// (`./application:/data` beside application/composer.json) mounts its source tree for development: that is
// code, not data on the app's disk. A data folder mounted the same way stays state.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { dataVolumes } from '../function/src/analysis/traits.js';
import { snapshot } from './helpers/snapshot.js';

const compose = `services:
  app:
    build: ./
    volumes:
      - ./application:/data
      - ./storage:/srv/data
`;
const app = parseCompose('docker-compose.yml', compose).services.find((s) => s.name === 'app');

describe('source tree mounted into the app container', () => {
  it('is not a data volume when the mounted folder holds the app manifest', () => {
    const files = snapshot({ 'application/composer.json': '{}', 'application/yii': '', Dockerfile: 'FROM php:8.3-apache\nCOPY application/ /data/\n' });
    expect(dataVolumes(undefined, app, files).map((v) => v.name)).toEqual(['data volume /srv/data']);
  });

  it('knows the same manifests as the root-app reading (a Pipfile, a .csproj)', () => {
    const files = snapshot({ 'application/Pipfile': '[packages]\n', Dockerfile: 'FROM python:3.12\nCOPY application/ /data/\n' });
    expect(dataVolumes(undefined, app, files).map((v) => v.name)).toEqual(['data volume /srv/data']);
    const dotnet = snapshot({ 'application/Portal.csproj': '<Project />\n', Dockerfile: 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY application/ /data/\n' });
    expect(dataVolumes(undefined, app, dotnet).map((v) => v.name)).toEqual(['data volume /srv/data']);
  });

  it('is a data volume when the mounted folder is data (no manifest in it)', () => {
    const files = snapshot({ 'composer.json': '{}', 'application/records.csv': 'a,b\n' });
    expect(dataVolumes(undefined, app, files).map((v) => v.name)).toEqual(['data volume /data', 'data volume /srv/data']);
  });
});
