// A cost source read from a JSON document `{ "<deployment uid>": <month-to-date USD>, … }`, either a
// file (re-read on every sync) or an http(s) URL. For tests, demos and clusters that compute costs
// elsewhere. A missing file, bad JSON or a non-2xx answer is a failed sync, not an empty one.
import { readFile } from 'node:fs/promises';
import type { CostSource } from './source.js';

function parse(text: string, where: string): Map<string, number> {
  const doc = JSON.parse(text) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${where}: expected an object of uid → amount`);
  const out = new Map<string, number>();
  for (const [uid, v] of Object.entries(doc)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}: ${uid} must be a non-negative number`);
    out.set(uid, v);
  }
  return out;
}

export function documentCostSource(location: string, timeoutMs = 10_000): CostSource {
  const http = /^https?:\/\//.test(location);
  return {
    name: http ? 'http' : 'file',
    async monthToDate(uids) {
      let text: string;
      if (http) {
        const r = await fetch(location, { signal: AbortSignal.timeout(timeoutMs) });
        if (!r.ok) throw new Error(`${location}: HTTP ${r.status}`);
        text = await r.text();
      } else {
        text = await readFile(location, 'utf8');
      }
      const all = parse(text, location);
      const wanted = new Set(uids);
      return new Map([...all].filter(([uid]) => wanted.has(uid)));
    },
  };
}
