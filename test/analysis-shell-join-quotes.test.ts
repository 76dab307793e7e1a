// Exec-form arguments joined as a shell line: single quotes inside an argument read as in the Dockerfile.
import { describe, expect, it } from 'vitest';
import { shellJoin } from '../function/src/analysis/docker.js';

describe('shellJoin', () => {
  it('wraps an argument holding single quotes in double quotes', () => {
    expect(shellJoin(['sh', '-c', "uv run app --port $PORT --forwarded-allow-ips='*'"])).toBe(`sh -c "uv run app --port $PORT --forwarded-allow-ips='*'"`);
  });

  it('keeps single-quote escapes when double quotes would need escaping too', () => {
    expect(shellJoin(['sh', '-c', `echo "it's"`])).toBe(`sh -c 'echo "it'\\''s"'`);
  });

  it('quotes plain arguments with spaces in single quotes as before', () => {
    expect(shellJoin(['sh', '-c', 'exec node server.js'])).toBe(`sh -c 'exec node server.js'`);
  });
});
