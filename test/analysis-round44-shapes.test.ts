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
