// Repository access without a network: URL and destination checks, snapshot limits on hostile
// trees, credentials, the analysis cache, and the function input's repositories settings.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalysisCache, cacheKey } from '../function/src/cache/analyses.js';
import { REPOSITORY_DEFAULTS, defaultSettings } from '../function/src/api/input.js';
import { authFingerprint, authFromCredentials } from '../function/src/repo/credentials.js';
import { redact } from '../function/src/repo/git.js';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { planSnapshot } from '../function/src/repo/snapshot.js';
import { gitSource, localDirSource, safeSubpath } from '../function/src/repo/source.js';
import { checkDestination, isInternalAddress, parseRepoUrl } from '../function/src/repo/url.js';
import { readYamlDocs } from './helpers/crd-validate.js';
import { analysis } from './helpers/analysis.js';
import { writeTree } from './helpers/git-server.js';

const tmp = mkdtempSync(join(tmpdir(), 'scai-repo-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('repository URLs', () => {
  it.each([
    ['file:///etc', /local repositories/],
    ['/srv/repo.git', /local repositories/],
    ['./repo', /local repositories/],
    ['ext::sh -c touch% /tmp/pwned', /whitespace|remote-helper/],
    ['ext::git-upload-pack', /remote-helper transports/],
    ['fd::17', /remote-helper transports/],
    ['--upload-pack=touch /tmp/x', /starts with "-"|whitespace/],
    ['git://github.com/acme/web.git', /transport git:\/\/ is not allowed/],
    ['ftp://example.com/r.git', /transport ftp:\/\//],
    ['https://user:secret@github.com/acme/web.git', /credentials in the URL/],
    ['https://github.com', /no repository path/],
    ['github.com:acme/web.git', /need a user/],
    ['https://github.com/acme/web.git\n-c core.hooksPath=x', /control characters/],
  ])('refuses %s', (url, why) => {
    expect(() => parseRepoUrl(url)).toThrow(/^spec\.repository\.url/);
    expect(() => parseRepoUrl(url)).toThrow(why);
  });

  it('parses https, ssh and scp-like URLs', () => {
    expect(parseRepoUrl('https://github.com/acme/web.git')).toMatchObject({ transport: 'https', host: 'github.com', port: 443 });
    expect(parseRepoUrl('ssh://git@gitlab.example.com:2222/acme/web.git')).toMatchObject({ transport: 'ssh', host: 'gitlab.example.com', port: 2222 });
    expect(parseRepoUrl('git@github.com:acme/web.git')).toMatchObject({ transport: 'ssh', host: 'github.com', port: 22 });
  });

  it('classifies internal addresses (loopback, private, link-local, CGNAT, mapped IPv6)', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['140.82.112.3', '8.8.8.8', '2606:4700::1111']) expect(isInternalAddress(a), a).toBe(false);
    // IPv6 spellings of IPv4 addresses: IPv4-compatible, NAT64 (well-known and local-use).
    for (const a of ['::127.0.0.1', '::a00:1', '64:ff9b::7f00:1', '64:ff9b:1::a00:1']) expect(isInternalAddress(a), a).toBe(true);
  });

  it('refuses hosts resolving to internal addresses unless allowlisted by name, host:port or CIDR; http only when allowlisted', async () => {
    const rebinding = async () => ['140.82.112.3', '169.254.169.254'];
    const target = parseRepoUrl('https://git.evil.example/acme/web.git');
    await expect(checkDestination(target, { allowedHosts: [] }, rebinding)).rejects.toThrow(/resolves to 169\.254\.169\.254/);
    await expect(checkDestination(target, { allowedHosts: ['git.evil.example'] }, rebinding)).resolves.toBe('140.82.112.3');
    const internal = parseRepoUrl('https://git.corp/acme/web.git');
    const corp = async () => ['10.4.0.7'];
    await expect(checkDestination(internal, { allowedHosts: ['10.0.0.0/8'] }, corp)).resolves.toBe('10.4.0.7');
    await expect(checkDestination(internal, { allowedHosts: ['git.corp:8443'] }, corp)).rejects.toThrow(/allowedHosts/);
    await expect(checkDestination(parseRepoUrl('http://github.com/acme/web.git'), { allowedHosts: [] }, async () => ['140.82.112.3'])).rejects.toThrow(/plain http:\/\/ is only allowed/);
    await expect(checkDestination(parseRepoUrl('https://nowhere.invalid/a/b.git'), { allowedHosts: [] }, async () => { throw new Error('ENOTFOUND'); })).rejects.toThrow(/cannot resolve host nowhere\.invalid/);
  });

  it('refuses a path escaping the repository, and local paths in the function', async () => {
    expect(() => safeSubpath('../x')).toThrow(/spec\.repository\.path/);
    expect(() => safeSubpath('/etc')).toThrow(/spec\.repository\.path/);
    expect(safeSubpath('services/api/')).toBe('services/api');
    await expect(gitSource().load({ url: '/etc' })).rejects.toThrow(/local repositories are refused/);
  });

  it('scrubs tokens and URL userinfo from messages', () => {
    const auth = { token: 'ghp_secret123' };
    const basic = Buffer.from('x-access-token:ghp_secret123').toString('base64');
    expect(redact(`fatal: https://bob:pw@host/r.git ghp_secret123 ${basic}`, auth)).toBe('fatal: https://***@host/r.git *** ***');
  });
});

