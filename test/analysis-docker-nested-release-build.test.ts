// A Go server whose only image is built in a nested folder of docker/ (`docker/ci/x86_64/Dockerfile`, beside a
// cross-compiler image in docker/compiler/): CI builds the release image there from the compiled binary, so its
// CMD and EXPOSE are how the app starts. A CI folder's build that runs the test suite is not the app's image.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const release = 'FROM alpine:latest AS binary\nCOPY media-* /\nRUN mv media-linux /media\n\nFROM alpine:latest AS app\nCOPY --from=binary /media /usr/bin/\nEXPOSE 9999\nCMD ["media"]\n';
const tests = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nCMD ["go", "test", "./..."]\n';
const app = (ciDockerfile: string) =>
  analyzeRepository(snapshot({
    'go.mod': 'module example.com/media\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.2.2\n',
    'cmd/media/main.go': 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-chi/chi/v5"\n)\n\nfunc main() {\n\tr := chi.NewRouter()\n\thttp.ListenAndServe(addr(), r)\n}\n',
    'docker/compiler/Dockerfile': 'FROM golang:1.22\nRUN apt-get update && apt-get install -y gcc-multilib\nWORKDIR /src\n',
    'docker/ci/x86_64/Dockerfile': ciDockerfile,
  }));

describe('the release image built in a nested CI folder of docker/', () => {
  it('starts the app: its command and port are the app’s', () => {
    const a = app(release);
    expect(a.startCommand).toBe('media');
    expect(a.evidence.find((e) => e.fact === 'startCommand media')?.source).toBe('docker/ci/x86_64/Dockerfile:8');
    expect(a.port).toBe(9999);
  });

  it('is not the app’s image when it runs the test suite on a toolchain', () => {
    const a = app(tests);
    expect(a.startCommand).not.toBe('go test ./...');
    expect(a.port).not.toBe(9999);
  });
});
