// Self and total time by function in a V8 .cpuprofile (node --cpu-prof), optionally only its last
// seconds (e.g. the load phase of a bench after its set-up):
//   node --import tsx scripts/cpuprofile-summary.ts <file.cpuprofile> [lastSeconds] [top]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
export interface Summary {
  /** Milliseconds sampled in the window. */
  totalMs: number;
  /** Function → milliseconds spent in it (self) and under it (total), largest first. */
  self: [string, number][];
  total: [string, number][];
}

const where = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

export function summarise(p: CpuProfile, lastSeconds = 0): Summary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = lastSeconds > 0 ? p.endTime - lastSeconds * 1e6 : -Infinity;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let at = p.startTime;
  let totalMs = 0;
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    // A sample's weight is the time until the next one.
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (at < from || !byId.has(id)) return;
    totalMs += ms;
    const leaf = where(byId.get(id) as ProfileNode);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set<string>();
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
      const k = where(byId.get(c) as ProfileNode);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + ms);
      seen.add(k);
    }
  });
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs, self: sorted(self), total: sorted(total) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, last = '0', top = '40'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cpuprofile-summary.ts <file.cpuprofile> [lastSeconds] [top]\n');
    process.exit(2);
  }
  // Piped to head: stop quietly when the reader is gone.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(last));
  const show = (title: string, rows: [string, number][]) => {
    console.log(`-- ${title}`);
    for (const [k, ms] of rows.slice(0, Number(top))) console.log(`${((100 * ms) / s.totalMs).toFixed(1).padStart(5)}% ${k}`);
  };
  console.log(`${(s.totalMs / 1000).toFixed(1)} s sampled`);
  show('self', s.self);
  show('total (inclusive)', s.total);
}
