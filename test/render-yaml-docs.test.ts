// The render harness reads what crossplane render prints (Go's YAML): a plain scalar Go reads as a string must stay
// one here, such as a commit id used as an image tag that looks like an exponent float overflowing to Infinity
// (HEAD 5075734e8152 failed the e2e and cluster suites).
import { describe, expect, it } from 'vitest';
import { yamlDocs } from '../scripts/render.js';

describe('yamlDocs reads plain scalars the way Go does', () => {
  it('an exponent "float" that overflows is the string it is; finite numbers, explicit infinity and quoted strings are as YAML says', () => {
    expect(yamlDocs('tag: 5075734e8152\nbig: 1e400\nn: 1.5e3\ni: 12\ninf: .inf\ns: "5075734e8152"\n---\nother: 1\n')).toEqual([
      { tag: '5075734e8152', big: '1e400', n: 1500, i: 12, inf: Infinity, s: '5075734e8152' },
      { other: 1 },
    ]);
  });
});
