// `node dist/operator/src/main.js`: the scai controller. Configuration from the environment (see
// config.ts and operator/deploy/deployment.yaml); the RAG store from SCAI_DATABASE_URL or SCAI_RAG_DIR.
import { loadConfig } from './config.js';
import { ragOutcomeSink } from './rag-sink.js';
import { runController } from './run.js';

const cfg = loadConfig();
const running = await runController(cfg, { sink: ragOutcomeSink() });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void running.stop(sig));
process.exit(await running.done);
