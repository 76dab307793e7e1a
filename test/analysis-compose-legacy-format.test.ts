// The original compose format (no `version:`, no `services:` key): its top-level keys are the services.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { snapshot } from './helpers/snapshot.js';

describe('a compose file in the original format', () => {
  const legacy = 'web:\n  build: web\n  ports:\n    - 1337:1337\n  command: python app.py\n\nnginx:\n  image: nginx:latest\n  links:\n    - web\n';

  it('lists its top-level keys as services', () => {
    const c = parseCompose('docker-compose.yml', legacy);
    expect(c.services.map((s) => [s.name, s.built])).toEqual([['nginx', false], ['web', true]]);
    expect(c.services.find((s) => s.name === 'web')?.containerPorts.map((p) => p.value)).toEqual([1337]);
  });

  it('gives the app its published port', () => {
    const a = analyzeRepository(snapshot({
      'web/requirements.txt': 'flask\ngunicorn\n',
      'web/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'web/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n',
      'docker-compose.yml': legacy,
    }));
    expect(a.port).toBe(1337);
    expect(a.services?.map((s) => s.name)).toEqual(['web']);
  });

  it('is not read into a versioned file or a map of plain settings', () => {
    expect(parseCompose('docker-compose.yml', 'version: "2"\nweb:\n  build: .\n').services).toEqual([]);
    expect(parseCompose('docker-compose.yml', 'x-settings:\n  debug: true\n').services).toEqual([]);
  });
});
