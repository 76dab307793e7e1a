// One writer of the durability test (durability.test.ts), killed with SIGKILL at a random moment.
// argv: <dist dir> <pglite dir | postgres URL> <seed|import|record|reindex>. Prints "committed <uid>"
// (one line per row) only after the transaction holding it has committed. Plain JS on dist/ so that it
// starts fast; a hashed bag-of-words embedder so that no model loads.
import { createHash } from 'node:crypto';
const [dist, where, op] = process.argv.slice(2);
const { openStore } = await import(`${dist}/function/src/rag/open.js`);
const { loadSeed } = await import(`${dist}/function/src/rag/seed.js`);
const { fromV1 } = await import(`${dist}/function/src/rag/import-v1.js`);

const embedder = {
  model: 'test-hash-64',
  dimension: 64,
  async warm() {},
  async embed(texts) {
    return texts.map((t) => {
      const v = new Array(64).fill(0);
      for (const w of t.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) v[createHash('sha256').update(w).digest().readUInt32BE(0) % 64] += 1;
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    });
  },
};
const store = await openStore({ ...(where.includes('://') ? { databaseUrl: where } : { ragDir: where }), embedder });
const out = (uids) => process.stdout.write(uids.map((u) => `committed ${u}\n`).join(''));
process.stdout.write('open\n');
const record = (uid) => ({ deploymentUid: uid, decisionHash: `h-${uid}`, name: uid, namespace: 'team-a', framework: 'flask', language: 'python', dependencies: ['flask'], intent: 'Flask API', strategy: 'vm', cloud: 'aws', region: 'us-east-1', outcome: 'success', costMonthly: 20 });
const tag = `${process.pid}`;

for (let i = 0; ; i++) {
  if (op === 'seed') {
    const rows = loadSeed().map((r) => ({ ...r, deploymentUid: `${r.deploymentUid}-${tag}-${i}` }));
    await store.upsert(rows, 'seed');
    out(rows.map((r) => r.deploymentUid));
  } else if (op === 'import') {
    const v1 = Array.from({ length: 25 }, (_, j) => ({ id: `${tag}-${i}-${j}`, app_name: `app-${j}`, framework: 'flask', language: 'python', strategy: 'vm', cloud: 'aws', region: 'us-east-1', status: 'success', cost_monthly: 12, created_at: '2025-01-01T00:00:00Z' }));
    const rows = v1.map(fromV1).map((m) => m.record).filter(Boolean);
    if (rows.length === 0) throw new Error('the v1 rows did not map: fix the fixture');
    await store.upsert(rows, 'import');
    out(rows.map((r) => r.deploymentUid));
  } else if (op === 'record') {
    const uid = `rec-${tag}-${i}`;
    await store.recordOutcome(record(uid));
    out([uid]);
    await store.recordFeedback({ deploymentUid: uid, decisionHash: `h-${uid}` }, 1);
  } else if (op === 'reindex') {
    // Rows written without a vector (as the controller writes them), then embedded by reindex.
    const rows = Array.from({ length: 50 }, (_, j) => record(`ri-${tag}-${i}-${j}`));
    await store.db.transaction((tx) => store.upsertEmbedded(rows.map((r) => ({ record: r, content: `${r.framework} ${r.intent} ${r.deploymentUid}`, embedding: null })), tx));
    out(rows.map((r) => r.deploymentUid));
    await store.reindex();
  } else {
    throw new Error(`unknown op ${op}`);
  }
}
