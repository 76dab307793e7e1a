// Goji (github.com/zenazn/goji, and its successor goji.io) is a router on net/http's own server, as gorilla/mux is:
// an app built on it serves with the standard library (`graceful.ListenAndServe(addr, mux)`), framework nethttp.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (require: string) =>
  analyzeRepository(snapshot({
    'go.mod': `module github.com/example/paste\n\ngo 1.21\n\nrequire (\n\t${require}\n)\n`,
    'server.go': 'package main\n\nimport (\n\t"github.com/zenazn/goji/graceful"\n\t"github.com/zenazn/goji/web"\n)\n\nfunc main() {\n\tmux := web.New()\n\tgraceful.ListenAndServe(Config.bind, mux)\n}\n',
  }));

describe('a Go app routed by Goji', () => {
  it('is a net/http app', () => {
    expect(app('github.com/zenazn/goji v0.9.0').framework).toBe('go-net-http');
    expect(app('goji.io v2.0.2+incompatible').framework).toBe('go-net-http');
  });

  it('is not one for a module that merely shares the owner', () => {
    expect(app('github.com/zenazn/pkg v0.0.0-20150424144008-a2a8e5e6c3a4').framework).toBeNull();
  });
});
