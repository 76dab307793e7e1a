// Turns the YAML a user would `kubectl apply` (claims) into what Crossplane hands a function (XRs),
// and resolves a required-resource selector against the documents at hand.
import { parseAllDocuments } from 'yaml';
import { sha256Hex } from '../util/canonical.js';
import { SCAI_API_VERSION } from '../../../lib/domain.js';
import type { KubeObject as Obj } from '../../../lib/obj.js';
import type { ResourceSelector } from '../pipeline/run.js';

const CLAIM_TO_XR: Record<string, string> = { Deployment: 'XDeployment', CloudProvider: 'XCloudProvider' };

export function parseDocs(text: string, file: string): Obj[] {
  const docs = parseAllDocuments(text);
  const out: Obj[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]?.message}`);
    const v = d.toJS();
    if (v && typeof v === 'object') out.push(v as Obj);
  }
  return out;
}

/** Crossplane names a claim's XR `<claim>-<random>`; here the suffix is derived so output is stable. */
function xrName(claim: Obj): string {
  const ns = claim.metadata?.namespace ?? 'default';
  return `${claim.metadata?.name}-${sha256Hex(`${ns}/${claim.metadata?.name}`).slice(0, 5)}`;
}

export function claimToXr(doc: Obj): Obj {
  if (doc.apiVersion !== SCAI_API_VERSION) throw new Error(`apiVersion must be ${SCAI_API_VERSION}, got ${doc.apiVersion}`);
  const xrKind = doc.kind ? CLAIM_TO_XR[doc.kind] : undefined;
  if (!xrKind) return doc; // already an XR
  const ns = doc.metadata?.namespace ?? 'default';
  const name = doc.metadata?.name;
  if (!name) throw new Error(`${doc.kind} has no metadata.name`);
  return {
    apiVersion: SCAI_API_VERSION,
    kind: xrKind,
    metadata: {
      name: xrName(doc),
      uid: sha256Hex(`uid/${ns}/${name}/${doc.kind}`).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
      labels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': ns },
    },
    spec: { ...doc.spec, claimRef: { apiVersion: SCAI_API_VERSION, kind: doc.kind, name, namespace: ns } },
    ...(doc.status ? { status: doc.status } : {}),
  };
}

export function matches(sel: ResourceSelector, o: Obj): boolean {
  if (o.apiVersion !== sel.apiVersion || o.kind !== sel.kind) return false;
  if (sel.matchName !== undefined) return o.metadata?.name === sel.matchName;
  const labels = o.metadata?.labels ?? {};
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

export interface ClaimSet {
  xr: Obj;
  others: Obj[];
}

/** Finds the one Deployment (claim or XR) and turns every scai document into its XR form. */
export function loadClaimSet(docs: Obj[], file: string): ClaimSet {
  const deployments = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'XDeployment');
  if (deployments.length !== 1) {
    throw new Error(`${file}: expected exactly one Deployment (${SCAI_API_VERSION}), found ${deployments.length}`);
  }
  const xr = claimToXr(deployments[0] as Obj);
  const others = docs.filter((d) => d !== deployments[0] && d.apiVersion === SCAI_API_VERSION).map(claimToXr);
  return { xr, others };
}
