// Platform manifests the repository ships: how its authors deploy it. A SAM template or a
// serverless.yml means a function platform; a Helm chart, a Kustomization or plain Kubernetes
// manifests mean a cluster; Procfile, fly.toml, app.yaml, vercel.json and netlify.toml name a PaaS.
// Found anywhere in the tree except vendored, test and example directories.
import type { PlatformKind, RepoSnapshot } from '../types.js';
import { isDockerfile, notAppBuild } from './docker.js';
import { compare } from './evidence.js';
import { byDepthThenPath, inCodeTemplatesFolder, NOT_DEPLOYMENT_DIRS } from './files.js';
import type { Located } from './model.js';
import { findLine, loc } from './text.js';

const YAML = /\.ya?ml$/;
const K8S_WORKLOAD = /^kind:\s*["']?(Deployment|DeploymentConfig|StatefulSet|DaemonSet|CronJob|Job)["']?\s*$/m;
/** An OpenShift template (`kind: Template`) lists its workloads indented under `objects:` (`- kind: DeploymentConfig`). */
const OPENSHIFT_TEMPLATE = /^kind:\s*["']?Template["']?\s*$/m;
const TEMPLATE_WORKLOAD = /^[ \t-]+kind:\s*["']?(?:Deployment|DeploymentConfig|StatefulSet|DaemonSet|CronJob|Job)["']?\s*$/m;
const COMPOSE = /(?:^|\/)(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$/;

/** Platforms that host a folder of handler files as functions (not a serverless.yml or SAM template declaring each one). */
export const HOSTED_FUNCTION_PLATFORMS: ReadonlySet<string> = new Set<PlatformKind>(['vercel', 'netlify']);

const deployable = (path: string): boolean => !path.split('/').slice(0, -1).some((d) => NOT_DEPLOYMENT_DIRS.has(d) || d.startsWith('.'));
const base = (path: string): string => path.split('/').pop() ?? path;

/** One entry per kind: the shallowest file that shows it. */
export function detectPlatforms(snapshot: RepoSnapshot): Located<PlatformKind>[] {
  const found = new Map<PlatformKind, string>();
  const add = (kind: PlatformKind, source: string) => {
    if (!found.has(kind)) found.set(kind, source);
  };
  const paths = [...snapshot.files.keys()].filter(deployable).sort(byDepthThenPath);
  // Helm templates are Kubernetes manifests with template syntax: they show a chart, not plain k8s.
  const chartDirs = paths.filter((p) => base(p) === 'Chart.yaml').map((p) => p.slice(0, -'Chart.yaml'.length));
  for (const path of paths) {
    const name = base(path);
    const text = snapshot.files.get(path) ?? '';
    // (A serverless.ts/.js/.json is the Framework's config when it names a provider and functions; an app's own
    // `src/serverless.ts` handler module is code, not a platform file.)
    if (/^serverless\.ya?ml$/.test(name) || (/^serverless\.(?:ts|js|json)$/.test(name) && /\bprovider["']?\s*:/.test(text) && /\bfunctions["']?\s*:/.test(text))) add('serverless', path);
    else if (name === 'Chart.yaml' && /^apiVersion:/m.test(text)) add('helm', path);
    else if (/^kustomization\.ya?ml$/.test(name)) add('kustomize', path);
    else if (/^skaffold\.ya?ml$/.test(name)) add('skaffold', path);
    else if (name === 'Procfile') add('procfile', path);
    else if (name === 'heroku.yml' || (name === 'app.json' && /"(?:buildpacks|formation)"/.test(text))) add('heroku', path);
    else if (name === 'fly.toml') add('fly', path);
    else if (name === 'app.yaml' && /^runtime:/m.test(text)) add('app-engine', loc(path, findLine(text, /^runtime:/m)));
    else if (name === 'vercel.json') add('vercel', path);
    else if (name === 'netlify.toml') add('netlify', path);
    // (Nor is an image docker.ts's notAppBuild sets aside: a root CI folder's check image, a test, sample or docs build.)
    else if (isDockerfile(path) && !notAppBuild(snapshot, path)) add('dockerfile', path);
    else if (COMPOSE.test(path)) add('compose', path);
    if (YAML.test(name) || name.endsWith('.json') || name.endsWith('.template')) {
      if (/AWS::Serverless(?:-\d{4}-\d{2}-\d{2}|::)/.test(text)) add('sam', loc(path, findLine(text, 'AWS::Serverless')));
      else if (/AWS::Lambda::Function/.test(text)) add('cloudformation-lambda', loc(path, findLine(text, 'AWS::Lambda::Function')));
    }
    if (YAML.test(name) && !chartDirs.some((d) => path.startsWith(d)) && /^apiVersion:\s*\S+/m.test(text) && K8S_WORKLOAD.test(text) && !inCodeTemplatesFolder(snapshot, path)) {
      add('k8s', loc(path, findLine(text, K8S_WORKLOAD)));
    } else if (YAML.test(name) && /^apiVersion:\s*\S+/m.test(text) && OPENSHIFT_TEMPLATE.test(text) && /^objects:/m.test(text) && TEMPLATE_WORKLOAD.test(text)) {
      add('k8s', loc(path, findLine(text, TEMPLATE_WORKLOAD)));
    }
  }
  return [...found].map(([value, source]) => ({ value, source })).sort((a, b) => compare(a.value, b.value));
}
