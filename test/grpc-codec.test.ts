// grpc-codec.ts must be the SDK's codec, only faster: the same objects decoded (or the same error) and
// the same bytes encoded, for realistic messages (where its fast path must actually run) and for
// anything fast-check makes, including mutated bytes.
import { Ready, RunFunctionRequest, RunFunctionResponse, Severity, type Resource } from '@crossplane-org/function-sdk-typescript';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { decodeRunFunctionRequest, encodeRunFunctionResponse, fastDecode, fastEncode } from '../function/src/grpc-codec.js';
import { claim, request } from './helpers/fn.js';

const sdkDecode = (b: Uint8Array) => RunFunctionRequest.decode(b);
const sdkEncode = (r: RunFunctionResponse) => Buffer.from(RunFunctionResponse.encode(r).finish());

/** The outcome of a decoder: its value or its error message. */
function outcome(f: () => unknown): { ok: unknown } | { error: string } {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

// JSON-like values as Kubernetes objects hold them, plus what Structs can carry at the edges: NaN,
// -0, undefined in lists, empty keys, "__proto__", non-ASCII and lone surrogates.
const key = fc.oneof(fc.string(), fc.constantFrom('', '__proto__', 'apiVersion', '0', '10', 'ключ'), fc.string({ unit: 'binary' }));
const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string({ unit: 'binary' }), fc.string());
const { value } = fc.letrec<{ value: unknown; obj: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('obj'), fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 4 })),
  obj: fc.dictionary(key, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 5 }),
}));
const obj = fc.dictionary(key, value, { maxKeys: 6 });
const resource: fc.Arbitrary<Resource> = fc.record({
  resource: fc.oneof(obj, fc.constant(undefined)),
  connectionDetails: fc.dictionary(key, fc.uint8Array({ maxLength: 8 }).map((u) => Buffer.from(u)), { maxKeys: 2 }),
  ready: fc.constantFrom(Ready.READY_UNSPECIFIED, Ready.READY_TRUE, Ready.READY_FALSE),
});
const state = fc.record({ composite: fc.oneof(resource, fc.constant(undefined)), resources: fc.dictionary(key, resource, { maxKeys: 3 }) });
const resources = fc.dictionary(key, fc.record({ items: fc.array(resource, { maxLength: 2 }) }), { maxKeys: 2 });
const req = fc
  .record({ observed: state, desired: fc.oneof(state, fc.constant(undefined)), input: fc.oneof(obj, fc.constant(undefined)), tag: fc.string(), required: resources, extra: resources })
  .map((r) =>
    RunFunctionRequest.fromPartial({
      meta: { tag: r.tag },
      observed: r.observed,
      ...(r.desired ? { desired: r.desired } : {}),
      ...(r.input ? { input: r.input } : {}),
      requiredResources: r.required,
      extraResources: r.extra,
    }),
  );
const rsp = fc.record({ desired: fc.oneof(state, fc.constant(undefined)), tag: fc.string(), context: fc.oneof(obj, fc.constant(undefined)) }).map(
  (r) =>
    ({
      meta: { tag: r.tag, ttl: { seconds: 60, nanos: 0 } },
      desired: r.desired,
      results: [{ severity: Severity.SEVERITY_WARNING, message: 'm', target: 1 }],
      context: r.context,
      requirements: undefined,
      conditions: [],
      output: undefined,
    }) as RunFunctionResponse,
);

/** A pinned render's request and a response like function-scai's, as the load bench sends them. */
function realistic(): { req: RunFunctionRequest; rsp: RunFunctionResponse } {
  const xr = claimToXr(claim({}, 'web-1'));
  const status = { decision: { strategy: 'kubernetes', inputsHash: 'abc', neighbors: [{ id: 'x', score: 0.91 }] }, conditions: [{ type: 'Ready', status: 'True' }] };
  const composed = { apiVersion: 'scai.io/v1alpha1', kind: 'KubernetesInfrastructure', metadata: { name: 'web-1-k8s', labels: { team: 'a' } }, spec: { replicas: 3, cpu: 0.5, https: true, zones: ['a', 'b', null] } };
  const r = request({ xr, status, observed: { 'infrastructure-kubernetes-aws': composed } });
  const out: RunFunctionResponse = {
    meta: { tag: 'test', ttl: { seconds: 60, nanos: 0 } },
    desired: { composite: { resource: { apiVersion: 'scai.io/v1alpha1', kind: 'XDeployment', status }, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED }, resources: { 'infrastructure-kubernetes-aws': { resource: composed, connectionDetails: {}, ready: Ready.READY_TRUE } } },
    results: [],
    context: { 'apiextensions.crossplane.io/environment': { a: 1 } },
    requirements: undefined,
    conditions: [{ type: 'DecisionReady', status: 1, reason: 'Pinned', target: 1 }],
    output: undefined,
  };
  return { req: r, rsp: out };
}

