// A Helm chart's own workloads are the app's services: its templates/ Deployments, whose images are template
// expressions resolved against values.yaml (or a helper's `define`). Dependency charts vendored under charts/
// and manifests in test folders (`test-resources/`) deploy someone else's or fixtures.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { resolveImage } from '../function/src/analysis/chart-templates.js';
import { snapshot } from './helpers/snapshot.js';

const deployment = (role: string, image: string): string =>
  `{{- if .Values.enabled }}\nkind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: {{ include "app.fullname" . }}-${role}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${role}\n          image: ${image}\n          ports:\n            - containerPort: 8000\n{{- end }}\n`;

const chart = {
  'go.mod': 'module example.com/shop\n\ngo 1.22\n',
  'main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8000", nil) }\n',
  'deploy/chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
  'deploy/chart/values.yaml': 'api:\n  image:\n    repository: ghcr.io/acme/shop-api\n    tag: v1\nweb:\n  image:\n    repository: ghcr.io/acme/shop-web\ncache:\n  image:\n    repository: docker.io/library/redis\n    tag: "7"\n',
  'deploy/chart/templates/_helpers.tpl': '{{- define "shop.web.image" -}}\n{{- printf "%s:%s" .Values.web.image.repository (default .Chart.AppVersion .Values.web.image.tag) }}\n{{- end }}\n',
  'deploy/chart/templates/api.yaml': deployment('api', '"{{ .Values.api.image.repository }}:{{ .Values.api.image.tag }}"'),
  'deploy/chart/templates/web.yaml': deployment('web', '{{ include "shop.web.image" . }}'),
  'deploy/chart/templates/cache.yaml': deployment('cache', '"{{ .Values.cache.image.repository }}:{{ .Values.cache.image.tag }}"').replace('kind: Deployment', 'kind: StatefulSet'),
};

describe('Helm chart workloads', () => {
  it('resolve template expressions in image lines against the values and helper defines', () => {
    const values = { image: { repository: 'ghcr.io/acme/app', tag: '' } };
    expect(resolveImage('{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}', values)).toBe('ghcr.io/acme/app');
    expect(resolveImage('{{ .Values.image.repository }}', {})).toBeUndefined();
    expect(resolveImage('{{ .Values.image.name | default "acme/app" }}:1', {})).toBe('acme/app');
    expect(resolveImage('{{ include "app.image" . }}', values, '{{- define "app.image" -}}\n{{ .Values.image.repository }}:{{ .Chart.AppVersion }}\n{{- end }}\n')).toBe('ghcr.io/acme/app');
  });

  it("count the chart's own Deployments as services and its store as a backing store", () => {
    const a = analyzeRepository(snapshot(chart));
    expect(a.services?.map((s) => s.name)).toEqual(['api', 'web']);
    expect(a.services?.[0]?.source).toBe('deploy/chart/templates/api.yaml:2');
    expect(a.stateful).toContain('redis');
  });

  it('leave out dependency charts vendored under charts/ and manifests in test folders', () => {
    const vendored = {
      'deploy/chart/charts/queue/Chart.yaml': 'apiVersion: v2\nname: queue\nversion: 1.0.0\n',
      'deploy/chart/charts/queue/values.yaml': 'image:\n  repository: acme/queue-broker\n',
      'deploy/chart/charts/queue/templates/broker.yaml': deployment('broker', '"{{ .Values.image.repository }}"'),
      'hack/test-resources/crashing-pod.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: crasher\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: acme/crasher:1\n',
    };
    const a = analyzeRepository(snapshot({ ...chart, ...vendored }));
    expect(a.services?.map((s) => s.name)).toEqual(['api', 'web']);
  });
});
