// The facts a deployment decision needs beyond "what framework": shipped platform manifests,
// first-party services, local state, long-lived connections, a serverless adapter. Each comes back
// with its evidence (file:line).
import type { Analysis, Evidence, RepoSnapshot, Service } from '../types.js';
import type { ComposeFacts, ComposeService, DockerfileFacts } from './docker.js';
import { ev } from './evidence.js';
import type { Language, Located, ManifestFacts } from './model.js';
import { detectPlatforms } from './platforms.js';
import { firstPartyServices } from './services.js';
import { deploymentTraits } from './traits.js';

export type DeploymentFacts = Required<Pick<Analysis, 'platforms' | 'services' | 'localState' | 'longLived'>> & Pick<Analysis, 'serverlessAdapter'>;

export interface DeploymentInputs {
  snapshot: RepoSnapshot;
  language: Language | undefined;
  manifests: ReadonlyMap<Language, ManifestFacts>;
  dockerfile: DockerfileFacts | undefined;
  compose: ComposeFacts | undefined;
  /** The compose service that runs the app itself. */
  composeApp?: ComposeService | undefined;
  stateful: readonly string[];
  /** The ENV of the app's image that chooses SQLite, if one does. */
  imageSqlite?: Located<string> | undefined;
  /** The go.mod line requiring PocketBase (pocketBaseRequirement), whose pb_data folder holds the app's SQLite. */
  pocketBase?: string | undefined;
  framework?: { name: string; source: string } | undefined;
  /** A serverless project's functions: they are its services. */
  functions?: { names: readonly string[]; source: string } | undefined;
  /** First-party services when the caller has already found them. */
  firstParty?: Service[] | undefined;
}

export function deploymentFacts(d: DeploymentInputs): { facts: DeploymentFacts; evidence: Evidence[] } {
  const platforms = detectPlatforms(d.snapshot).map((p) => ({ kind: p.value, source: p.source }));
  const services = d.functions && d.functions.names.length > 0
    ? d.functions.names.map((name) => ({ name, source: d.functions?.source ?? '' }))
    : (d.firstParty ?? firstPartyServices(d.snapshot, d.compose));
  const traits = deploymentTraits({ ...d, platforms });
  const evidence = [
    ...platforms.map((p) => ev(`platform manifest ${p.kind}`, p.source)),
    ...services.map((s) => ev(`service ${s.name}`, s.source)),
    ...traits.localState.map((s) => ev(`local state: ${s.name}`, s.source)),
    ...traits.longLived.map((s) => ev(`long-lived connections: ${s.name}`, s.source)),
    ...(traits.serverlessAdapter ? [ev(`serverless adapter ${traits.serverlessAdapter.name}`, traits.serverlessAdapter.source)] : []),
  ];
  return {
    facts: { platforms, services, localState: traits.localState, longLived: traits.longLived, ...(traits.serverlessAdapter ? { serverlessAdapter: traits.serverlessAdapter } : {}) },
    evidence,
  };
}
