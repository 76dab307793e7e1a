// Test PKI made with openssl: a CA, a server cert for localhost, a client cert from the same CA
// and one from an unrelated CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  serverDir: string;
  ca: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
  rogueCert: Buffer;
  rogueKey: Buffer;
  /** Signed by the CA but with the CA's own subject and no key identifier, as Crossplane issues its client certificates. */
  sameSubjectCert: Buffer;
  sameSubjectKey: Buffer;
}

function ossl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function ca(dir: string, name: string): void {
  ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`], dir);
}

function leaf(dir: string, caName: string, name: string, ext: string, subject = `/CN=${name}`): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  ossl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  ossl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'scai-pki-'));
  ca(dir, 'ca');
  ca(dir, 'rogue-ca');
  leaf(dir, 'ca', 'server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n');
  leaf(dir, 'rogue-ca', 'rogue', 'extendedKeyUsage=clientAuth\n');
  leaf(dir, 'ca', 'same-subject', 'extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n', '/CN=ca');
  const serverDir = mkdtempSync(join(tmpdir(), 'scai-tls-'));
  writeFileSync(join(serverDir, 'tls.crt'), readFileSync(join(dir, 'server.crt')));
  writeFileSync(join(serverDir, 'tls.key'), readFileSync(join(dir, 'server.key')));
  writeFileSync(join(serverDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')));
  const r = (f: string) => readFileSync(join(dir, f));
  return { dir, serverDir, ca: r('ca.crt'), clientCert: r('client.crt'), clientKey: r('client.key'), rogueCert: r('rogue.crt'), rogueKey: r('rogue.key'), sameSubjectCert: r('same-subject.crt'), sameSubjectKey: r('same-subject.key') };
}
