// /healthz (the process is serving), /readyz (the controller is doing its job: as leader with a
// synced cache, or as a healthy standby) and /metrics.
import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.js';

export function startHttp(port: number, host: string, metrics: Metrics, ready: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200).end('ok');
    if (path === '/readyz') {
      const ok = ready();
      return void res.writeHead(ok ? 200 : 503).end(ok ? 'ok' : 'not ready');
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
