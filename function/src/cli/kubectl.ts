// `kubectl scai` (bin/kubectl-scai.js; kubectl runs any `kubectl-<name>` on PATH as `kubectl <name>`):
// the app team's view of its Deployment claims, with kubectl's conventions: current context and
// namespace from the kubeconfig, --kubeconfig, --context, -n, -A, -o json|yaml, errors that name the
// object, exit 0 / 1 (error) / 2 (bad command line).
import { stringify } from 'yaml';
import { FEEDBACK_ANNOTATION, FEEDBACK_COMMENT_ANNOTATION } from '../../../lib/domain.js';
import type { KubeObject } from '../../../lib/obj.js';
import { parseCommandLine, type Io } from './args.js';
import { CLAIM_RESOURCE, claimRef, connect, describeError, type Target } from './kube/client.js';
import { explainText, explanation, historyRevisions, historyTable, listTable } from './kube/format.js';

export const KUBECTL_USAGE = `Usage: kubectl scai <command> [flags]

Commands:
  list                              Deployment claims: phase, strategy, estimated and actual cost, revision, age
  explain <name>                    the decision: reason and evidence, neighbours, alternatives and why not, cost
  feedback <name> +1|-1             tell scai whether the decision was right (--comment TEXT)
  history <name>                    the decisions of status.history, by revision
  rollback <name> --to-revision N   compose revision N again (sets spec.decisionRevision); --clear returns
                                    to the current decision
  analyze <dir|git-url>             what scai understands of a repository (flags: scai analyze --help)

Flags:
  -n, --namespace <ns>      the claim's namespace (default: the context's namespace, else default)
  -A, --all-namespaces      list: every namespace
  -o, --output json|yaml    print the object(s) or the explanation as JSON or YAML
      --kubeconfig <file>   kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)
      --context <name>      kubeconfig context to use (default: the current context)
  -h, --help                this text`;

