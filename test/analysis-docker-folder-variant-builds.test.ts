// A Go server whose images are built from a hidden `.docker/` folder of hyphen-named variants
// (`.docker/Dockerfile-alpine`, `.docker/Dockerfile-distroless-static`, `.docker/Dockerfile-build`, and a
// `.docker/Dockerfile-debug` running delve), while a library folder nested in the repository keeps an
// integration-test harness image (`lib/watcherx/integrationtest/Dockerfile` copying the checkout in): the
// variants that ship agree on `kratos serve` on 4433, and the harness is a test build, not the app's image.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const server = {
  'go.mod': 'module github.com/example/kratos\n\ngo 1.22\n',
  'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n',
};
const variant = (from: string) => `FROM ${from}\nCOPY kratos /usr/bin/kratos\nEXPOSE 4433 4434\nENTRYPOINT ["kratos"]\nCMD ["serve"]\n`;
const builds = {
  '.docker/Dockerfile-alpine': variant('alpine:3.20'),
  '.docker/Dockerfile-distroless-static': variant('gcr.io/distroless/static-debian12:nonroot'),
  '.docker/Dockerfile-build': `FROM golang:1.22 AS builder\nCOPY . .\nRUN go build -o /usr/bin/kratos\n\nFROM alpine:3.20\nCOPY --from=builder /usr/bin/kratos /usr/bin/kratos\nEXPOSE 4433 4434\nENTRYPOINT ["kratos"]\nCMD ["serve"]\n`,
  '.docker/Dockerfile-debug': 'FROM golang:1.22\nRUN go install github.com/go-delve/delve/cmd/dlv@latest\nEXPOSE 8000 40000\nENTRYPOINT ["/entrypoint.sh"]\n',
};
const harness = {
  'lib/watcherx/integrationtest/Dockerfile': 'FROM golang:1.22 AS builder\nADD . .\nRUN go build -o /usr/bin/eventlogger ./watcherx/integrationtest\n\nFROM alpine:3.20\nCOPY --from=builder /usr/bin/eventlogger /usr/bin/eventlogger\nENTRYPOINT ["eventlogger"]\nCMD ["/etc/config/mock-config"]\n',
  'lib/watcherx/integrationtest/main.go': 'package main\n\nfunc main() {}\n',
};

describe('hyphen-named image variants in the docker folder', () => {
  it('reads the variants that ship when they agree on command and port', () => {
    const a = analyzeRepository(snapshot({ ...server, ...builds, ...harness }));
    expect(a.hasDockerfile).toBe(true);
    expect(a.startCommand).toBe('kratos serve');
    expect(a.port).toBe(4433);
  });

  it('decides nothing when the variants disagree', () => {
    const a = analyzeRepository(snapshot({ ...server, ...builds, '.docker/Dockerfile-alpine': variant('alpine:3.20').replace('CMD ["serve"]', 'CMD ["migrate"]') }));
    expect(a.startCommand).not.toBe('kratos serve');
  });
});

describe('an integration-test harness image', () => {
  it('is not the app image, even as the only Dockerfile copying the checkout', () => {
    const a = analyzeRepository(snapshot({ ...server, ...harness }));
    expect(a.startCommand).not.toBe('eventlogger /etc/config/mock-config');
    expect(a.hasDockerfile).toBe(false);
  });

  it('keeps a sole build kept in a folder of its own', () => {
    const a = analyzeRepository(snapshot({ ...server, 'scripts/Dockerfile': harness['lib/watcherx/integrationtest/Dockerfile'].replace(/eventlogger/g, 'kratos').replace('./watcherx/integrationtest', '.') }));
    expect(a.startCommand).toBe('kratos /etc/config/mock-config');
  });
});

describe('a root CI image beside the docker folder', () => {
  const flask = {
    'requirements.txt': 'flask==2.0\n',
    'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    // The root image runs the test suite: no command, a language toolchain.
    Dockerfile: 'FROM python:3.11\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n',
  };
  const image = (from: string) => `${from}\nCOPY . /app\nENTRYPOINT ["/entrypoint"]\nCMD ["/usr/bin/supervisord", "-c", "supervisor.conf"]\n`;

  it('reads the plainly named docker/Dockerfile beside its from-source variant docker/Dockerfile-src', () => {
    const a = analyzeRepository(snapshot({ ...flask, 'docker/Dockerfile': image('FROM python:3.11-alpine\nRUN pip install lemur'), 'docker/Dockerfile-src': image('FROM python:3.11-alpine') }));
    expect(a.startCommand).toBe('/entrypoint /usr/bin/supervisord -c supervisor.conf');
  });
});
