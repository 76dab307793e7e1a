// SCAI_COST_SOURCE: `aws`, `gcp` (stub), `file:<path>`, an http(s) URL, or `none`.
import { documentCostSource } from './file.js';
import { gcpBillingStub } from './gcp.js';
import type { CostSource } from './source.js';

/** Async so the AWS SDK is only loaded when it is used. */
export async function costSourceFrom(spec: string | undefined): Promise<CostSource | undefined> {
  if (!spec || spec === 'none') return undefined;
  if (spec === 'aws') return (await import('./aws.js')).awsCostSource();
  if (spec === 'gcp') return gcpBillingStub();
  if (spec.startsWith('file:')) return documentCostSource(spec.slice(5));
  if (/^https?:\/\//.test(spec)) return documentCostSource(spec);
  throw new Error(`SCAI_COST_SOURCE: expected aws, gcp, file:<path>, an http(s) URL or none, got ${JSON.stringify(spec)}`);
}
