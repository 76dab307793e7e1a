// scai analyze <dir|git-url> [--ref R] [--path P] [--prompt TEXT] [--json] [--allow-host H]...
// Prints what scai understands of a repository, each fact with its evidence: the same steps as
// the function's analyse stage (URL checks, fetch limits, monorepo choice), minus the cache.
import { parseCommandLine, type Io } from '../args.js';
import { analyzeRepository } from '../../analysis/analyze.js';
import { analyzeRepositoryRef, type RepositorySettings } from '../../pipeline/analyse.js';
import { gitSource, localDirSource } from '../../repo/source.js';
import { REPOSITORY_DEFAULTS } from '../../api/input.js';
import type { Analysis } from '../../types.js';

export const usage = `Usage: scai analyze <dir|git-url> [flags]

Flags:
  --ref <ref>          branch, tag or full commit SHA (git URLs; default: the remote's HEAD)
  --path <dir>         subdirectory of a monorepo holding the app
  --prompt <text>      the claim's prompt (picks the app of a monorepo by name)
  --allow-host <h>     allow a host, IP or CIDR that resolves to a private/loopback address
                       (and plain http for it); repeatable
  --json               print the analysis as JSON
  -h, --help           this text

A local directory is read in place (symlinks are not followed); a URL is fetched like the function
does: https or ssh only, shallow, never checked out, with the default limits of the function input.`;


function isUrl(target: string): boolean {
  return /^[a-z][\w+.-]*:\/\//i.test(target) || /^[\w.-]+@[\w.-]+:/.test(target) || /::/.test(target);
}

export function formatAnalysis(a: Analysis): string {
  const lines: string[] = [];
  const row = (k: string, v: unknown) => v !== undefined && v !== null && v !== '' && lines.push(`${`${k}:`.padEnd(16)}${String(v)}`);
  row('kind', a.kind);
  row('language', a.language && `${a.language}${a.languageVersion ? ` ${a.languageVersion}` : ''}`);
  row('framework', a.framework && `${a.framework}${a.frameworkVersion ? ` ${a.frameworkVersion}` : ''}`);
  row('packageManager', a.packageManager);
  row('port', a.port ?? undefined);
  row('start', a.startCommand);
  row('build', a.buildCommand);
  row('health', a.healthCheckPath);
  row('stateful', a.stateful.join(', '));
  row('jobs', a.backgroundJobs.join(', '));
  row('scheduled', a.scheduledJobs?.join(', '));
  row('serverless', a.serverless && `${a.serverless.platform}: ${a.serverless.functions.join(', ')}`);
  row('env', a.envVars?.join(', '));
  row('compose', a.composeServices?.map((s) => `${s.name}${s.image ? `=${s.image}` : ''}`).join(', '));
  row('monorepo', a.monorepo && `${a.monorepo.chosen ? `${a.monorepo.chosen} of ` : 'choose one of '}${a.monorepo.candidates.join(', ')}`);
  row('dependencies', a.dependencies.map((d) => (d.version ? `${d.name}@${d.version}` : d.name)).join(', '));
  row('commit', a.commit);
  lines.push('evidence:');
  for (const e of a.evidence) lines.push(`  ${e.fact}  (${e.source})`);
  return lines.join('\n') + '\n';
}

export async function run(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandLine(
    'scai analyze',
    argv,
    {
      ref: { type: 'string' },
      path: { type: 'string' },
      prompt: { type: 'string' },
      'allow-host': { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    usage,
    io,
  );
  if (!parsed) return 2;
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(usage + '\n');
    return 0;
  }
  const [target, ...rest] = positionals;
  if (!target || rest.length) {
    io.err(`scai analyze: expected one directory or git URL\n${usage}\n`);
    return 2;
  }
  const url = isUrl(target);
  const settings: RepositorySettings = { ...REPOSITORY_DEFAULTS, allowedHosts: values['allow-host'] ?? [] };
  try {
    const { analysis } = await analyzeRepositoryRef(
      {
        repository: { url: target, ...(values.ref ? { ref: values.ref } : {}), ...(values.path ? { path: values.path } : {}) },
        ...(values.prompt ? { prompt: values.prompt } : {}),
        settings,
      },
      { repos: url ? gitSource() : localDirSource(target), analyze: analyzeRepository },
    );
    io.out(values.json ? JSON.stringify(analysis, null, 2) + '\n' : formatAnalysis(analysis));
    if (analysis.monorepo && !analysis.monorepo.chosen) io.err(`scai analyze: several apps (${analysis.monorepo.candidates.join(', ')}); pass --path or --prompt naming one\n`);
    return 0;
  } catch (e) {
    io.err(`scai analyze: ${(e as Error).message}\n`);
    return 1;
  }
}
