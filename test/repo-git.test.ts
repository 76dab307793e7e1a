// Fetching from a real git server (git http-backend behind a Node http server on loopback), with
// the loopback address allowlisted the way the function input does it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { AnalysisCache } from '../function/src/cache/analyses.js';
import { runFunction } from '../function/src/handler.js';
import { analyzeRepositoryRef } from '../function/src/pipeline/analyse.js';
import { gitSource } from '../function/src/repo/source.js';
import { claimToXr } from '../function/src/cli/claims.js';
import { claim, desiredStatus, request } from './helpers/fn.js';
import { startGitServer, type GitServer } from './helpers/git-server.js';

let srv: GitServer;
let commits: string[];
let privateCommit: string;
const allow = { allowedHosts: ['127.0.0.1'] };
const FLASK = {
  'requirements.txt': 'flask==3.0.3\npsycopg==3.1.19\n',
  'app.py': 'from flask import Flask\napp = Flask(__name__)\n\n@app.get("/healthz")\ndef h():\n    return "ok"\n',
};

beforeAll(() => {
  return startGitServer().then((s) => {
    srv = s;
    commits = srv.repo(
      'shop',
      [
        { ...FLASK, 'services/api/go.mod': 'module example.com/api\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.1.0\n', 'services/api/main.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":9000", nil) }\n' },
        {
          'README.md': 'second commit\n',
          'escape': { symlink: '/etc' },
          'leak.txt': { symlink: '../../../../etc/passwd' },
          'services/link': { symlink: 'api' },
          'huge.json': Buffer.alloc(2 * 1024 * 1024, 0x61),
        },
      ],
      { tag: 'v1.0.0' },
    );
    [privateCommit] = srv.repo('private/secret', [{ 'go.mod': 'module example.com/secret\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n', 'main.go': 'package main\n\nfunc main() {}\n' }]) as [string];
  });
});
afterAll(() => srv?.close());

