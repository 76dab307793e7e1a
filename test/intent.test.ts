import { describe, expect, it } from 'vitest';
import { parseIntent } from '../function/src/decision/intent.js';

describe('parseIntent', () => {
  it('reads availability and a stated monthly budget', () => {
    const i = parseIntent('Flask API, highly available, under $300/month');
    expect(i.highAvailability).toBe(true);
    expect(i.statedBudget).toBe(300);
    expect(i.traffic).toBe('normal');
    expect(i.signals.join(' ')).toContain('highly available');
  });

  it('understands thousands, commas and "per month"', () => {
    expect(parseIntent('less than $1,200 per month').statedBudget).toBe(1200);
    expect(parseIntent('max $2k/mo please').statedBudget).toBe(2000);
    expect(parseIntent('a service costing $300 one-off').statedBudget).toBeUndefined();
  });

  it('classifies traffic and long-lived connections', () => {
    expect(parseIntent('spiky traffic from a marketing campaign').traffic).toBe('spiky');
    expect(parseIntent('internal tool for five people').traffic).toBe('low');
    expect(parseIntent('high traffic storefront').traffic).toBe('high');
    const ws = parseIntent('chat server with websockets and background jobs');
    expect(ws.websockets).toBe(true);
    expect(ws.longRunning).toBe(true);
  });

  it('finds nothing in an empty prompt', () => {
    const i = parseIntent('');
    expect(i).toMatchObject({ highAvailability: false, traffic: 'normal', costSensitive: false, signals: [] });
  });
});
