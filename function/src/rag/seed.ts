// The day-1 corpus: reference deployments in seed/*.json, each with where its figures come from
// (source) and why its outcome is what it is (rationale). Seeded rows are dated SEED_DATE so that
// recency ranking lets a team's own recorded deployments overtake them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findUp } from '../../../lib/rag/paths.js';
import { checkRecord, RecordError, type DeploymentRecord } from '../../../lib/rag/record.js';

/** seed/*.json next to this module's source (tsc does not copy them into dist/). */
export const seedDir = (): string => findUp(join('function', 'src', 'rag', 'seed'));

export const SEED_DATE = '2026-01-01T00:00:00Z';

interface SeedEntry extends Omit<DeploymentRecord, 'deploymentUid' | 'decisionHash' | 'source'> {
  id: string;
  source: string;
  rationale: string;
}

export function loadSeed(dir = seedDir()): DeploymentRecord[] {
  const out: DeploymentRecord[] = [];
  const ids = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { records?: SeedEntry[] };
    if (!Array.isArray(doc.records)) throw new RecordError(`${file}.records`, 'must be a list');
    doc.records.forEach((e, i) => {
      const where = `${file}.records[${i}]`;
      for (const f of ['id', 'source', 'rationale'] as const) {
        if (typeof e[f] !== 'string' || !e[f].trim()) throw new RecordError(`${where}.${f}`, 'must be a non-empty string');
      }
      if (ids.has(e.id)) throw new RecordError(`${where}.id`, `"${e.id}" is used twice`);
      ids.add(e.id);
      const { id, source, rationale, ...rest } = e;
      const r: DeploymentRecord = {
        ...rest,
        deploymentUid: `seed:${id}`,
        decisionHash: 'seed',
        namespace: rest.namespace ?? 'seed',
        source: 'seed',
        createdAt: rest.createdAt ?? SEED_DATE,
        metadata: { reference: source, rationale },
      };
      checkRecord(r, where);
      out.push(r);
    });
  }
  return out;
}
