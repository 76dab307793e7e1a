/** A plain JSON-ish object: the shape of parsed YAML/JSON documents and Kubernetes objects. */
export type Obj = Record<string, unknown>;
