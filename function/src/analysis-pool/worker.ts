// A worker thread of the analysis pool: analyses the snapshots it is sent, one at a time. The
// analyser is pure (no I/O), so a job is exactly one call; the pool stops this thread when a job
// runs past its wall time.
import { parentPort } from 'node:worker_threads';
import { analyzeRepository } from '../analysis/analyze.js';
import type { AnalysisJob, AnalysisReply } from './pool.js';

// Loaded: the pool starts an analysis's wall time only from here (a thread's start-up is not the repository's fault).
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (job: AnalysisJob) => {
  let reply: AnalysisReply;
  try {
    reply = { id: job.id, analysis: analyzeRepository(job.snapshot, job.opts) };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
