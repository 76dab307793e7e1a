// Test doubles in compose: a mock, stub or fake of an external API or of hardware, built from the repository beside the
// app so it can be run locally, is not a service of the system (a mock data provider, a sensor simulator named mock).
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import type { RepoSnapshot } from '../function/src/types.js';

const files = {
  Dockerfile: 'FROM python:3.12\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
  'mock/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["python", "mock_dp.py"]\n',
  'worker/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["python", "worker.py"]\n',
};
const names = (compose: string): string[] => {
  const snapshot: RepoSnapshot = { files: new Map(Object.entries({ ...files, 'docker-compose.yml': compose })) };
  return firstPartyServices(snapshot, parseCompose('docker-compose.yml', compose)).map((s) => s.name);
};

describe('test doubles built beside the app', () => {
  it('leaves out a service built from a mock folder', () => {
    expect(names('services:\n  agw:\n    build: .\n    ports:\n      - "8199:8199"\n  mock_dp:\n    build:\n      context: ./mock\n    ports:\n      - "19190:19190"\n')).toEqual(['agw']);
  });

  it('leaves out a service named a mock or stub whatever folder it is built from', () => {
    expect(names('services:\n  bot:\n    build: .\n  mock_data_api:\n    build: worker\n  db:\n    image: postgres\n')).toEqual(['bot']);
    expect(names('services:\n  bot:\n    build: .\n  stub:\n    build: worker\n')).toEqual(['bot']);
  });

  it('keeps a real second service beside the app', () => {
    expect(names('services:\n  web:\n    build: .\n  worker:\n    build: worker\n')).toEqual(['web', 'worker']);
  });

  it('keeps the mock when it is all the file builds (a repository of mocks)', () => {
    expect(names('services:\n  mock-server:\n    build: mock\n    ports:\n      - "8080:8080"\n')).toEqual(['mock-server']);
  });

  it('reads mock, stub and fake only as whole words of the name', () => {
    expect(names('services:\n  web:\n    build: .\n  stubborn-sync:\n    build: worker\n')).toEqual(['stubborn-sync', 'web']);
  });
});
