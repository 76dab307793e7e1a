// Issue 13 item 8: a request over 4 MiB, or nested deeper than the protobuf decoder's recursion
// limit, got a bare gRPC RESOURCE_EXHAUSTED / INTERNAL. Now: up to 32 MiB is read and answered;
// beyond it, and an undecodable request, get a Fatal result naming the cause, with the request's tag.
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimToXr } from '../../function/src/cli/claims.js';
import { MAX_REQUEST_BYTES, requestTag } from '../../function/src/request-guard.js';
import { claim, countingSource, request } from '../helpers/fn.js';
import type { LooseObj as Obj } from '../../lib/obj.js';
import { serve, type Served } from './helpers.js';

let served: Served;
beforeAll(async () => {
  served = await serve({ repos: countingSource() });
});
afterAll(() => served.close());

function nested(depth: number): Obj {
  let o: Obj = { leaf: 1 };
  for (let i = 0; i < depth; i++) o = { n: o };
  return o;
}

describe('requests the decoder cannot read', () => {
  it('reads meta.tag from the encoded request without decoding the rest', () => {
    const req = request({ xr: claimToXr(claim({ extra: nested(200) })) });
    req.meta = { tag: 'tag-ü-42', capabilities: [] };
    expect(requestTag(RunFunctionRequest.encode(req).finish())).toBe('tag-ü-42');
    expect(requestTag(new Uint8Array([0xff, 0xff]))).toBe('');
  });

  it('answers an XR nested 35 and 1000 levels deep with a Fatal naming the cause and echoing the tag', async () => {
    for (const depth of [35, 1000]) {
      const req = request({ xr: claimToXr(claim({ extra: nested(depth) })) });
      req.meta = { tag: `deep-${depth}`, capabilities: [] };
      const rsp = await served.client.run(req);
      expect(rsp.meta?.tag).toBe(`deep-${depth}`);
      expect(rsp.results).toMatchObject([{ severity: Severity.SEVERITY_FATAL, reason: 'RequestUnreadable', message: expect.stringMatching(/nested deeper than about 30 levels/) }]);
    }
  });

  it('reads and answers a request over 4 MiB (an observed resource of 5 MiB)', async () => {
    const xr = claimToXr(claim());
    const rsp = await served.client.run(request({ xr, observed: { other: { apiVersion: 'v1', kind: 'ConfigMap', data: { blob: 'x'.repeat(5 * 1024 * 1024) } } } }));
    expect(rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL)).toEqual([]);
    expect(Object.keys(rsp.desired?.resources ?? {}).some((n) => n.startsWith('infrastructure-'))).toBe(true);
  });

  it('answers a request over the 32 MiB limit with a Fatal naming both sizes', async () => {
    const req = request({ xr: claimToXr(claim()), observed: { other: { apiVersion: 'v1', kind: 'ConfigMap', data: { blob: 'x'.repeat(MAX_REQUEST_BYTES + 1024) } } } });
    req.meta = { tag: 'big', capabilities: [] };
    const rsp = await served.client.run(req, 60_000);
    expect(rsp.meta?.tag).toBe('big');
    expect(rsp.results[0]).toMatchObject({ severity: Severity.SEVERITY_FATAL, message: expect.stringMatching(/32\.0 MiB, over the function's 32\.0 MiB limit/) });
  });
});
