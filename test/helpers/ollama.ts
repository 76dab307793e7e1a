// A real Ollama server (built by scripts/install-ollama.sh into .tools/bin/ollama) on a free
// loopback port, serving the models installed in .tools/ollama-models (the SmolLM2-135M model the
// script creates). Missing pieces throw: the LLM tests fail, never skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitFor } from './kube.js';

const ROOT = join(import.meta.dirname, '..', '..');
export const OLLAMA_BIN = join(ROOT, '.tools', 'bin', 'ollama');
export const OLLAMA_MODELS = join(ROOT, '.tools', 'ollama-models');
const STAMPS = join(ROOT, '.tools', 'stamps');

/** The model an install-ollama.sh part created (its stamp's second line names it). */
function stampedModel(stamp: string): string {
  const file = join(STAMPS, stamp);
  if (!existsSync(OLLAMA_BIN)) throw new Error(`${OLLAMA_BIN} is missing: run bash scripts/install-ollama.sh`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run bash scripts/install-ollama.sh`);
  const name = readFileSync(file, 'utf8').split('\n')[1]?.trim();
  if (!name) throw new Error(`${file} names no model: run bash scripts/install-ollama.sh`);
  return name;
}

/** The chat model (SmolLM2-135M). */
export function installedModel(): string {
  return stampedModel('ollama-model');
}

/** The embedding model (all-MiniLM-L6-v2 imported from safetensors). */
export function installedEmbedModel(): string {
  return stampedModel('ollama-embed-model');
}

export interface OllamaServer {
  host: string;
  port: number;
  model: string;
  pid: number;
  output(): string;
  /** Requests the server itself logged for a path (its GIN access log), e.g. '/api/chat'. */
  requests(path: string): number;
  /** SIGKILL, as a crash would: calls in flight fail, later calls find nothing listening. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOllama(): Promise<OllamaServer> {
  const model = installedModel();
  const port = await freePort();
  const host = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const proc: ChildProcess = spawn(OLLAMA_BIN, ['serve'], {
    env: {
      ...process.env,
      OLLAMA_HOST: `127.0.0.1:${port}`,
      OLLAMA_MODELS,
      OLLAMA_NOPRUNE: '1',
      OLLAMA_NUM_PARALLEL: '1',
      OLLAMA_MAX_LOADED_MODELS: '1',
      OLLAMA_KEEP_ALIVE: '10m',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the model runner it spawns goes down with it (kill(-pid)).
    detached: true,
  });
  const counts = new Map<string, number>();
  let partial = '';
  const take = (d: Buffer) => {
    const text = partial + d.toString();
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      const m = /\[GIN\].*\|\s*(?:GET|POST|HEAD|DELETE)\s+"([^"]+)"/.exec(l);
      if (m?.[1]) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
    }
    log.push(d.toString());
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  proc.stdout?.on('data', take);
  proc.stderr?.on('data', take);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const output = () => log.join('').slice(-4000);
  try {
    await waitFor('ollama serve', async () => proc.exitCode === null && (await fetch(`${host}/api/version`)).ok, 30_000);
  } catch (e) {
    try {
      process.kill(-(proc.pid as number), 'SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
    throw new Error(`${(e as Error).message}\n${output()}`, { cause: e });
  }
  const end = async (sig: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(-(proc.pid as number), sig);
      } catch {
        proc.kill(sig);
      }
    }
    await exited;
  };
  return { host, port, model, pid: proc.pid as number, output, requests: (path) => counts.get(path) ?? 0, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
