// Locked versions and the lock file line they are read from (Cargo.lock, package-lock.json): lines are
// counted as the lock file is read, and only declared dependencies are looked up.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import type { Analysis } from '../function/src/types.js';
import { snapshot } from './helpers/snapshot.js';

const sourceOf = (a: Analysis, fact: string): string[] => a.evidence.filter((e) => e.fact === fact).map((e) => e.source);

describe('locked versions', () => {
  it('Cargo.lock: each locked dependency points at its own name line, the first of two versions wins', () => {
    const lock = ['# generated', 'version = 3', '', '[[package]]', 'name = "axum"', 'version = "0.7.5"', '', '[[package]]', 'name = "serde"', 'version = "1.0.1"', '', '', '[[package]]', 'name = "tokio"', 'version = "1.38.0"', '', '[[package]]', 'name = "tokio"', 'version = "0.2.0"', ''].join('\n');
    const a = analyzeRepository(snapshot({
      'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\ntokio = { version = "1", features = ["full"] }\n',
      'Cargo.lock': lock,
      'src/main.rs': 'use axum::Router;\n#[tokio::main]\nasync fn main() {}\n',
    }));
    expect(sourceOf(a, 'dependency axum locked at 0.7.5')).toEqual(['Cargo.lock:5']);
    expect(sourceOf(a, 'dependency tokio locked at 1.38.0')).toEqual(['Cargo.lock:14']);
    expect(a.dependencies.find((d) => d.name === 'tokio')?.version).toBe('1.38.0');
  });

  it('package-lock.json: a declared dependency gets its locked version and line; an undeclared one is not listed', () => {
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'svc' }, 'node_modules/accepts': { version: '1.3.8' }, 'node_modules/express': { version: '4.21.0' } } }, null, 2);
    const a = analyzeRepository(snapshot({
      'package.json': '{ "name": "svc", "scripts": { "start": "node server.js" }, "dependencies": { "express": "^4.21.0" } }\n',
      'package-lock.json': lock,
      'server.js': 'const express = require("express");\nexpress().listen(3000);\n',
    }));
    const line = lock.split('\n').findIndex((l) => l.includes('"node_modules/express"')) + 1;
    expect(sourceOf(a, 'dependency express locked at 4.21.0')).toEqual([`package-lock.json:${line}`]);
    expect(a.dependencies.map((d) => d.name)).toEqual(['express']);
  });
});
