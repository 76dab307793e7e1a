// Shared shapes passed between the pipeline stages. Everything here is plain JSON so that it can
// round-trip through a protobuf Struct (XR status) without loss: no Dates, no Maps, no bigints.

import type { Strategy } from '../../lib/domain.js';

// Defined once in lib/domain.ts (the controller and scripts use them too); re-exported for the function.
export { CLOUDS, STRATEGIES, type Cloud, type Strategy } from '../../lib/domain.js';

/** Where a fact came from: a file (and line when known) or the rule that inferred it. */
export interface Evidence {
  fact: string;
  source: string;
}

export interface Dependency {
  name: string;
  version?: string;
}

/** What kind of deployable thing the repository holds. */
export type AppKind = 'web' | 'worker' | 'static' | 'library' | 'unknown';

export interface Analysis {
  /** Resolved commit of the analysed tree, when the source knows it. */
  commit?: string;
  kind: AppKind;
  language: string | null;
  languageVersion?: string;
  framework: string | null;
  frameworkVersion?: string;
  packageManager?: string;
  dependencies: Dependency[];
  port: number | null;
  startCommand?: string;
  healthCheckPath?: string;
  hasDockerfile: boolean;
  hasCompose: boolean;
  /** Stateful backing services the app needs: postgres, mysql, redis, mongodb, rabbitmq, kafka … */
  stateful: string[];
  /** Background job systems found (celery, sidekiq, bullmq …). */
  backgroundJobs: string[];
  evidence: Evidence[];
  /** Command that builds the app before it starts (`npm run build`, `mvn -B package` …). */
  buildCommand?: string;
  /** Environment variable names the app expects (.env.example …): names only, never values. */
  envVars?: string[];
  /** Scheduled jobs (cron schedules, beat/clock processes) found. */
  scheduledJobs?: string[];
  /** Services of the compose file and their images (`build` for the app itself). */
  composeServices?: { name: string; image?: string }[];
  /** A serverless project: how it is declared and its functions. */
  serverless?: { platform: string; functions: string[] };
  /** The repository holds several apps: the candidate directories and the one analysed, if any. */
  monorepo?: { candidates: string[]; chosen?: string };
  /** Platform manifests shipped with the code (how its authors deploy it). */
  platforms?: { kind: PlatformKind; source: string }[];
  /** First-party runtime services the repository builds (compose services with build:, own workloads, apps). */
  services?: Service[];
  /** State that cannot be shared between replicas: a local SQLite file, uploads on local disk, an in-memory store. */
  localState?: Sourced[];
  /** Connections that outlive a request: WebSockets, bot gateways, interactive sessions. */
  longLived?: Sourced[];
  /** What lets the app run on a function platform: a handler or an adapter (mangum, serverless-http, Lambda Web Adapter …). */
  serverlessAdapter?: Sourced;
}

/** Deployment manifests a repository can ship for a platform. */
export type PlatformKind =
  | 'sam' | 'cloudformation-lambda' | 'serverless' | 'helm' | 'kustomize' | 'k8s' | 'skaffold'
  | 'procfile' | 'heroku' | 'fly' | 'app-engine' | 'vercel' | 'netlify' | 'dockerfile' | 'compose';

/** A fact and the file:line (or rule) it was read from. */
export interface Sourced {
  name: string;
  source: string;
}

/** A first-party service, and what tells it apart from the others when that is known. */
export interface Service extends Sourced {
  /** The code it runs: services with the same key run one build (one compose context, Dockerfile and target, or the one image of a Procfile's or fly.toml's process types). */
  build?: string;
  /** Its name or command says it works in the background (a worker, scheduler, queue consumer …), a role of its own beside the app. */
  role?: boolean;
  /** Data folders compose mounts into it (named volumes, host folders holding none of the repository's files): services mounting one share its files. */
  mounts?: string[];
}

/** A read-only view of a repository: relative POSIX paths to file contents (text, size-capped). */
export interface RepoSnapshot {
  commit?: string;
  files: ReadonlyMap<string, string>;
  /** Set on one app folder cut out of a repository (a monorepo's app): that folder's path in the repository. */
  folder?: string;
  /** What the reader left out under its limits (skipped files …), surfaced as evidence. */
  notes?: Evidence[];
}

/** A similar past deployment returned by retrieval (filled by the RAG store). */
export interface Neighbor {
  name: string;
  similarity: number;
  strategy: Strategy;
  outcome: 'success' | 'failed' | 'degraded';
  costMonthly?: number;
  feedback?: number;
}

/** Sizing and runtime parameters handed to the compositions. All fields are plain numbers/strings. */
export interface DeploymentConfig {
  port: number;
  healthCheckPath: string;
  runtime: string;
  startCommand?: string;
  /** vm: instance type; kubernetes: node instance type. */
  instanceType?: string;
  minInstances?: number;
  maxInstances?: number;
  diskGb?: number;
  nodeCount?: number;
  replicas?: number;
  cpu?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  maxConcurrency?: number;
  highAvailability: boolean;
}

export interface Alternative {
  strategy: Strategy;
  reason: string;
  estimatedMonthly?: number;
}

export interface Decision {
  strategy: Strategy;
  confidence: number;
  reason: string;
  alternatives: Alternative[];
  config: DeploymentConfig;
  engine: string;
  /** What the LLM step did, when it is on (engine llm/<model> or llm-fallback). */
  llm?: LlmTrace;
}

/** The LLM step's part in a decision, for explainability (bounded when written to status). */
export interface LlmTrace {
  model: string;
  outcome: 'accepted' | 'fallback';
  /** The engine's own pick, to compare. */
  engineStrategy: Strategy;
  /** The strategy the model proposed, when it answered. */
  proposed?: Strategy;
  /** The model's own words (unverified). */
  reasoning?: string;
  /** Why its answer was not used. */
  fallbackReason?: string;
  /** What the guardrails changed in its sizes. */
  adjusted?: string[];
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  monthly: number;
}

export interface CostEstimate {
  estimatedMonthly: number;
  currency: 'USD';
  breakdown: CostLine[];
  priceSource: string;
  priceDate: string;
}
