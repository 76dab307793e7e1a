// A function server for benchmarks, run as its own process so its RSS can be read:
//   tsx test/bench/serve.ts scai|noop <port> [repoDir] [metricsPort]
// With a metrics port, scai also serves /metrics there, as the image does (--metrics-address).
import { fromCompose } from '@crossplane-org/function-sdk-typescript';
import { scaiHandler } from '../../function/src/handler.js';
import { startMetricsServer } from '../../function/src/metrics/server.js';
import { localDirSource } from '../../function/src/repo/source.js';
import { startFunctionServer } from '../../function/src/server.js';

const [kind, port, repoDir, metricsPort] = process.argv.slice(2);
// The baseline: the same SDK and server, a handler that returns the request's desired state.
const handler = kind === 'noop' ? fromCompose((_req, rsp) => rsp) : scaiHandler({ repos: localDirSource(repoDir ?? '.') });
const started = await startFunctionServer(handler, { address: `127.0.0.1:${port ?? 0}`, insecure: true });
const metrics = metricsPort !== undefined ? await startMetricsServer(`127.0.0.1:${metricsPort}`) : undefined;
process.stdout.write(`listening ${started.port}${metrics ? ` metrics ${metrics.port}` : ''}\n`);
process.once('SIGTERM', () => void started.close().then(() => process.exit(0)));