describe('snapshot limits on hostile trees', () => {
  it('plans shallow files first, skips large, deep and excess files, and says so', () => {
    const plan = planSnapshot(
      [
        { path: 'a/b/c/d/e.txt', size: 10 },
        { path: 'package.json', size: 10 },
        { path: 'big.bin', size: 10_000 },
        { path: 'blob', size: Infinity },
        { path: 'node_modules/x/index.js', size: 1 },
        { path: 'src/index.js', size: 10 },
      ],
      { maxFiles: 2, maxFileBytes: 1000, maxTotalBytes: 1000, maxDepth: 3 },
    );
    expect(plan.read.map((c) => c.path)).toEqual(['package.json', 'src/index.js']);
    expect(plan.notes.map((n) => n.fact)).toEqual(['skipped 2 file(s) over 1000 bytes', 'skipped 1 file(s) deeper than 3 directories']);
  });

  it('never follows symlinks out of a directory, nor a path through a symlink', async () => {
    const outside = join(tmp, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
    const repo = join(tmp, 'links');
    writeTree(repo, { 'requirements.txt': 'flask==3.0.3\n', 'app.py': 'from flask import Flask\n', 'secret.txt': { symlink: join(outside, 'secret.txt') }, 'escape': { symlink: outside }, 'sub/up': { symlink: '../..' } });
    const snap = await localDirSource(repo).load({ url: 'ignored' });
    expect([...snap.files.keys()].sort()).toEqual(['app.py', 'requirements.txt']);
    expect([...snap.files.values()].join()).not.toContain('TOP SECRET');
    // Skipped, and said so (issue 13): the analysis carries it as evidence.
    expect(snap.notes).toEqual([{ fact: 'skipped 3 symlink(s), never followed: escape, secret.txt, sub/up', source: 'rule:snapshot-links-and-devices' }]);
    execFileSync('mkfifo', [join(repo, 'pipe')]);
    const withFifo = await localDirSource(repo).load({ url: 'ignored' });
    expect(withFifo.notes?.map((n) => n.fact)).toContain('skipped 1 FIFO(s), socket(s) or device(s), never read: pipe');
    expect(analyzeRepository(withFifo).evidence.map((e) => e.fact)).toContain('skipped 1 FIFO(s), socket(s) or device(s), never read: pipe');
    await expect(localDirSource(repo).load({ url: 'ignored', path: 'escape' })).rejects.toThrow(/spec\.repository\.path "escape" goes through a symlink/);
  });

  it('bounds a huge file, a deep tree and a zip-bomb-like number of files', async () => {
    const repo = join(tmp, 'hostile');
    const deep = Array.from({ length: 40 }, (_, i) => `d${i}`).join('/');
    writeTree(repo, { 'go.mod': 'module x\n\ngo 1.22\n', 'huge.txt': 'a'.repeat(3 * 1024 * 1024), [`${deep}/main.go`]: 'package main\n' });
    for (let i = 0; i < 3000; i++) writeTree(repo, { [`many/f${i}.txt`]: 'x' });
    const t = Date.now();
    const snap = await localDirSource(repo, { maxFiles: 500, maxFileBytes: 256 * 1024, maxTotalBytes: 1024 * 1024, maxDepth: 12 }).load({ url: 'ignored' });
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(snap.files.size).toBe(500);
    expect(snap.files.has('go.mod')).toBe(true);
    expect(snap.files.has('huge.txt')).toBe(false);
    expect(snap.notes?.map((n) => n.fact)).toEqual([
      'skipped 1 file(s) over 262144 bytes',
      'skipped 2501 file(s) beyond the first 500 files',
      `skipped 1 folder(s) deeper than 12 directories, not listed: ${deep.split('/').slice(0, 14).join('/')}`,
    ]);
  });
});

describe('credentials from pipeline credentials', () => {
  it('reads a token or an SSH key, honours secretRef.key, and names only keys in errors', () => {
    expect(authFromCredentials(undefined, {})).toBeUndefined();
    expect(authFromCredentials({ name: 'c' }, { c: { token: Buffer.from('t0k\n'), username: Buffer.from('oauth2') } })).toEqual({ token: 't0k', username: 'oauth2' });
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(authFromCredentials({ name: 'c' }, { c: { 'ssh-privatekey': Buffer.from(key), known_hosts: Buffer.from('h ssh-ed25519 AAA') } })).toEqual({ sshPrivateKey: key, knownHosts: 'h ssh-ed25519 AAA' });
    expect(authFromCredentials({ name: 'c', key: 'deploy' }, { c: { deploy: Buffer.from(key) } })).toEqual({ sshPrivateKey: key });
    expect(() => authFromCredentials({ name: 'c' }, {})).toThrow(/spec\.repository\.secretRef\.name: no pipeline credential named "c"/);
    expect(() => authFromCredentials({ name: 'c', key: 'k' }, { c: { other: Buffer.from('s3cr3t') } })).toThrow(/has no key "k" \(keys: other\)/);
    expect(() => authFromCredentials({ name: 'c' }, { c: { other: Buffer.from('s3cr3t') } })).toThrow(/keys present: other$/);
  });

  it('keys the cache by credential so an analysis fetched with one is not served without it', () => {
    const base = { url: 'https://h/r.git', commit: 'a'.repeat(40) };
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, credential: authFingerprint({ token: 't' }) }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, path: 'svc' }));
    expect(authFingerprint({ token: 't' })).not.toContain('t'.repeat(2));
  });
});

