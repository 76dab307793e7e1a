// PGlite takes no lock on its data directory: two processes opening the same directory both succeed
// and one's committed rows are silently lost. A lock file makes the second opener fail loudly instead.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'scai-rag.lock';

export class DirectoryLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(
      holderPid === process.pid
        ? `RAG data directory ${dir} is already open in this process; open it once and share the store`
        : `RAG data directory ${dir} is in use by process ${holderPid} (lock file ${join(dir, LOCK_FILE)}); ` +
          'stop that process or use another SCAI_RAG_DIR',
    );
    this.name = 'DirectoryLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else: still a holder.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DirLock {
  readonly path: string;
  release(): void;
}

/** Takes `<dir>/scai-rag.lock` (O_EXCL). A lock left by a dead process is taken over. */
export function lockDirectory(dir: string): DirLock {
  const path = join(resolve(dir), LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(path, { force: true });
      };
      // A crash leaves the file; the pid check above recovers from that. A normal exit cleans up.
      process.on('exit', release);
      return { path, release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DirectoryLockedError(resolve(dir), pid);
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`cannot take the lock ${path}: another process keeps recreating it`);
}
