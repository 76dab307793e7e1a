// Shapes from the round-52 dev cases: a Go module that builds no program.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Go module with no `package main`', () => {
  const goMod = 'module github.com/acme/lura/v2\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.12.0\n';
  const router = 'package gin\n\nimport "github.com/gin-gonic/gin"\n\nfunc NewEngine() *gin.Engine {\n\treturn gin.New()\n}\n';

  it('is a library, whatever web framework it requires', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'router/gin/engine.go': router }));
    expect(a.kind).toBe('library');
    expect(a.evidence).toContainEqual({ fact: 'kind library', source: 'rule:go-module-without-main-package' });
  });

  it('with a `package main` under cmd/ it is the program that main builds (control)', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'router/gin/engine.go': router, 'cmd/gateway/main.go': 'package main\n\nfunc main() {\n\tgin.NewEngine().Run(":8080")\n}\n' }));
    expect(a.kind).toBe('web');
  });

  it('a main only under examples/ builds an example, not the module: still a library', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'router/gin/engine.go': router, 'examples/basic/main.go': 'package main\n\nfunc main() {}\n' }));
    expect(a.kind).toBe('library');
  });

  it('Go functions a platform runs with no main of theirs are no library (Vercel\'s api/*.go, Knative\'s func.yaml)', () => {
    const vercel = analyzeRepository(snapshot({ 'go.mod': goMod, 'router/gin/engine.go': router, 'api/index.go': 'package api\n\nimport "net/http"\n\nfunc Handler(w http.ResponseWriter, r *http.Request) {}\n' }));
    const knative = analyzeRepository(snapshot({ 'go.mod': goMod, 'router/gin/engine.go': router, 'func.yaml': 'specVersion: 0.36.0\nname: hello\nruntime: go\n' }));
    expect([vercel.kind, knative.kind]).not.toContain('library');
  });

  it('with a Dockerfile someone deploys it: not a library (control)', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'router/gin/engine.go': router, Dockerfile: 'FROM golang:1.22\nCOPY . .\nEXPOSE 8080\n' }));
    expect(a.kind).not.toBe('library');
  });
});
