// Repository credentials. The claim's `repository.secretRef` names a Secret; Crossplane delivers it
// to the function as a pipeline credential (the Composition step lists it under `credentials`,
// named after the Secret). Only the names of keys ever appear in messages, never their values.
import { createHash } from 'node:crypto';
import { RepositoryError } from './errors.js';
import type { GitAuth } from './git.js';

export interface SecretRef {
  name: string;
  namespace?: string | undefined;
  key?: string | undefined;
}

/** name → key → value, as RunFunctionRequest.credentials[name].credentialData.data. */
export type PipelineCredentials = Readonly<Record<string, Readonly<Record<string, Buffer | Uint8Array | string>>>>;

const TOKEN_KEYS = ['token', 'password'];
const SSH_KEYS = ['ssh-privatekey', 'identity', 'id_rsa', 'id_ed25519'];

const text = (v: Buffer | Uint8Array | string | undefined) => (v === undefined ? undefined : typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));

/**
 * GitAuth for the claim, or undefined when it names no secret. A Secret holds a token (`token`
 * or `password`, optional `username`) or an SSH key (`ssh-privatekey`, optional `known_hosts`);
 * `secretRef.key` picks one key explicitly (an SSH key when it looks like one).
 */
export function authFromCredentials(ref: SecretRef | undefined, credentials: PipelineCredentials | undefined): GitAuth | undefined {
  if (!ref) return undefined;
  const data = credentials?.[ref.name];
  if (!data) {
    throw new RepositoryError(
      `spec.repository.secretRef.name: no pipeline credential named "${ref.name}" reached the function; ` +
        `list it in the Composition's function step: credentials: [{ name: ${ref.name}, source: Secret, secretRef: { namespace: …, name: ${ref.name} } }]`,
    );
  }
  const knownHosts = text(data.known_hosts);
  const username = text(data.username)?.trim();
  const withExtras = (auth: GitAuth): GitAuth => ({ ...auth, ...(knownHosts ? { knownHosts } : {}), ...(username ? { username } : {}) });
  if (ref.key) {
    const value = text(data[ref.key]);
    if (value === undefined) throw new RepositoryError(`spec.repository.secretRef.key: the credential "${ref.name}" has no key "${ref.key}" (keys: ${Object.keys(data).sort().join(', ') || 'none'})`);
    const ssh = SSH_KEYS.includes(ref.key) || /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value);
    return withExtras(ssh ? { sshPrivateKey: value } : { token: value.trim() });
  }
  const sshKey = SSH_KEYS.map((k) => text(data[k])).find((v) => v);
  if (sshKey) return withExtras({ sshPrivateKey: sshKey });
  const token = TOKEN_KEYS.map((k) => text(data[k])?.trim()).find((v) => v);
  if (token) return withExtras({ token });
  throw new RepositoryError(
    `spec.repository.secretRef: the credential "${ref.name}" has neither a token (${TOKEN_KEYS.join(', ')}) nor an SSH key (${SSH_KEYS[0]}); keys present: ${Object.keys(data).sort().join(', ') || 'none'}`,
  );
}

/**
 * A one-way fingerprint of credentials, part of the analysis cache key: an analysis fetched with
 * one credential must not be served to a claim that could not have fetched it.
 */
export function authFingerprint(auth: GitAuth | undefined): string | undefined {
  if (!auth?.token && !auth?.sshPrivateKey) return undefined;
  return createHash('sha256').update(`scai-auth\0${auth.username ?? ''}\0${auth.token ?? ''}\0${auth.sshPrivateKey ?? ''}`).digest('hex').slice(0, 32);
}