describe('git fetch from a loopback server', () => {
  it('fetches the default branch shallowly, records the commit, skips symlinks and oversized files', async () => {
    const snap = await gitSource(allow).load({ url: `${srv.url}/shop.git` });
    // The same repository through an IPv6 literal host (allowlisted: ::1 is loopback).
    const v6 = await gitSource({ allowedHosts: ['::1'] }).load({ url: `http://[::1]:${srv.port}/shop.git` });
    expect(v6.commit).toBe(snap.commit);
    expect(snap.commit).toBe(commits[1]);
    expect([...snap.files.keys()].sort()).toEqual(['README.md', 'app.py', 'requirements.txt', 'services/api/go.mod', 'services/api/main.go']);
    expect(snap.notes).toEqual([
      { fact: 'skipped 1 file(s) over 262144 bytes', source: 'rule:snapshot-limits' },
      { fact: 'skipped 3 symlink(s), never followed: escape, leak.txt, services/link', source: 'rule:snapshot-links-and-devices' },
    ]);
    const a = analyzeRepository(snap);
    expect(a).toMatchObject({ framework: 'flask', stateful: ['postgres'], healthCheckPath: '/healthz' });
  });

  it('honours ref as branch, tag or commit SHA, and path as a subdirectory', async () => {
    const src = gitSource(allow);
    expect((await src.load({ url: `${srv.url}/shop.git`, ref: 'main' })).commit).toBe(commits[1]);
    expect((await src.load({ url: `${srv.url}/shop.git`, ref: 'v1.0.0' })).commit).toBe(commits[1]);
    const old = await src.load({ url: `${srv.url}/shop.git`, ref: commits[0] as string });
    expect(old.commit).toBe(commits[0]);
    expect(old.files.has('README.md')).toBe(false);
    const sub = await src.load({ url: `${srv.url}/shop.git`, path: 'services/api' });
    expect([...sub.files.keys()].sort()).toEqual(['go.mod', 'main.go']);
    expect(analyzeRepository(sub)).toMatchObject({ language: 'go', framework: 'chi', port: 9000 });
    expect(await src.resolve?.({ url: `${srv.url}/shop.git`, ref: 'v1.0.0' })).toBe(commits[1]);
  });

  it('refuses a path through a symlink, a missing path and a missing ref, naming the field', async () => {
    const src = gitSource(allow);
    await expect(src.load({ url: `${srv.url}/shop.git`, path: 'services/link' })).rejects.toThrow(/spec\.repository\.path "services\/link" is not a directory/);
    await expect(src.load({ url: `${srv.url}/shop.git`, path: 'nope' })).rejects.toThrow(/spec\.repository\.path "nope"/);
    await expect(src.load({ url: `${srv.url}/shop.git`, ref: 'no-such-branch' })).rejects.toThrow(/spec\.repository\.ref "no-such-branch" does not exist/);
    await expect(src.resolve?.({ url: `${srv.url}/shop.git`, ref: 'no-such-branch' })).rejects.toThrow(/spec\.repository\.ref "no-such-branch" does not exist/);
  });

  it('refuses the loopback server unless the function input allowlists it', async () => {
    await expect(gitSource().load({ url: `${srv.url}/shop.git` })).rejects.toThrow(/resolves to 127\.0\.0\.1.*spec\.repositories\.allowedHosts/);
    const before = srv.requests.length;
    await expect(gitSource({ allowedHosts: ['10.0.0.0/8'] }).load({ url: `${srv.url}/shop.git` })).rejects.toThrow(/allowedHosts/);
    expect(srv.requests.length).toBe(before); // refused before any connection
  });

  it('bounds the tree size and the fetched bytes', async () => {
    srv.repo('many', [Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f/${i}.txt`, `${i}\n`]))]);
    await expect(gitSource({ ...allow, limits: { maxTreeEntries: 500 } }).load({ url: `${srv.url}/many.git` })).rejects.toThrow(/more than 500 entries.*maxTreeEntries/);
    // Random bytes do not compress: the pack itself is large, and git is killed mid-fetch.
    srv.repo('bulky', [{ 'blob.bin': Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, () => Math.floor(Math.random() * 256))) }]);
    await expect(gitSource({ ...allow, limits: { maxFetchBytes: 1024 * 1024, maxFileBytes: 8 * 1024 * 1024 } }).load({ url: `${srv.url}/bulky.git` })).rejects.toThrow(/maxFetchBytes\) exceeded 1048576 bytes/);
  });

  it('fetches a private repository only with the token from the pipeline credential', async () => {
    const repository = { url: `${srv.url}/private/secret.git`, secretRef: { name: 'repo-creds' } };
    const deps = { repos: gitSource(allow), analyze: analyzeRepository };
    await expect(analyzeRepositoryRef({ repository: { url: repository.url } }, deps)).rejects.toThrow(/needs credentials: set spec\.repository\.secretRef/);
    await expect(analyzeRepositoryRef({ repository }, deps)).rejects.toThrow(/no pipeline credential named "repo-creds"/);
    const wrong = analyzeRepositoryRef({ repository, credentials: { 'repo-creds': { token: Buffer.from('nope') } } }, deps);
    await expect(wrong).rejects.toThrow(/credentials of spec\.repository\.secretRef were refused/);
    await wrong.catch((e: Error) => expect(e.message).not.toContain('nope'));
    const { analysis } = await analyzeRepositoryRef({ repository, credentials: { 'repo-creds': { token: Buffer.from(srv.token) } } }, deps);
    expect(analysis).toMatchObject({ commit: privateCommit, framework: 'gin' });
    expect(JSON.stringify(analysis)).not.toContain(srv.token);
  });

  it('answers a re-analysis of the same commit from the cache without fetching', async () => {
    const cache = new AnalysisCache({ maxEntries: 8 });
    const deps = { repos: gitSource(allow), analyze: analyzeRepository, cache };
    const req = { repository: { url: `${srv.url}/shop.git`, ref: 'main' } };
    const first = await analyzeRepositoryRef(req, deps);
    const packs = () => srv.requests.filter((r) => r.startsWith('POST') && r.endsWith('git-upload-pack')).length;
    const before = packs();
    const second = await analyzeRepositoryRef(req, deps);
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.analysis).toEqual(first.analysis);
    // ls-remote is one upload-pack round trip (protocol v2 ls-refs); a fetch would be more.
    expect(packs() - before).toBe(1);
  });
});

describe('the function with a private repository and spec.repository.followBranch', () => {
  const input = { apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { repositories: { allowedHosts: ['127.0.0.1'] } } };
  const repo = () => ({ url: `${srv.url}/private/follow.git`, ref: 'main', secretRef: { name: 'repo-creds' } });
  const withCreds = (r: ReturnType<typeof request>) => {
    r.credentials = { 'repo-creds': { credentialData: { data: { token: Buffer.from(srv.token) } } } };
    return r;
  };

  it('decides from the pipeline credential, stays pinned without followBranch, re-decides with it when the branch moves', async () => {
    const c1 = srv.repo('private/follow', [FLASK])[0];
    const deps = { repos: gitSource() };
    const pinnedXr = claimToXr(claim({ repository: repo() }));
    const first = await runFunction(withCreds(request({ xr: pinnedXr, input })), deps);
    expect(first.result.results.map((r) => r.severity)).not.toContain('fatal');
    const status = desiredStatus(first.rsp);
    expect(status.decision.commit).toBe(c1);
    expect(JSON.stringify(first.rsp)).not.toContain(srv.token);

    const c2 = srv.push('private/follow', { 'README.md': 'moved\n' });
    const stay = await runFunction(withCreds(request({ xr: pinnedXr, status, input })), deps);
    expect(stay.result.conditions.find((c) => c.type === 'DecisionReady')?.reason).toBe('Pinned');

    const followXr = claimToXr(claim({ repository: { ...repo(), followBranch: true } }));
    const moved = await runFunction(withCreds(request({ xr: followXr, status, input })), deps);
    expect(moved.result.results.find((r) => r.reason === 'BranchMoved')?.message).toContain(c2.slice(0, 12));
    expect(desiredStatus(moved.rsp).decision.commit).toBe(c2);
    const again = await runFunction(withCreds(request({ xr: followXr, status: desiredStatus(moved.rsp), input })), deps);
    expect(again.result.conditions.find((c) => c.type === 'DecisionReady')?.reason).toBe('Pinned');
  });
});
