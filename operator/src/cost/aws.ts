// AWS Cost Explorer: GetCostAndUsage for the current month, UnblendedCost grouped by the
// scai.io/deployment-uid cost allocation tag (the tag must be activated in the billing console;
// Cost Explorer data lags by up to a day). Cost Explorer is a global API served from us-east-1.
import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandOutput } from '@aws-sdk/client-cost-explorer';
import { UID_TAG, type CostSource } from './source.js';

const day = (d: Date) => d.toISOString().slice(0, 10);

export function awsCostSource(client = new CostExplorerClient({ region: 'us-east-1' })): CostSource {
  return {
    name: 'aws-cost-explorer',
    async monthToDate(uids, now) {
      const out = new Map<string, number>();
      if (uids.length === 0) return out;
      const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      // End is exclusive; tomorrow includes today's partial spend. On the 1st, Start < End still holds.
      const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
      let token: string | undefined;
      do {
        const r: GetCostAndUsageCommandOutput = await client.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: day(start), End: day(end) },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost'],
            Filter: { Tags: { Key: UID_TAG, Values: uids } },
            GroupBy: [{ Type: 'TAG', Key: UID_TAG }],
            ...(token ? { NextPageToken: token } : {}),
          }),
        );
        for (const period of r.ResultsByTime ?? []) {
          for (const g of period.Groups ?? []) {
            // Tag group keys come back as "<tag key>$<value>".
            const uid = g.Keys?.[0]?.split('$').slice(1).join('$');
            const amount = Number(g.Metrics?.UnblendedCost?.Amount);
            if (uid && Number.isFinite(amount)) out.set(uid, (out.get(uid) ?? 0) + amount);
          }
        }
        token = r.NextPageToken;
      } while (token);
      return out;
    },
  };
}
