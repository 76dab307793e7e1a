// The `scai` command line: runs the function pipeline in-process on a claim file.
//   scai decide <claim.yaml> [--repo-dir DIR] [--allow-local] [--observed FILE] [--json]
//   scai render <claim.yaml> [--repo-dir DIR] [--allow-local] [--observed FILE]
import { readFile } from 'node:fs/promises';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '../handler.js';
import type { PipelineResult, ResourceSelector } from '../pipeline/run.js';
import { storeRetriever } from '../rag/store-retriever.js';
import { warmStore } from '../rag/warm-up.js';
import type { Retriever } from '../retrieval/retriever.js';
import { gitSource, localDirSource } from '../repo/source.js';
import { parseCommandLine, type Io } from './args.js';
import { loadClaimSet, matches, parseDocs } from './claims.js';
import { renderDocuments, toYamlStream } from './render-output.js';

import type { KubeObject as Obj } from '../../../lib/obj.js';

export const USAGE = `Usage: scai <command> [flags]

Commands:
  decide <claim.yaml>   decide a strategy for a Deployment claim and print it
  render <claim.yaml>   print the XR status and composed resources, like crossplane render
  analyze <dir|url>     print what scai understands of a repository
  rag <subcommand>      the RAG store: seed, import, stats, reindex
  tenant <namespace>    print the onboarding manifests of a team namespace (--group required)

Flags:
  --repo-dir <dir>      analyse this local checkout instead of fetching spec.repository.url
  --allow-local         allow spec.repository.url to be a local path
  --observed <file>     a previous render's output: its XR status and resources are observed (pinning)
  --input <file>        the function input (fn.scai.io/v1alpha1 Input) to use
  --now <time>          decidedAt for a new decision (RFC 3339; default: now)
  --rag-dir <dir>       retrieve similar deployments from this embedded RAG store (see scai rag)
  --json                decide: print JSON
  -h, --help            this text

The claim file holds one Deployment and the CloudProvider it names (claim or XR form).`;

export class CliError extends Error {}

export type { Io };

