// A config file's `application:` / `server:` block with an indented `port:` under it gives the app's port
// (port.ts configFilePort). The block is read line by line, each line one way only: a long indented block
// with no port under it (a Rails config/settings.yml) must not backtrack exponentially.
import { describe, expect, it } from 'vitest';
import { configFilePort } from '../function/src/analysis/port.js';
import { snapshot } from './helpers/snapshot.js';

describe('config file port block', () => {
  it('reads the port indented under server:', () => {
    expect(configFilePort(snapshot({ 'config/settings.yml': 'server:\n  host: 0.0.0.0\n\n  port: 9000\n' }))?.value).toBe(9000);
  });

  it('a long application: block with no port returns at once', () => {
    // 14 lines: the old pattern took seconds here (about 3x more per line), so the timing below fails rather than hangs.
    const lines = Array.from({ length: 14 }, (_, i) => `${' '.repeat(2 + (i % 3) * 2)}key_${i}: value ${i} # note`);
    const text = `application:\n${lines.join('\n')}\n\nfooter:\n  links: {}\n`;
    const started = Date.now();
    expect(configFilePort(snapshot({ 'config/settings.yml': text }))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  }, 10_000);
});
