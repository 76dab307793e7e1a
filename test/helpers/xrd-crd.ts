// The CRDs Crossplane generates from an XRD (LegacyCluster XR + namespaced claim): the XRD's schema
// plus Crossplane's machinery fields, which are loosely typed here.
import type { LooseObj as Obj } from '../../lib/obj.js';

const loose = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const XR_SPEC = {
  compositionRef: loose,
  compositionSelector: loose,
  compositionRevisionRef: loose,
  compositionRevisionSelector: loose,
  compositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'] },
  claimRef: loose,
  resourceRefs: { type: 'array', items: loose },
  writeConnectionSecretToRef: loose,
  publishConnectionDetailsTo: loose,
};
const CLAIM_SPEC = {
  compositionRef: loose,
  compositionSelector: loose,
  compositionRevisionRef: loose,
  compositionRevisionSelector: loose,
  compositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'] },
  compositeDeletePolicy: { type: 'string', enum: ['Background', 'Foreground'] },
  resourceRef: loose,
  writeConnectionSecretToRef: loose,
};
const STATUS = { conditions: { type: 'array', items: loose }, connectionDetails: loose, claimConditionTypes: { type: 'array', items: { type: 'string' } } };

function withMachinery(schema: Obj, spec: Obj): Obj {
  const s = structuredClone(schema);
  s.properties ??= {};
  s.properties.spec ??= { type: 'object', properties: {} };
  s.properties.spec.properties = { ...spec, ...(s.properties.spec.properties ?? {}) };
  s.properties.status ??= { type: 'object', properties: {} };
  s.properties.status.properties = { ...STATUS, ...(s.properties.status.properties ?? {}) };
  return s;
}

function crd(group: string, names: Obj, scope: 'Cluster' | 'Namespaced', versions: Obj[], spec: Obj): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      names: { ...names, singular: names.kind.toLowerCase(), listKind: `${names.kind}List` },
      scope,
      versions: versions.map((v, i) => ({
        name: v.name,
        served: v.served,
        storage: i === 0,
        subresources: { status: {} },
        ...(v.additionalPrinterColumns ? { additionalPrinterColumns: v.additionalPrinterColumns } : {}),
        schema: { openAPIV3Schema: withMachinery(v.schema.openAPIV3Schema, spec) },
      })),
    },
  };
}

export function xrdToCrds(xrd: Obj): Obj[] {
  const { group, names, claimNames, versions } = xrd.spec;
  const out = [crd(group, names, 'Cluster', versions, XR_SPEC)];
  if (claimNames) out.push(crd(group, claimNames, 'Namespaced', versions, CLAIM_SPEC));
  return out;
}
