// Where actual costs come from. A source answers for a batch of deployments at once because the
// billing APIs price per query, not per deployment (one Cost Explorer call groups by the UID tag).

export interface CostSource {
  readonly name: string;
  /** Month-to-date cost per deployment UID (in USD); UIDs without spend may be missing. */
  monthToDate(uids: string[], now: Date): Promise<Map<string, number>>;
}

/** Tag the compositions put on every cloud resource of a deployment (its XR's UID). */
export const UID_TAG = 'scai.io/deployment-uid';
