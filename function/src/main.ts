// Entry point of the function image: `function-scai [--address A] [--metrics-address M] [--insecure] [--tls-server-certs-dir D] [--debug]`.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { AnalysisPool, poolOptionsFromEnv } from './analysis-pool/pool.js';
import { scaiHandler } from './handler.js';
import { embedIntervalMs } from './rag/backfill.js';
import { storeLocation } from '../../lib/rag/location.js';
import { BackgroundRagRetriever } from './rag/store-retriever.js';
import { openStore } from './rag/open.js';
import { warmUpTimeoutMs } from './rag/warm-up.js';
import { gitSource, localDirSource } from './repo/source.js';
import { watchStore } from './metrics/registry.js';
import { startMetricsServer, type MetricsServer } from './metrics/server.js';
import { startFunctionServer } from './server.js';

const HELP = `Usage: function-scai [flags]

The scai composition function: analyses the claim's repository, decides a deployment strategy,
estimates its cost, enforces budget and policies, and composes an XInfrastructure.

Flags:
  --address <addr>               listen address (default 0.0.0.0:9443)
  --metrics-address <addr>       serve Prometheus /metrics over plain HTTP on this address, apart from
                                 gRPC (default: off; the image runs with 0.0.0.0:8080)
  --tls-server-certs-dir <dir>   directory with tls.crt, tls.key, ca.crt (default $TLS_SERVER_CERTS_DIR or /tls/server)
  --insecure                     plaintext gRPC, for crossplane render only
  --repo-dir <dir>               render/development only: analyse this local checkout (repository.path
                                 applied) instead of cloning repository.url
  --debug                        verbose logs
  -h, --help                     this text`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        address: { type: 'string', default: '0.0.0.0:9443' },
        'metrics-address': { type: 'string' },
        'tls-server-certs-dir': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        'repo-dir': { type: 'string' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    process.stderr.write(`function-scai: ${(e as Error).message}\nTry 'function-scai --help'.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const logger = pino({ level: values.debug ? 'debug' : 'info' });
  // The RAG store opens and warms up (rag/warm-up.ts) before the gRPC port is bound, for at most
  // SCAI_RAG_WARMUP_TIMEOUT_MS: a call accepted earlier would find a cold store, miss its retrieval
  // budget and pin a decision without neighbours, whereas a call refused for a moment is retried by
  // Crossplane (a readiness delay, as a pod's probe gives). If the store fails to open or is not warm
  // in time the server listens anyway, and renders decide without neighbours (RetrievalUnavailable
  // warning) until it is open. SCAI_RAG=off: no store at all (decisions from the rules alone, no
  // warning), e.g. for tests that run several servers side by side.
  const where = storeLocation();
  let backfillMs: number;
  let warmUpMs: number;
  let pool: AnalysisPool;
  try {
    backfillMs = embedIntervalMs(process.env);
    warmUpMs = warmUpTimeoutMs(process.env);
    pool = new AnalysisPool(poolOptionsFromEnv(process.env));
  } catch (e) {
    process.stderr.write(`function-scai: ${(e as Error).message}\n`);
    return 2;
  }
  const rag = process.env.SCAI_RAG === 'off' ? undefined : new BackgroundRagRetriever(() => openStore(), {
    warm: true,
    backfillMs,
    onEmbedded: (n) => logger.info({ rows: n }, 'embedded recorded deployments'),
    onOpen: (s) => logger.info({ backend: s.db.kind, location: s.db.location, model: s.model.current.model, modelMatches: s.model.matches }, 'RAG store open'),
    onError: (message) => logger.warn({ store: where.kind === 'pg' ? 'SCAI_DATABASE_URL' : where.dir }, `RAG store unavailable: ${message}`),
  });
  if (rag) watchStore({ open: () => rag.isOpen(), withoutEmbedding: () => rag.withoutEmbedding() });
  const warmUp = async () => {
    if (!rag) return;
    if (warmUpMs === 0) {
      rag.start();
      return;
    }
    const r = await rag.ready(warmUpMs);
    if (!r.problem) logger.info({ durationMs: r.durationMs }, 'RAG store warm');
    else logger.warn({ durationMs: r.durationMs }, `RAG warm-up failed: ${r.problem}; serving anyway: decisions go without neighbours (RetrievalUnavailable warning) until the store is ready`);
  };
  let metrics: MetricsServer | undefined;
  try {
    if (values['metrics-address']) metrics = await startMetricsServer(values['metrics-address']);
    const started = await startFunctionServer(
      scaiHandler({ repos: values['repo-dir'] ? localDirSource(values['repo-dir']) : gitSource(), retriever: rag, analyze: pool.analyze }),
      {
        address: values.address,
        insecure: values.insecure,
        tlsServerCertsDir: values['tls-server-certs-dir'] ?? process.env.TLS_SERVER_CERTS_DIR ?? '/tls/server',
        beforeListening: warmUp,
      },
      logger,
    );
    logger.info({ port: started.port, insecure: values.insecure, metricsPort: metrics?.port }, 'function-scai listening');
    const stop = () => void Promise.allSettled([started.close(), rag?.close(), metrics?.close(), pool.close()]).then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return -1; // keep running
  } catch (e) {
    logger.error((e as Error).message);
    await Promise.allSettled([rag?.close(), metrics?.close()]);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  if (code >= 0) process.exit(code);
});
