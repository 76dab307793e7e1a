// function-scai's metrics endpoint: plain HTTP on its own address (--metrics-address), apart from the
// mTLS gRPC port, so Prometheus scrapes it without a client certificate and a scrape never competes
// with RunFunction for the gRPC server. /metrics and /healthz; anything else is 404.
import { createServer, type Server } from 'node:http';
import { writeMetrics } from '../../../lib/metrics-http.js';
import { normalizeAddress } from '../server.js';
import { functionRegistry } from './registry.js';

export interface MetricsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** `host:port` (`:8080` = every interface; port 0 picks one). */
export function parseListenAddress(address: string): { host: string; port: number } {
  const full = normalizeAddress(address);
  const i = full.lastIndexOf(':');
  const port = Number(full.slice(i + 1));
  const host = full.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  if (i <= 0 || !host || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--metrics-address must be host:port or :port, got ${JSON.stringify(address)}`);
  return { host, port };
}

export async function startMetricsServer(address: string): Promise<MetricsServer> {
  const { host, port } = parseListenAddress(address);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') return writeMetrics(functionRegistry, res);
    if (path === '/healthz') return void res.writeHead(200).end('ok');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot listen on ${address} for metrics: ${e.message}`)));
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
