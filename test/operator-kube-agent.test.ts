// The controller's API connections are kept alive: client-node 1.4 alone opens a new TLS connection
// for every request (the first test shows it, so an upgrade that fixes it upstream is noticed).
// A real TLS server with client certificates, as an API server has.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kube } from '../operator/src/kube.js';
import { makePki, type Pki } from './helpers/certs.js';

let pki: Pki;
let server: Server;
let port: number;
let connections = 0;

function kubeconfig(user: { cert: Buffer; key: Buffer }): KubeConfig {
  const kc = new KubeConfig();
  const b64 = (b: Buffer) => b.toString('base64');
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `https://127.0.0.1:${port}`, caData: b64(pki.ca), skipTLSVerify: false }],
    users: [{ name: 'u', certData: b64(user.cert), keyData: b64(user.key) }, { name: 'rotated', certData: b64(pki.rogueCert), keyData: b64(pki.rogueKey) }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }, { name: 'rotated', cluster: 'c', user: 'rotated' }],
    currentContext: 'ctx',
  });
  return kc;
}

beforeAll(async () => {
  pki = makePki();
  // Asks for a client certificate like an API server; accepts any, so a rotated one works too.
  server = createServer({ cert: readFileSync(join(pki.serverDir, 'tls.crt')), key: readFileSync(join(pki.serverDir, 'tls.key')), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'scai.io/v1alpha1', kind: 'XDeploymentList', metadata: { resourceVersion: '1' }, items: [] }));
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('API server connections', () => {
  it('client-node by itself opens one TLS connection per request', async () => {
    const api = kubeconfig({ cert: pki.clientCert, key: pki.clientKey }).makeApiClient(CustomObjectsApi);
    const before = connections;
    for (let i = 0; i < 5; i++) await api.listClusterCustomObject({ group: 'scai.io', version: 'v1alpha1', plural: 'xdeployments' });
    expect(connections - before).toBe(5);
  });

  it('the controller reuses one connection for sequential requests and a few for concurrent ones', async () => {
    const kube = new Kube(kubeconfig({ cert: pki.clientCert, key: pki.clientKey }));
    const before = connections;
    for (let i = 0; i < 20; i++) expect((await kube.listXRs()).items).toEqual([]);
    expect(connections - before).toBe(1);
    await Promise.all(Array.from({ length: 10 }, () => kube.listXRs()));
    expect(connections - before).toBeLessThanOrEqual(10);
    const afterBurst = connections;
    for (let i = 0; i < 10; i++) await kube.listXRs();
    expect(connections).toBe(afterBurst); // the burst's sockets stay open for reuse
    expect(kube.auth.agentsCreated).toBe(1);
    kube.close();
  });

  it('a rotated client certificate gets a new agent, so requests present the new identity', async () => {
    const kc = kubeconfig({ cert: pki.clientCert, key: pki.clientKey });
    const kube = new Kube(kc);
    const subjects: string[] = [];
    const onConn = (s: import('node:tls').TLSSocket) => subjects.push(String(s.getPeerCertificate().subject?.CN ?? ''));
    server.on('secureConnection', onConn);
    try {
      await kube.listXRs();
      kc.setCurrentContext('rotated');
      await kube.listXRs();
      await kube.listXRs();
      expect(kube.auth.agentsCreated).toBe(2);
      expect(subjects).toHaveLength(2);
      expect(subjects[0]).not.toBe(subjects[1]);
    } finally {
      server.off('secureConnection', onConn);
      kube.close();
    }
  });
});
