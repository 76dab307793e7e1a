// Serverless projects: the Serverless Framework (serverless.yml), AWS SAM (template.yaml with the
// Serverless transform), Netlify functions and Vercel functions. Each declares functions and what
// triggers them; HTTP triggers make the project a web app, schedules make it scheduled work.
import { parseDocument } from 'yaml';
import { parse as parseToml } from 'smol-toml';
import { asObj, type Obj } from '../../../lib/obj.js';
import type { RepoSnapshot } from '../types.js';
import type { Located } from './model.js';
import { findLine, loc } from './text.js';

export interface ServerlessFacts {
  platform: Located<string>;
  functions: string[];
  http: boolean;
  schedules: Located<string>[];
  runtime?: Located<string>;
}

/** YAML with CloudFormation tags (!Ref, !GetAtt …) read as plain values: we only need names and types. */
function yamlObject(text: string): Obj | undefined {
  try {
    const doc = parseDocument(text, { customTags: [], strict: false, uniqueKeys: false, logLevel: 'silent' });
    return asObj(doc.toJS({ maxAliasCount: 100 }));
  } catch {
    return undefined;
  }
}

function serverlessFramework(snapshot: RepoSnapshot): ServerlessFacts | undefined {
  const path = ['serverless.yml', 'serverless.yaml'].find((p) => snapshot.files.has(p));
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (path === undefined || text === undefined) return undefined;
  const doc = yamlObject(text) ?? {};
  const functions = asObj(doc.functions) ?? {};
  const out: ServerlessFacts = { platform: { value: 'serverless-framework', source: path }, functions: Object.keys(functions).sort(), http: false, schedules: [] };
  for (const [name, fn] of Object.entries(functions)) {
    for (const event of Array.isArray(asObj(fn)?.events) ? (asObj(fn)?.events as unknown[]) : []) {
      const e = asObj(event) ?? {};
      if ('http' in e || 'httpApi' in e || 'alb' in e) out.http = true;
      if ('schedule' in e) out.schedules.push({ value: `${name}: ${JSON.stringify(e.schedule)}`, source: loc(path, findLine(text, /^\s*-\s*schedule\b/m)) });
    }
  }
  // Lift constructs (serverless-lift): a queue's worker is a function too.
  for (const [name, construct] of Object.entries(asObj(doc.constructs) ?? {})) {
    const c = asObj(construct);
    if (c?.type === 'queue' && asObj(c.worker)?.handler !== undefined) out.functions.push(`${name}-worker`);
  }
  out.functions.sort();
  const runtime = typeof asObj(doc.provider)?.runtime === 'string' ? String(asObj(doc.provider)?.runtime) : undefined;
  if (runtime) out.runtime = { value: runtime, source: loc(path, findLine(text, /^\s*runtime:/m)) };
  return out;
}

function sam(snapshot: RepoSnapshot): ServerlessFacts | undefined {
  const path = ['template.yaml', 'template.yml', 'sam.yaml'].find((p) => /AWS::Serverless/.test(snapshot.files.get(p) ?? ''));
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (path === undefined || text === undefined) return undefined;
  const doc = yamlObject(text) ?? {};
  const out: ServerlessFacts = { platform: { value: 'aws-sam', source: loc(path, findLine(text, 'AWS::Serverless')) }, functions: [], http: false, schedules: [] };
  for (const [name, res] of Object.entries(asObj(doc.Resources) ?? {})) {
    if (asObj(res)?.Type !== 'AWS::Serverless::Function') continue;
    out.functions.push(name);
    for (const ev of Object.values(asObj(asObj(asObj(res)?.Properties)?.Events) ?? {})) {
      const type = asObj(ev)?.Type;
      if (type === 'Api' || type === 'HttpApi') out.http = true;
      if (type === 'Schedule' || type === 'ScheduleV2') out.schedules.push({ value: `${name}: ${JSON.stringify(asObj(asObj(ev)?.Properties)?.Schedule ?? type)}`, source: loc(path, findLine(text, `Type: ${type}`)) });
    }
  }
  const runtime = /^\s*Runtime:\s*([\w.]+)/m.exec(text);
  if (runtime?.[1]) out.runtime = { value: runtime[1], source: loc(path, findLine(text, runtime[0])) };
  out.functions.sort();
  return out;
}

/** Function files directly in `dir` (one level of subdirectory allowed: `fn/index.js`). */
function functionsIn(snapshot: RepoSnapshot, dir: string): string[] {
  const names = new Set<string>();
  for (const p of snapshot.files.keys()) {
    if (!p.startsWith(`${dir}/`)) continue;
    const rest = p.slice(dir.length + 1).split('/');
    if (rest.length > 2 || !/\.(?:[cm]?[jt]sx?|go|py)$/.test(p)) continue;
    names.add((rest[0] ?? '').replace(/\.[^.]+$/, ''));
  }
  return [...names].sort();
}

function netlify(snapshot: RepoSnapshot): ServerlessFacts | undefined {
  const toml = snapshot.files.get('netlify.toml');
  let dir = 'netlify/functions';
  let source = dir;
  if (toml !== undefined) {
    try {
      const configured = asObj(asObj(parseToml(toml))?.functions)?.directory;
      if (typeof configured === 'string') {
        dir = configured.replace(/^\.\//, '').replace(/\/$/, '');
        source = loc('netlify.toml', findLine(toml, /directory\s*=/));
      }
    } catch {
      // keep the default directory
    }
  }
  const functions = functionsIn(snapshot, dir);
  if (functions.length === 0) return undefined;
  return { platform: { value: 'netlify', source }, functions, http: true, schedules: [] };
}

function vercel(snapshot: RepoSnapshot): ServerlessFacts | undefined {
  const json = snapshot.files.get('vercel.json');
  if (json === undefined) return undefined;
  const functions = functionsIn(snapshot, 'api');
  const out: ServerlessFacts = { platform: { value: 'vercel', source: 'vercel.json' }, functions, http: functions.length > 0, schedules: [] };
  try {
    for (const c of (asObj(JSON.parse(json))?.crons as unknown[] | undefined) ?? []) {
      const cron = asObj(c);
      if (cron) out.schedules.push({ value: `${String(cron.path)}: ${String(cron.schedule)}`, source: loc('vercel.json', findLine(json, '"crons"')) });
    }
  } catch {
    // unreadable vercel.json: functions only
  }
  return functions.length > 0 || out.schedules.length > 0 ? out : undefined;
}

export function detectServerless(snapshot: RepoSnapshot): ServerlessFacts | undefined {
  return serverlessFramework(snapshot) ?? sam(snapshot) ?? netlify(snapshot) ?? vercel(snapshot);
}
