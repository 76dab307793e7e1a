// scai tenant: the onboarding kit it prints, and its refusals of a bad command line.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_MAX_DEPLOYMENTS, DEPLOYMENT_QUOTA_KEY, run } from '../function/src/cli/commands/tenant.js';

async function tenant(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err, docs: parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean) };
}

describe('scai tenant', () => {
  it('prints Namespace, ResourceQuota, NetworkPolicy and the deployer RoleBinding (viewer only when asked)', async () => {
    const r = await tenant('team-a', '--group', 'team-a-devs');
    expect(r.code).toBe(0);
    expect(r.docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Namespace/team-a', 'ResourceQuota/scai', 'NetworkPolicy/default-deny', 'RoleBinding/scai-deployer']);
    expect(r.docs[1].spec.hard).toEqual({ [DEPLOYMENT_QUOTA_KEY]: String(DEFAULT_MAX_DEPLOYMENTS) });
    expect(DEPLOYMENT_QUOTA_KEY).toBe('count/deployments.scai.io');
    expect(r.docs[3].subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'team-a-devs' }]);
    const v = await tenant('team-a', '--group', 'g', '--viewer-group', 'x', '--viewer-group', 'y', '--max-deployments', '0');
    expect(v.docs[4]).toMatchObject({ kind: 'RoleBinding', roleRef: { name: 'scai-viewer' }, subjects: [{ name: 'x' }, { name: 'y' }] });
    expect(v.docs[1].spec.hard[DEPLOYMENT_QUOTA_KEY]).toBe('0');
  });

  it('refuses a bad command line with exit 2 and says why', async () => {
    for (const [argv, msg] of [
      [['team-a'], '--group is required'],
      [['Team_A', '--group', 'g'], 'namespace "Team_A" is not a DNS-1123 label'],
      [['team-a', '--group', 'g', '--max-deployments=-1'], '--max-deployments must be a whole number >= 0, got "-1"'],
      [['team-a', '--group', 'g', '--max-deployments', 'many'], 'got "many"'],
      [['--group', 'g'], 'expected one namespace'],
    ] as const) {
      const r = await tenant(...argv);
      expect([r.code, r.out, r.err]).toEqual([2, '', expect.stringContaining(msg)]);
    }
  });
});
