// The eval harness's scoring and corpus checks (eval/): pure functions, so the numbers it prints
// for a run can be trusted; the corpus itself must parse and keep its rubric's invariants.
import { describe, expect, it } from 'vitest';
import { fetchOrder, loadCorpus, parseCorpus, sampleOrder, type Case } from '../eval/cases.js';
import { observedFacts } from '../eval/engines.js';
import { normalizeCommand, scoreCase, summarize, type EngineAnswer } from '../eval/score.js';

const facts = { kind: 'web', language: 'python', framework: 'flask', port: 8000, startCommand: 'gunicorn app:app', services: ['web'], stateful: ['postgres'], state: 'none', longLived: false, platformManifests: [], serverlessAdapter: null, schedule: false } as const;
const kase = (id: string, expected: Case['expected'], acceptable: Case['acceptable'] = [expected]): Case => ({
  id, repo: 'a/b', commit: 'a'.repeat(40), split: 'dev', family: 'python-flask', facts: { ...facts, services: [...facts.services], stateful: [...facts.stateful], platformManifests: [] }, evidence: {}, expected, acceptable, rationale: 'R6',
});

describe('eval scoring', () => {
  it('exact, acceptable and macro recall: a constant answer cannot score well on a skewed corpus', () => {
    const cases = [kase('a', 'vm'), kase('b', 'vm'), kase('c', 'vm'), kase('d', 'serverless', ['serverless', 'vm']), kase('e', 'kubernetes')];
    const vm = summarize(cases.map((c) => scoreCase(c, { outcome: 'vm' })));
    expect(vm).toMatchObject({ cases: 5, exact: 0.6, acceptable: 0.8 });
    expect(vm.macroRecall).toBeCloseTo(1 / 3);
    const perfect = summarize(cases.map((c) => scoreCase(c, { outcome: c.expected })));
    expect(perfect).toMatchObject({ exact: 1, acceptable: 1, macroRecall: 1 });
  });

  it('facts: each labelled fact compared in the labels vocabulary; a library only by kind and language', () => {
    const seen: EngineAnswer = { outcome: 'vm', facts: { kind: 'web', language: 'python', framework: 'flask', port: 8000, startCommand: 'gunicorn  "app:app"', stateful: ['postgres'], serviceCount: 1, state: 'local-file' } };
    const r = scoreCase(kase('a', 'vm'), seen);
    expect(r.factHits).toMatchObject({ kind: true, startCommand: true, state: false, services: true });
    expect(summarize([r]).facts).toBeCloseTo(7 / 8);
    const lib = { ...kase('l', 'refuse'), facts: { ...kase('l', 'refuse').facts, kind: 'library' as const } };
    expect(Object.keys(scoreCase(lib, { outcome: 'refuse' }).factHits)).toEqual(['kind', 'language']);
    expect(normalizeCommand(`["node", 'server.js']`.replace(/[[\],]/g, ' '))).toBe('node server.js');
  });

  it('calibration: exact accuracy per confidence band', () => {
    const s = summarize([scoreCase(kase('a', 'vm'), { outcome: 'vm', confidence: 0.9 }), scoreCase(kase('b', 'vm'), { outcome: 'kubernetes', confidence: 0.9 }), scoreCase(kase('c', 'vm'), { outcome: 'vm', confidence: 0.55 })]);
    expect(s.calibration.find((b) => b.band.startsWith('0.80'))).toMatchObject({ cases: 2, exact: 0.5 });
    expect(s.calibration.find((b) => b.band.startsWith('0.50'))).toMatchObject({ cases: 1, exact: 1 });
  });

  it('reads the analyser: declared start commands only, npm start as its script, one service at least', () => {
    const a = { kind: 'web', language: 'node', framework: 'express', port: 3000, startCommand: 'npm start', stateful: [], localState: [], services: [], evidence: [{ fact: 'startCommand npm start', source: 'package.json:5' }, { fact: 'start script node server.js', source: 'package.json:5' }] };
    expect(observedFacts(a)).toMatchObject({ startCommand: 'node server.js', serviceCount: 1, state: 'none' });
    const inferred = { ...a, startCommand: 'java -jar target/*.jar', evidence: [{ fact: 'startCommand java -jar target/*.jar', source: 'rule:spring-boot-convention' }] };
    expect(observedFacts(inferred)?.startCommand).toBeNull();
    expect(observedFacts({ ...a, framework: 'go-net-http' })?.framework).toBe('nethttp');
  });
});

