// The engines the eval compares, each asked the same neutral claim per case: this checkout's
// `scai decide`, the previous engine (`scai decide` of a baseline checkout, built), and the
// constant "always vm". Each case runs in its own process, the way a user runs the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SCAI_API_VERSION } from '../lib/domain.js';
import type { Case } from './cases.js';
import type { EngineAnswer, ObservedFacts } from './score.js';

export interface Engine {
  name: string;
  answer(c: Case, checkout: string, prompt: string): EngineAnswer;
}

/** The claim every engine is asked: neutral prompt, soft $500/month budget, AWS us-east-1. */
export function neutralClaim(c: Case, prompt: string): string {
  const provider = { apiVersion: SCAI_API_VERSION, kind: 'CloudProvider', metadata: { name: 'aws-eval', namespace: 'eval' }, spec: { type: 'aws', defaultRegion: 'us-east-1' } };
  const deployment = {
    apiVersion: SCAI_API_VERSION,
    kind: 'Deployment',
    metadata: { name: c.id.slice(0, 63), namespace: 'eval' },
    spec: {
      repository: { url: `https://github.com/${c.repo}.git`, ref: c.commit, ...(c.path ? { path: c.path } : {}) },
      prompt,
      cloudProvider: 'aws-eval',
      budget: { maxMonthlyCost: 500, enforcementMode: 'soft' },
    },
  };
  return `${stringify(provider)}---\n${stringify(deployment)}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The label vocabulary's names for what the analyser calls otherwise. */
const FRAMEWORK_ALIASES: Record<string, string> = { 'go-net-http': 'nethttp', 'aspnet-core': 'aspnetcore' };

type Json = Record<string, unknown>;

/** What the repository declares: a command the analyser inferred from a convention (`rule:…`) is not declared. */
function declaredStart(a: Json): string | null {
  const command = str(a.startCommand);
  if (!command) return null;
  const evidence = Array.isArray(a.evidence) ? (a.evidence as Json[]) : [];
  const own = evidence.find((e) => e.fact === `startCommand ${command}`);
  if (own && String(own.source).startsWith('rule:')) return null;
  // `npm start` runs package.json's start script: the label holds the script itself.
  const script = evidence.find((e) => String(e.fact).startsWith('start script '));
  if (script && /^(?:npm|yarn|pnpm|bun)(?: run)? start$/.test(command)) return String(script.fact).slice('start script '.length);
  return command;
}

/** local-file when anything is kept on disk, in-process when only an in-memory database is, else none. */
function stateOf(localState: unknown[]): ObservedFacts['state'] {
  if (localState.length === 0) return 'none';
  return localState.every((s) => /^in-memory/.test(String((s as Json).name))) ? 'in-process' : 'local-file';
}

/** Facts from `scai analyze --json`, in the labels' vocabulary. */
export function observedFacts(analysis: unknown): ObservedFacts | undefined {
  if (!analysis || typeof analysis !== 'object') return undefined;
  const a = analysis as Json;
  const framework = str(a.framework) ?? null;
  const localState = Array.isArray(a.localState) ? a.localState : undefined;
  return {
    ...(str(a.kind) ? { kind: a.kind as ObservedFacts['kind'] } : {}),
    language: str(a.language) ?? null,
    framework: framework ? (FRAMEWORK_ALIASES[framework] ?? framework) : null,
    port: typeof a.port === 'number' ? a.port : null,
    startCommand: declaredStart(a),
    ...(Array.isArray(a.stateful) ? { stateful: a.stateful.map(String) } : {}),
    // One plain app is one service, whether or not the analyser lists it.
    serviceCount: Math.max(1, Array.isArray(a.services) ? a.services.length : 1),
    ...(localState ? { state: stateOf(localState) } : {}),
  };
}

/** A function Input turning the LLM step on (spec.llm), for `scai decide --input`. */
export function llmInput(host: string, model: string): string {
  return stringify({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { llm: { host, model, timeoutMs: 60_000 } } });
}

/** `scai decide --json` of the scai checkout at `root` (built: dist/ present), with a function input if given. */
export function cliEngine(name: string, root: string, input?: string): Engine {
  const dir = mkdtempSync(join(tmpdir(), `scai-eval-${name}-`));
  const inputFile = join(dir, 'input.yaml');
  if (input) writeFileSync(inputFile, input);
  return {
    name,
    answer(c, checkout, prompt) {
      const claim = join(dir, `${c.id}.yaml`);
      writeFileSync(claim, neutralClaim(c, prompt));
      const r = spawnSync(process.execPath, [join(root, 'bin/scai.js'), 'decide', claim, '--repo-dir', checkout, '--json', ...(input ? ['--input', inputFile] : [])], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, SCAI_RAG: 'off' },
      });
      const out = r.stdout.trim();
      const report = parseReport(out);
      if (report === undefined) return { outcome: 'refuse', error: `unreadable output: ${out.slice(0, 200)}` };
      const facts = analyse(root, c, checkout);
      // A Fatal (a library, nothing deployable) is the engine refusing the claim: `{error}`, or null
      // from engines before it.
      if (!report || report.error || report.undecided) return { outcome: 'refuse', reason: r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`, ...(facts ? { facts } : {}) };
      return {
        outcome: report.strategy as EngineAnswer['outcome'],
        ...(typeof report.confidence === 'number' ? { confidence: report.confidence } : {}),
        reason: String(report.reason ?? ''),
        ...(typeof report.engine === 'string' ? { engine: report.engine } : {}),
        ...(facts ? { facts } : {}),
      };
    },
  };
}

/** `decide --json` prints the report, or null when nothing was decided; undefined when unreadable. */
function parseReport(out: string): Json | null | undefined {
  try {
    return out ? (JSON.parse(out) as Json | null) : null;
  } catch {
    return undefined;
  }
}

/** The analyser's facts for the case: `scai analyze DIR --path P --json`, as a user would ask. */
function analyse(root: string, c: Case, checkout: string): ObservedFacts | undefined {
  const args = [join(root, 'bin/scai.js'), 'analyze', checkout, ...(c.path ? ['--path', c.path] : []), '--json'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  try {
    return observedFacts(JSON.parse(r.stdout));
  } catch {
    return undefined;
  }
}

export const alwaysVm: Engine = { name: 'always-vm', answer: () => ({ outcome: 'vm' }) };
