// One git process, bounded: its own process group (killed whole, remote helpers too), a wall-clock
// limit, a cap on stdout, and an optional watcher that kills it when a directory outgrows a size.
import { spawn } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  /** Stop reading stdout beyond this many bytes (the command fails). */
  maxOutput?: number;
  input?: string;
  /** Kill git when this directory outgrows maxBytes. */
  watch?: { dir: string; maxBytes: number; what: string };
}

export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await dirBytes(p);
    else total += (await lstat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** Runs git in its own process group; resolves with stdout, rejects with a message from stderr. */
export function runGit(args: string[], o: RunOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: o.cwd, env: o.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let killed: string | undefined;
    const kill = (why: string) => {
      if (killed) return;
      killed = why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`timed out after ${o.timeoutMs} ms`), o.timeoutMs);
    let watching = false;
    const watcher = o.watch
      ? setInterval(() => {
          if (watching || !o.watch) return;
          watching = true;
          void dirBytes(o.watch.dir).then((n) => {
            watching = false;
            if (o.watch && n > o.watch.maxBytes) kill(`${o.watch.what} exceeded ${o.watch.maxBytes} bytes`);
          });
        }, 100)
      : undefined;
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (o.maxOutput !== undefined && outBytes > o.maxOutput) kill(`output exceeded ${o.maxOutput} bytes`);
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 8192) err += d.toString('utf8');
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
    child.on('error', (e) => {
      clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      reject(new Error(`cannot run git: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      if (killed) reject(new LimitError(killed));
      else if (code !== 0) reject(new Error(err.trim().split('\n').filter((l) => !l.startsWith('hint:')).join('; ') || `git ${args[0]} exited ${code}`));
      else resolve(Buffer.concat(out));
    });
  });
}

/** git was killed by one of the bounds; the message says which. */
export class LimitError extends Error {}
