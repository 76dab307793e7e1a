// GCP billing: a STUB. GCP has no synchronous "cost by label" API comparable to Cost Explorer; the
// supported route is the Cloud Billing export to BigQuery, queried by the `scai_io_deployment-uid`
// label (GCP label keys cannot contain '.' or '/', so the compositions must set that spelling). That
// needs a BigQuery client and a configured export dataset, neither of which exists yet, so this source
// fails every sync with a message saying so: the controller then emits its Warning event and keeps
// the last known actualThisMonth, which is the documented degraded behaviour.
import type { CostSource } from './source.js';

export function gcpBillingStub(): CostSource {
  return {
    name: 'gcp-billing-stub',
    async monthToDate() {
      throw new Error('GCP billing is not implemented: configure the BigQuery billing export (see operator/src/cost/gcp.ts)');
    },
  };
}
