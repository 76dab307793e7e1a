// An image whose HEALTHCHECK probes the /health of its metrics listener (jelmer/xandikos: EXPOSE 8000 8001, curl
// localhost:8001/health, METRICS_PORT default 8001) checks that side port: the app serves on the first EXPOSEd one.
// A probe of a port the Dockerfile does not name as the metrics one still picks it.
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../function/src/analysis/docker.js';

const image = (metrics: string): string =>
  `# Environment variables:\n#   PORT - Port to listen on (default: 8000)\n${metrics}FROM debian:sid-slim\nADD . /code\nEXPOSE 8000 8001\nHEALTHCHECK --interval=30s CMD curl -f http://localhost:8001/health || exit 1\nENTRYPOINT ["/entrypoint.sh"]\n`;

describe('a HEALTHCHECK probing the metrics port', () => {
  it('leaves the first EXPOSEd port as the app port (metrics port named in a comment or an ENV)', () => {
    expect(parseDockerfile('Containerfile', image('#   METRICS_PORT - Port for metrics endpoint (default: 8001)\n')).exposedPort?.value).toBe(8000);
    expect(parseDockerfile('Dockerfile', image('ENV METRICS_PORT=8001\n')).exposedPort?.value).toBe(8000);
  });

  it('still picks the probed port when the Dockerfile names no metrics port, or another one', () => {
    expect(parseDockerfile('Dockerfile', image('')).exposedPort?.value).toBe(8001);
    expect(parseDockerfile('Dockerfile', image('ENV METRICS_PORT=9100\n')).exposedPort?.value).toBe(8001);
  });

  it('reads a 100 KB line in linear time', () => {
    const t = Date.now();
    parseDockerfile('Dockerfile', image(`# METRICS_PORT ${'x'.repeat(100_000)}\n`));
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
