// Canonical JSON (sorted keys, no undefined) so that equal values hash equally.
import { createHash } from 'node:crypto';
import { BoundedMemo } from './memo.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Digests of JSON documents already seen, by their plain JSON text (sized for 1,000s of XRs, a few KiB each). */
const DIGESTS = new BoundedMemo<string>(4096);

/**
 * sha256Hex(canonicalJson(value)) for a JSON value, remembered: renders of an unchanged XR hash the
 * same documents every time. The digest is computed from the key itself (the plain JSON.stringify
 * text, parsed back), so a hit is exactly what a recomputation gives; plain JSON.stringify is native
 * and several times cheaper than canonicalisation, and key order only costs a miss.
 */
export function jsonDigest(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return DIGESTS.get(text, (t) => sha256Hex(canonicalJson(JSON.parse(t))));
}
