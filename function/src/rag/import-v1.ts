// `scai rag import <file>`: rows of the v1 CLI's SQLite `deployments` table exported as JSON (an
// array, or {"deployments": [...]}). v1 was AWS-only, stored analysis/config as JSON text, and has
// rows that never reached an outcome; those are skipped with the reason.
import type { Cloud, Strategy } from '../../../lib/domain.js';
import { asObj, type Obj } from '../../../lib/obj.js';
import type { DeploymentRecord, Outcome } from '../../../lib/rag/record.js';


export interface V1Mapped {
  record?: DeploymentRecord;
  /** Why the row was not imported, naming the field. */
  skipped?: string;
}

const STRATEGY: Record<string, Strategy> = {
  vm: 'vm', ec2: 'vm', instance: 'vm', compute: 'vm',
  kubernetes: 'kubernetes', k8s: 'kubernetes', eks: 'kubernetes', gke: 'kubernetes',
  serverless: 'serverless', lambda: 'serverless', 'cloud-run': 'serverless', cloudrun: 'serverless', function: 'serverless',
};

/** Only terminal states say how a deployment went; destroyed counts as success only if it had been deployed. */
function outcomeOf(status: string, deployedAt: unknown): Outcome | undefined {
  switch (status) {
    case 'deployed': case 'running': case 'active': case 'succeeded': case 'success':
      return 'success';
    case 'destroyed':
      return deployedAt ? 'success' : undefined;
    case 'failed': case 'error':
      return 'failed';
    case 'degraded':
      return 'degraded';
    default:
      return undefined;
  }
}

/** v1 stored JSON columns as text; tolerate objects too. */
function json(v: unknown): Obj {
  const o = asObj(v);
  if (o) return o;
  if (typeof v === 'string' && v.trim()) {
    try {
      return asObj(JSON.parse(v)) ?? {};
    } catch {
      return {};
    }
  }
  return {};
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function firstNumber(objs: Obj[], keys: string[]): number | null {
  for (const o of objs) for (const k of keys) {
    const v = o[k];
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return null;
}

/** GCP regions end in a digit right after the area (us-central1); AWS ones have a dash (us-east-1). */
function cloudOf(region: string | null, config: Obj): Cloud {
  const named = str(config.cloud) ?? str(config.provider) ?? str(config.cloud_provider);
  if (named === 'gcp' || named === 'google') return 'gcp';
  if (named === 'aws') return 'aws';
  return region && /^[a-z]+-[a-z]+\d+$/.test(region) ? 'gcp' : 'aws';
}

/** A repository URL without credentials (v1 accepted https://token@host/... URLs). */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

export function v1Rows(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object' && Array.isArray((doc as Obj).deployments)) return (doc as Obj).deployments as unknown[];
  throw new Error('expected a JSON array of v1 deployments rows or {"deployments": [...]}');
}

export function fromV1(raw: unknown, index: number): V1Mapped {
  const where = `deployments[${index}]`;
  if (!raw || typeof raw !== 'object') return { skipped: `${where}: not an object` };
  const row = raw as Obj;
  const id = row.id;
  if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '') return { skipped: `${where}.id: missing` };
  const name = str(row.app_name);
  if (!name) return { skipped: `${where}.app_name: missing` };
  const strategy = STRATEGY[String(row.strategy ?? '').toLowerCase()];
  if (!strategy) return { skipped: `${where}.strategy: unknown value ${JSON.stringify(row.strategy)}` };
  const outcome = outcomeOf(String(row.status ?? '').toLowerCase(), row.deployed_at);
  if (!outcome) return { skipped: `${where}.status: ${JSON.stringify(row.status)} is not a finished deployment` };
  const analysis = json(row.analysis_json);
  const config = json(row.config_json);
  const outputs = json(row.outputs_json);
  const region = str(row.region);
  const deps = Array.isArray(analysis.dependencies)
    ? analysis.dependencies.map((d) => (typeof d === 'string' ? d : str((d as Obj | null)?.name))).filter((d): d is string => !!d)
    : [];
  const when = str(row.deployed_at) ?? str(row.created_at);
  const record: DeploymentRecord = {
    deploymentUid: `v1:${id}`,
    decisionHash: str(row.repo_commit_sha) ?? 'v1',
    name,
    namespace: 'v1',
    framework: str(analysis.framework)?.toLowerCase() ?? null,
    language: str(analysis.language)?.toLowerCase() ?? null,
    dependencies: deps.slice(0, 15),
    intent: str(row.user_prompt) ?? '',
    strategy,
    cloud: cloudOf(region, config),
    region,
    outcome,
    costMonthly: firstNumber([config, outputs], ['estimated_monthly_cost', 'estimated_cost', 'monthly_cost', 'cost']),
    source: 'import',
    metadata: { v1Id: id, ...(str(row.repo_url) ? { repoUrl: withoutCredentials(str(row.repo_url) as string) } : {}) },
    ...(when && !Number.isNaN(Date.parse(when)) ? { createdAt: new Date(when).toISOString() } : {}),
  };
  return { record };
}
