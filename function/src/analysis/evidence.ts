import type { Evidence } from '../types.js';

export function ev(fact: string, source: string): Evidence {
  return { fact, source };
}

/** Deduped and sorted by fact then source, so output does not depend on discovery order. */
export function normalizeEvidence(items: readonly Evidence[]): Evidence[] {
  const seen = new Map<string, Evidence>();
  for (const e of items) seen.set(`${e.fact}\u0000${e.source}`, e);
  return [...seen.values()].sort((a, b) => compare(a.fact, b.fact) || compare(a.source, b.source));
}

/** Code-unit comparison: unlike localeCompare it does not vary with the host's ICU data. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
