// Prints a function response the way `crossplane render` does: the XR with its desired status and
// conditions, then each composed resource named and owned like Crossplane would, then results.
import { Severity, Status, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { stringify } from 'yaml';

import type { KubeObject as Obj } from '../../../lib/obj.js';

export const STEP_NAME = 'scai-decide';

const STATUS_NAME: Record<number, string> = {
  [Status.STATUS_CONDITION_TRUE]: 'True',
  [Status.STATUS_CONDITION_FALSE]: 'False',
  [Status.STATUS_CONDITION_UNKNOWN]: 'Unknown',
};
const SEVERITY_NAME: Record<number, string> = {
  [Severity.SEVERITY_NORMAL]: 'SEVERITY_NORMAL',
  [Severity.SEVERITY_WARNING]: 'SEVERITY_WARNING',
  [Severity.SEVERITY_FATAL]: 'SEVERITY_FATAL',
};

export function renderDocuments(xr: Obj, rsp: RunFunctionResponse): Obj[] {
  const xrName = xr.metadata?.name ?? '';
  const desiredStatus = (rsp.desired?.composite?.resource?.status ?? {}) as Obj;
  const conditions = rsp.conditions.map((c) => ({
    type: c.type,
    status: STATUS_NAME[c.status] ?? 'Unknown',
    reason: c.reason,
    ...(c.message ? { message: c.message } : {}),
  }));
  const out: Obj[] = [
    {
      apiVersion: xr.apiVersion,
      kind: xr.kind,
      metadata: { name: xrName },
      status: { ...desiredStatus, conditions },
    },
  ];
  const names = Object.keys(rsp.desired?.resources ?? {}).sort();
  for (const name of names) {
    const r = (rsp.desired?.resources?.[name]?.resource ?? {}) as Obj;
    out.push({
      ...r,
      metadata: {
        ...(r.metadata ?? {}),
        generateName: `${xrName}-`,
        annotations: { ...(r.metadata?.annotations ?? {}), 'crossplane.io/composition-resource-name': name },
        labels: { ...(r.metadata?.labels ?? {}), 'crossplane.io/composite': xrName },
        ownerReferences: [
          { apiVersion: xr.apiVersion, kind: xr.kind, name: xrName, uid: xr.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true },
        ],
      },
    });
  }
  for (const r of rsp.results) {
    out.push({
      apiVersion: 'render.crossplane.io/v1beta1',
      kind: 'Result',
      step: STEP_NAME,
      severity: SEVERITY_NAME[r.severity] ?? 'SEVERITY_UNSPECIFIED',
      ...(r.reason ? { reason: r.reason } : {}),
      message: r.message,
    });
  }
  return out;
}

export function toYamlStream(docs: Obj[]): string {
  return docs.map((d) => '---\n' + stringify(d, { lineWidth: 0 })).join('');
}
