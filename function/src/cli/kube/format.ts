// What `kubectl scai` prints, from the Deployment claims as the API server returns them (Crossplane
// copies the XR status onto the claim): tables like kubectl's (upper-case headers, three spaces
// between columns), ages like kubectl's, and the explanation of one decision. Pure: every field of a
// claim is unknown until read here.
import { asObj, type KubeObject, type Obj } from '../../../../lib/obj.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objs = (v: unknown): Obj[] => list(v).flatMap((x): Obj[] => { const o = asObj(x); return o ? [o] : []; });
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => asObj(cur)?.[k], o);

export const money = (v: unknown): string => (num(v) === undefined ? '-' : `$${num(v)!.toFixed(2)}`);

/** Columns padded to their widest cell, three spaces apart, like kubectl's printers. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** kubectl's short human durations: 45s, 5m10s, 90m, 5h30m, 30h, 3d4h, 120d, 3y. */
export function age(since: string | undefined, now: Date): string {
  const t = since ? Date.parse(since) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export function listTable(items: KubeObject[], allNamespaces: boolean, now: Date): string {
  const rows = items.map((c) => [
    ...(allNamespaces ? [c.metadata?.namespace ?? ''] : []),
    c.metadata?.name ?? '',
    str(at(c.status, 'phase')) ?? 'Pending',
    str(at(c.status, 'deployment', 'strategy')) ?? '-',
    money(at(c.status, 'cost', 'estimatedMonthly')),
    money(at(c.status, 'cost', 'actualThisMonth')),
    num(at(c.status, 'decision', 'revision'))?.toString() ?? '-',
    age(str(c.metadata?.creationTimestamp), now),
  ]);
  return table([...(allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'PHASE', 'STRATEGY', 'ESTIMATED', 'ACTUAL', 'REVISION', 'AGE'], rows);
}

/** status.history as rows, the current decision marked. */
export function historyTable(claim: KubeObject): string {
  const current = num(at(claim.status, 'decision', 'revision'));
  const wanted = num(at(claim.spec, 'decisionRevision'));
  const rows = objs(at(claim.status, 'history')).map((e, i) => {
    const rev = num(e.revision);
    const restored = num(e.restoredFrom);
    return [
      rev === undefined ? `(${i + 1})` : String(rev),
      str(e.decidedAt) ?? '-',
      str(e.strategy) ?? '-',
      money(e.estimatedMonthly),
      str(e.engine) ?? '-',
      (str(e.inputsHash) ?? '-').slice(0, 12),
      [rev !== undefined && rev === current ? 'current' : '', restored !== undefined ? `restored from ${restored}` : '', rev === undefined ? 'summary only: cannot roll back' : ''].filter(Boolean).join(', '),
    ];
  });
  const head = wanted === undefined ? '' : `spec.decisionRevision: ${wanted} (rolled back; remove it with \`kubectl scai rollback ${claim.metadata?.name} --clear\` to return to the current decision)\n`;
  return head + table(['REVISION', 'DECIDED', 'STRATEGY', 'MONTHLY', 'ENGINE', 'INPUTS', 'NOTE'], rows);
}

export const historyRevisions = (claim: KubeObject): number[] => objs(at(claim.status, 'history')).flatMap((e) => num(e.revision) ?? []);

/** The explanation of a claim's decision as data (`-o json|yaml`); explainText prints the same. */
export function explanation(claim: KubeObject): Obj {
  const s = asObj(claim.status) ?? {};
  const dep = asObj(s.deployment) ?? {};
  const dec = asObj(s.decision) ?? {};
  const cost = asObj(s.cost) ?? {};
  const analysis = asObj(s.analysis) ?? {};
  return {
    name: claim.metadata?.name,
    namespace: claim.metadata?.namespace,
    phase: s.phase ?? 'Pending',
    strategy: dep.strategy,
    confidence: dep.confidence,
    reason: dep.reason,
    evidence: list(analysis.evidence).filter((x): x is string => typeof x === 'string'),
    analysis: { language: analysis.language, framework: analysis.framework, kind: analysis.kind, commit: analysis.commit ?? dec.commit },
    decision: { revision: dec.revision, restoredFrom: dec.restoredFrom, decidedAt: dec.decidedAt, engine: dec.engine, inputsHash: dec.inputsHash },
    decisionRevision: at(claim.spec, 'decisionRevision'),
    neighbors: objs(dec.neighbors),
    alternatives: objs(dep.alternativeStrategies),
    cost: { estimatedMonthly: cost.estimatedMonthly, actualThisMonth: cost.actualThisMonth, currency: cost.currency, priceSource: cost.priceSource, priceDate: cost.priceDate, breakdown: objs(cost.breakdown) },
    conditions: objs(s.conditions).map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
  };
}

const fixed = (v: unknown, digits: number): string => (num(v) === undefined ? '-' : num(v)!.toFixed(digits));

export function explainText(claim: KubeObject): string {
  const x = explanation(claim);
  const d = x.decision as Obj;
  const cost = x.cost as Obj;
  const out: string[] = [];
  const row = (k: string, v: string) => out.push(`${`${k}:`.padEnd(14)}${v}`);
  const indent = (text: string) => text.trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
  row('Name', String(x.name));
  row('Namespace', String(x.namespace));
  row('Phase', String(x.phase));
  if (!x.strategy) {
    out.push('', 'No decision yet: the function has not written status.deployment (see the conditions below).');
  } else {
    row('Strategy', `${String(x.strategy)} (confidence ${fixed(x.confidence, 2)})`);
    const rev = d.revision === undefined ? '-' : String(d.revision);
    row('Revision', `${rev}${d.restoredFrom !== undefined ? ` (restored from revision ${String(d.restoredFrom)})` : ''}${x.decisionRevision !== undefined ? `; spec.decisionRevision: ${String(x.decisionRevision)}` : ''}`);
    row('Decided', `${String(d.decidedAt ?? '-')} by ${String(d.engine ?? '-')}${(x.analysis as Obj).commit ? ` at commit ${String((x.analysis as Obj).commit).slice(0, 12)}` : ''}`);
    row('Reason', String(x.reason ?? '-'));
    const evidence = x.evidence as string[];
    out.push('Evidence:', evidence.length ? evidence.map((e) => `  ${e}`).join('\n') : '  (none recorded)');
    const neighbors = x.neighbors as Obj[];
    out.push('Neighbours (similar past deployments):');
    out.push(
      neighbors.length
        ? indent(table(['NAME', 'SIMILARITY', 'STRATEGY', 'OUTCOME', 'COST', 'FEEDBACK'], neighbors.map((n) => [String(n.name ?? '-'), fixed(n.similarity, 2), String(n.strategy ?? '-'), String(n.outcome ?? '-'), money(n.costMonthly), n.feedback === undefined ? '-' : String(n.feedback)])))
        : `  (none${d.restoredFrom !== undefined ? ': a restored decision keeps no neighbours' : ''})`,
    );
    const alts = x.alternatives as Obj[];
    out.push('Alternatives:');
    out.push(alts.length ? indent(table(['STRATEGY', 'MONTHLY', 'WHY NOT'], alts.map((a) => [String(a.strategy ?? '-'), money(a.estimatedMonthly), String(a.reason ?? '-')]))) : '  (none)');
    const lines = cost.breakdown as Obj[];
    const source = [str(cost.priceSource), str(cost.priceDate)].filter((x, i, all): x is string => !!x && !(i === 1 && all[0]?.includes(x)));
    out.push(`Cost (${String(cost.currency ?? 'USD')}/month${source.length ? `; ${source.join(', ')}` : ''}):`);
    const rows = lines.map((l) => [String(l.item ?? '-'), l.quantity === undefined ? '-' : String(l.quantity), String(l.unit ?? '-'), num(l.unitPrice) === undefined ? '-' : `$${String(l.unitPrice)}`, money(l.monthly)]);
    rows.push(['estimated total', '', '', '', money(cost.estimatedMonthly)]);
    rows.push(['actual this month', '', '', '', money(cost.actualThisMonth)]);
    out.push(indent(table(['ITEM', 'QUANTITY', 'UNIT', 'UNIT PRICE', 'MONTHLY'], rows)));
  }
  const conds = x.conditions as Obj[];
  if (conds.length) {
    out.push('Conditions:');
    out.push(indent(table(['TYPE', 'STATUS', 'REASON', 'MESSAGE'], conds.map((c) => [String(c.type ?? '-'), String(c.status ?? '-'), String(c.reason ?? '-'), String(c.message ?? '')]))));
  }
  return out.join('\n') + '\n';
}
