// A Rust server on an HTTP library outside the framework list (warp, hyper) serves HTTP: kind web, framework none.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const cargo = `[package]\nname = "pad-server"\nversion = "0.1.0"\n\n[dependencies]\ntokio = { version = "1", features = ["full"] }\nwarp = "0.3"\n`;
const main = `#[tokio::main]
async fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| String::from("3030")).parse().unwrap();
    let routes = warp::path("hello").map(|| "hi");
    warp::serve(routes).run(([0, 0, 0, 0], port)).await;
}
`;
const dockerfile = 'FROM rust:alpine AS build\nCOPY . .\nRUN cargo build --release\n\nFROM scratch\nCOPY --from=build /target/release/pad-server .\nCMD [ "./pad-server" ]\n';

describe('Rust server started with a library outside the framework list', () => {
  it('is a web app when its code calls warp::serve, with no framework named', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': cargo, 'src/main.rs': main, Dockerfile: dockerfile }));
    expect(a.kind).toBe('web');
    expect(a.framework ?? null).toBeNull();
    expect(a.evidence.find((e) => e.fact === 'serves http')?.source).toBe('src/main.rs:5');
  });

  it('stays a worker when nothing in the code starts a server', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': cargo, 'src/main.rs': main.replace(/.*warp::serve.*\n/, '    println!("{}", port);\n'), Dockerfile: dockerfile }));
    expect(a.kind).toBe('worker');
  });

  it('ignores a serve call in the examples folder', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': cargo, 'src/main.rs': 'fn main() {}\n', 'examples/hello.rs': main, Dockerfile: dockerfile }));
    expect(a.kind).toBe('worker');
  });
});
