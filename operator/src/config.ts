// The controller's settings, all from the environment (what a Deployment sets); durations in seconds.
import { hostname } from 'node:os';

export interface Config {
  kubeconfig?: string;
  namespace: string;
  identity: string;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  httpPort: number;
  httpHost: string;
  workers: number;
  resyncMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  failureGraceMs: number;
  readyTimeoutMs: number;
  costSource?: string;
  costIntervalMs: number;
  costConcurrency: number;
  shutdownTimeoutMs: number;
  logLevel: string;
}

function seconds(env: NodeJS.ProcessEnv, name: string, def: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def * 1000;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number of seconds, got ${JSON.stringify(raw)}`);
  return v * 1000;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const c: Config = {
    ...(env.KUBECONFIG ? { kubeconfig: env.KUBECONFIG } : {}),
    namespace: env.POD_NAMESPACE || 'scai-system',
    identity: env.POD_NAME || `${hostname()}-${process.pid}`,
    leaseName: env.SCAI_LEASE_NAME || 'scai-controller',
    leaseDurationMs: seconds(env, 'SCAI_LEASE_DURATION', 15),
    renewDeadlineMs: seconds(env, 'SCAI_RENEW_DEADLINE', 10),
    retryPeriodMs: seconds(env, 'SCAI_RETRY_PERIOD', 2),
    httpPort: int(env, 'SCAI_HTTP_PORT', 8080, 0),
    httpHost: env.SCAI_HTTP_HOST || '0.0.0.0',
    workers: int(env, 'SCAI_WORKERS', 4),
    resyncMs: seconds(env, 'SCAI_RESYNC', 600),
    backoffBaseMs: seconds(env, 'SCAI_BACKOFF_BASE', 0.5),
    backoffMaxMs: seconds(env, 'SCAI_BACKOFF_MAX', 60),
    failureGraceMs: seconds(env, 'SCAI_FAILURE_GRACE', 600),
    readyTimeoutMs: seconds(env, 'SCAI_READY_TIMEOUT', 1800),
    ...(env.SCAI_COST_SOURCE ? { costSource: env.SCAI_COST_SOURCE } : {}),
    costIntervalMs: seconds(env, 'SCAI_COST_INTERVAL', 3600),
    costConcurrency: int(env, 'SCAI_COST_CONCURRENCY', 4),
    shutdownTimeoutMs: seconds(env, 'SCAI_SHUTDOWN_TIMEOUT', 25),
    logLevel: env.LOG_LEVEL || 'info',
  };
  if (c.renewDeadlineMs >= c.leaseDurationMs) throw new Error('SCAI_RENEW_DEADLINE must be shorter than SCAI_LEASE_DURATION');
  return c;
}
