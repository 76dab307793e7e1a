// Feasibility, the first half of engine v2: hard facts of the repository, in the order of
// eval/RUBRIC.md, each stated with its evidence. A rule either rules strategies out (they cannot
// work: never chosen, even when requested) or settles the choice (the repository says how it is
// deployed: chosen when the claim leaves the strategy to scai). Preference only ranks what is left.
import { NETWORK_DBS } from '../analysis/traits.js';
import { STRATEGIES, type Analysis, type Cloud, type Service, type Sourced, type Strategy } from '../types.js';

export interface Exclusion {
  rule: string;
  reason: string;
}

export interface Feasibility {
  /** Strategies that cannot work, and why (the first rule that excluded each). */
  excluded: Partial<Record<Strategy, Exclusion>>;
  /** The strategy the repository's own facts settle, when one does. */
  settled?: { strategy: Strategy; rule: string; reason: string };
  /** Local state: one instance only, never replicated. */
  singleInstance?: string;
}

const PLATFORM_STRATEGY: Readonly<Record<string, { strategy: Strategy; what: string }>> = {
  sam: { strategy: 'serverless', what: 'an AWS SAM template' },
  serverless: { strategy: 'serverless', what: 'a Serverless Framework service' },
  'cloudformation-lambda': { strategy: 'serverless', what: 'a CloudFormation Lambda function' },
  helm: { strategy: 'kubernetes', what: 'a Helm chart' },
  kustomize: { strategy: 'kubernetes', what: 'a Kustomization' },
  k8s: { strategy: 'kubernetes', what: 'Kubernetes manifests' },
  skaffold: { strategy: 'kubernetes', what: 'a Skaffold config' },
};

/** A fact with its evidence, as reasons name it. */
export const at = (s: Sourced): string => `${s.name} (${s.source})`;
const list = (items: readonly Sourced[]): string => items.slice(0, 3).map(at).join(', ') + (items.length > 3 ? ` and ${items.length - 3} more` : '');

/** Exactly two services that run one build (`build` known and equal) where neither names a background role. */
export function onePairOfOneBuild(services: readonly Service[]): boolean {
  const [a, b] = services;
  return services.length === 2 && a?.build !== undefined && a.build === b?.build && !a.role && !b.role;
}

/** Whether the analysis shows the app answers HTTP requests at all. */
function servesHttp(a: Analysis): boolean {
  return a.kind === 'web' || a.kind === 'static' || (a.serverless?.functions.length ?? 0) > 0;
}

/** The analysis found an embedded SQLite file among the app's local state. */
const keepsSqlite = (a: Analysis): boolean => (a.localState ?? []).some((s) => /\bSQLite\b/.test(s.name));

/**
 * Compose services that mount one data folder while the app keeps its records in a SQLite file and no database server
 * (a broker or cache may run beside) holds them: they share that file and cannot be split across machines
 * (eval/RUBRIC.md rule 3's note), so local state decides. A shared folder with no embedded database (a media
 * volume beside a database the analysis did not find) proves nothing.
 */
export function sharedDataOnDisk(a: Analysis, services: readonly Service[]): { folder: string; by: Service[] } | undefined {
  if (services.length < 2 || !keepsSqlite(a) || a.stateful.some((s) => NETWORK_DBS.has(s))) return undefined;
  for (const s of services) {
    for (const folder of s.mounts ?? []) {
      const by = services.filter((o) => o.mounts?.includes(folder));
      if (by.length >= 2) return { folder: folder.replace(/^volume:/, 'volume '), by };
    }
  }
  return undefined;
}

