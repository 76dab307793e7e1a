// What every fault test needs: a function server on a real gRPC port, claims decided once and
// pinned, and the safety rule every answer must keep.
import { Severity, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { claimToXr } from '../../function/src/cli/claims.js';
import { scaiHandler, type HandlerDeps } from '../../function/src/handler.js';
import { startFunctionServer, type StartedServer } from '../../function/src/server.js';
import { claim, countingSource, desiredResources, desiredStatus, NOW, request } from '../helpers/fn.js';
import { fnClient, type FnClient } from '../helpers/grpc-client.js';
import type { LooseObj as Obj } from '../../lib/obj.js';

export interface Served {
  server: StartedServer;
  client: FnClient;
  close(): Promise<void>;
}

export async function serve(deps: HandlerDeps): Promise<Served> {
  const server = await startFunctionServer(scaiHandler({ now: () => NOW, ...deps }), { address: '127.0.0.1:0', insecure: true });
  const client = fnClient(`127.0.0.1:${server.port}`);
  return {
    server,
    client,
    close: async () => {
      client.close();
      await server.close();
    },
  };
}

export interface PinnedXr {
  xr: Obj;
  status: Obj;
  resources: Record<string, Obj>;
}

/** A claim decided once through `client`, so that the next render of it is pinned. */
export async function decided(client: FnClient, spec: Obj = {}, name = 'web'): Promise<PinnedXr> {
  const xr = claimToXr(claim(spec, name));
  const rsp = await client.run(request({ xr }));
  const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
  if (fatal) throw new Error(`deciding ${name} failed: ${fatal.message}`);
  return { xr, status: desiredStatus(rsp), resources: desiredResources(rsp) };
}

export function pinnedRequest(p: PinnedXr): RunFunctionRequest {
  return request({ xr: p.xr, status: p.status, observed: p.resources });
}

export const isFatal = (rsp: RunFunctionResponse) => rsp.results.some((r) => r.severity === Severity.SEVERITY_FATAL);

/**
 * The rule no fault may break: an answer either stops (Fatal: Crossplane applies nothing, so nothing
 * is deleted) or desires every observed composed resource, unless the spec asked for a change (a
 * re-decision under a trusted pin may replace what the pin composed). Returns why the answer is
 * unsafe, or undefined.
 */
export function unsafeAnswer(req: RunFunctionRequest, rsp: RunFunctionResponse, specAsked = false): string | undefined {
  if (isFatal(rsp)) return undefined;
  if (specAsked) return undefined;
  const observed = Object.keys(req.observed?.resources ?? {});
  const desired = new Set(Object.keys(rsp.desired?.resources ?? {}));
  const dropped = observed.filter((n) => !desired.has(n));
  return dropped.length ? `dropped observed ${dropped.join(', ')} (results: ${rsp.results.map((r) => r.message).join(' | ')})` : undefined;
}

export { countingSource };
