// What the pipeline returns and how a stage says "stop here": shapes only, no logic.
import type { Obj } from '../../../lib/obj.js';
import type { Analysis, Alternative, CostEstimate, DeploymentConfig, LlmTrace, Neighbor, Strategy } from '../types.js';

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  matchName?: string;
  matchLabels?: Record<string, string>;
}

export interface Cond {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
}

export interface Res {
  severity: 'normal' | 'warning' | 'fatal';
  message: string;
  reason?: string;
}

/** What `scai decide --json` prints; also the shape tests reason about. */
export interface DecisionReport {
  strategy: Strategy;
  confidence: number;
  reason: string;
  alternatives: Alternative[];
  config: DeploymentConfig;
  /** A new decision's estimate, or the pinned status.cost as it was written. */
  cost: CostEstimate | Obj;
  /** A new decision's analysis, or the pinned status.analysis summary. */
  analysis?: Analysis | Obj;
  neighbors: Neighbor[];
  engine: string;
  /** A new decision's LLM step, when it is on. */
  llm?: LlmTrace;
  inputsHash: string;
  pinned: boolean;
}

export interface PipelineResult {
  requirements?: Record<string, ResourceSelector>;
  resources: Record<string, { resource: Obj; ready?: boolean }>;
  status?: Obj;
  conditions: Cond[];
  results: Res[];
  ttlSeconds: number;
  report?: DecisionReport;
}

/** A stage failed; run.ts turns it into a Fatal naming the stage, or keeps the pin with a Warning. */
export class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}

/** A stage that ends the render (nothing more to decide) returns its result wrapped in this. */
export interface Done {
  done: PipelineResult;
}

export const isDone = (x: object): x is Done => 'done' in x;
