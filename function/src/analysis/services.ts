// The first-party runtime services of a repository: what it builds and runs itself, as opposed to the
// backing stores it uses. Compose services built from the repository (`build:`), workloads of its own
// Kubernetes manifests or Helm chart that are not a known backing store, and services whose image the
// repository's compose file builds under that name. One plain app is one service.
import type { RepoSnapshot, Sourced } from '../types.js';
import { imageName, type ComposeFacts } from './docker.js';
import { compare } from './evidence.js';
import { serviceOfImage } from './stateful.js';
import { findLine, loc } from './text.js';

/** Images that run infrastructure around the app, not the app: proxies, dashboards, mail catchers. */
const INFRA_IMAGE = /(?:^|\/)(?:nginx|traefik|caddy|haproxy|envoy|memcached|elasticsearch|opensearch|kibana|grafana|prometheus|jaeger|zookeeper|minio|mailhog|mailpit|localstack|adminer|pgadmin4?|busybox|alpine|ubuntu|debian|vault|consul|etcd|nats|zipkin|otel\/[\w-]+|loki|fluentd|selenium\/[\w-]+)(?::|$)/;

/** Compose services that run once and exit: seeders, migrations, setup. */
const ONE_SHOT = /(?:^|[-_])(?:seed|seeder|migrate|migration|migrations|init|setup|prestart)(?:$|[-_])/;

const NOT_OWN = new Set(['node_modules', 'vendor', 'test', 'tests', 'testdata', 'fixtures', 'e2e', 'docs', 'third_party', '.github']);

/** `kind: Deployment` … `metadata: name:` … `image:` of each document, read line by line (templates are not YAML). */
function workloads(path: string, text: string): Array<{ name: string; image?: string; source: string }> {
  const out: Array<{ name: string; image?: string; source: string }> = [];
  for (const doc of text.split(/^---\s*$/m)) {
    const kind = /^kind:\s*(Deployment|StatefulSet|DaemonSet)\s*$/m.exec(doc);
    if (!kind) continue;
    const name = /^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*["']?([^\s"'{]+[^\s"']*)/m.exec(doc)?.[1] ?? 'workload';
    const image = /^\s*-?\s*image:\s*["']?([^\s"']+)/m.exec(doc)?.[1];
    const line = findLine(text, doc.slice(kind.index, kind.index + kind[0].length));
    out.push({ name, ...(image ? { image } : {}), source: loc(path, line) });
  }
  return out;
}

export function firstPartyServices(snapshot: RepoSnapshot, compose: ComposeFacts | undefined): Sourced[] {
  const found = new Map<string, Sourced>();
  for (const s of compose?.services ?? []) if (s.built && !ONE_SHOT.test(s.name)) found.set(s.name, { name: s.name, source: s.source });
  if (found.size === 0) {
    // A chart's templates are the chart's: its workloads are read from values, not counted here.
    const charts = [...snapshot.files.keys()].filter((p) => p.endsWith('Chart.yaml')).map((p) => p.slice(0, -'Chart.yaml'.length));
    const manifests = [...snapshot.files.keys()]
      .filter((p) => /\.ya?ml$/.test(p) && !p.split('/').slice(0, -1).some((d) => NOT_OWN.has(d) || d.startsWith('.')) && !charts.some((c) => p.startsWith(c)))
      .sort(compare);
    for (const path of manifests) {
      const text = snapshot.files.get(path) ?? '';
      if (!/^kind:\s*(?:Deployment|StatefulSet|DaemonSet)\s*$/m.test(text)) continue;
      for (const w of workloads(path, text)) {
        if (w.image && (serviceOfImage(w.image) || INFRA_IMAGE.test(w.image))) continue;
        // One image deployed by several manifests (overlays, a chart and plain YAML) is one service.
        const key = w.image ? imageName(w.image) : w.name;
        if (!found.has(key)) found.set(key, { name: w.name, source: w.source });
      }
    }
  }
  return [...found.values()].sort((a, b) => compare(a.name, b.name));
}

