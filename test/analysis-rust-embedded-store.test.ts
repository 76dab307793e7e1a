// Rust embedded stores keep the app's records in local files: hiqlite (SQLite replicated with Raft), redb,
// RocksDB. A Postgres client alone is a server database, not local state.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const crate = (deps: string) => snapshot({
  'Cargo.toml': `[package]\nname = "idp"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\n${deps}`,
  'src/main.rs': 'fn main() {}\n',
});

describe('Rust embedded stores', () => {
  it('reads hiqlite, redb and RocksDB as local state', () => {
    expect(analyzeRepository(crate('hiqlite = "0.13"\n')).localState?.map((s) => s.name)).toContain('SQLite (hiqlite)');
    expect(analyzeRepository(crate('redb = "2"\n')).localState?.map((s) => s.name)).toContain('a redb file');
    expect(analyzeRepository(crate('rocksdb = "0.22"\n')).localState?.map((s) => s.name)).toContain('a RocksDB directory');
  });

  it('does not read a Postgres client as local state', () => {
    const a = analyzeRepository(crate('tokio-postgres = "0.7"\n'));
    expect(a.localState ?? []).toEqual([]);
    expect(a.stateful).toContain('postgres');
  });
});
