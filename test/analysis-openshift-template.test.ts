// An OpenShift template (`kind: Template`) deploying the app's image: its workloads sit indented under
// `objects:` (`- kind: DeploymentConfig`), so they are Kubernetes manifests like top-level ones.
import { describe, expect, it } from 'vitest';
import { detectPlatforms } from '../function/src/analysis/platforms.js';
import { snapshot } from './helpers/snapshot.js';

const template = (objects: string) => ['apiVersion: v1', 'kind: Template', 'metadata:', '  name: registry', 'objects:', objects, 'parameters:', '  - name: IMAGE', '    value: quay.io/acme/registry-app', ''].join('\n');
const deploymentConfig = ['  - apiVersion: apps.openshift.io/v1', '    kind: DeploymentConfig', '    spec:', '      template:', '        spec:', '          containers:', '            - image: ${IMAGE}:${IMAGE_TAG}'].join('\n');
const service = ['  - apiVersion: v1', '    kind: Service', '    spec:', '      ports:', '        - port: 8080'].join('\n');
const kinds = (files: Record<string, string>) => detectPlatforms(snapshot(files)).map((p) => `${p.value} ${p.source}`);

describe('OpenShift templates', () => {
  it('count as k8s manifests when they hold a workload', () => {
    expect(kinds({ 'openshift/template.yaml': template(`${deploymentConfig}\n${service}`) })).toEqual(['k8s openshift/template.yaml:7']);
  });

  it('a top-level DeploymentConfig is a workload too', () => {
    expect(kinds({ 'openshift/dc.yaml': 'apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata:\n  name: app\n' })).toEqual(['k8s openshift/dc.yaml:2']);
  });

  it('not a template of services and config only, nor another file naming a kind indented', () => {
    expect(kinds({ 'openshift/template.yaml': template(service) })).toEqual([]);
    expect(kinds({ 'config/kinds.yaml': 'apiVersion: v1\nresources:\n  - kind: Deployment\n' })).toEqual([]);
  });

  it('is linear on a long line', () => {
    const t0 = Date.now();
    kinds({ 'a.yaml': `apiVersion: v1\nkind: Template\nobjects:\n${' -'.repeat(50_000)}kind:${' '.repeat(50_000)}x` });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
