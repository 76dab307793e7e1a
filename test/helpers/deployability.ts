// Checks that read rendered compositions as a platform engineer would before applying them to a
// real account (issue 12 item 4): provider name limits per kind, IAM coverage for what each compute
// resource does, startup scripts that install what they run, and endpoints that are public URLs
// which resolve. Each returns a list of problems (empty = fine), naming the resource.
import type { LooseObj as Obj } from '../../lib/obj.js';

export const nameOf = (o: Obj): string => o.metadata?.annotations?.['crossplane.io/composition-resource-name'] ?? o.metadata?.name;
const groupOf = (o: Obj): string => String(o.apiVersion).split('/')[0]!;
const bySelector = (objs: readonly Obj[], sel: Obj | undefined): Obj | undefined =>
  sel?.matchLabels ? objs.find((s) => Object.entries(sel.matchLabels as Record<string, string>).every(([k, v]) => s.metadata?.labels?.[k] === v)) : undefined;

// ---------------------------------------------------------------------------------------------
// Names: what each provider accepts, per kind (AWS and Google API documentation).
interface NameRule {
  max: number;
  re: RegExp;
  /** A name must be given (external-name): the default, Crossplane's generated metadata.name (the XR's name + 6), can exceed `max`. */
  required?: boolean;
}
const GCE: NameRule = { max: 63, re: /^[a-z]([-a-z0-9]*[a-z0-9])?$/ };
const DNS_LABEL: NameRule = { max: 63, re: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ };
/** `<group>/<Kind>` -> rule for its external name (annotation crossplane.io/external-name or forProvider.name). */
export const NAME_RULES: Record<string, NameRule> = {
  'elbv2.aws.upbound.io/LB': { max: 32, re: /^(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/ },
  'elbv2.aws.upbound.io/LBTargetGroup': { max: 32, re: /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/ },
  'ec2.aws.upbound.io/LaunchTemplate': { max: 128, re: /^[a-zA-Z0-9().\-/_]{3,}$/ },
  'ec2.aws.upbound.io/SecurityGroup': { max: 255, re: /^(?!sg-)[ -~]+$/ },
  'autoscaling.aws.upbound.io/AutoscalingGroup': { max: 255, re: /^[^:]+$/ },
  'ecr.aws.upbound.io/Repository': { max: 256, re: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/ },
  'codebuild.aws.upbound.io/Project': { max: 255, re: /^[A-Za-z0-9][A-Za-z0-9_-]{1,}$/ },
  'lambda.aws.upbound.io/Function': { max: 64, re: /^[a-zA-Z0-9_-]+$/ },
  'sns.aws.upbound.io/Topic': { max: 256, re: /^[A-Za-z0-9_-]+$/ },
  'cloudwatchlogs.aws.upbound.io/Group': { max: 512, re: /^[.\-_/#A-Za-z0-9]+$/ },
  'eks.aws.upbound.io/Cluster': { max: 100, re: /^[0-9A-Za-z][A-Za-z0-9_-]*$/ },
  'iam.aws.upbound.io/Role': { max: 64, re: /^[\w+=,.@-]+$/, required: true },
  'iam.aws.upbound.io/InstanceProfile': { max: 128, re: /^[\w+=,.@-]+$/, required: true },
  'cloudplatform.gcp.upbound.io/ServiceAccount': { max: 30, re: /^[a-z][-a-z0-9]{4,}[a-z0-9]$/, required: true },
  'container.gcp.upbound.io/Cluster': { max: 40, re: GCE.re, required: true },
  'container.gcp.upbound.io/NodePool': { max: 40, re: GCE.re, required: true },
  'cloudrun.gcp.upbound.io/V2Service': { max: 49, re: GCE.re, required: true },
  'artifact.gcp.upbound.io/RegistryRepository': { max: 63, re: GCE.re },
  'cloudbuild.gcp.upbound.io/Trigger': { max: 64, re: /^[A-Za-z0-9][\w-]*$/ },
};
/** GCE names itself from namePrefix + a 26-character suffix: the prefix has at most 37. */
const NAME_PREFIX_MAX = 37;

function nameRule(o: Obj): NameRule | undefined {
  const g = groupOf(o);
  if (g === 'compute.gcp.upbound.io') return { ...GCE, required: o.kind !== 'InstanceTemplate' };
  return NAME_RULES[`${g}/${o.kind}`];
}

/** Names that a provider would refuse (too long, bad characters) or leave to a generated name that can be. */
export function nameProblems(objs: readonly Obj[]): string[] {
  const out: string[] = [];
  const check = (o: Obj, what: string, v: string, r: NameRule) => {
    if (v.length > r.max || !r.re.test(v)) out.push(`${nameOf(o)} (${o.kind}) ${what} "${v}": at most ${r.max} characters matching ${r.re}`);
  };
  for (const o of objs) {
    const fp = o.spec?.forProvider ?? {};
    if (o.kind === 'Object' && fp.manifest?.metadata?.name) check(o, 'manifest name', fp.manifest.metadata.name, DNS_LABEL);
    const r = nameRule(o);
    if (!r) continue;
    const ext = o.metadata?.annotations?.['crossplane.io/external-name'];
    const named = ext ?? (typeof fp.name === 'string' ? fp.name : undefined);
    if (named !== undefined) check(o, 'name', named, r);
    else if (typeof fp.namePrefix === 'string') check(o, 'namePrefix', fp.namePrefix.replace(/-$/, 'x'), { ...r, max: NAME_PREFIX_MAX });
    else if (r.required) out.push(`${nameOf(o)} (${o.kind}) has no name: the generated one (the XR's name + a suffix) can exceed ${r.max} characters`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Identity: what each compute resource does, and what its role / service account is granted.
/** Actions of the AWS managed policies the compositions attach (the ones the checks need). */
const AWS_MANAGED: Record<string, string[]> = {
  AmazonEC2ContainerRegistryReadOnly: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'ecr:DescribeImages'],
  AmazonSSMManagedInstanceCore: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'],
  'service-role/AWSLambdaBasicExecutionRole': ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
  AmazonEKSWorkerNodePolicy: ['ec2:DescribeInstances', 'eks:DescribeCluster'],
  AmazonEKS_CNI_Policy: ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface'],
  AmazonEKSClusterPolicy: ['ec2:CreateNetworkInterface', 'elasticloadbalancing:*'],
};
const ECR_PULL = ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
const ECR_PUSH = ['ecr:GetAuthorizationToken', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability'];
const LOGS_WRITE = ['logs:CreateLogStream', 'logs:PutLogEvents'];
const isEcr = (image: string): boolean => /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//.test(image);
const isArtifactRegistry = (image: string): boolean => /^[a-z0-9-]+-docker\.pkg\.dev\//.test(image);

const actionMatches = (granted: string, needed: string): boolean =>
  new RegExp(`^${granted.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(needed);

function awsGrants(objs: readonly Obj[], role: Obj): string[] {
  const mine = (o: Obj) => bySelector(objs, o.spec?.forProvider?.roleSelector) === role;
  const managed = objs
    .filter((o) => o.kind === 'RolePolicyAttachment' && mine(o))
    .flatMap((o) => AWS_MANAGED[String(o.spec.forProvider.policyArn).replace(/^arn:aws:iam::aws:policy\//, '')] ?? []);
  const inline = objs
    .filter((o) => o.kind === 'RolePolicy' && mine(o))
    .flatMap((o) => (JSON.parse(o.spec.forProvider.policy).Statement as Obj[]).filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat() as string[]));
  return [...managed, ...inline];
}

/** The images a cloud-init document's `docker run` lines run (the last word). */
const dockerRunImages = (doc: string): string[] =>
  runcmd(doc)
    .flatMap((l) => l.split(/\s*(?:\||&&|;)\s*/))
    .map((part) => part.trim().split(/\s+/))
    .filter((w) => w.includes('docker') && w[w.indexOf('docker') + 1] === 'run')
    .map((w) => w[w.length - 1]!);

/**
 * What each compute resource does that needs a grant, and whether its identity has it. `memberOf`
 * gives a GCP service account's IAM member (what its provider reports).
 */
export function identityProblems(objs: readonly Obj[], memberOf: (sa: Obj) => string | undefined): string[] {
  const out: string[] = [];
  const needAws = (who: Obj, role: Obj | undefined, why: string, actions: string[]) => {
    if (!role) return void out.push(`${nameOf(who)} (${who.kind}) ${why}, but has no role`);
    const grants = awsGrants(objs, role);
    const missing = actions.filter((a) => !grants.some((g) => actionMatches(g, a)));
    if (missing.length) out.push(`${nameOf(who)} (${who.kind}) ${why}: its role ${nameOf(role)} lacks ${missing.join(', ')}`);
  };
  const gcpRoles = (sa: Obj | undefined): string[] => {
    const member = sa && memberOf(sa);
    return member ? objs.filter((o) => o.kind === 'ProjectIAMMember' && o.spec.forProvider.member === member).map((o) => o.spec.forProvider.role as string) : [];
  };
  const needGcp = (who: Obj, sa: Obj | undefined, why: string, roles: string[][]) => {
    if (!sa) return void out.push(`${nameOf(who)} (${who.kind}) ${why}, but runs as the default service account`);
    const have = gcpRoles(sa);
    const missing = roles.filter((any) => !any.some((r) => have.includes(r))).map((any) => any.join(' or '));
    if (missing.length) out.push(`${nameOf(who)} (${who.kind}) ${why}: its service account ${nameOf(sa)} lacks ${missing.join(', ')}`);
  };
  for (const o of objs) {
    const fp = o.spec?.forProvider ?? {};
    switch (`${groupOf(o)}/${o.kind}`) {
      case 'ec2.aws.upbound.io/LaunchTemplate': {
        const profile = bySelector(objs, fp.iamInstanceProfile?.nameSelector);
        const role = profile && bySelector(objs, profile.spec.forProvider.roleSelector);
        const images = dockerRunImages(Buffer.from(String(fp.userData ?? ''), 'base64').toString());
        if (images.some(isEcr)) needAws(o, role, 'pulls its image from ECR', ECR_PULL);
        break;
      }
      case 'lambda.aws.upbound.io/Function':
        needAws(o, bySelector(objs, fp.roleSelector), 'writes its logs to CloudWatch', LOGS_WRITE);
        break;
      case 'eks.aws.upbound.io/NodeGroup':
        needAws(o, bySelector(objs, fp.nodeRoleArnSelector), 'joins the cluster and pulls images from ECR', [...ECR_PULL, 'eks:DescribeCluster', 'ec2:AssignPrivateIpAddresses']);
        break;
      case 'codebuild.aws.upbound.io/Project':
        needAws(o, bySelector(objs, fp.serviceRoleSelector), 'pushes to ECR and writes build logs', [...ECR_PUSH, ...LOGS_WRITE]);
        break;
      case 'compute.gcp.upbound.io/InstanceTemplate':
      case 'compute.gcp.upbound.io/Instance': {
        const sa = bySelector(objs, fp.serviceAccount?.emailSelector);
        const needs = [['roles/logging.logWriter'], ['roles/monitoring.metricWriter']];
        if (dockerRunImages(String(fp.metadata?.['user-data'] ?? fp.metadataStartupScript ?? '')).some(isArtifactRegistry)) needs.push(['roles/artifactregistry.reader', 'roles/artifactregistry.writer']);
        needGcp(o, sa, 'writes logs and metrics and pulls its image', needs);
        break;
      }
      case 'container.gcp.upbound.io/NodePool':
        needGcp(o, bySelector(objs, fp.nodeConfig?.serviceAccountSelector), 'ships logs and metrics and pulls images from Artifact Registry', [
          ['roles/logging.logWriter'],
          ['roles/monitoring.metricWriter'],
          ['roles/artifactregistry.reader', 'roles/artifactregistry.writer'],
        ]);
        break;
      case 'cloudbuild.gcp.upbound.io/Trigger':
        needGcp(o, bySelector(objs, fp.serviceAccountSelector), 'pushes to Artifact Registry and writes build logs', [['roles/artifactregistry.writer'], ['roles/logging.logWriter']]);
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Startup scripts: every program a VM's cloud-init runs is on its OS image or installed before.
/** Programs on the OS images the compositions boot (matched on the image reference). */
const OS_PROGRAMS: Array<{ image: RegExp; programs: string[]; install?: RegExp }> = [
  // Amazon Linux 2023: no Docker; the AWS CLI v2 is there.
  { image: /al2023/, programs: ['sh', 'dnf', 'systemctl', 'aws', 'mkdir', 'echo'], install: /^dnf install -y (.+)$/ },
  // Container-Optimized OS: Docker and Google's credential helper; no package manager.
  { image: /cos-cloud/, programs: ['sh', 'systemctl', 'docker', 'docker-credential-gcr', 'mkdir', 'echo'] },
];

/** Shell builtins a script may use on any OS image. */
const BUILTINS = ['set', 'true'];

/** The commands of a startup script: a #cloud-config document's runcmd lines ([sh, -c, "..."] lists or plain strings), or a shell script's lines. */
function runcmd(doc: string): string[] {
  const lines = doc.split('\n');
  if (lines[0]?.startsWith('#!')) return lines.slice(1).filter((l) => l.trim() && !l.trim().startsWith('#'));
  const i = lines.indexOf('runcmd:');
  if (i < 0) return [];
  const out: string[] = [];
  for (const l of lines.slice(i + 1)) {
    const m = /^\s+-\s+(.*)$/.exec(l);
    if (!m) break;
    const sh = /^\[sh, -c, "(.*)"\]$/.exec(m[1]!);
    out.push(sh ? sh[1]!.replace(/\\"/g, '"') : m[1]!);
  }
  return out;
}

/** Programs and registries a cloud-init document needs and whether each is there when it runs. */
export function startupScriptProblems(objs: readonly Obj[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    const fp = o.spec?.forProvider ?? {};
    let doc: string | undefined;
    let image = '';
    if (o.kind === 'LaunchTemplate') [doc, image] = [Buffer.from(String(fp.userData ?? ''), 'base64').toString(), String(fp.imageId)];
    else if (o.kind === 'InstanceTemplate') [doc, image] = [fp.metadata?.['user-data'], String(fp.disk?.[0]?.sourceImage ?? '')];
    else if (o.kind === 'Instance' && groupOf(o) === 'compute.gcp.upbound.io') [doc, image] = [fp.metadataStartupScript, String(fp.bootDisk?.initializeParams?.image ?? '')];
    if (doc === undefined) continue;
    const os = OS_PROGRAMS.find((x) => x.image.test(image));
    if (!os) {
      out.push(`${nameOf(o)}: unknown OS image ${image}: list its programs in OS_PROGRAMS`);
      continue;
    }
    const have = new Set([...os.programs, ...BUILTINS]);
    const authed = new Set<string>();
    const cmds = runcmd(doc);
    if (!cmds.length) out.push(`${nameOf(o)}: its cloud-init runs nothing`);
    for (const line of cmds) {
      for (const part of line.split(/\s*(?:\||&&|;)\s*/)) {
        const words = part.trim().split(/\s+/).filter((w) => !/^[A-Z_]+=/.test(w));
        const prog = words[0];
        if (!prog) continue;
        if (!have.has(prog)) out.push(`${nameOf(o)}: runs ${prog} ("${line}"), which ${image} does not have and nothing installed before`);
        const inst = os.install?.exec(part.trim());
        if (inst) for (const p of inst[1]!.split(/\s+/)) have.add(p);
        if (prog === 'docker' && words[1] === 'login') authed.add(words[words.length - 1]!);
        if (prog === 'docker-credential-gcr' && words[1] === 'configure-docker') for (const r of (words.find((w) => w.startsWith('--registries='))?.slice(13) ?? words[words.indexOf('--registries') + 1] ?? '').split(',')) authed.add(r);
        if (prog === 'docker' && words[1] === 'run') {
          const img = words[words.length - 1]!;
          const host = img.split('/')[0]!;
          if ((isEcr(img) || isArtifactRegistry(img)) && !authed.has(host)) out.push(`${nameOf(o)}: pulls ${img} without authenticating to ${host} first`);
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Endpoints: a public URL whose host a provider reported, or a name a composed DNS record (observed
// Ready) gives; https on a name of ours needs a certificate for it.
const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./];

/** Fields in which providers report where something answers (not, e.g., a certificate's domain). */
const ADDRESS_FIELDS = /^(dnsName|address|uri|functionUrl|hostname|ip|natIp|publicIp)$/;
function addresses(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => addresses(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (typeof x !== 'string') addresses(x, out);
      else if (ADDRESS_FIELDS.test(k)) out.push(x);
    }
  }
  return out;
}
const ready = (o: Obj): boolean => (o.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

/** `observed`: the composed resources as the providers reported them when the endpoints were written. */
export function endpointProblems(endpoints: readonly Obj[], observed: readonly Obj[]): string[] {
  const out: string[] = [];
  const reported = observed.flatMap((o) => addresses(o.status?.atProvider ?? {}));
  const records = observed
    .filter((o) => ready(o) && ((o.kind === 'Record' && groupOf(o) === 'route53.aws.upbound.io') || (o.kind === 'RecordSet' && groupOf(o) === 'dns.gcp.upbound.io')))
    .map((o) => String(o.spec.forProvider.name).replace(/\.$/, ''));
  const certified = observed.flatMap((o) =>
    o.kind === 'Certificate' ? [o.spec.forProvider.domainName] : o.kind === 'ManagedSSLCertificate' ? (o.spec.forProvider.managed?.domains ?? []) : o.kind === 'Object' && o.spec.forProvider.manifest?.kind === 'ManagedCertificate' ? o.spec.forProvider.manifest.spec.domains : [],
  );
  for (const e of endpoints) {
    let u: URL;
    try {
      u = new URL(String(e.url));
    } catch {
      out.push(`endpoint ${e.name}: "${e.url}" is not a URL`);
      continue;
    }
    const host = u.hostname;
    if (!['http:', 'https:'].includes(u.protocol) || !host) out.push(`endpoint ${e.name}: "${e.url}" is not an http(s) URL with a host`);
    if (host === 'localhost' || PRIVATE_V4.some((r) => r.test(host)) || host.startsWith('[')) out.push(`endpoint ${e.name}: ${host} is not a public address`);
    const byProvider = reported.some((s) => s === host || s.startsWith(`https://${host}`) || s.startsWith(`http://${host}`));
    const byRecord = records.includes(host);
    if (!byProvider && !byRecord) out.push(`endpoint ${e.name}: ${host} is neither reported by a provider nor the name of a DNS record that exists (observed Ready)`);
    if (u.protocol === 'https:' && byRecord && !certified.includes(host)) out.push(`endpoint ${e.name}: https on ${host}, but no certificate for it is composed`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public IPv4: what the rendered resources are billed for, and compute whose public address (or
// subnet tier) is left to a default nobody priced.
export interface PublicIpv4Options {
  cloud: 'aws' | 'gcp';
  /** Public IPv4s of one internet-facing AWS load balancer (estimate.ts AWS_LB_PUBLIC_IPV4S). */
  lbAddresses: number;
  /** The subnet label telling public from private subnets (lib.k DEFAULTS awsSubnetAccessLabel, or the platform's). */
  accessLabel: string;
}

/** `count`: public IPv4s in use at the minimum size; `problems`: where that count is not what the resources say. */
export function publicIpv4s(objs: readonly Obj[], o: PublicIpv4Options): { count: number; problems: string[] } {
  const problems: string[] = [];
  let count = 0;
  const fp = (x: Obj): Obj => x.spec?.forProvider ?? {};
  const access = (x: Obj, sel: Obj | undefined): string | undefined => {
    const v = sel?.matchLabels?.[o.accessLabel];
    if (v === undefined) problems.push(`${nameOf(x)} (${x.kind}) selects subnets by network only: public and private alike (no ${o.accessLabel} label)`);
    return v;
  };
  const internetLbs = objs.filter((x) => (x.kind === 'LB' && fp(x).internal === false) || (x.kind === 'Object' && fp(x).manifest?.kind === 'Service' && fp(x).manifest?.spec?.type === 'LoadBalancer'));
  if (o.cloud === 'aws') count += internetLbs.length * o.lbAddresses;
  const behindLb = internetLbs.length > 0;
  for (const x of objs) {
    const f = fp(x);
    switch (`${groupOf(x)}/${x.kind}`) {
      case 'elbv2.aws.upbound.io/LB':
        if (f.internal === false && access(x, f.subnetSelector) !== 'public') problems.push(`${nameOf(x)}: an internet-facing load balancer outside the public subnets`);
        break;
      case 'autoscaling.aws.upbound.io/AutoscalingGroup': {
        const lt = bySelector(objs, f.launchTemplate?.idSelector);
        const pub = lt && fp(lt).networkInterfaces?.[0]?.associatePublicIpAddress;
        if (pub === undefined) {
          problems.push(`${nameOf(x)}: its launch template leaves the instances' public IPv4 to the subnet's default`);
          break;
        }
        const tier = access(x, f.vpcZoneIdentifierSelector);
        if (pub === 'true') count += Number(f.minSize ?? 0);
        if (behindLb && (pub !== 'false' || tier !== 'private')) problems.push(`${nameOf(x)}: instances behind the load balancer must be in private subnets without a public IPv4 (${tier}, associatePublicIpAddress ${pub})`);
        if (!behindLb && (pub !== 'true' || tier !== 'public')) problems.push(`${nameOf(x)}: a VM reached directly needs a public subnet and a public IPv4 (${tier}, associatePublicIpAddress ${pub})`);
        break;
      }
      case 'ec2.aws.upbound.io/Instance': {
        const tier = access(x, f.subnetIdSelector);
        if (f.associatePublicIpAddress === undefined) problems.push(`${nameOf(x)}: leaves its public IPv4 to the subnet's default`);
        if (f.associatePublicIpAddress === true) count += 1;
        if (behindLb) problems.push(`${nameOf(x)}: a single instance next to a load balancer`);
        else if (f.associatePublicIpAddress !== true || tier !== 'public') problems.push(`${nameOf(x)}: a VM reached directly needs a public subnet and a public IPv4 (${tier}, associatePublicIpAddress ${f.associatePublicIpAddress})`);
        break;
      }
      case 'eks.aws.upbound.io/NodeGroup':
        if (access(x, f.subnetIdSelector) !== 'private') problems.push(`${nameOf(x)}: nodes behind the Service's load balancer belong in private subnets`);
        break;
      case 'compute.gcp.upbound.io/Instance':
        count += (f.networkInterface ?? []).filter((n: Obj) => (n.accessConfig ?? []).length > 0).length;
        break;
      case 'compute.gcp.upbound.io/InstanceTemplate': {
        if (!(f.networkInterface ?? []).some((n: Obj) => (n.accessConfig ?? []).length > 0)) break;
        const scaler = objs.find((a) => ['Autoscaler', 'RegionAutoscaler'].includes(a.kind));
        count += Number(scaler?.spec.forProvider.autoscalingPolicy?.minReplicas ?? 0);
        break;
      }
    }
  }
  return { count, problems };
}
