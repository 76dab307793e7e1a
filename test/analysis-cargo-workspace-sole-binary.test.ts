// A virtual Cargo workspace whose Dockerfile names no cargo target (it copies a prebuilt binary, or runs a
// plain `cargo build`): the one member that builds a program is the app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const workspace = (extra: Record<string, string> = {}, members = '["src/*"]\nexclude = ["client"]') => ({
  'Cargo.toml': `[workspace]\nresolver = "3"\nmembers = ${members}\n\n[workspace.dependencies]\nactix-web = "4"\nhiqlite = "0.13"\n`,
  Dockerfile: 'FROM gcr.io/distroless/cc-debian12:nonroot\nWORKDIR /app\nCOPY ./out/idp_amd64 ./idp\nENTRYPOINT ["/app/idp"]\nCMD ["serve"]\n',
  'src/bin/Cargo.toml': '[package]\nname = "idp"\nversion = "0.1.0"\n\n[dependencies]\nidp-data = { path = "../data" }\nactix-web = { workspace = true }\n',
  'src/bin/src/main.rs': 'fn main() {}\n',
  'src/data/Cargo.toml': '[package]\nname = "idp-data"\nversion = "0.1.0"\n\n[dependencies]\nhiqlite = { workspace = true }\n',
  'src/data/src/lib.rs': 'pub fn open() {}\n',
  'client/Cargo.toml': '[package]\nname = "idp-cli"\nversion = "0.1.0"\n\n[dependencies]\nclap = "4"\n',
  'client/src/main.rs': 'fn main() {}\n',
  ...extra,
});

describe('Cargo workspace with one binary member and no target in the Dockerfile', () => {
  it('reads the only member that builds a program, with its path crates, as the app', () => {
    const a = analyzeRepository(snapshot(workspace()));
    expect(a.kind).toBe('web');
    expect(a.framework).toBe('actix-web');
    expect(a.startCommand).toBe('/app/idp serve');
    expect(a.dependencies.map((d) => d.name)).toContain('hiqlite');
  });

  const tool = { 'src/tool/Cargo.toml': '[package]\nname = "idp-tool"\n\n[dependencies]\nclap = "4"\n', 'src/tool/src/bin/migrate.rs': 'fn main() {}\n' };

  it('picks none when two members build programs', () => {
    expect(analyzeRepository(snapshot(workspace(tool))).framework).not.toBe('actix-web');
  });

  it('leaves out an excluded member and a crate that is no member', () => {
    expect(analyzeRepository(snapshot(workspace(tool, '["src/*"]\nexclude = ["src/tool"]'))).framework).toBe('actix-web');
    expect(analyzeRepository(snapshot(workspace({}, '["src/data", "client"]'))).framework).not.toBe('actix-web');
  });
});
