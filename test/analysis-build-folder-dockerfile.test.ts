// A Go server whose image is built in a `build/` packaging folder (build/linux/Dockerfile beside build/windows/,
// or Go's project-layout build/package/Dockerfile): that Dockerfile's EXPOSE and ENTRYPOINT are the app's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { DEFAULT_LIMITS, planSnapshot, snapshotFromDir } from '../function/src/repo/snapshot.js';
import { snapshot } from './helpers/snapshot.js';

const server = {
  'go.mod': 'module example.com/srv\n\ngo 1.22\n\nrequire github.com/gorilla/mux v1.8.1\n',
  'cmd/srv/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8000", nil) }\n',
  'package.json': '{ "name": "srv-ui", "scripts": { "build": "webpack", "start": "webpack -w" }, "devDependencies": { "webpack": "^5" } }\n',
};
const linux = 'FROM alpine:3.20\nCOPY dist/srv /\nCOPY dist/public /public/\nVOLUME /data\nEXPOSE 9000\nEXPOSE 9443\nENTRYPOINT ["/srv"]\n';

describe('the app image in a build/ packaging folder', () => {
  it('reads build/linux/Dockerfile beside other OS variants', () => {
    const a = analyzeRepository(snapshot({ ...server, 'build/linux/Dockerfile': linux, 'build/linux/alpine.Dockerfile': linux, 'build/windows/Dockerfile': 'FROM mcr.microsoft.com/windows/nanoserver\nEXPOSE 9000\nENTRYPOINT ["/srv.exe"]\n' }));
    expect(a.hasDockerfile).toBe(true);
    expect(a.port).toBe(9000);
    expect(a.startCommand).toBe('/srv');
  });

  it('reads build/package/Dockerfile', () => {
    const a = analyzeRepository(snapshot({ ...server, 'build/package/Dockerfile': linux }));
    expect(a.port).toBe(9000);
    expect(a.startCommand).toBe('/srv');
  });

  it('leaves a Dockerfile deeper in build/ alone (a dev toolkit image)', () => {
    const a = analyzeRepository(snapshot({ ...server, 'build/linux/dev-toolkit/toolkit.Dockerfile': linux, 'build/windows/Dockerfile': linux }));
    expect(a.hasDockerfile).toBe(false);
  });
});

describe('snapshots keep the container builds of a committed build/ folder', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'scai-build-folder-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const tree = ['go.mod', 'build/linux/Dockerfile', 'build/linux/alpine.Dockerfile', 'build/Dockerfile', 'build/linux/dev-toolkit/toolkit.Dockerfile', 'build/app.js', 'build/linux/run.sh', 'web/build/Dockerfile'];

  it('plans build/ Dockerfiles one folder down at most, and nothing else of build/', () => {
    const plan = planSnapshot(tree.map((path) => ({ path, size: 10 })), DEFAULT_LIMITS);
    expect(plan.read.map((c) => c.path).sort()).toEqual(['build/Dockerfile', 'build/linux/Dockerfile', 'build/linux/alpine.Dockerfile', 'go.mod']);
  });

  it('reads them from a directory too', async () => {
    for (const p of tree) {
      mkdirSync(join(tmp, dirname(p)), { recursive: true });
      writeFileSync(join(tmp, p), 'x\n');
    }
    const snap = await snapshotFromDir(tmp);
    expect([...snap.files.keys()].sort()).toEqual(['build/Dockerfile', 'build/linux/Dockerfile', 'build/linux/alpine.Dockerfile', 'go.mod']);
  });
});
