// An image exposing several ports (SMTP, POP3 and HTTP of one mail server) serves HTTP on the one its
// HEALTHCHECK probes; without a plain-HTTP probe naming exactly one of them, the first EXPOSEd port stands.
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../function/src/analysis/docker.js';

const image = (health: string): string => `FROM golang:1.22 AS build\nRUN go build -o /app ./cmd/app\n\nFROM alpine:3\nCOPY --from=build /app /app\nEXPOSE 2500 9000 1100\n${health}ENTRYPOINT ["/app"]\n`;

describe('the EXPOSEd port a HEALTHCHECK probes', () => {
  it('is the HTTP port among several', () => {
    const probed = parseDockerfile('Dockerfile', image(`HEALTHCHECK CMD /bin/sh -c 'wget localhost:$(echo \${WEB_ADDR:-0.0.0.0:9000}|cut -d: -f2) -q -O -'\n`));
    expect(probed.exposedPort).toEqual({ value: 9000, source: 'Dockerfile:6' });
    expect(parseDockerfile('Dockerfile', image('HEALTHCHECK CMD curl -f http://localhost:9000/health || exit 1\n')).exposedPort?.value).toBe(9000);
  });

  it('leaves the first port when the probe names none or several of them', () => {
    expect(parseDockerfile('Dockerfile', image('')).exposedPort?.value).toBe(2500);
    expect(parseDockerfile('Dockerfile', image('HEALTHCHECK CMD curl -f http://localhost:$PORT/ || exit 1\n')).exposedPort?.value).toBe(2500);
    expect(parseDockerfile('Dockerfile', image('HEALTHCHECK CMD nc -z localhost:2500 && curl -f localhost:9000/\n')).exposedPort?.value).toBe(2500);
    // The TLS port an https probe checks is the same server as the plain HTTP port EXPOSEd first.
    const tls = 'FROM python:3.12\nEXPOSE 8080\nEXPOSE 8443\nHEALTHCHECK CMD curl --fail -k https://127.0.0.1:8443/login/\nCMD ["/app/run"]\n';
    expect(parseDockerfile('Dockerfile', tls).exposedPort?.value).toBe(8080);
  });
});
