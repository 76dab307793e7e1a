// client-node 1.4 builds a new https.Agent for every request (KubeConfig.createAgent), so every API
// call pays a TCP connect, a TLS handshake and a new SecureContext (parsing the CA and client key).
// Measured on the controller bench: TLS set-up was the largest CPU cost of a reconcile and most of
// its latency. This authentication wrapper lets the KubeConfig authenticate as usual, then swaps its
// fresh agent for a keep-alive one shared by every request with the same TLS identity.
import { createHash } from 'node:crypto';
import https from 'node:https';
import type { KubeConfig, RequestContext, SecurityAuthentication } from '@kubernetes/client-node';

const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** Identity of an agent's TLS options: a rotated client certificate or CA gets a new agent. */
export function tlsFingerprint(o: https.AgentOptions): string {
  const h = createHash('sha256');
  for (const f of TLS_FIELDS) {
    const v = o[f];
    h.update(`${f}=`);
    if (v !== undefined) h.update(Buffer.isBuffer(v) ? v : JSON.stringify(v, (_k, x) => (Buffer.isBuffer(x) ? x.toString('base64') : x)));
    h.update('\0');
  }
  return h.digest('hex');
}

export interface KeepAliveAuth extends SecurityAuthentication {
  /** Agents made so far (one per TLS identity seen); for tests and metrics. */
  readonly agentsCreated: number;
  destroy(): void;
}

export function keepAliveAuth(kc: KubeConfig, o: { maxFreeSockets?: number } = {}): KeepAliveAuth {
  let current: { key: string; agent: https.Agent } | undefined;
  let created = 0;
  return {
    getName: () => 'scai-keep-alive',
    get agentsCreated() {
      return created;
    },
    async applySecurityAuthentication(ctx: RequestContext) {
      await kc.applySecurityAuthentication(ctx);
      const fresh = ctx.getAgent();
      // Only a plain https.Agent is replaced: proxy agents (hpagent, socks) and http keep their own.
      if (!fresh || fresh.constructor !== https.Agent) return;
      const options = (fresh as https.Agent & { options: https.AgentOptions }).options;
      const key = tlsFingerprint(options);
      if (current?.key !== key) {
        // Idle sockets of the old identity close; requests in flight on it finish.
        const old = current?.agent;
        if (old) setTimeout(() => old.destroy(), 60_000).unref();
        current = { key, agent: new https.Agent({ ...options, keepAlive: true, maxFreeSockets: o.maxFreeSockets ?? 8 }) };
        created++;
      }
      ctx.setAgent(current.agent);
    },
    destroy() {
      current?.agent.destroy();
      current = undefined;
    },
  };
}
