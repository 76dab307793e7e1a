// Round 18: a compose service named for downloading what the app needs (`download`, `download-models`) that
// publishes no port fetches model weights or data into a volume and exits: a one-shot step, not a service.
// A service of that name that serves a port (a file-download API) is still one. Fails without the rule.
import { describe, expect, it } from 'vitest';
import { parseCompose } from '../function/src/analysis/docker.js';
import { firstPartyServices } from '../function/src/analysis/services.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });
const images = {
  'services/download/Dockerfile': 'FROM bash:alpine3.19\nRUN apk add aria2\nCOPY . /docker\nENTRYPOINT ["/docker/download.sh"]\n',
  'services/webui/Dockerfile': 'FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\nRUN git clone https://example.com/webui.git\nEXPOSE 7860\nCMD python -u webui.py --listen --port 7860\n',
};
const names = (compose: string): string[] => firstPartyServices(snapshot({ ...images, 'docker-compose.yml': compose }), parseCompose('docker-compose.yml', compose)).map((s) => s.name);

const compose = `services:
  download:
    build: ./services/download/
    profiles: ["download"]
    volumes:
      - ./data:/data
  webui:
    build: ./services/webui
    profiles: ["webui"]
    ports:
      - "7860:7860"
    volumes:
      - ./data:/data
`;

describe('a download step beside the app in compose', () => {
  it('is a one-shot job, not a second service', () => {
    expect(names(compose)).toEqual(['webui']);
    expect(names(compose.replace('  download:', '  download-models:'))).toEqual(['webui']);
  });

  it('still counts a download service that serves a port', () => {
    const serving = compose.replace('    profiles: ["download"]\n', '    profiles: ["download"]\n    ports:\n      - "8080:8080"\n');
    expect(names(serving)).toEqual(['download', 'webui']);
  });
});
