// Cross-resource selectors resolved the way Crossplane's managed resources resolve them: a
// `<field>Selector` with matchControllerRef + matchLabels picks the resources of the referenced
// kind that carry the labels and share the controller (here: every object of one render shares it);
// one without matchControllerRef selects platform resources (the network) and is not checked here.
// Upjet CRDs describe each selector as "Selector for a <Kind> in <group> to populate <field>", which
// gives the kind the reference must land on.
import type { LooseObj as Obj } from '../../lib/obj.js';

export type SchemaOf = (apiVersion: string, kind: string) => Obj | undefined;

const REFERENCED = /Selector for a (\w+) in (\w+)/;

interface Found {
  path: string;
  selector: Obj;
  kind?: string;
  group?: string;
}

function walk(value: unknown, schema: Obj | undefined, path: string, out: Found[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, schema?.items, `${path}[${i}]`, out));
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value as Obj)) {
    const sub = schema?.properties?.[k] as Obj | undefined;
    if (k.endsWith('Selector') && v && typeof v === 'object' && ('matchLabels' in v || 'matchControllerRef' in v)) {
      const m = REFERENCED.exec(String(sub?.description ?? ''));
      out.push({ path: `${path}.${k}`, selector: v as Obj, ...(m ? { kind: m[1], group: m[2] } : {}) });
    } else walk(v, sub, `${path}.${k}`, out);
  }
}

/** Every selector of every object that does not match exactly one sibling of the kind it references. */
export function selectorProblems(objs: readonly Obj[], schemaOf: SchemaOf, nameOf: (o: Obj) => string): string[] {
  const problems: string[] = [];
  for (const o of objs) {
    const schema = schemaOf(o.apiVersion, o.kind)?.properties?.spec?.properties;
    const found: Found[] = [];
    for (const part of ['forProvider', 'initProvider']) walk(o.spec?.[part], schema?.[part], `spec.${part}`, found);
    // A selector without matchControllerRef picks platform resources outside the XR (the network): not a sibling.
    for (const f of found.filter((x) => x.selector.matchControllerRef === true)) {
      const labels = (f.selector.matchLabels ?? {}) as Record<string, string>;
      const hits = objs.filter((s) => s !== o && Object.entries(labels).every(([k, v]) => s.metadata?.labels?.[k] === v));
      const ofKind = f.kind ? hits.filter((s) => s.kind === f.kind && String(s.apiVersion).startsWith(`${f.group}.`)) : hits;
      if (ofKind.length !== 1) {
        const seen = hits.map((s) => `${s.kind} ${nameOf(s)}`).join(', ') || 'nothing';
        problems.push(`${nameOf(o)} ${f.path} should match one ${f.kind ?? 'resource'}${f.group ? ` in ${f.group}` : ''}, matches ${ofKind.length} (labels select ${seen})`);
      }
    }
  }
  return problems;
}
