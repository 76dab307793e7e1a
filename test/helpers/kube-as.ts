// Raw API requests to the test API server (./kube.ts) as the admin, or as another user and groups
// through impersonation (Impersonate-User / Impersonate-Group headers: the admin is system:masters),
// so RBAC decides exactly as it would for that user. client-node impersonates a user only, not groups.
import { request } from 'node:https';
import type { KubeEnv } from './kube.js';

export interface Who {
  user: string;
  groups?: string[];
}

export interface KubeReply {
  status: number;
  body: any;
}

export function kubeRequest(env: KubeEnv, method: string, path: string, body?: unknown, who?: Who): Promise<KubeReply> {
  const token = env.admin.getCurrentUser()?.token ?? '';
  const headers: Record<string, string | string[]> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  if (who) {
    headers['Impersonate-User'] = who.user;
    if (who.groups?.length) headers['Impersonate-Group'] = who.groups;
  }
  return new Promise((resolve, reject) => {
    const req = request(`${env.server}${path}`, { method, headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/** The collection path of an object (where it is created): /api/v1/… or /apis/<group>/<version>/…. */
export function collectionPath(o: { apiVersion: string; kind: string; metadata: { namespace?: string } }): string {
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const kind = o.kind.toLowerCase();
  const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  return `${base}${o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : ''}/${plural}`;
}

/** Creates an object; the reply (201 when created). */
export const createAs = (env: KubeEnv, o: any, who?: Who): Promise<KubeReply> => kubeRequest(env, 'POST', collectionPath(o), o, who);
