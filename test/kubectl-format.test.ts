// What `kubectl scai` prints, from claims as the API server returns them (pure; the commands
// themselves run against a real API server in kubectl-scai.test.ts).
import { describe, expect, it } from 'vitest';
import { splitShortEquals } from '../function/src/cli/args.js';
import { age, explainText, historyTable, table } from '../function/src/cli/kube/format.js';

const now = new Date('2026-11-30T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

describe('kubectl scai output', () => {
  it('ages read like kubectl', () => {
    expect([5, 119, 125, 600, 7200, 5 * 3600 + 60, 30 * 3600, 3 * 86400 + 3600, 100 * 86400, 800 * 86400].map((s) => age(ago(s), now))).toEqual([
      '5s', '119s', '2m5s', '10m', '120m', '5h1m', '30h', '3d1h', '100d', '2y',
    ]);
    expect(age(undefined, now)).toBe('<unknown>');
  });

  it('tables pad columns three spaces apart, no trailing blanks', () => {
    expect(table(['A', 'LONGER'], [['xyz', ''], ['1', '2']])).toBe('A     LONGER\nxyz\n1     2\n');
  });

  it('explain without a decision says so and still shows the conditions', () => {
    const text = explainText({ metadata: { name: 'web', namespace: 'team-a' }, status: { conditions: [{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'spec.cloudProvider: CloudProvider "x" not found' }] } });
    expect(text).toContain('Phase:        Pending\n\nNo decision yet');
    expect(text).toMatch(/Synced +False +ReconcileError +spec.cloudProvider: CloudProvider "x" not found/);
    expect(text).not.toContain('Alternatives');
  });

  it('history marks entries written before revisions existed as not restorable', () => {
    const out = historyTable({ metadata: { name: 'web' }, spec: {}, status: { decision: { revision: 2 }, history: [{ decidedAt: 't0', strategy: 'vm', inputsHash: 'abc', estimatedMonthly: 1, engine: 'rules/v1' }, { revision: 2, decidedAt: 't1', strategy: 'vm', inputsHash: 'def', estimatedMonthly: 2, engine: 'rules/v2' }] } });
    expect(out.trimEnd().split('\n').slice(1).map((l) => l.split(/\s{3,}/))).toEqual([
      ['(1)', 't0', 'vm', '$1.00', 'rules/v1', 'abc', 'summary only: cannot roll back'],
      ['2', 't1', 'vm', '$2.00', 'rules/v2', 'def', 'current'],
    ]);
  });
});

describe('short options spelt -x=value (as kubectl accepts them)', () => {
  const options = { namespace: { type: 'string', short: 'n' }, output: { type: 'string', short: 'o' }, all: { type: 'boolean', short: 'A' } } as const;
  it('splits -n=team-b and -o=json into option and value, leaves the rest', () => {
    expect(splitShortEquals(['list', '-n=team-b', '-o=json', '--namespace=x', '-A'], options)).toEqual(['list', '-n', 'team-b', '-o', 'json', '--namespace=x', '-A']);
  });
  it('keeps an = inside the value, and operands after -- untouched', () => {
    expect(splitShortEquals(['-o=jsonpath={.a=b}', '--', '-n=x'], options)).toEqual(['-o', 'jsonpath={.a=b}', '--', '-n=x']);
  });
  it('does not split a boolean short flag', () => {
    expect(splitShortEquals(['-A=true'], options)).toEqual(['-A=true']);
  });
});
