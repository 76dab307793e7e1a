import { describe, expect, it } from 'vitest';
import { summarise, type CpuProfile } from '../scripts/cpuprofile-summary.js';

const frame = (functionName: string) => ({ functionName, url: 'file:///x/src/a.js', lineNumber: 0 });
// root → run → (hash, parse); samples: hash, hash, parse, run, each 1 ms after the previous.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2] },
    { id: 2, callFrame: frame('run'), children: [3, 4] },
    { id: 3, callFrame: frame('hash') },
    { id: 4, callFrame: frame('parse') },
  ],
  startTime: 0,
  endTime: 4000,
  samples: [3, 3, 4, 2, 2],
  timeDeltas: [0, 1000, 1000, 1000, 1000],
};

describe('cpuprofile summary', () => {
  it('adds self time to the sampled function and total time to every caller once', () => {
    const s = summarise(profile);
    expect(s.totalMs).toBe(4);
    expect(s.self[0]).toEqual(['hash src/a.js:1', 2]);
    expect(Object.fromEntries(s.total)).toMatchObject({ '(root) src/a.js:1': 4, 'run src/a.js:1': 4, 'hash src/a.js:1': 2, 'parse src/a.js:1': 1 });
  });

  it('keeps only the last seconds when asked', () => {
    const s = summarise(profile, 0.0015);
    expect(s.totalMs).toBe(1);
    expect(s.self).toEqual([['run src/a.js:1', 1]]);
  });
});
