// What a render starts from: the request, the injected I/O, and what is read once from the observed
// XR (the pin, the owner, the composed resources it already has, the function input).
import type { ZodError } from 'zod';
import { asObj, type Obj } from '../../../lib/obj.js';
import { defaultSettings, functionInputSchema, type FunctionSettings } from '../api/input.js';
import type { AnalysisCache } from '../cache/analyses.js';
import type { LlmConnector } from '../llm/client.js';
import type { PipelineCredentials } from '../repo/credentials.js';
import type { RepoSource } from '../repo/source.js';
import type { Retriever } from '../retrieval/retriever.js';
import type { Analyzer } from './analyse.js';
import { RESOURCE_PREFIX } from './compose.js';
import { readPinned, type Pinned } from './pinned.js';
import type { Res } from './result.js';
import type { TeamLookup } from './team.js';

export interface ObservedResource {
  resource: Obj;
}

export type CloudProviderLookup = { state: 'pending' } | { state: 'missing' } | { state: 'found'; resource: Obj };

export interface PipelineRequest {
  xr: Obj;
  cloudProvider: CloudProviderLookup;
  /** The team's Deployments (team.ts), asked for when the CloudProvider sets a team budget; absent = not looked up yet. */
  team?: TeamLookup;
  input?: unknown;
  observed: Record<string, ObservedResource>;
  /** ISO timestamp used as decidedAt of a new decision. */
  now: () => string;
  /** Pipeline credentials (RunFunctionRequest.credentials): the claim's repository.secretRef is looked up here. */
  credentials?: PipelineCredentials;
}

export interface PipelineDeps {
  repos: RepoSource;
  retriever: Retriever;
  analyze: Analyzer;
  /** Analyses by repository URL + commit: a re-decision of an unchanged commit fetches nothing. */
  analyses?: AnalysisCache;
  /** The model server's client for the LLM step (spec.llm); the real Ollama client when absent. */
  llm?: LlmConnector;
}

/** Identity of the owning XDeployment (and its claim) for names and cost tags. */
export interface Owner {
  name: string;
  uid?: string;
  claimName?: string;
  claimNamespace?: string;
}

export interface RenderContext {
  req: PipelineRequest;
  deps: PipelineDeps;
  observedStatus: Obj;
  pinned?: Pinned;
  /** Results every response carries (an unreadable pin). */
  baseResults: Res[];
  owner: Owner;
  /** Names of observed composed resources this function owns: never dropped by accident. */
  ownedObserved: string[];
  /** The parsed function input, or why it does not parse (a Fatal of the claim stage). */
  settings: { ok: true; value: FunctionSettings } | { ok: false; error: ZodError };
  ttl: number;
  failureTtl: number;
}

/** Defaults of the TTLs when the input itself is unreadable (the schema's defaults otherwise). */
const FALLBACK_TTL = defaultSettings();

export const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined), o);

/** An object value as an Obj; anything else as {}. */
export const objectOr = (v: unknown): Obj => asObj(v) ?? {};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function claimNamespace(xr: Obj): string | undefined {
  return str(get(xr, 'spec', 'claimRef', 'namespace') ?? get(xr, 'metadata', 'labels', 'crossplane.io/claim-namespace'));
}

export function ownerOf(xr: Obj): Owner {
  const o: Owner = { name: str(get(xr, 'metadata', 'name')) ?? 'deployment' };
  const uid = str(get(xr, 'metadata', 'uid'));
  const claimName = str(get(xr, 'spec', 'claimRef', 'name') ?? get(xr, 'metadata', 'labels', 'crossplane.io/claim-name'));
  const ns = claimNamespace(xr);
  if (uid) o.uid = uid;
  if (claimName) o.claimName = claimName;
  if (ns) o.claimNamespace = ns;
  return o;
}

export function renderContext(req: PipelineRequest, deps: PipelineDeps): RenderContext {
  const observedStatus = objectOr(get(req.xr, 'status'));
  const { pinned, problem } = readPinned(observedStatus);
  const parsed = functionInputSchema.safeParse(req.input ?? {});
  const settings: RenderContext['settings'] = parsed.success ? { ok: true, value: parsed.data.spec } : { ok: false, error: parsed.error };
  const ttls = parsed.success ? parsed.data.spec : FALLBACK_TTL;
  return {
    req,
    deps,
    observedStatus,
    ...(pinned ? { pinned } : {}),
    baseResults: problem ? [{ severity: 'warning', message: problem, reason: 'PinUnreadable' }] : [],
    owner: ownerOf(req.xr),
    ownedObserved: Object.keys(req.observed).filter((k) => k.startsWith(RESOURCE_PREFIX)),
    settings,
    ttl: ttls.ttlSeconds,
    failureTtl: ttls.failureTtlSeconds,
  };
}
