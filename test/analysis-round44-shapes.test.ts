// Shapes from the round-44 dev cases (document repositories and CRMs) and the older dev cases they generalise.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

/** `n` files named `dir/f<i><ext>` with `text`. */
const files = (n: number, dir: string, ext: string, text: string): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`${dir}/f${i}${ext}`, text]));

describe('a language scai reads no further, by its files alone', () => {
  it('names the repository when its files are at least twice the counted language\'s (Perl modules beside a web UI\'s scripts)', () => {
    const a = analyzeRepository(snapshot({ 'Makefile.am': 'SUBDIRS = perl_lib\n', ...files(40, 'perl_lib/EPrints', '.pm', 'package EPrints;\n1;\n'), ...files(15, 'lib/static/javascript', '.js', 'x();\n') }));
    expect(a.language).toBe('perl');
    expect(a.evidence).toContainEqual({ fact: 'language perl', source: 'rule:file-extensions' });
    expect(a.evidence).toContainEqual({ fact: 'language perl: 40 perl source files, at least twice the 15 node files', source: 'rule:file-extensions' });
  });

  it('does not count Prolog\'s `.pl` files as Perl (control)', () => {
    const a = analyzeRepository(snapshot({ ...files(30, 'prolog', '.pl', ':- module(m, []).\n'), 'web/app.js': 'x();\n' }));
    expect(a.language).toBe('node');
  });

  it('leaves the count to the languages scai reads below twice, or under twenty files, or beside a manifest (controls)', () => {
    expect(analyzeRepository(snapshot({ ...files(25, 'lib', '.pm', 'package A;\n'), ...files(15, 'web', '.js', 'x();\n') })).language).toBe('node');
    expect(analyzeRepository(snapshot({ ...files(12, 'scripts', '.pl', 'print 1;\n'), 'app.py': 'print(1)\n' })).language).toBe('python');
    const manifest = analyzeRepository(snapshot({
      'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.0' } }),
      'server.js': "const express = require('express');\nexpress().listen(3000);\n",
      ...files(30, 'tools', '.pl', 'print 1;\n'),
    }));
    expect(manifest.language).toBe('node');
  });
});

describe('the one Dockerfile in a folder of its own, beside its variants', () => {
  const goApp = { 'go.mod': 'module github.com/org/dbtool\n\ngo 1.22\n', 'backend/main.go': 'package main\n\nfunc main() {}\n' };
  const image = 'FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /dbtool ./backend\nFROM alpine\nCOPY --from=build /dbtool /usr/local/bin/dbtool\nEXPOSE 8080\nENTRYPOINT ["dbtool"]\nCMD ["--port", "8080"]\n';

  it('is the image when it is named plainly (scripts/Dockerfile beside scripts/Dockerfile.action): its command starts the app', () => {
    const a = analyzeRepository(snapshot({ ...goApp, 'scripts/Dockerfile': image, 'scripts/Dockerfile.action': 'FROM alpine\nCOPY action /action\nENTRYPOINT ["/action"]\n' }));
    expect(a.startCommand).toBe('dbtool --port 8080');
    expect(a.port).toBe(8080);
  });

  it('is none when the variants sit in different folders, or none is named plainly (controls)', () => {
    const apart = analyzeRepository(snapshot({ ...goApp, 'scripts/Dockerfile': image, 'ops/Dockerfile.action': 'FROM alpine\nENTRYPOINT ["/action"]\n' }));
    expect(apart.startCommand).not.toBe('dbtool --port 8080');
    const unnamed = analyzeRepository(snapshot({ ...goApp, 'scripts/Dockerfile.server': image, 'scripts/Dockerfile.action': 'FROM alpine\nENTRYPOINT ["/action"]\n' }));
    expect(unnamed.startCommand).not.toBe('dbtool --port 8080');
  });
});

describe('a port the code names for another protocol', () => {
  const goMod = 'module github.com/org/dnsproxy\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n';
  const server = 'package main\n\nimport "github.com/go-chi/chi/v5"\n\nfunc main() {\n\tr := chi.NewRouter()\n\t_ = r\n}\n';

  it('is not the HTTP port (a DNS server\'s `defaultPort = 53`): the framework\'s default applies, the reason stated', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': server, 'cmd/healthcheck.go': 'package cmd\n\nconst (\n\tdefaultPort = 53\n)\n' }));
    expect(a.port).not.toBe(53);
    expect(a.evidence.some((e) => e.fact.startsWith('not port 53') && e.source === 'cmd/healthcheck.go:4')).toBe(true);
  });

  it('gives way to the next port the config or code names (a .env.example PORT=25 before the code\'s HTTP constant), and a constant named for DNS is passed over', () => {
    const next = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': server, '.env.example': 'PORT=25\n', 'cmd/serve.go': 'package cmd\n\nconst (\n\tdefaultHTTPPort = 4000\n)\n' }));
    expect(next.port).toBe(4000);
    const named = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': server, 'cmd/serve.go': 'package cmd\n\nconst (\n\tdefaultDNSPort = 53\n\tdefaultHTTPPort = 4000\n)\n' }));
    expect(named.port).toBe(4000);
  });

  it('leaves a web port the code names as it was (control)', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': server, 'cmd/serve.go': 'package cmd\n\nconst (\n\tdefaultHTTPPort = 4000\n)\n' }));
    expect(a.port).toBe(4000);
  });
});
