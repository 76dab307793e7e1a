// Round 24: an image exposing several ports whose HEALTHCHECK probes an http:// URL with no port (`curl http://localhost/health`)
// checks HTTP's own port, 80: that is the app's port, not the first EXPOSEd one (Zulip's image: `EXPOSE 25 80 443`, 25 is SMTP).
// A probe naming a port (`localhost:$PORT`), an https probe, or an image not exposing 80 leave the first port.
// (Since round 33 SMTP's 25 gives way to another exposed port by itself, so these images expose 3000 first.)
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../function/src/analysis/docker.js';

const image = (expose: string, health: string): string => `FROM ubuntu:24.04\nRUN apt-get install -y nginx postfix\n${expose}\n${health}ENTRYPOINT ["/sbin/entrypoint.sh"]\nCMD ["app:run"]\n`;

describe('a HEALTHCHECK probing http:// with no port', () => {
  it('names port 80 among several EXPOSEd ones', () => {
    expect(parseDockerfile('Dockerfile', image('EXPOSE 3000 80 443', 'HEALTHCHECK CMD ["curl", "-isfL", "--insecure", "http://localhost/health"]\n')).exposedPort).toEqual({ value: 80, source: 'Dockerfile:3' });
    expect(parseDockerfile('Dockerfile', image('EXPOSE 3000 80', 'HEALTHCHECK CMD wget -q -O - http://127.0.0.1 || exit 1\n')).exposedPort?.value).toBe(80);
  });

  it('leaves the first port when the probe names a port, uses https, or 80 is not exposed', () => {
    expect(parseDockerfile('Dockerfile', image('EXPOSE 3000 80 443', 'HEALTHCHECK CMD curl -f http://localhost:$PORT/ || exit 1\n')).exposedPort?.value).toBe(3000);
    expect(parseDockerfile('Dockerfile', image('EXPOSE 3000 80 443', 'HEALTHCHECK CMD curl -fk https://localhost/health\n')).exposedPort?.value).toBe(3000);
    expect(parseDockerfile('Dockerfile', image('EXPOSE 3000 8080', 'HEALTHCHECK CMD curl -f http://localhost/health\n')).exposedPort?.value).toBe(3000);
  });
});
