// A Rust server whose only store is a lock-wrapped map shared with its handlers keeps its state in the process.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });

const main = `use actix_web::{web::{self, Data}, App, HttpServer};
use parking_lot::RwLock;
use std::collections::HashMap;

pub type Store = RwLock<HashMap<String, String>>;

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let store = Data::new(Store::default());
    HttpServer::new(move || App::new().app_data(store.clone())).bind("0.0.0.0:8000")?.run().await
}
`;
const cargo = (extra = '') => `[package]\nname = "pastes"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\nparking_lot = "0.12"\n${extra}`;

describe('shared in-memory map as the store (Rust)', () => {
  it('is in-process state when nothing else stores data', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': cargo(), 'src/main.rs': main }));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory store (a map shared by the request handlers)']);
    expect(a.localState?.[0]?.source).toBe('src/main.rs:5');
  });

  it('is not state when the app has a database server', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': cargo('tokio-postgres = "0.7"\n'), 'src/main.rs': main }));
    expect(a.localState ?? []).toEqual([]);
  });

  it('is not state when the map is not shared with the handlers', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': cargo(), 'src/main.rs': main.replace('.app_data(store.clone())', '').replace('Data::new(Store::default())', 'Store::default()') }));
    expect(a.localState ?? []).toEqual([]);
  });
});
