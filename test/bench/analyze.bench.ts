// npm run bench: the analyser on a 5,000-file repository — cold (read + analyse), cached (the
// function's analysis cache hit) — and clone+analyse from a loopback git server, each next to a
// baseline measured in the same run: a plain recursive directory walk reading every file, and
// a plain `git clone --depth 1` of the same repository.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRepository } from '../../function/src/analysis/analyze.js';
import { AnalysisCache } from '../../function/src/cache/analyses.js';
import { analyzeRepositoryRef } from '../../function/src/pipeline/analyse.js';
import { gitSource, localDirSource } from '../../function/src/repo/source.js';
import { startGitServer, writeTree } from '../helpers/git-server.js';

const N = Number(process.env.BENCH_N_ANALYZE ?? 3);
const FILES = 5000;

function tree(): Record<string, string> {
  const files: Record<string, string> = {
    'pyproject.toml': '[project]\nname = "big"\nrequires-python = ">=3.11"\ndependencies = ["fastapi>=0.110", "uvicorn==0.29.0", "psycopg==3.1.19", "redis>=5"]\n',
    'app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/healthz")\ndef h():\n    return {}\n',
    Dockerfile: 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n',
  };
  for (let i = Object.keys(files).length; i < FILES; i++) {
    files[`app/pkg${i % 50}/mod${i}.py`] = `# module ${i}\n` + 'def f(x):\n    return x + 1\n'.repeat(20);
  }
  return files;
}

function walk(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) bytes += e.name === '.git' ? 0 : walk(p);
    else if (e.isFile()) bytes += readFileSync(p).length;
  }
  return bytes;
}

async function time(n: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t) / 1e6 / n;
}

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
const dir = mkdtempSync(join(tmpdir(), 'scai-bench-analyze-'));
const srv = await startGitServer();
try {
  const files = tree();
  writeTree(dir, files);
  const repo = { url: 'ignored' };
  const baselineWalk = await time(N, () => walk(dir));
  const readOnly = await time(N, () => localDirSource(dir).load(repo));
  const snapshot = await localDirSource(dir).load(repo);
  const analyseOnly = await time(N, () => analyzeRepository(snapshot));
  const cold = await time(N, async () => analyzeRepository(await localDirSource(dir).load(repo)));
  const cache = new AnalysisCache({ maxEntries: 16 });
  srv.repo('big', [files]);
  const url = `${srv.url}/big.git`;
  const deps = { repos: gitSource({ allowedHosts: ['127.0.0.1'] }), analyze: analyzeRepository, cache };
  const first = await analyzeRepositoryRef({ repository: { url } }, deps);
  if (first.analysis.framework !== 'fastapi' || first.cached) throw new Error(`unexpected analysis: ${JSON.stringify(first.analysis).slice(0, 200)}`);
  const cached = await time(N, async () => {
    const r = await analyzeRepositoryRef({ repository: { url } }, deps);
    if (!r.cached) throw new Error('expected a cache hit');
  });
  const cloneN = Math.max(3, Math.floor(N / 2));
  // Async: the git server answers from this same process, a sync child would deadlock it.
  const plainClone = await time(cloneN, async () => {
    const target = mkdtempSync(join(tmpdir(), 'scai-bench-clone-'));
    await promisify(execFile)('git', ['clone', '-q', '--depth', '1', url, target], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
    rmSync(target, { recursive: true, force: true });
  });
  const cloneAnalyse = await time(cloneN, () => analyzeRepositoryRef({ repository: { url } }, { ...deps, cache: undefined }));

  console.log(`repository: ${FILES} files, ${snapshot.files.size} read, ${(Object.values(files).reduce((n, t) => n + t.length, 0) / 1024).toFixed(0)} KiB; ${N} runs (clone: ${cloneN})`);
  console.log(`baseline  plain directory walk (readdir + readFile)  ${fmt(baselineWalk)}`);
  console.log(`          snapshot read (limits, symlink checks)     ${fmt(readOnly)}  (${(readOnly / baselineWalk).toFixed(2)}x walk)`);
  console.log(`          analyse an in-memory snapshot              ${fmt(analyseOnly)}`);
  console.log(`cold      read + analyse                             ${fmt(cold)}  (${(cold / baselineWalk).toFixed(2)}x walk)`);
  console.log(`cached    resolve (git ls-remote) + cache hit        ${fmt(cached)}  (${(cached / cold).toFixed(2)}x cold)`);
  console.log(`baseline  plain git clone --depth 1 (loopback http)  ${fmt(plainClone)}`);
  console.log(`clone     resolve + fetch + read + analyse           ${fmt(cloneAnalyse)}  (${(cloneAnalyse / plainClone).toFixed(2)}x plain clone)`);
  // Huge manifests: each dependency's line used to be searched from the section start (quadratic:
  // 20k package.json dependencies took ≈ 20 s on the event loop). Baseline: JSON.parse of the same text.
  for (const [file, n, make] of [
    ['package.json', 20_000, (deps: Record<string, string>) => JSON.stringify({ name: 'big', scripts: { start: 'node server.js' }, dependencies: { express: '4', ...deps } }, null, 2)],
    ['composer.json', 16_000, (deps: Record<string, string>) => JSON.stringify({ require: deps }, null, 2)],
  ] as const) {
    const deps = Object.fromEntries(Array.from({ length: n }, (_, i) => [file === 'composer.json' ? `vendor/pkg-${i}` : `pkg-${i}`, '^1.0.0']));
    const text = make(deps);
    const big = { files: new Map([[file, text], ['server.js', "require('express')().listen(3000)"]]) };
    const parse = await time(N, () => JSON.parse(text));
    const analyse = await time(N, () => analyzeRepository(big));
    console.log(`huge      ${file} with ${n} dependencies: analyse ${fmt(analyse)} (JSON.parse alone ${fmt(parse)}, ${(analyse / parse).toFixed(1)}x)`);
  }
} finally {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
}
