// The deployment vocabulary shared by the function, the controller and the build scripts: the one
// definition of the strategies and clouds a decision can name.

export const STRATEGIES = ['vm', 'kubernetes', 'serverless'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const CLOUDS = ['aws', 'gcp'] as const;
export type Cloud = (typeof CLOUDS)[number];
