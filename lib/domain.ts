// The deployment vocabulary shared by the function, the controller and the build scripts: the one
// definition of the strategies and clouds a decision can name.

export const STRATEGIES = ['vm', 'kubernetes', 'serverless'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const CLOUDS = ['aws', 'gcp'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** API group and version of the scai XRDs (apis/): XDeployment, XCloudProvider, XInfrastructure. */
export const SCAI_GROUP = 'scai.io';
export const SCAI_VERSION = 'v1alpha1';
export const SCAI_API_VERSION = `${SCAI_GROUP}/${SCAI_VERSION}`;

/**
 * Feedback on a decision: set by users on the claim (`kubectl scai feedback`), propagated to the XR by
 * Crossplane, recorded into the RAG store by the controller. Values `+1`/`1`/`-1`.
 */
export const FEEDBACK_ANNOTATION = `${SCAI_GROUP}/feedback`;
export const FEEDBACK_COMMENT_ANNOTATION = `${SCAI_GROUP}/feedback-comment`;
