// Wires the controller together and runs it until SIGTERM/SIGINT or lost leadership:
//   HTTP (health, readiness, metrics) from the start → leader election → as leader: informer, work
//   queue and cost sync → on shutdown: stop taking work, finish in-flight records, release the lease.
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { costSourceFrom } from './cost/index.js';
import type { CostSource } from './cost/source.js';
import { CostSync } from './cost-sync.js';
import { eventRecorder } from './events.js';
import { startHttp } from './http.js';
import { Kube, loadKubeConfig } from './kube.js';
import { LeaderElector } from './leader.js';
import { Metrics } from './metrics.js';
import { Reconciler } from './reconcile.js';
import { Controller } from './controller.js';
import type { OutcomeSink } from './sink.js';

export interface Running {
  readonly metrics: Metrics;
  readonly http: Server;
  /** Resolves with the exit code once the controller has stopped. */
  readonly done: Promise<number>;
  stop(reason: string): Promise<number>;
}

export async function runController(cfg: Config, deps: { sink: OutcomeSink; costSource?: CostSource; log?: Logger }): Promise<Running> {
  const log = deps.log ?? pino({ level: cfg.logLevel, base: { identity: cfg.identity } });
  const kube = new Kube(loadKubeConfig(cfg.kubeconfig));
  const metrics = new Metrics();
  const events = eventRecorder(kube, cfg.identity, log);
  const costSource = deps.costSource ?? (await costSourceFrom(cfg.costSource));
  let controller: Controller | undefined;
  let costSync: CostSync | undefined;
  let stopping: Promise<number> | undefined;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const http = await startHttp(cfg.httpPort, cfg.httpHost, metrics, () => !stopping && (!elector.isLeader || Boolean(controller?.synced)));

  const lead = async () => {
    metrics.leader.set(1);
    const reconciler = new Reconciler(kube, deps.sink, events, metrics, log, { failureGraceMs: cfg.failureGraceMs, readyTimeoutMs: cfg.readyTimeoutMs });
    controller = new Controller(kube, reconciler, metrics, log, {
      workers: cfg.workers,
      resyncMs: cfg.resyncMs,
      backoff: { baseMs: cfg.backoffBaseMs, maxMs: cfg.backoffMaxMs, jitter: 0.5 },
    });
    await controller.start();
    const synced = controller;
    metrics.watchFleet(() => synced.list());
    log.info({ xrs: controller.list().length }, 'informer synced');
    if (costSource) {
      const c = controller;
      costSync = new CostSync(costSource, () => c.list(), kube, events, metrics, log, { intervalMs: cfg.costIntervalMs, concurrency: cfg.costConcurrency });
      costSync.start();
    }
  };

  const elector = new LeaderElector(
    kube,
    { namespace: cfg.namespace, name: cfg.leaseName, identity: cfg.identity, leaseDurationMs: cfg.leaseDurationMs, renewDeadlineMs: cfg.renewDeadlineMs, retryPeriodMs: cfg.retryPeriodMs },
    log,
    {
      onStartedLeading: () => void lead().catch((e) => { log.error({ err: String(e) }, 'cannot start as leader'); void stop('start failed', 1); }),
      // Another replica may act now: stop at once rather than race it, and let the restart rejoin.
      onStoppedLeading: () => void stop('lost leadership', 1),
    },
  );

  const stop = (reason: string, code = 0): Promise<number> => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      const deadline = setTimeout(() => {
        log.error('shutdown timed out');
        resolveDone(2);
      }, cfg.shutdownTimeoutMs);
      deadline.unref();
      await costSync?.stop();
      await controller?.stop(); // in-flight reconciles, and so their records, finish here
      await elector.stop();
      kube.close();
      metrics.leader.set(0);
      await deps.sink.close().catch(() => undefined);
      await new Promise<void>((r) => http.close(() => r()));
      clearTimeout(deadline);
      log.info('stopped');
      resolveDone(code);
      return code;
    })();
    return stopping;
  };

  elector.start();
  return { metrics, http, done, stop: (reason) => stop(reason) };
}