const OPTIONS = {
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A', default: false },
  output: { type: 'string', short: 'o' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  comment: { type: 'string' },
  'to-revision': { type: 'string' },
  clear: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

class UsageError extends Error {}

const SUBCOMMANDS = ['list', 'explain', 'feedback', 'history', 'rollback'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** A vote is a positional argument, but `-1` looks like a flag to any parser: taken out first. */
const VOTE = /^[+-]?1$/;

export async function kubectlScai(argv: string[], io: Io, now: () => Date = () => new Date()): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help' || sub === 'help') {
    (sub ? io.out : io.err)(KUBECTL_USAGE + '\n');
    return sub ? 0 : 2;
  }
  if (sub === 'analyze') return analyze(rest, io);
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    io.err(`error: unknown command "${sub}" for "kubectl scai"\n${KUBECTL_USAGE}\n`);
    return 2;
  }
  const voteAt = sub === 'feedback' ? rest.findIndex((a) => VOTE.test(a)) : -1;
  const vote = voteAt >= 0 ? rest[voteAt] : undefined;
  const args = voteAt >= 0 ? rest.filter((_, i) => i !== voteAt) : rest;
  const parsed = parseCommandLine(`kubectl scai ${sub}`, args, OPTIONS, KUBECTL_USAGE, io);
  if (!parsed) return 2;
  const values = parsed.values as Values;
  if (values.help) {
    io.out(KUBECTL_USAGE + '\n');
    return 0;
  }
  try {
    if (values.output !== undefined && values.output !== 'json' && values.output !== 'yaml') {
      throw new UsageError(`unable to match a printer suitable for the output format "${values.output}", allowed formats are: json, yaml`);
    }
    const target: Target = { kubeconfig: values.kubeconfig, context: values.context, namespace: values.namespace };
    return await run(sub as Sub, parsed.positionals, vote, values, target, io, now);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n`);
      return 2;
    }
    io.err(`${describeError(e)}\n`);
    return 1;
  }
}

function print(io: Io, output: string | undefined, doc: unknown): void {
  io.out(output === 'json' ? JSON.stringify(doc, null, 2) + '\n' : stringify(doc));
}

function oneName(sub: string, positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(`kubectl scai ${sub} takes one Deployment name, got ${positionals.length ? positionals.join(' ') : 'none'}`);
  return positionals[0]!;
}

async function run(sub: Sub, positionals: string[], vote: string | undefined, v: Values, target: Target, io: Io, now: () => Date): Promise<number> {
  if (sub === 'list') {
    if (positionals.length) throw new UsageError(`kubectl scai list takes no arguments, got ${positionals.join(' ')}`);
    const claims = connect(target);
    const all = v['all-namespaces'] ?? false;
    const items = await claims.list(all);
    if (v.output) print(io, v.output, { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
    else if (items.length === 0) io.err(all ? 'No resources found\n' : `No resources found in ${claims.namespace} namespace.\n`);
    else io.out(listTable(items, all, now()));
    return 0;
  }
  const name = oneName(sub, positionals);
  if (sub === 'feedback') return feedback(name, vote, v, target, io);
  if (sub === 'rollback') return rollback(name, v, target, io);
  const claim = await connect(target).get(name);
  if (sub === 'explain') {
    if (v.output) print(io, v.output, explanation(claim));
    else io.out(explainText(claim));
  } else {
    if (v.output) print(io, v.output, (claim.status?.history as unknown) ?? []);
    else io.out(historyTable(claim));
  }
  return 0;
}

async function feedback(name: string, vote: string | undefined, v: Values, target: Target, io: Io): Promise<number> {
  if (!vote) throw new UsageError('kubectl scai feedback <name> +1|-1 [--comment TEXT]: the vote +1 or -1 is missing');
  const value = vote === '-1' ? '-1' : '+1';
  const claims = connect(target);
  // Merge patch: a vote without --comment removes an earlier comment, so the comment stays the vote's own.
  const patched = await claims.patch(name, { metadata: { annotations: { [FEEDBACK_ANNOTATION]: value, [FEEDBACK_COMMENT_ANNOTATION]: v.comment ?? null } } });
  if (v.output) print(io, v.output, patched);
  else io.out(`${claimRef(name)} annotated: ${FEEDBACK_ANNOTATION}=${value}${v.comment ? ' with a comment' : ''} (the scai controller records it on the decision)\n`);
  return 0;
}

async function rollback(name: string, v: Values, target: Target, io: Io): Promise<number> {
  const to = v['to-revision'];
  if ((to === undefined) === !v.clear) throw new UsageError('kubectl scai rollback <name> needs exactly one of --to-revision N and --clear');
  const claims = connect(target);
  let revision: number | null = null;
  if (to !== undefined) {
    if (!/^[1-9]\d{0,8}$/.test(to)) throw new UsageError(`--to-revision must be a revision number (1, 2, …), got "${to}"`);
    revision = Number(to);
    const claim: KubeObject = await claims.get(name);
    const kept = historyRevisions(claim);
    if (!kept.includes(revision)) {
      io.err(`error: ${CLAIM_RESOURCE} "${name}" has no revision ${revision} in status.history (revisions: ${kept.join(', ') || 'none'}; see kubectl scai history ${name})\n`);
      return 1;
    }
  }
  const patched = await claims.patch(name, { spec: { decisionRevision: revision } });
  if (v.output) print(io, v.output, patched);
  else if (revision === null) io.out(`${claimRef(name)} patched: spec.decisionRevision removed; scai returns to the current decision\n`);
  else io.out(`${claimRef(name)} patched: spec.decisionRevision=${revision}; scai composes revision ${revision} again as a new revision (kubectl scai history ${name})\n`);
  return 0;
}

/** `scai analyze`, with -o json|yaml for its --json. */
async function analyze(argv: string[], io: Io): Promise<number> {
  const { run: analyzeRun } = await import('./commands/analyze.js');
  const args: string[] = [];
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const inline = /^(?:-o|--output)=?(.*)$/.exec(a);
    if (inline && (a === '-o' || a === '--output' || a.includes('='))) {
      output = inline[1] || argv[++i];
      continue;
    }
    args.push(a);
  }
  if (output !== undefined && output !== 'json' && output !== 'yaml') {
    io.err(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json, yaml\n`);
    return 2;
  }
  if (output !== 'yaml') return analyzeRun(output === 'json' ? [...args, '--json'] : args, io);
  let json = '';
  const code = await analyzeRun([...args, '--json'], { out: (s) => void (json += s), err: io.err });
  if (code === 0) io.out(stringify(JSON.parse(json)));
  return code;
}
