// The labelled corpus (eval/corpus.json): real public repositories pinned to commits, with the facts
// read from their files and the strategies a platform engineer would pick (eval/RUBRIC.md).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const OUTCOMES = ['vm', 'kubernetes', 'serverless', 'refuse'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Store names the rubric spells otherwise: a label must use the rubric's name, which the engine reports. */
const STORE_SPELLINGS: Readonly<Record<string, string>> = { postgresql: 'postgres', pg: 'postgres', mongo: 'mongodb', elastic: 'elasticsearch' };

const factsSchema = z.object({
  kind: z.enum(['web', 'worker', 'static', 'library']),
  language: z.string().nullable(),
  framework: z.string().nullable(),
  port: z.number().int().nullable(),
  startCommand: z.string().nullable(),
  services: z.array(z.string()),
  stateful: z.array(z.string().refine((s) => !(s in STORE_SPELLINGS), { error: (issue) => `store "${String(issue.input)}" is spelled "${STORE_SPELLINGS[String(issue.input)]}" in the rubric` })),
  state: z.enum(['none', 'in-process', 'local-file']),
  longLived: z.boolean(),
  platformManifests: z.array(z.string()),
  serverlessAdapter: z.string().nullable(),
  schedule: z.boolean(),
});
export type LabelledFacts = z.infer<typeof factsSchema>;

const caseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  path: z.string().min(1).optional(),
  split: z.enum(['dev', 'heldout']),
  family: z.string().min(1),
  facts: factsSchema,
  evidence: z.record(z.string(), z.string()).default({}),
  expected: z.enum(OUTCOMES),
  acceptable: z.array(z.enum(OUTCOMES)).min(1),
  rationale: z.string().min(1),
  /** Why a label was changed after it was first committed (a misread fact), with the date. */
  note: z.string().min(1).optional(),
});
export type Case = z.infer<typeof caseSchema>;

const corpusSchema = z
  .object({ version: z.literal(1), prompt: z.string(), cases: z.array(caseSchema).min(1) })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.cases.forEach((k, i) => {
      if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'id'], message: `duplicate id ${k.id}` });
      seen.add(k.id);
      if (!k.acceptable.includes(k.expected)) ctx.addIssue({ code: 'custom', path: ['cases', i, 'acceptable'], message: `${k.id}: acceptable must include expected (${k.expected})` });
    });
  });
export type Corpus = z.infer<typeof corpusSchema>;

export function parseCorpus(json: unknown): Corpus {
  const r = corpusSchema.safeParse(json);
  if (!r.success) throw new Error(`corpus: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function loadCorpus(file: string): Corpus {
  return parseCorpus(JSON.parse(readFileSync(file, 'utf8')));
}

/** Directory name of a repository's checkout under --repos: `owner+name`, as the fetch mirror names it. */
export const checkoutName = (repo: string): string => repo.replace('/', '+');

/**
 * The corpus's repositories in the order to fetch them when a session may fetch only so many: every repository a
 * held-out case needs first (the half that is reported must be whole), then the dev-only ones, each group in corpus
 * order, each repository once.
 */
export function fetchOrder(cases: readonly Pick<Case, 'repo' | 'split'>[]): string[] {
  const heldOut = cases.filter((c) => c.split === 'heldout').map((c) => c.repo);
  return [...new Set([...heldOut, ...cases.map((c) => c.repo)])];
}

/**
 * A sample of the corpus for a session that may fetch fewer repositories than the corpus holds: `perSplit` held-out
 * repositories, then `perSplit` dev ones not already taken, each half in the order of a SHA-256 of the repository's
 * name. The order is fixed by the names alone, so nobody picks the sample and every session draws the same one.
 */
export function sampleOrder(cases: readonly Pick<Case, 'repo' | 'split'>[], perSplit: number): string[] {
  const byHash = (repos: Iterable<string>): string[] =>
    [...new Set(repos)].map((r) => [createHash('sha256').update(r).digest('hex'), r] as const).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  const heldOut = byHash(cases.filter((c) => c.split === 'heldout').map((c) => c.repo)).slice(0, perSplit);
  const taken = new Set(heldOut);
  const dev = byHash(cases.filter((c) => c.split === 'dev' && !taken.has(c.repo)).map((c) => c.repo)).slice(0, perSplit);
  return [...heldOut, ...dev];
}
