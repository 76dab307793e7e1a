// Validates Kubernetes objects against CRD openAPIV3Schemas the way an API server would refuse
// them: types, enums, patterns, bounds, required fields, unknown fields (outside
// x-kubernetes-preserve-unknown-fields) and x-kubernetes-validations CEL rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate } from '@marcbachmann/cel-js';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

import type { LooseObj as Obj } from '../../lib/obj.js';

export interface CrdVersion {
  group: string;
  kind: string;
  version: string;
  schema: Obj;
}

export function readYamlDocs(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d && typeof d === 'object');
}

export function crdVersions(crd: Obj): CrdVersion[] {
  return (crd.spec?.versions ?? []).map((v: Obj) => ({
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    version: v.name,
    schema: v.schema?.openAPIV3Schema ?? {},
  }));
}

/** Rewrites Kubernetes' OpenAPI dialect into JSON Schema that ajv enforces strictly. */
export function toJsonSchema(s: Obj): Obj {
  if (!s || typeof s !== 'object') return s;
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-') || k === 'description' || k === 'example' || k === 'default') continue;
    if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as Obj).map(([pk, pv]) => [pk, toJsonSchema(pv as Obj)]));
    else if (k === 'items' || k === 'additionalProperties' || k === 'not') out[k] = typeof v === 'object' ? toJsonSchema(v as Obj) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as Obj[]).map(toJsonSchema);
    else if (k === 'nullable' || k === 'format') continue;
    else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (s['x-kubernetes-preserve-unknown-fields']) return out.type === 'object' || !out.type ? { ...out, additionalProperties: true } : out;
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Fills schema defaults into a copy, as the API server does before validating. */
export function applyDefaults(schema: Obj, value: unknown): unknown {
  if (!schema || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return schema.items ? value.map((v) => applyDefaults(schema.items, v)) : value;
  const out: Obj = { ...(value as Obj) };
  for (const [k, sub] of Object.entries((schema.properties ?? {}) as Obj)) {
    if (out[k] === undefined && sub.default !== undefined) out[k] = structuredClone(sub.default);
    if (out[k] !== undefined) out[k] = applyDefaults(sub, out[k]);
  }
  return out;
}

/** Evaluates every x-kubernetes-validations rule against the value at its node. */
export function celErrors(schema: Obj, value: unknown, path = ''): string[] {
  if (value === undefined || value === null || !schema) return [];
  const errs: string[] = [];
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    // Transition rules compare with the stored object; on create the API server skips them.
    if (/\boldSelf\b/.test(rule.rule)) continue;
    let ok: unknown;
    try {
      ok = evaluate(rule.rule, { self: value });
    } catch (e) {
      ok = `error: ${(e as Error).message}`;
    }
    if (ok !== true) errs.push(`${path || '<root>'}: ${rule.message ?? rule.rule}${ok === false ? '' : ` (${String(ok)})`}`);
  }
  if (schema.properties && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, sub] of Object.entries(schema.properties as Obj)) errs.push(...celErrors(sub, (value as Obj)[k], `${path}.${k}`));
  }
  if (schema.items && Array.isArray(value)) value.forEach((v, i) => errs.push(...celErrors(schema.items, v, `${path}[${i}]`)));
  return errs;
}

export class CrdValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly byKey = new Map<string, { raw: Obj; validate: ValidateFunction }>();

  addCrd(crd: Obj): void {
    for (const v of crdVersions(crd)) {
      const root = { ...v.schema };
      // apiVersion/kind/metadata are validated by the API server itself; allow them.
      root.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...(root.properties ?? {}) };
      this.byKey.set(`${v.group}/${v.version}/${v.kind}`, { raw: root, validate: this.ajv.compile(toJsonSchema(root)) });
    }
  }

  addDir(dir: string): this {
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      for (const d of readYamlDocs(join(dir, f))) if (d.kind === 'CustomResourceDefinition') this.addCrd(d);
    }
    return this;
  }

  /** The openAPIV3Schema of a kind, or undefined when no CRD defines it. */
  schemaOf(apiVersion: string, kind: string): Obj | undefined {
    return this.byKey.get(`${apiVersion}/${kind}`)?.raw;
  }

  has(apiVersion: string, kind: string): boolean {
    return this.byKey.has(`${apiVersion}/${kind}`);
  }

  /** Errors for one object; an object of an unknown kind is itself an error. */
  errors(input: Obj): string[] {
    const key = `${input.apiVersion}/${input.kind}`;
    const entry = this.byKey.get(key);
    if (!entry) return [`no CRD for ${key}`];
    const obj = applyDefaults(entry.raw, input) as Obj;
    const errs: string[] = [];
    if (!entry.validate(obj)) {
      for (const e of entry.validate.errors ?? []) errs.push(`${e.instancePath || '<root>'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
    }
    errs.push(...celErrors(entry.raw, obj));
    return errs;
  }
}

export const SHARED_CRDS = join(import.meta.dirname, '..', '..', '..', 'shared', 'crds');
