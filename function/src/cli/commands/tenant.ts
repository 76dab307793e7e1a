// scai tenant <namespace> --group <group> [--viewer-group <group>] [--max-deployments N]
// Prints the onboarding kit of a team namespace (README "Teams"): the Namespace with Pod Security
// `restricted`, a ResourceQuota counting Deployment claims, a default-deny NetworkPolicy, and
// RoleBindings of the team's groups to scai-deployer / scai-viewer (tenancy/roles.yaml).
import { parseCommandLine, type Io } from '../args.js';
import { SCAI_GROUP } from '../../../../lib/domain.js';
import { toYamlStream } from '../render-output.js';

export const usage = `Usage: scai tenant <namespace> --group <group> [flags]

Prints the manifests that onboard a team namespace; apply them with kubectl apply -f -.

Flags:
  --group <group>          the team's group (from your identity provider): bound to scai-deployer
  --viewer-group <group>   a read-only group: bound to scai-viewer (repeatable)
  --max-deployments <n>    ResourceQuota count/deployments.${SCAI_GROUP} (default 10)
  -h, --help               this text`;

/** ResourceQuota key of the Deployment claims (plural `deployments` of the scai.io group). */
export const DEPLOYMENT_QUOTA_KEY = `count/deployments.${SCAI_GROUP}`;
export const DEFAULT_MAX_DEPLOYMENTS = 10;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface TenantOptions {
  namespace: string;
  group: string;
  viewerGroups?: string[];
  maxDeployments?: number;
}

type Manifest = Record<string, unknown>;

export function tenantManifests(o: TenantOptions): Manifest[] {
  const labels = { 'app.kubernetes.io/part-of': 'scai', 'scai.io/team': o.namespace };
  const meta = (name: string) => ({ name, namespace: o.namespace, labels });
  const binding = (name: string, role: string, groups: string[]): Manifest => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  });
  const viewers = o.viewerGroups ?? [];
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: o.namespace,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('scai'),
      spec: { hard: { [DEPLOYMENT_QUOTA_KEY]: String(o.maxDeployments ?? DEFAULT_MAX_DEPLOYMENTS) } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    binding('scai-deployer', 'scai-deployer', [o.group]),
    ...(viewers.length ? [binding('scai-viewer', 'scai-viewer', viewers)] : []),
  ];
}

export async function run(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(
    'scai tenant',
    argv,
    {
      group: { type: 'string' },
      'viewer-group': { type: 'string', multiple: true },
      'max-deployments': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    usage,
    io,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(usage + '\n');
    return 0;
  }
  const [namespace, ...rest] = positionals;
  const fail = (m: string) => (io.err(`scai tenant: ${m}\n${usage}\n`), 2);
  if (!namespace || rest.length) return fail('expected one namespace');
  if (!DNS_LABEL.test(namespace)) return fail(`namespace "${namespace}" is not a DNS-1123 label`);
  if (!values.group) return fail('--group is required (the team group bound to scai-deployer)');
  const max = values['max-deployments'] === undefined ? DEFAULT_MAX_DEPLOYMENTS : Number(values['max-deployments']);
  if (!Number.isInteger(max) || max < 0) return fail(`--max-deployments must be a whole number >= 0, got "${values['max-deployments']}"`);
  io.out(toYamlStream(tenantManifests({ namespace, group: values.group, viewerGroups: values['viewer-group'] ?? [], maxDeployments: max })));
  return 0;
}
