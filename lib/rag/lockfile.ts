// One process owns an embedded RAG directory. PGlite takes no lock of its own: two processes that open
// one directory both succeed, and one's committed rows are silently lost (or the directory becomes
// unopenable). So the owner holds an exclusive kernel lock (flock(2)) on the data directory itself:
//   - no check-then-act window: the kernel grants the lock to exactly one opener;
//   - it dies with its process: the lock is held by a small `flock` child whose stdin is our pipe;
//     when we exit or are killed, the pipe closes, the child exits and the kernel releases the lock,
//     so a crash never locks the store for good, whatever PID the restarted process gets;
//   - it is on the directory, not on a file in it: deleting a lock file let a second opener lock a
//     new file while the first still wrote; the directory cannot be replaced under its data.
//   `<dir>/scai-rag.lock` only names the holder for error messages; it is never removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'scai-rag.lock';
/** flock's exit code when the lock is held by someone else (--conflict-exit-code). */
const HELD = 75;
/** A killed holder's `flock` child needs a moment to see its pipe close: retry for this long. */
export const TAKEOVER_MS = 2_000;

/** Directories this process holds: a second open here is a programming error, not another owner. */
const heldHere = new Set<string>();

export class DirectoryLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: string,
    here: boolean,
  ) {
    super(
      here
        ? `RAG data directory ${dir} is already open in this process; open it once and share the store`
        : `RAG data directory ${dir} is in use by ${holder || 'another process'} (it holds the directory's lock; see ${join(dir, LOCK_FILE)}); stop that process or use another SCAI_RAG_DIR`,
    );
    this.name = 'DirectoryLockedError';
  }
}

export interface DirLock {
  readonly path: string;
  /** Releases the lock; resolves once the kernel has released it. */
  release(): Promise<void>;
}

function tryLock(path: string): Promise<{ child: ChildProcess } | 'held'> {
  return new Promise((done, fail) => {
    const child = spawn('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', String(HELD), path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.once('data', () => done({ child }));
    child.once('error', (e) => fail(new Error(`cannot lock ${path}: ${e.message} (the flock command of util-linux is needed)`, { cause: e })));
    child.once('exit', (code) => (code === HELD ? done('held') : fail(new Error(`cannot lock ${path}: flock exited ${code}${err ? `: ${err.trim()}` : ''}`))));
  });
}

/**
 * Takes the directory's lock, or throws DirectoryLockedError naming the holder. `waitMs`: how long a
 * held lock is retried (a killed holder's lock goes within it); 0 tries once.
 */
export async function lockDirectory(dir: string, waitMs = TAKEOVER_MS): Promise<DirLock> {
  const abs = resolve(dir);
  const path = join(abs, LOCK_FILE);
  if (heldHere.has(abs)) throw new DirectoryLockedError(abs, `process ${process.pid}`, true);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const got = await tryLock(abs);
    if (got !== 'held') {
      const { child } = got;
      try {
        writeFileSync(path, `pid ${process.pid} on ${hostname()} since ${new Date().toISOString()}\n`);
      } catch (e) {
        // Not a writable data directory (/proc/self …): let the lock go, or it keeps us alive.
        child.stdin?.end();
        child.kill('SIGTERM');
        throw new Error(`cannot write ${path}: ${(e as Error).message}; the RAG data directory must be writable`, { cause: e });
      }
      heldHere.add(abs);
      // The child and its pipes must not keep this process alive; the lock lives exactly as long as we do.
      child.unref();
      for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
      let released: Promise<void> | undefined;
      return {
        path,
        release: () =>
          (released ??= new Promise<void>((done) => {
            heldHere.delete(abs);
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            // Waiting for the exit must keep this process alive (the child was unref'd while held).
            child.ref();
            child.stdin?.end();
            child.kill('SIGTERM');
          })),
      };
    }
    if (Date.now() >= deadline) {
      let holder = '';
      try {
        holder = readFileSync(path, 'utf8').trim();
      } catch {
        // unreadable: say only that it is held
      }
      throw new DirectoryLockedError(abs, holder, false);
    }
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
  }
}
