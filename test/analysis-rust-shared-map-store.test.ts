// A Rust server whose only store is a lock-wrapped map shared with its handlers keeps its state in the process.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

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

describe('shared in-memory map as the store (Rust, warp)', () => {
  const warpMain = `use dashmap::DashMap;
use std::sync::Arc;
use warp::Filter;

#[tokio::main]
async fn main() {
    let state: Arc<DashMap<String, String>> = Default::default();
    let state_filter = warp::any().map(move || Arc::clone(&state));
    let get = warp::path!("doc" / String).and(state_filter.clone()).map(|id: String, s: Arc<DashMap<String, String>>| s.get(&id).map(|v| v.clone()).unwrap_or_default());
    warp::serve(get).run(([0, 0, 0, 0], 3030)).await;
}
`;
  const warpCargo = `[package]\nname = "docs"\nversion = "0.1.0"\n\n[dependencies]\ndashmap = "5"\nwarp = "0.3"\n`;

  it('is in-process state when a warp filter hands the map to every route', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': warpCargo, 'src/main.rs': warpMain }));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory store (a map shared by the request handlers)']);
    expect(a.localState?.[0]?.source).toBe('src/main.rs:7');
  });

  it('is not state when no filter shares the map', () => {
    const a = analyzeRepository(snapshot({ 'Cargo.toml': warpCargo, 'src/main.rs': warpMain.replace('warp::any().map(move || Arc::clone(&state))', 'warp::any()') }));
    expect(a.localState ?? []).toEqual([]);
  });
});