describe('grpc-codec', () => {
  it('takes its fast path on a realistic pinned request and response, with the SDK codec’s result', () => {
    const { req: r, rsp: out } = realistic();
    const bytes = Buffer.from(RunFunctionRequest.encode(r).finish());
    expect(fastDecode(bytes)).toStrictEqual(sdkDecode(bytes));
    expect(decodeRunFunctionRequest(bytes)).toStrictEqual(sdkDecode(bytes));
    expect(fastEncode(out).equals(sdkEncode(out))).toBe(true);
    expect(encodeRunFunctionResponse(out).equals(sdkEncode(out))).toBe(true);
  });

  it('decodes any request as the SDK does', () => {
    fc.assert(
      fc.property(req, (r) => {
        const bytes = Buffer.from(RunFunctionRequest.encode(r).finish());
        expect(decodeRunFunctionRequest(bytes)).toStrictEqual(sdkDecode(bytes));
      }),
      { numRuns: 1500 },
    );
  });

  it('decodes mutated bytes as the SDK does, or fails with the SDK’s error', () => {
    const base = Buffer.from(RunFunctionRequest.encode(realistic().req).finish());
    fc.assert(
      // Edits anywhere, and more often in the small fields the SDK's decoder reads (meta first, the CloudProvider last).
      fc.property(fc.array(fc.tuple(fc.oneof(fc.nat(base.length - 1), fc.nat(15), fc.integer({ min: base.length - 400, max: base.length - 1 })), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(base.length), (edits, cut) => {
        const b = Buffer.from(base.subarray(0, Math.max(cut, base.length - 40)));
        for (const [at, v] of edits) if (at < b.length) b[at] = v;
        expect(outcome(() => decodeRunFunctionRequest(b))).toStrictEqual(outcome(() => sdkDecode(b)));
      }),
      // A zero tag inside meta: the SDK's decoder stops reading the whole request there.
      { numRuns: 5000, examples: [[[[8, 0], [65, 0]], base.length]] },
    );
  });

  it('encodes any response to the SDK’s bytes', () => {
    fc.assert(
      fc.property(rsp, (r) => {
        expect(encodeRunFunctionResponse(r).equals(sdkEncode(r))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('encodes responses larger than its scratch buffer (which then grows), and small ones after', () => {
    const { rsp: small } = realistic();
    for (const n of [3_000, 40_000]) {
      const big = Object.fromEntries(Array.from({ length: n }, (_, i) => [`key-${i}`, i % 3 ? `value ${i} ${'x'.repeat(i % 50)}` : { n: i, s: `ü${i}`, l: [i, null, true] }]));
      const r = { ...small, desired: { ...small.desired, resources: { big: { resource: big, connectionDetails: { pw: Buffer.from('secret') }, ready: Ready.READY_TRUE } } } } as RunFunctionResponse;
      expect(fastEncode(r).equals(sdkEncode(r))).toBe(true);
      expect(fastEncode(small).equals(sdkEncode(small))).toBe(true);
    }
  });

  it('refuses too deep a request with the SDK’s recursion error, and an unencodable value with its error', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { n: deep };
    const bytes = Buffer.from(RunFunctionRequest.encode(request({ xr: { ...claimToXr(claim()), spec: deep } })).finish());
    expect(() => decodeRunFunctionRequest(bytes)).toThrow(/recursion limit/);
    const bad = { ...realistic().rsp, desired: { composite: { resource: { f: () => 1 }, connectionDetails: {}, ready: 0 }, resources: {} } } as RunFunctionResponse;
    expect(outcome(() => encodeRunFunctionResponse(bad))).toStrictEqual(outcome(() => sdkEncode(bad)));
    expect(outcome(() => encodeRunFunctionResponse(bad))).toHaveProperty('error');
  });
});