describe('analysis cache', () => {
  it('is a bounded LRU in memory and survives restarts in its directory', async () => {
    const dir = join(tmp, 'cache');
    const c = new AnalysisCache({ maxEntries: 2, dir });
    await c.set('1'.repeat(64), analysis({ port: 1 }));
    await c.set('2'.repeat(64), analysis({ port: 2 }));
    await c.get('1'.repeat(64));
    await c.set('3'.repeat(64), analysis({ port: 3 }));
    expect(c.size).toBe(2);
    const restarted = new AnalysisCache({ maxEntries: 2, dir });
    expect((await restarted.get('3'.repeat(64)))?.port).toBe(3);
    expect(await restarted.get('9'.repeat(64))).toBeUndefined();
    expect(restarted.hits).toBe(1);
    expect(restarted.misses).toBe(1);
    const copy = await restarted.get('3'.repeat(64));
    if (copy) copy.port = 99;
    expect((await restarted.get('3'.repeat(64)))?.port).toBe(3);
  });
});

describe('function input: repositories', () => {
  it('defaults agree between zod and the CRD', () => {
    const crd = readYamlDocs(join(import.meta.dirname, '..', 'package', 'input', 'fn.scai.io_inputs.yaml'))[0]!;
    const props = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.repositories.properties;
    expect(defaultSettings().repositories).toEqual(REPOSITORY_DEFAULTS);
    for (const [k, v] of Object.entries(REPOSITORY_DEFAULTS)) expect(props[k].default, k).toEqual(v);
  });
});
