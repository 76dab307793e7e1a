// /healthz (the process is serving), /readyz (the controller is doing its job: as leader with a
// synced cache, or as a healthy standby) and /metrics.
import { createServer, type Server } from 'node:http';
import { writeMetrics } from '../../lib/metrics-http.js';
import type { Metrics } from './metrics.js';

export function startHttp(port: number, host: string, metrics: Metrics, ready: () => boolean): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200).end('ok');
    if (path === '/readyz') {
      const ok = ready();
      return void res.writeHead(ok ? 200 : 503).end(ok ? 'ok' : 'not ready');
    }
    if (path === '/metrics') return writeMetrics(metrics.registry, res);
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
