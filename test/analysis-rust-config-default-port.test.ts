// The config crate's builder default (`Config::builder().set_default("port", 8888)`) is the port the code
// listens on when nothing overrides it; a database's or metrics listener's default is not.
import { describe, expect, it } from 'vitest';
import { explicitPortInCode } from '../function/src/analysis/source-scan.js';
import { snapshot } from './helpers/snapshot.js';

describe('config crate default port', () => {
  const code = (line: string) => snapshot({ 'Cargo.toml': '[package]\nname = "app"\n', 'src/settings.rs': `let b = Config::builder()\n    ${line}\n    .build()?;\n` });

  it('reads .set_default("port", 8888) and a server.port default', () => {
    expect(explicitPortInCode(code('.set_default("port", 8888)?'), 'rust')?.value).toBe(8888);
    expect(explicitPortInCode(code('.set_default("server.port", "8081")?'), 'rust')?.value).toBe(8081);
  });

  it('ignores a database or metrics port default', () => {
    expect(explicitPortInCode(code('.set_default("database.port", 5432)?'), 'rust')).toBeUndefined();
    expect(explicitPortInCode(code('.set_default("metrics.port", 9001)?'), 'rust')).toBeUndefined();
  });

  it('stays linear on a 100 KB line', () => {
    const start = Date.now();
    explicitPortInCode(code(`.set_default("${'port'.repeat(25_000)}`), 'rust');
    explicitPortInCode(code(`.set_default(${' '.repeat(100_000)}`), 'rust');
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
