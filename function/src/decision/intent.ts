// Reads the few signals a one-sentence prompt carries ("Flask API, highly available, under
// $300/month"). Plain keyword rules: deterministic, explainable, and cheap on every render.

export type TrafficLevel = 'low' | 'normal' | 'high' | 'spiky';

export interface Intent {
  highAvailability: boolean;
  traffic: TrafficLevel;
  /** A monthly cost ceiling stated in the prompt ("under $300/month"), in USD. */
  statedBudget?: number;
  costSensitive: boolean;
  longRunning: boolean;
  websockets: boolean;
  /** Evidence: which words triggered which signal. */
  signals: string[];
}

const HA = /\b(highly[- ]available|high[- ]availability|\bha\b|zero[- ]downtime|multi[- ]az|fault[- ]tolerant|redundan\w*)/i;
const HIGH = /\b(high[- ]traffic|heavy (load|traffic)|millions of (users|requests)|large[- ]scale|high[- ]throughput)\b/i;
const LOW = /\b(low[- ]traffic|internal (tool|app|api)|prototype|hobby|side project|demo|few users|occasional)\b/i;
const SPIKY = /\b(spiky|bursty|bursts?|seasonal|unpredictable traffic|scale to zero)\b/i;
const COST = /\b(cheap|cheapest|low[- ]cost|budget|cost[- ]effective|minimi[sz]e cost|frugal)\b/i;
const LONG = /\b(long[- ]running|background (jobs?|workers?)|batch|streaming)\b/i;
const WS = /\b(websockets?|socket\.io|real[- ]time|sse|server[- ]sent events)\b/i;
const BUDGET = /(?:under|below|less than|max(?:imum)?|at most|<=?|up to)\s*\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k)?\s*(?:\/|per|a)?\s*(?:month|mo)\b/i;

export function parseIntent(prompt: string): Intent {
  const signals: string[] = [];
  const hit = (re: RegExp, name: string): boolean => {
    const m = re.exec(prompt);
    if (m) signals.push(`${name}: "${m[0].trim()}"`);
    return m !== null;
  };
  const highAvailability = hit(HA, 'high-availability');
  let traffic: TrafficLevel = 'normal';
  if (hit(HIGH, 'traffic=high')) traffic = 'high';
  else if (hit(SPIKY, 'traffic=spiky')) traffic = 'spiky';
  else if (hit(LOW, 'traffic=low')) traffic = 'low';
  const costSensitive = hit(COST, 'cost-sensitive');
  const longRunning = hit(LONG, 'long-running');
  const websockets = hit(WS, 'websockets');
  const intent: Intent = { highAvailability, traffic, costSensitive, longRunning, websockets, signals };
  const b = BUDGET.exec(prompt);
  if (b?.[1]) {
    const value = Number(b[1].replace(/,/g, '')) * (b[2] ? 1000 : 1);
    if (Number.isFinite(value) && value > 0) {
      intent.statedBudget = value;
      signals.push(`budget: "${b[0].trim()}"`);
    }
  }
  return intent;
}
