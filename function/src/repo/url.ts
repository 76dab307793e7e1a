// Which repository URLs the function may fetch, and where they may point. Two gates:
//   1. syntax: only https, ssh (ssh:// or scp-like git@host:path) and, for allowlisted hosts only,
//      http. Everything git would treat as local or as a helper (file://, ext::, fd::, bare paths,
//      `-`-prefixed option injection) is refused before git ever sees it.
//   2. destination: the host is resolved here and every address must be public unless the function
//      input's `repositories.allowedHosts` names the host or a CIDR holding the address. The checked
//      address is then pinned for git (see git.ts) so DNS cannot answer differently a second time.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { RepositoryError } from './errors.js';

export type Transport = 'https' | 'http' | 'ssh';

export interface RepoUrl {
  transport: Transport;
  /** Hostname or IP literal, lower-cased, without brackets. */
  host: string;
  /** Explicit port, else the transport's default. */
  port: number;
  /** What git is given: the URL as written (it passed the checks). */
  url: string;
}

const FIELD = 'spec.repository.url';
const DEFAULT_PORT: Record<Transport, number> = { https: 443, http: 80, ssh: 22 };

/** Parses and checks the syntax of a repository URL; throws naming the field. */
export function parseRepoUrl(url: string): RepoUrl {
  const refuse = (why: string): never => {
    throw new RepositoryError(`${FIELD} "${url}" is refused: ${why}`);
  };
  // Control characters and spaces would let a URL smuggle extra config or arguments.
  if (!url || /[\s\x00-\x1f\x7f]/.test(url)) refuse('it is empty or contains whitespace or control characters');
  if (url.startsWith('-')) refuse('it starts with "-" (would be read as a git option)');
  // `<transport>::<address>` is git's remote-helper syntax (ext::, fd::, …): ext:: runs a command.
  if (/^[A-Za-z][\w+.-]*::/.test(url)) refuse('remote-helper transports (ext::, fd::, …) are not allowed');
  if (/^file:/i.test(url) || url.startsWith('/') || url.startsWith('.') || url.startsWith('~')) refuse('local repositories are not allowed');
  const scheme = /^([A-Za-z][\w+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh') refuse(`transport ${scheme}:// is not allowed (use https:// or ssh://)`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse('it is not a valid URL');
    }
    // Credentials in the URL would end up in status and logs: they belong in secretRef.
    if (parsed.password || (scheme !== 'ssh' && parsed.username)) refuse('credentials in the URL are not allowed; use spec.repository.secretRef');
    const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (!host) refuse('it has no host');
    if (parsed.pathname.length <= 1) refuse('it names no repository path');
    const transport = scheme as Transport;
    const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT[transport];
    return { transport, host, port, url };
  }
  // scp-like: [user@]host:path. Git reads "host:path" as local when the part before ':' has a '/'.
  const scp = /^(?:([\w.-]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?!\/\/)(\S+)$/.exec(url);
  if (scp?.[2] && scp[3]) {
    if (!scp[1]) refuse('scp-like URLs need a user (git@host:org/repo)');
    return { transport: 'ssh', host: scp[2].replace(/^\[|\]$/g, '').toLowerCase(), port: 22, url };
  }
  return refuse('it is not an https://, ssh:// or git@host:path URL');
}

/** Address ranges a repository may not live in unless allowlisted: loopback, private, link-local … */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) INTERNAL.addSubnet(net, bits, 'ipv6');
// IPv6 forms that carry an IPv4 address (IPv4-compatible ::/96, IPv4-mapped, NAT64 64:ff9b::/96 and
// the local-use 64:ff9b:1::/48) are refused whole: `[::127.0.0.1]` is loopback. A list of their own:
// in one BlockList, ::/96 would also match every IPv4 address.
const EMBEDS_IPV4 = new BlockList();
for (const [net, bits] of [['::', 96], ['::ffff:0:0', 96], ['64:ff9b:1::', 48]] as const) EMBEDS_IPV4.addSubnet(net, bits, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  if (family === 6 && EMBEDS_IPV4.check(address, 'ipv6')) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * An allowlist entry: a hostname (`git.internal`), `host:port`, an IP, or a CIDR (`10.0.0.0/8`).
 * Allowlisting lets a host resolve to internal addresses and lets it be fetched over plain http.
 */
export interface HostPolicy {
  allowedHosts: readonly string[];
}

function entryAllows(entry: string, target: RepoUrl, address?: string): boolean {
  const e = entry.trim().toLowerCase();
  if (e === target.host || e === `${target.host}:${target.port}`) return true;
  const cidr = /^([0-9a-f:.]+)\/(\d{1,3})$/.exec(e);
  const ip = cidr?.[1] ?? (isIP(e) ? e : undefined);
  if (!ip || !address) return false;
  const family = isIP(ip);
  if (family === 0 || isIP(address) === 0) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (cidr) list.addSubnet(ip, Number(cidr[2]), type);
  else list.addAddress(ip, type);
  return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Resolves the host and checks every address. Returns the address git must connect to.
 * All addresses must pass, not just the first: a resolver may rotate them between calls.
 */
export async function checkDestination(target: RepoUrl, policy: HostPolicy, resolve: Resolver = systemResolver): Promise<string> {
  let addresses: string[];
  if (isIP(target.host)) addresses = [target.host];
  else {
    try {
      addresses = await resolve(target.host);
    } catch (e) {
      throw new RepositoryError(`${FIELD}: cannot resolve host ${target.host} (${(e as Error).message})`);
    }
  }
  if (addresses.length === 0) throw new RepositoryError(`${FIELD}: host ${target.host} has no address`);
  const hostAllowed = policy.allowedHosts.some((e) => entryAllows(e, target));
  for (const address of addresses) {
    if (hostAllowed || !isInternalAddress(address)) continue;
    if (policy.allowedHosts.some((e) => entryAllows(e, target, address))) continue;
    throw new RepositoryError(
      `${FIELD}: host ${target.host} resolves to ${address}, a loopback, private or link-local address; ` +
        'add it to the function input spec.repositories.allowedHosts to allow it',
    );
  }
  if (target.transport === 'http' && !hostAllowed && !addresses.every((a) => policy.allowedHosts.some((e) => entryAllows(e, target, a)))) {
    throw new RepositoryError(`${FIELD}: plain http:// is only allowed for hosts in the function input spec.repositories.allowedHosts`);
  }
  return addresses[0] as string;
}
