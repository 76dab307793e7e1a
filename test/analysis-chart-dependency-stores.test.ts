// Round 22: backing stores the app's own Helm chart installs as dependency charts (`dependencies: - name: mongodb`,
// Bitnami's charts), unless the chart's values switch them off through the dependency's `condition`.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { storesFromChartDependencies } from '../function/src/analysis/stateful.js';
import { snapshot } from './helpers/snapshot.js';

const chart = 'apiVersion: v2\nname: notes\nversion: 1.0.0\n\n# Stores installed with the app\ndependencies:\n  - condition: redis.enabled\n    name: redis\n    repository: oci://registry-1.docker.io/bitnamicharts\n    version: 19.1.0\n  - name: mongodb\n    repository: oci://registry-1.docker.io/bitnamicharts\n    version: 15.1.4\n    condition: mongodb.enabled\nappVersion: "2.7.6"\n';
const values = (mongo: boolean) => `image:\n  repository: example/notes\nredis:\n  enabled: true\nmongodb:\n  enabled: ${mongo}\n  useSrv: false\n`;
const pkg = JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { express: '4.21.2' } });

describe('stores a Helm chart installs as its dependencies', () => {
  it('reads the store charts the chart depends on, at their list items', () => {
    const s = snapshot({ 'deploy/helm/Chart.yaml': chart, 'deploy/helm/values.yaml': values(true) });
    expect(storesFromChartDependencies(s)).toEqual([
      { value: 'redis', source: 'deploy/helm/Chart.yaml:7' },
      { value: 'mongodb', source: 'deploy/helm/Chart.yaml:11' },
    ]);
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': 'app.listen(8080);\n', 'deploy/helm/Chart.yaml': chart, 'deploy/helm/values.yaml': values(true) })).stateful).toEqual(['mongodb', 'redis']);
  });

  it('leaves out a dependency whose condition the values switch off (an external database instead)', () => {
    const s = snapshot({ 'deploy/helm/Chart.yaml': chart, 'deploy/helm/values.yaml': values(false) });
    expect(storesFromChartDependencies(s).map((d) => d.value)).toEqual(['redis']);
  });

  it('reads topology variants of a store chart, and not other charts or a subchart vendored under charts/', () => {
    const ha = 'apiVersion: v2\nname: app\ndependencies:\n- name: postgresql-ha\n  version: 14.0.0\n- name: common\n  version: 2.x.x\n- name: ingress-nginx\n  version: 4.0.0\n';
    const vendored = 'apiVersion: v2\nname: postgresql\ndependencies:\n  - name: redis\n    version: 1.0.0\n';
    const s = snapshot({ 'Chart.yaml': ha, 'charts/postgresql-ha/Chart.yaml': vendored });
    expect(storesFromChartDependencies(s)).toEqual([{ value: 'postgres', source: 'Chart.yaml:4' }]);
  });

  it('ignores a chart without dependencies and a `dependencies` key nested elsewhere', () => {
    const s = snapshot({ 'Chart.yaml': 'apiVersion: v2\nname: app\nannotations:\n  dependencies:\n    - name: redis\n' });
    expect(storesFromChartDependencies(s)).toEqual([]);
  });

  it('runs in linear time on a long line', () => {
    const s = snapshot({ 'Chart.yaml': `dependencies:\n  - name: ${'a'.repeat(100_000)}\n    condition: ${' '.repeat(100_000)}x\n` });
    const t = Date.now();
    storesFromChartDependencies(s);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
