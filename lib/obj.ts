/** A plain JSON-ish object: the shape of parsed YAML/JSON documents and Kubernetes objects. */
export type Obj = Record<string, unknown>;

/** `v` when it is a plain object (not null, not an array), else undefined. */
export function asObj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The parts of a Kubernetes object that code reads by name; every other field rides along. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  spec?: Obj;
  status?: Obj;
  [field: string]: unknown;
}

/**
 * A parsed document read deep without checks: only for tests and dev scripts that walk rendered YAML,
 * where a wrong path fails the test anyway. Production code uses Obj and checks what it reads.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseObj = Record<string, any>;
