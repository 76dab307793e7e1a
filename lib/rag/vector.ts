// pgvector's text form, which both back ends accept as a `$n::vector` parameter; this keeps the SQL
// identical on PGlite and pg without registering types on either.
export function toVectorLiteral(v: readonly number[], dimension: number): string {
  if (v.length !== dimension) throw new Error(`embedding has ${v.length} dimensions, the store expects ${dimension}`);
  for (const x of v) if (!Number.isFinite(x)) throw new Error('embedding contains a non-finite number');
  return `[${v.join(',')}]`;
}

export function fromVectorLiteral(s: string): number[] {
  return s.replace(/^\[|\]$/g, '').split(',').filter(Boolean).map(Number);
}
