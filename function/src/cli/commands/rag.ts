// scai rag seed | import <file> | stats | reindex — manage the RAG store the function retrieves from.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseCommandLine, type Io } from '../args.js';
import { fromV1, v1Rows } from '../../rag/import-v1.js';
import { storeLocation } from '../../../../lib/rag/location.js';
import type { DeploymentRecord } from '../../../../lib/rag/record.js';
import { openStore } from '../../rag/open.js';
import { loadSeed } from '../../rag/seed.js';
import type { RagStore } from '../../rag/store.js';

export const usage = `Usage: scai rag <subcommand> [flags]

Subcommands:
  seed            load the built-in reference deployments (idempotent)
  import <file>   import the v1 CLI's deployments table exported as JSON
  stats           records, outcomes, embedding model, indexes, size
  reindex         re-embed records the configured model has not embedded (all of them after a model
                  change); --ivfflat also builds an IVFFlat index (lists ≈ √rows) next to HNSW

Flags:
  --rag-dir <dir>        embedded store directory (default $SCAI_RAG_DIR or ~/.scai/rag)
  --database-url <url>   a PostgreSQL server with pgvector instead (default $SCAI_DATABASE_URL)
  --json                 stats: print JSON
  --ivfflat              reindex: build the optional IVFFlat index too
  -h, --help             this text

Embedding model: an Ollama server's /api/embed when $SCAI_EMBED_OLLAMA_HOST is set (model
$SCAI_EMBED_OLLAMA_MODEL, default scai-minilm:l6-v2), else all-MiniLM-L6-v2 when $SCAI_MODEL_DIR
holds Xenova/all-MiniLM-L6-v2, else the bundled Universal Sentence Encoder lite. Nothing is downloaded.`;


type Sub = 'seed' | 'import' | 'stats' | 'reindex';
const SUBS: readonly Sub[] = ['seed', 'import', 'stats', 'reindex'];

async function withStore<T>(o: { ragDir?: string; databaseUrl?: string }, fn: (s: RagStore) => Promise<T>): Promise<T> {
  const store = await openStore(o);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function formatStats(s: Awaited<ReturnType<RagStore['stats']>>): string {
  const kv = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') || '-';
  const m = s.model;
  return [
    `store:      ${s.backend} ${s.location}`,
    `records:    ${s.records} (${kv(s.byOutcome)})`,
    `sources:    ${kv(s.bySource)}`,
    `strategies: ${kv(s.byStrategy)}`,
    `model:      ${m.recorded ? `${m.recorded.model} (${m.recorded.dimension}-d)` : 'none'}${m.matches ? '' : ` — configured ${m.current.model} (${m.current.dimension}-d): run scai rag reindex`}`,
    ...(s.withoutEmbedding ? [`unembedded: ${s.withoutEmbedding}`] : []),
    `indexes:    ${s.indexes.join(', ')}`,
    `migrations: ${s.migrations.join(', ')}`,
    `size:       ${(s.databaseBytes / 1048576).toFixed(1)} MiB`,
  ].join('\n') + '\n';
}

export async function run(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(
    'scai rag',
    argv,
    {
      'rag-dir': { type: 'string' },
      'database-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      ivfflat: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    usage,
    io,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  if (values.help) {
    io.out(usage + '\n');
    return 0;
  }
  if (!sub || !(SUBS as readonly string[]).includes(sub)) {
    io.err(`scai rag: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${usage}\n`);
    return 2;
  }
  const expected = sub === 'import' ? 1 : 0;
  if (args.length !== expected) {
    io.err(`scai rag ${sub}: expected ${expected === 1 ? 'one file' : 'no arguments'}\n`);
    return 2;
  }
  const where = { ...(values['rag-dir'] ? { ragDir: values['rag-dir'] } : {}), ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) };
  // Only seed and import create a store: stats or reindex of a mistyped directory must not make an empty one.
  const location = storeLocation(where);
  if ((sub === 'stats' || sub === 'reindex') && location.kind === 'pglite' && !existsSync(location.dir)) {
    io.err(`scai rag ${sub}: no RAG store in ${location.dir} (seed or import creates one)\n`);
    return 1;
  }
  try {
    switch (sub as Sub) {
      case 'seed': {
        const records = loadSeed();
        const r = await withStore(where, (s) => s.upsert(records, 'seed'));
        io.out(`seeded ${records.length} reference deployments (${r.inserted} new, ${r.updated} updated) into ${describe(where)}\n`);
        return 0;
      }
      case 'import': {
        const file = args[0] as string;
        let doc: unknown;
        try {
          doc = JSON.parse(await readFile(file, 'utf8'));
        } catch (e) {
          io.err(`scai rag import: cannot read ${file}: ${(e as Error).message}\n`);
          return 1;
        }
        const mapped = v1Rows(doc).map(fromV1);
        const records = mapped.map((m) => m.record).filter((r): r is DeploymentRecord => !!r);
        const skipped = mapped.map((m) => m.skipped).filter((s): s is string => !!s);
        const r = records.length ? await withStore(where, (s) => s.upsert(records, 'import')) : { inserted: 0, updated: 0 };
        io.out(`imported ${records.length} of ${mapped.length} v1 deployments (${r.inserted} new, ${r.updated} updated)\n`);
        for (const s of skipped) io.out(`skipped ${s}\n`);
        return 0;
      }
      case 'stats': {
        const st = await withStore(where, (s) => s.stats());
        io.out(values.json ? JSON.stringify(st, null, 2) + '\n' : formatStats(st));
        return 0;
      }
      case 'reindex': {
        const r = await withStore(where, async (s) => ({ ...(await s.reindex()), ivf: values.ivfflat ? await s.buildIvfflat() : undefined }));
        io.out(`re-embedded ${r.reembedded} records with ${r.model}\n`);
        if (r.ivf) io.out(`built IVFFlat with lists=${r.ivf.lists} (query probes=${r.ivf.probes})\n`);
        return 0;
      }
    }
  } catch (e) {
    io.err(`scai rag ${sub}: ${(e as Error).message}\n`);
    return 1;
  }
  return 2;
}

function describe(o: { ragDir?: string; databaseUrl?: string }): string {
  const l = storeLocation(o);
  return l.kind === 'pg' ? 'the PostgreSQL store' : l.dir;
}
