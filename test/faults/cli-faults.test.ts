// Issue 13 item 8: the CLI facing a data directory it cannot use: a clear message and a non-zero exit,
// never a hang (Node's recursive mkdir loops forever under /proc; a lock taken on a directory whose
// holder file cannot be written kept the process alive).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/fn.js';

const exec = promisify(execFile);
const scai = (...args: string[]) =>
  exec(process.execPath, ['bin/scai.js', ...args], { cwd: ROOT, timeout: 60_000 }).then(
    (r) => ({ code: 0, stderr: r.stderr, killed: false }),
    (e: { code?: number; stderr?: string; killed?: boolean }) => ({ code: e.code ?? -1, stderr: String(e.stderr), killed: !!e.killed }),
  );

describe('scai with an unusable --rag-dir', () => {
  it.each([
    [['rag', 'seed', '--rag-dir', '/proc/x'], /scai rag seed: cannot create the RAG data directory \/proc\/x: ENOENT/],
    [['decide', 'examples/claims/flask-app.yaml', '--repo-dir', '.', '--rag-dir', '/proc/x/y'], /scai: cannot create the RAG data directory \/proc\/x\/y/],
    [['rag', 'seed', '--rag-dir', '/proc/self'], /cannot write \/proc\/self\/scai-rag.lock: .*must be writable/],
    [['rag', 'seed', '--rag-dir', '/etc/hostname'], /\/etc\/hostname is not a directory/],
  ])('%j exits 1 naming the directory', async (args, message) => {
    const r = await scai(...args);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
