// A virtual Cargo workspace whose root Dockerfile builds one member's binary: the member (and the
// workspace crates it depends on by path) is the app the image runs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { explicitPortInCode } from '../function/src/analysis/source-scan.js';
import { snapshot } from './helpers/snapshot.js';

const workspace = (dockerBuild: string) => ({
  'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n[workspace.dependencies]\ntokio = "1"\n',
  Dockerfile: `FROM rust:1 AS builder\nWORKDIR /app\nCOPY . .\nRUN cargo build \\\n    --release \\\n    ${dockerBuild}\n\nFROM scratch\nCOPY --from=builder /app/target/release/pastes /app/pastes\nCMD ["/app/pastes"]\n`,
  'crates/server/Cargo.toml': '[package]\nname = "pastes"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.8"\ntokio = { workspace = true }\nstore = { path = "../store/" }\n',
  'crates/server/src/main.rs': 'fn main() {}\n',
  'crates/store/Cargo.toml': '[package]\nname = "store"\nversion = "0.1.0"\n\n[dependencies]\nrusqlite = { version = "0.32", features = ["bundled"] }\n',
  'crates/store/src/lib.rs': 'pub fn open() {}\n',
  'crates/ctl/Cargo.toml': '[package]\nname = "pastes-ctl"\nversion = "0.1.0"\n\n[dependencies]\nclap = "4"\n',
  'crates/ctl/src/main.rs': 'fn main() {}\n',
});

describe('Cargo workspace member built by the root Dockerfile', () => {
  it('reads the member the Dockerfile builds, with its path crates, as the app', () => {
    const a = analyzeRepository(snapshot(workspace('--bin pastes')));
    expect(a.kind).toBe('web');
    expect(a.framework).toBe('axum');
    expect(a.startCommand).toBe('/app/pastes');
    expect(a.localState?.map((s) => s.name)).toContain('SQLite');
    expect(a.localState?.find((s) => s.name === 'SQLite')?.source).toMatch(/^crates\/store\/Cargo\.toml:/);
  });

  it('also by package (-p), and not when the Dockerfile names no member', () => {
    expect(analyzeRepository(snapshot(workspace('-p pastes'))).framework).toBe('axum');
    expect(analyzeRepository(snapshot(workspace('--bin nothing-here'))).framework).not.toBe('axum');
  });

  it('reads a SocketAddr built from an unspecified address converted with .into()', () => {
    const code = snapshot({ 'Cargo.toml': '[package]\nname = "app"\n', 'src/env.rs': 'let addr = SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), 8088);\n' });
    expect(explicitPortInCode(code, 'rust')?.value).toBe(8088);
  });
});
