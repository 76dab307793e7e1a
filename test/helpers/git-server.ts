// A real git smart-HTTP server on loopback for clone tests: `git http-backend` (CGI) behind a
// small Node http server. Repositories under `private/` need `Authorization: Basic` with the token.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: tmpdir() };
const AUTHOR = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...GIT_ENV, ...AUTHOR }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

export type Tree = Record<string, string | Buffer | { symlink: string }>;

export function writeTree(dir: string, files: Tree): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlink, full);
    else writeFileSync(full, content);
  }
}

export interface GitServer {
  url: string;
  port: number;
  root: string;
  token: string;
  /** Creates `<name>.git` (bare) with one commit per tree; returns the commits in order. */
  repo(name: string, commits: Tree[], opts?: { branch?: string; tag?: string }): string[];
  /** Adds a commit to an existing repo's branch; returns it. */
  push(name: string, files: Tree, branch?: string): string;
  requests: string[];
  close(): Promise<void>;
}

export async function startGitServer(): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'scai-git-srv-'));
  const work = mkdtempSync(join(tmpdir(), 'scai-git-work-'));
  const token = 'tok-' + Math.random().toString(36).slice(2);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname.startsWith('/private/')) {
      const expected = 'Basic ' + Buffer.from(`x-access-token:${token}`).toString('base64');
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
        res.end();
        return;
      }
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...GIT_ENV,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        // Partial clone (blob:limit) and fetching a commit by id, as GitHub allows.
        GIT_CONFIG_COUNT: '2',
        GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
        GIT_CONFIG_VALUE_0: 'true',
        GIT_CONFIG_KEY_1: 'uploadpack.allowAnySHA1InWant',
        GIT_CONFIG_VALUE_1: 'true',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headerDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headerDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headerDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
        else res.setHeader(k, v);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => res.end());
    cgi.on('error', () => res.end());
  });
  // Both stacks: tests reach it as 127.0.0.1 and as [::1].
  await new Promise<void>((r) => server.listen({ port: 0, host: '::', ipv6Only: false }, r));
  const port = (server.address() as AddressInfo).port;

  const commitTree = (wd: string, files: Tree, message: string): string => {
    writeTree(wd, files);
    git(wd, 'add', '-A');
    git(wd, 'commit', '-q', '--allow-empty', '-m', message);
    return git(wd, 'rev-parse', 'HEAD');
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    root,
    token,
    requests,
    repo(name, commits, opts = {}) {
      const wd = join(work, name);
      mkdirSync(wd, { recursive: true });
      git(wd, 'init', '-q', '-b', opts.branch ?? 'main');
      const shas = commits.map((files, i) => commitTree(wd, files, `c${i}`));
      if (opts.tag) git(wd, 'tag', '-a', opts.tag, '-m', opts.tag);
      const bare = join(root, `${name}.git`);
      mkdirSync(dirname(bare), { recursive: true });
      git(root, 'clone', '-q', '--bare', wd, bare);
      return shas;
    },
    push(name, files, branch = 'main') {
      const wd = join(work, name);
      const sha = commitTree(wd, files, 'more');
      git(wd, 'push', '-q', join(root, `${name}.git`), `HEAD:refs/heads/${branch}`);
      return sha;
    },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(root, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}
