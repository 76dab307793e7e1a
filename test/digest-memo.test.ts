// Pinned renders remember digests (util/canonical.ts jsonDigest, util/memo.ts): a remembered digest
// must be exactly what hashing again gives, and the memory must stay bounded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, jsonDigest, sha256Hex } from '../function/src/util/canonical.js';
import { BoundedMemo } from '../function/src/util/memo.js';

describe('jsonDigest', () => {
  it('equals sha256 over the canonical JSON for any JSON value, on a miss and on a hit', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const expected = sha256Hex(canonicalJson(v));
        expect(jsonDigest(v)).toBe(expected);
        expect(jsonDigest(v)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('is independent of key order and of undefined members, as canonicalJson is', () => {
    const a = { b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' }, u: undefined };
    const b = { a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 };
    expect(jsonDigest(a)).toBe(jsonDigest(b));
    expect(jsonDigest(a)).toBe(sha256Hex(canonicalJson(b)));
  });

  it('tells apart values that differ anywhere, after the first was remembered', () => {
    const pin = { strategy: 'vm', config: { minInstances: 1, maxInstances: 2 }, target: { cloud: 'aws' } };
    const first = jsonDigest(pin);
    const edited = structuredClone(pin);
    edited.config.maxInstances = 500;
    expect(jsonDigest(edited)).not.toBe(first);
    expect(jsonDigest({ ...pin, target: { cloud: 'gcp' } })).not.toBe(first);
    expect(jsonDigest(pin)).toBe(first);
  });
});

describe('BoundedMemo', () => {
  it('computes once per key while it is kept, and drops the least recently used beyond its bound', () => {
    const memo = new BoundedMemo<number>(2);
    let computed = 0;
    const f = (k: string) => (computed++, k.length);
    memo.get('a', f);
    memo.get('bb', f);
    memo.get('a', f); // a is now the most recently used
    memo.get('ccc', f); // drops bb
    expect(computed).toBe(3);
    expect(memo.size).toBe(2);
    memo.get('a', f);
    expect(computed).toBe(3);
    memo.get('bb', f);
    expect(computed).toBe(4);
  });

  it('keeps nothing with a bound of 0', () => {
    const memo = new BoundedMemo<number>(0);
    let computed = 0;
    memo.get('a', () => ++computed);
    memo.get('a', () => ++computed);
    expect(computed).toBe(2);
    expect(memo.size).toBe(0);
  });
});
