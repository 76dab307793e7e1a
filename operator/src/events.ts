// Kubernetes Events (events.k8s.io/v1) about XRs, so `kubectl describe xdeployment …` shows what was
// recorded and what failed. An XR is cluster-scoped, so its events go to the `default` namespace
// (where kubectl looks for events of cluster-scoped objects). Emitting never throws: an event that
// cannot be written is logged and dropped, it must not fail a reconcile.
import type { Logger } from 'pino';
import { Kube, microTime } from './kube.js';
import { SCAI_API_VERSION } from '../../lib/domain.js';
import { KIND, type XR } from './xr.js';

export type EventType = 'Normal' | 'Warning';

export interface Recorder {
  event(xr: XR, type: EventType, reason: string, note: string): void;
}

export function eventRecorder(kube: Kube, instance: string, log: Logger, namespace = 'default'): Recorder {
  let seq = Math.floor(Math.random() * 1000);
  return {
    event(xr, type, reason, note) {
      const body = {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        // Named like client-go's recorder (object name + a unique hex suffix); generateName would need a
        // DNS-1123 prefix, which `web.` is not.
        metadata: { name: `${xr.metadata.name}.${(Date.now() * 1000 + (seq++ % 1000)).toString(16)}`, namespace },
        eventTime: microTime(),
        reportingController: 'scai.io/controller',
        reportingInstance: instance,
        action: reason.startsWith('Record') || reason.startsWith('Final') ? 'Record' : 'Reconcile',
        reason,
        type,
        note: note.slice(0, 1024),
        regarding: { apiVersion: SCAI_API_VERSION, kind: KIND, name: xr.metadata.name, uid: xr.metadata.uid, resourceVersion: xr.metadata.resourceVersion },
      };
      kube.createEvent(namespace, body).catch((e: unknown) => log.warn({ err: String(e), reason }, 'cannot write event'));
    },
  };
}