/** Other commands live in commands/<name>.ts and export `run(argv, io): Promise<number>` and `usage`. */
export interface Command {
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

const COMMANDS = ['analyze', 'rag', 'tenant'] as const;

async function loadCommand(name: string): Promise<Command | undefined> {
  if (!(COMMANDS as readonly string[]).includes(name)) return undefined;
  try {
    return (await import(`./commands/${name}.js`)) as Command;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

async function readYaml(file: string): Promise<Obj[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  try {
    return parseDocs(text, file);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/** Observed state from a previous `scai render`: the XR's status and the composed resources by name. */
function observedFrom(docs: Obj[]): { status?: Obj; resources: Record<string, { resource: Obj }> } {
  const xr = docs.find((d) => d.kind === 'XDeployment');
  const resources: Record<string, { resource: Obj }> = {};
  for (const d of docs) {
    const name = d.metadata?.annotations?.['crossplane.io/composition-resource-name'];
    if (typeof name === 'string') resources[name] = { resource: d };
  }
  const status = xr?.status ? { ...xr.status } : undefined;
  if (status) delete status.conditions;
  return { ...(status ? { status } : {}), resources };
}

export interface CliRun {
  xr: Obj;
  rsp: RunFunctionResponse;
  result: PipelineResult;
}

/** Runs the function like Crossplane would: call, satisfy requirements from the file, call again. */
export async function runClaim(opts: {
  claimFile: string;
  repoDir?: string;
  allowLocal?: boolean;
  observedFile?: string;
  inputFile?: string;
  now?: string;
  retriever?: Retriever;
}): Promise<CliRun> {
  const docs = await readYaml(opts.claimFile);
  let set;
  try {
    set = loadClaimSet(docs, opts.claimFile);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const observed = opts.observedFile ? observedFrom(await readYaml(opts.observedFile)) : { resources: {} };
  const xrObserved = observed.status ? { ...set.xr, status: observed.status } : set.xr;
  const input = opts.inputFile ? (await readYaml(opts.inputFile))[0] : undefined;
  const repos = opts.repoDir ? localDirSource(opts.repoDir) : gitSource({ allowLocal: opts.allowLocal ?? false });
  const now = opts.now ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

  let required: Record<string, { items: Array<{ resource: Obj; connectionDetails: Record<string, Buffer>; ready: number }> }> | undefined;
  // Crossplane re-runs a function until its requirements stop changing, at most six calls.
  let previous: string | undefined;
  for (let round = 0; round < 6; round++) {
    const req = RunFunctionRequest.fromPartial({
      meta: { tag: 'scai-cli' },
      observed: {
        composite: { resource: xrObserved },
        resources: Object.fromEntries(Object.entries(observed.resources).map(([k, v]) => [k, { resource: v.resource }])),
      },
      desired: { composite: { resource: {} }, resources: {} },
      ...(input ? { input } : {}),
      ...(required ? { requiredResources: required } : {}),
    });
    const { rsp, result } = await runFunction(req, { repos, now: () => now, ...(opts.retriever ? { retriever: opts.retriever } : {}) });
    const wanted = result.requirements ?? {};
    const key = JSON.stringify(wanted);
    if (key === previous) return { xr: set.xr, rsp, result };
    previous = key;
    required = Object.fromEntries(
      Object.entries(wanted).map(([key, sel]: [string, ResourceSelector]) => [
        key,
        { items: set.others.filter((o) => matches(sel, o)).map((resource) => ({ resource, connectionDetails: {}, ready: 0 })) },
      ]),
    );
  }
  throw new CliError('the function kept changing its requirements');
}

function summary(r: CliRun): string {
  const rep = r.result.report;
  const lines: string[] = [];
  if (rep) {
    lines.push(`strategy:    ${rep.strategy} (confidence ${rep.confidence}${rep.pinned ? ', pinned' : ''})`);
    lines.push(`reason:      ${rep.reason}`);
    lines.push(`cost:        $${Number(rep.cost.estimatedMonthly ?? 0).toFixed(2)}/month`);
    for (const a of rep.alternatives) lines.push(`alternative: ${a.strategy}${a.estimatedMonthly !== undefined ? ` ($${Number(a.estimatedMonthly).toFixed(2)}/month)` : ''}: ${a.reason}`);
    lines.push(`inputsHash:  ${rep.inputsHash}`);
  }
  for (const res of r.result.results) lines.push(`${res.severity}: ${res.message}`);
  return lines.join('\n') + '\n';
}

export async function cli(argv: string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const first = argv[0];
  if (first && !first.startsWith('-') && first !== 'decide' && first !== 'render') {
    const sub = await loadCommand(first);
    if (!sub) {
      io.err(`scai: unknown command "${first}"\n${USAGE}\n`);
      return 2;
    }
    return sub.run(argv.slice(1), io);
  }
  const parsed = parseCommandLine(
    'scai',
    argv,
    {
      'repo-dir': { type: 'string' },
      'allow-local': { type: 'boolean', default: false },
      observed: { type: 'string' },
      input: { type: 'string' },
      now: { type: 'string' },
      'rag-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    USAGE,
    io,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  const [command, claimFile, ...rest] = positionals;
  if (values.help || !command) {
    io.out(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  if (command !== 'decide' && command !== 'render') {
    io.err(`scai: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  if (!claimFile || rest.length) {
    io.err(`scai ${command}: expected one claim file\n`);
    return 2;
  }
  const badNow = values.now !== undefined && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/.test(values.now) || Number.isNaN(Date.parse(values.now)));
  if (badNow) {
    io.err(`scai ${command}: --now must be an RFC 3339 UTC time such as 2026-11-28T00:00:00Z, got "${values.now}"\n`);
    return 2;
  }
  // Opened and warmed up before the run (rag/warm-up.ts): the render's retrieval timeout is for the
  // query, not for a cold start.
  // The same store `scai rag seed` fills: --rag-dir, else SCAI_RAG_DIR (none: decide without neighbours).
  const ragDir = values['rag-dir'] ?? (process.env.SCAI_RAG_DIR || undefined);
  const store = ragDir ? await import('../rag/open.js').then((m) => m.openStore({ ragDir })).catch((e: Error) => e) : undefined;
  if (store instanceof Error) {
    io.err(`scai: ${store.message}\n`);
    return 1;
  }
  try {
    if (store) await warmStore(store);
    const run = await runClaim({
      claimFile,
      ...(values['repo-dir'] ? { repoDir: values['repo-dir'] } : {}),
      allowLocal: values['allow-local'],
      ...(values.observed ? { observedFile: values.observed } : {}),
      ...(values.input ? { inputFile: values.input } : {}),
      ...(values.now ? { now: values.now } : {}),
      ...(store ? { retriever: storeRetriever(store) } : {}),
    });
    const fatal = run.result.results.find((r) => r.severity === 'fatal');
    // A hard budget refuses without a Fatal: nothing is composed, and the command says so by its exit code.
    const refused = run.result.results.find((r) => r.reason === 'BudgetExceeded' && Object.keys(run.result.resources).length === 0);
    // No decision and no Fatal: the function asks something first (which app of a monorepo).
    const undecided = !fatal && !run.result.report ? (run.result.results.find((r) => r.severity === 'warning') ?? { reason: 'Undecided', message: 'no decision was made' }) : undefined;
    if (command === 'render') io.out(toYamlStream(renderDocuments(run.xr, run.rsp)));
    else if (values.json) {
      const doc = fatal
        ? { error: { reason: fatal.reason ?? 'Fatal', message: fatal.message } }
        : undecided
          ? { undecided: { reason: undecided.reason, message: undecided.message } }
          : { ...run.result.report, ...(refused ? { refused: { reason: refused.reason, message: refused.message } } : {}) };
      io.out(JSON.stringify(doc, null, 2) + '\n');
    } else io.out(summary(run));
    if (fatal || refused || undecided) {
      io.err(`scai: ${(fatal ?? refused ?? undecided)?.message}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    io.err(`scai: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