describe('eval corpus', () => {
  it('parses, and refuses duplicate ids, an expected outside acceptable or a store spelled otherwise than the rubric', () => {
    const corpus = loadCorpus(new URL('../eval/corpus.json', import.meta.url).pathname);
    expect(corpus.cases.length).toBeGreaterThanOrEqual(40);
    const heldout = corpus.cases.filter((c) => c.split === 'heldout').length;
    expect(heldout).toBeGreaterThanOrEqual(20);
    expect(corpus.cases.length - heldout).toBeGreaterThanOrEqual(20);
    const one = corpus.cases[0] as Case;
    expect(() => parseCorpus({ ...corpus, cases: [one, one] })).toThrow(/duplicate id/);
    expect(() => parseCorpus({ ...corpus, cases: [{ ...one, expected: 'kubernetes', acceptable: ['vm'] }] })).toThrow(/acceptable must include expected/);
    expect(() => parseCorpus({ ...corpus, cases: [{ ...one, facts: { ...one.facts, stateful: ['postgresql'] } }] })).toThrow(/store "postgresql" is spelled "postgres"/);
  });
});

describe('eval fetch order', () => {
  it('held-out repositories first, then dev-only ones, each once, in corpus order', () => {
    const cases = [{ repo: 'a/dev', split: 'dev' }, { repo: 'b/both', split: 'dev' }, { repo: 'c/held', split: 'heldout' }, { repo: 'b/both', split: 'heldout' }, { repo: 'd/dev', split: 'dev' }] as const;
    expect(fetchOrder(cases)).toEqual(['c/held', 'b/both', 'a/dev', 'd/dev']);
  });

  it('on the corpus: every repository once, and all held-out ones before the first dev-only one', () => {
    const corpus = loadCorpus(new URL('../eval/corpus.json', import.meta.url).pathname);
    const order = fetchOrder(corpus.cases);
    expect(new Set(order).size).toBe(order.length);
    expect(new Set(order)).toEqual(new Set(corpus.cases.map((c) => c.repo)));
    const heldOut = new Set(corpus.cases.filter((c) => c.split === 'heldout').map((c) => c.repo));
    expect(order.slice(0, heldOut.size).every((r) => heldOut.has(r))).toBe(true);
  });
});

describe('eval sample order', () => {
  const corpus = loadCorpus(new URL('../eval/corpus.json', import.meta.url).pathname);
  const heldOut = new Set(corpus.cases.filter((c) => c.split === 'heldout').map((c) => c.repo));

  it('N held-out repositories, then N dev-only ones, each once, the same on every call', () => {
    const sample = sampleOrder(corpus.cases, 50);
    expect(sample).toHaveLength(100);
    expect(new Set(sample).size).toBe(100);
    expect(sample.slice(0, 50).every((r) => heldOut.has(r))).toBe(true);
    expect(sample.slice(50).some((r) => heldOut.has(r))).toBe(false);
    expect(sampleOrder([...corpus.cases].reverse(), 50)).toEqual(sample);
  });

  it('a larger sample extends a smaller one, so fetching more never changes what was drawn', () => {
    const small = sampleOrder(corpus.cases, 20);
    const large = sampleOrder(corpus.cases, 40);
    expect(large.slice(0, 20)).toEqual(small.slice(0, 20));
    expect(large.slice(40, 60)).toEqual(small.slice(20));
  });

  it('is not the corpus order', () => {
    const cases = [{ repo: 'a/1', split: 'heldout' }, { repo: 'a/2', split: 'heldout' }, { repo: 'a/3', split: 'heldout' }, { repo: 'a/4', split: 'heldout' }] as const;
    expect(sampleOrder(cases, 4)).not.toEqual(['a/1', 'a/2', 'a/3', 'a/4']);
    expect([...sampleOrder(cases, 4)].sort()).toEqual(['a/1', 'a/2', 'a/3', 'a/4']);
  });
});