export function feasibility(a: Analysis, cloud: Cloud): Feasibility {
  const out: Feasibility = { excluded: {} };
  const exclude = (strategies: readonly Strategy[], rule: string, reason: string) => {
    for (const s of strategies) out.excluded[s] ??= { rule, reason };
  };
  // (A strategy settled earlier and excluded since gives way to the next rule that settles one: a shipped function template
  // of a system of services to the cluster the services settle, or of an app with local state to its single VM.)
  const settle = (strategy: Strategy, rule: string, reason: string) => {
    if ((!out.settled || out.excluded[out.settled.strategy]) && !out.excluded[strategy]) out.settled = { strategy, rule, reason };
  };

  // 1. Shipped platform manifests: the authors already decided how it runs.
  const shipped = (a.platforms ?? []).filter((p) => PLATFORM_STRATEGY[p.kind]);
  const first = shipped.find((p) => PLATFORM_STRATEGY[p.kind]?.strategy === 'serverless') ?? shipped[0];
  if (first) {
    const m = PLATFORM_STRATEGY[first.kind] as { strategy: Strategy; what: string };
    settle(m.strategy, 'shipped-manifests', `the repository ships ${m.what} (${first.source})`);
  }

  // 2. Several first-party services run together: a cluster schedules them.
  // A serverless project's services are its functions: they stay functions.
  const services = a.serverless ? [] : (a.services ?? []);
  // Process types of one image (Procfile, fly.toml process groups, Kamal roles) over an embedded SQLite file and no database server share
  // that one file, as do compose services mounting the folder that holds it (sharedDataOnDisk): they cannot be split across
  // machines, so local state decides (eval/RUBRIC.md rule 3's note).
  const oneImageProcesses = services.every((s) => /^(?:Procfile|fly\.toml|config\/deploy\.yml)(?::\d+)?$/.test(s.source));
  const mount = sharedDataOnDisk(a, services);
  const sharedSqlite = (oneImageProcesses && !a.stateful.some((s) => NETWORK_DBS.has(s)) && keepsSqlite(a)) || mount !== undefined;
  if (services.length >= 2 && !sharedSqlite) {
    // Two services of one build naming no background role may be one program run two ways as much as two services:
    // they do not settle a cluster, and preference weighs them as one process (rules.ts), so one VM unless the prompt
    // asks for scale or availability (eval/RUBRIC.md rule 3 accepts a VM for two services).
    exclude(['serverless'], 'multi-service', `${services.length} first-party services (${list(services)}) are not one function`);
    if (!onePairOfOneBuild(services)) settle('kubernetes', 'multi-service', `${services.length} first-party services: ${list(services)}`);
  }

  // 3. State in the process or on local disk: one VM, never replicated, never a function.
  const state = a.localState ?? [];
  if (state.length) {
    // (Process types of one image sharing the SQLite file are named: they are why rule 2 did not settle a cluster.)
    const sharedBy = !sharedSqlite || services.length < 2 ? '' : mount ? `, ${mount.folder} mounted by ${list(mount.by)}` : `, shared by the ${services.length} process types of one image: ${list(services)}`;
    const why = `state on local disk or in the process: ${list(state)}${sharedBy}`;
    // A chart or manifests the repository ships already say how its state is kept (one replica, a volume),
    // and several first-party services already need a cluster (rule 3 precedes rule 4 in eval/RUBRIC.md):
    // the cluster stays feasible, one replica each; a function still cannot keep it.
    const clusterSettled = out.settled?.strategy === 'kubernetes' && (out.settled.rule === 'shipped-manifests' || out.settled.rule === 'multi-service');
    exclude(clusterSettled ? ['serverless'] : ['serverless', 'kubernetes'], 'local-state', `${why} cannot be shared between replicas`);
    out.singleInstance = why;
    settle('vm', 'local-state', `${why}: a single VM keeps it`);
  }

  // 4. Connections that outlive a request, or no HTTP at all: not request-driven serverless.
  const longLived = a.longLived ?? [];
  // Code that is only a function handler (no server of its own) is meant for a function platform.
  const handlerOnly = a.kind !== 'web' && a.kind !== 'static' && a.serverlessAdapter !== undefined;
  if (longLived.length) exclude(['serverless'], 'long-lived', `long-lived connections: ${list(longLived)}`);
  else if (a.kind === 'web' && a.backgroundJobs.length) exclude(['serverless'], 'background-jobs', `background jobs (${a.backgroundJobs.join(', ')}) need a worker process that outlives a request`);
  else if (!servesHttp(a) && !handlerOnly) {
    // 'unknown' is no noun: "a unknown with no HTTP endpoint" read as a typo in every such reason.
    const app = a.kind === 'unknown' ? 'an app of unknown kind' : `a ${a.kind}`;
    const what = a.backgroundJobs.length ? `background jobs (${a.backgroundJobs.join(', ')})` : `${app} with no HTTP endpoint`;
    exclude(['serverless'], 'no-http', `${what}: nothing for requests to trigger`);
  }

  // 5. Serverless needs a way in: a handler or adapter, or a platform that runs the container as is.
  if (!a.serverlessAdapter && !a.serverless && a.kind === 'web') {
    if (cloud === 'aws') exclude(['serverless'], 'no-adapter', `no Lambda handler or adapter (mangum, serverless-http, aws-lambda-go, Lambda Web Adapter …) for this ${a.framework ?? a.language ?? 'HTTP'} server`);
    else if (a.port === null) exclude(['serverless'], 'no-adapter', 'Cloud Run needs the container to listen on a port, and none was found');
  }
  if (handlerOnly && a.serverlessAdapter) settle('serverless', 'function-only', `function code without a server of its own: ${at(a.serverlessAdapter)}`);
  if (out.settled && out.excluded[out.settled.strategy]) delete out.settled;
  return out;
}

/** Strategies left when the infeasible ones are taken out. */
export function feasibleStrategies(f: Feasibility): Strategy[] {
  return STRATEGIES.filter((s) => !f.excluded[s]);
}
