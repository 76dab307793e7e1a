// Round 18: a compose service named for downloading what the app needs (`download`, `download-models`) that
// publishes no port fetches model weights or data into a volume and exits: a one-shot step, not a service.
// A service of that name that serves a port (a file-download API) is still one. Fails without the rule.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import { snapshot } from './helpers/snapshot.js';

const images = {
  'Dockerfile.download': 'FROM python:3.12-slim\nRUN pip install huggingface_hub\nCOPY fetch.py /fetch.py\nCMD ["python", "/fetch.py", "/models"]\n',
  Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\nEXPOSE 8000\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
  'requirements.txt': 'fastapi\nuvicorn\n',
};
const names = (compose: string): string[] => firstPartyServices(snapshot({ ...images, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

const compose = `services:
  api:
    build: .
    ports:
      - "8000:8000"
    volumes:
      - models:/models
  download:
    build:
      context: .
      dockerfile: Dockerfile.download
    volumes:
      - models:/models
volumes:
  models: {}
`;

describe('a download step beside the app in compose', () => {
  it('is a one-shot job, not a second service', () => {
    expect(names(compose)).toEqual(['api']);
    expect(names(compose.replace('  download:', '  download-models:'))).toEqual(['api']);
  });

  it('still counts a download service that serves a port', () => {
    const serving = compose.replace('      dockerfile: Dockerfile.download\n', '      dockerfile: Dockerfile.download\n    ports:\n      - "8080:8080"\n');
    expect(names(serving)).toEqual(['api', 'download']);
  });

  it('still counts a worker named for downloads', () => {
    const worker = `${compose.replace('volumes:\n  models: {}\n', '')}  download-worker:\n    build: .\n    command: celery -A app worker -Q downloads\nvolumes:\n  models: {}\n`;
    expect(names(worker)).toEqual(['api', 'download-worker']);
  });
});
