// The real gRPC server: mTLS with a required client certificate, plaintext only with --insecure,
// and the process entry point's exit codes.
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { scaiHandler } from '../function/src/handler.js';
import { serverCredentials, startFunctionServer, type StartedServer } from '../function/src/server.js';
import { makePki, type Pki } from './helpers/certs.js';
import { claim, countingSource, desiredResources, NOW, request, ROOT } from './helpers/fn.js';
import { fnClient } from './helpers/grpc-client.js';

const exec = promisify(execFile);
let pki: Pki;
let tls: StartedServer;

beforeAll(async () => {
  pki = makePki();
  tls = await startFunctionServer(scaiHandler({ repos: countingSource(), now: () => NOW }), { address: '127.0.0.1:0', insecure: false, tlsServerCertsDir: pki.serverDir });
});
afterAll(async () => {
  await tls?.close();
});

describe('gRPC over mTLS', () => {
  it('serves RunFunction to a client with a certificate from the CA', async () => {
    const client = fnClient(`localhost:${tls.port}`, grpc.credentials.createSsl(pki.ca, pki.clientKey, pki.clientCert));
    try {
      const rsp = await client.run(request({ xr: claimToXr(claim()) }));
      expect(rsp.results.filter((r) => r.severity === 1)).toEqual([]);
      expect(Object.keys(desiredResources(rsp))).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it('serves a client certificate whose subject is its CA\'s, as Crossplane issues them (OpenSSL calls it self-signed)', async () => {
    const client = fnClient(`localhost:${tls.port}`, grpc.credentials.createSsl(pki.ca, pki.sameSubjectKey, pki.sameSubjectCert));
    try {
      const rsp = await client.run(request({ xr: claimToXr(claim()) }));
      expect(Object.keys(desiredResources(rsp))).toHaveLength(1);
    } finally {
      client.close();
    }
  });

  it('refuses a client without a certificate', async () => {
    const client = fnClient(`localhost:${tls.port}`, grpc.credentials.createSsl(pki.ca));
    await expect(client.run(request({ xr: claimToXr(claim()) }), 3000)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: 'no client certificate' });
    client.close();
  });

  it('refuses a client certificate from another CA', async () => {
    const client = fnClient(`localhost:${tls.port}`, grpc.credentials.createSsl(pki.ca, pki.rogueKey, pki.rogueCert));
    await expect(client.run(request({ xr: claimToXr(claim()) }), 3000)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/not signed by ca\.crt/) });
    client.close();
  });

  it('refuses plaintext', async () => {
    const client = fnClient(`127.0.0.1:${tls.port}`);
    await expect(client.run(request({ xr: claimToXr(claim()) }), 3000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });
});

describe('function-scai process', () => {
  const main = join(ROOT, 'function', 'src', 'main.ts');
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');

  it('exits non-zero when the port cannot be bound', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    const err = await exec(tsx, [main, '--insecure', '--address', `127.0.0.1:${port}`]).catch((e) => e);
    blocker.close();
    expect(err.code).toBe(1);
    expect(String(err.stdout) + String(err.stderr)).toContain('cannot listen on 127.0.0.1');
  });

  it('exits non-zero when TLS files are missing, and reads TLS_SERVER_CERTS_DIR', async () => {
    const err = await exec(tsx, [main, '--address', '127.0.0.1:0'], { env: { ...process.env, TLS_SERVER_CERTS_DIR: '/nonexistent-tls' } }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(String(err.stdout) + String(err.stderr)).toContain('/nonexistent-tls/ca.crt');
  });

  it('refuses to start with an empty or garbage ca.crt, or a tls.key that does not match tls.crt', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'scai-badtls-'));
    for (const f of ['tls.crt', 'tls.key']) copyFileSync(join(pki.serverDir, f), join(bad, f));
    for (const ca of ['', 'not a certificate\n']) {
      writeFileSync(join(bad, 'ca.crt'), ca);
      await expect(serverCredentials({ address: '127.0.0.1:0', insecure: false, tlsServerCertsDir: bad })).rejects.toThrow(/ca\.crt holds no PEM certificate/);
    }
    copyFileSync(join(pki.serverDir, 'ca.crt'), join(bad, 'ca.crt'));
    writeFileSync(join(bad, 'tls.key'), pki.rogueKey);
    await expect(serverCredentials({ address: '127.0.0.1:0', insecure: false, tlsServerCertsDir: bad })).rejects.toThrow(/not a certificate and its key/);
    const err = await exec(tsx, [main, '--address', '127.0.0.1:0', '--tls-server-certs-dir', bad]).catch((e) => e);
    expect(err.code).toBe(1);
  });

  it('rejects unknown flags with exit code 2', async () => {
    const err = await exec(tsx, [main, '--bogus']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(String(err.stderr)).toContain("Unknown option '--bogus'");
  });
});
