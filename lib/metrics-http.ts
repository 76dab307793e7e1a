// The /metrics answer both processes serve (function-scai on --metrics-address, the controller on
// SCAI_HTTP_PORT): a prom-client registry in the Prometheus text format.
import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export function writeMetrics(registry: Registry, res: ServerResponse): void {
  registry.metrics().then(
    (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
    (e: unknown) => res.writeHead(500).end(String(e)),
  );
}
