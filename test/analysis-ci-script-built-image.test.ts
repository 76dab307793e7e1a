// A compose file pulling the project's published image that a CI workflow builds with a plain `docker build`
// in a shell step (`docker build -f src/main/docker/Dockerfile.native -t quay.io/org/app:latest .`), not the
// build-push action: that Dockerfile is the app's image, so its CMD and EXPOSE are the app's.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { scriptBuiltDockerfile } from '../function/src/analysis/ci-images.js';
import { snapshot } from './helpers/snapshot.js';

const workflow = (run: string) =>
  ['on: push', 'jobs:', '  publish:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - name: Build and push', '        run: |', ...run.split('\n').map((l) => `          ${l}`), ''].join('\n');
const pom = '<project>\n  <artifactId>registry-app</artifactId>\n  <dependencies>\n    <dependency>\n      <groupId>io.quarkus</groupId>\n      <artifactId>quarkus-rest-jackson</artifactId>\n    </dependency>\n  </dependencies>\n</project>\n';
const files = {
  'pom.xml': pom,
  'src/main/java/org/acme/Hello.java': 'package org.acme;\n@Path("/hello")\npublic class Hello {}\n',
  'src/main/docker/Dockerfile.jvm': 'FROM registry.access.redhat.com/ubi9/openjdk-21-runtime\nCOPY target/quarkus-app/ /deployments/\nEXPOSE 8080\nENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]\n',
  'src/main/docker/Dockerfile.native': 'FROM registry.access.redhat.com/ubi9/ubi-minimal\nWORKDIR /work/\nCOPY target/*-runner /work/application\nEXPOSE 8081\nCMD ["./application", "-Dquarkus.http.host=0.0.0.0"]\n',
  'docker-compose.yaml': 'services:\n  app:\n    image: quay.io/acme/registry-app\n    ports:\n      - "8081:8081"\n  database:\n    image: postgres\n',
};

describe('an image a CI shell step builds with docker build', () => {
  it('is the Dockerfile of the compose service pulling it: its command and port are the app\'s', () => {
    const a = analyzeRepository(snapshot({ ...files, '.github/workflows/publish.yml': workflow('docker build -f src/main/docker/Dockerfile.native -t quay.io/acme/registry-app:latest .\ndocker push quay.io/acme/registry-app:latest') }));
    expect([a.startCommand, a.port]).toEqual(['./application -Dquarkus.http.host=0.0.0.0', 8081]);
    expect(a.services?.map((s) => s.name)).toEqual(['app']);
  });

  it('reads the file, tag and context however the command line spells them', () => {
    const named = /(?:^|[\s,"'=])(?:[\w-]+(?:\.[\w-]+)+(?::\d+)?\/)?acme\/registry-app(?=[:\s,"']|$)/m;
    expect(scriptBuiltDockerfile('docker buildx build --platform linux/amd64 \\\n  --file=deploy/app.Dockerfile --tag quay.io/acme/registry-app:1 --push .', named)).toBe('deploy/app.Dockerfile');
    expect(scriptBuiltDockerfile('docker build --no-cache --build-arg A=1 -t acme/registry-app server', named)).toBe('server/Dockerfile');
  });

  it('leaves alone a build of another image, or one whose file is a variable', () => {
    const named = /(?:^|[\s,"'=])(?:[\w-]+(?:\.[\w-]+)+(?::\d+)?\/)?acme\/registry-app(?=[:\s,"']|$)/m;
    expect(scriptBuiltDockerfile('docker build -f src/main/docker/Dockerfile.native -t quay.io/acme/registry-app-docs:latest .', named)).toBeUndefined();
    expect(scriptBuiltDockerfile('docker build -f $DOCKERFILE -t quay.io/acme/registry-app:latest .', named)).toBeUndefined();
    expect(scriptBuiltDockerfile('echo docker build -f x -t acme/registry-app .', named)).toBeUndefined();
    const a = analyzeRepository(snapshot({ ...files, '.github/workflows/publish.yml': workflow('docker build -f src/main/docker/Dockerfile.native -t quay.io/acme/registry-docs:latest .') }));
    expect(a.startCommand).not.toBe('./application -Dquarkus.http.host=0.0.0.0');
  });

  it('is linear on a long line', () => {
    const named = /(?:^|[\s,"'=])acme\/registry-app(?=[:\s,"']|$)/m;
    const t0 = Date.now();
    scriptBuiltDockerfile(`docker build ${'-t x '.repeat(20_000)}`, named);
    scriptBuiltDockerfile(`docker build${' '.repeat(100_000)}x`, named);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
