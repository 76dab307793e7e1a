// A compose port mapping written with variables (`${APP_PORT:-8000}:${APP_PORT:-8000}`): compose uses the
// default when the variable is unset, so the container side is 8000, the app service's platform port.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseCompose } from '../function/src/analysis/docker.js';
import { snapshot } from './helpers/snapshot.js';

const compose = 'services:\n  app:\n    build: .\n    ports:\n      - "${APP_PORT:-8000}:${APP_PORT:-8000}/tcp"\n';

describe('compose port mappings with default values', () => {
  it('reads the default of a variable as the container port', () => {
    expect(parseCompose('docker-compose.yml', compose).services[0]?.containerPorts.map((p) => p.value)).toEqual([8000]);
    expect(parseCompose('c.yml', 'services:\n  app:\n    ports:\n      - "127.0.0.1:${HOST_PORT-3000}:9000"\n').services[0]?.containerPorts.map((p) => p.value)).toEqual([9000]);
  });

  it('makes it the app port before the framework default', () => {
    const a = analyzeRepository(snapshot({
      'docker-compose.yml': compose,
      'requirements.txt': 'flask==3.0.0\n',
      'app.py': 'import os\nfrom flask import Flask\napp = Flask(__name__)\n',
      'Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
    }));
    expect(a.port).toBe(8000);
  });
});
