// Round 24: multer staging an import in the OS temp folder (`multer({ dest: "/tmp/imports/" })`, `dest: os.tmpdir()`)
// keeps nothing on local disk: the app reads the file into its database and the folder is scratch (your_spotify's history
// import). A multer folder of the app's own (`dest: 'uploads/'`, `dest: '/tmpfiles'`) still is local state.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (dest: string) =>
  analyzeRepository(snapshot({
    'package.json': JSON.stringify({ name: 'history', scripts: { start: 'node server.js' }, dependencies: { express: '^5.0.0', multer: '^2.0.0', mongoose: '^9.0.0' } }),
    'server.js': `const express = require("express");\nconst multer = require("multer");\nconst os = require("os");\nconst app = express();\nconst upload = multer({ dest: ${dest} });\napp.post("/import", upload.single("file"), (req, res) => res.send("ok"));\napp.listen(8080);\n`,
  }));
const names = (dest: string) => (app(dest).localState ?? []).map((s) => s.name);

describe('multer uploads staged in the temp folder', () => {
  it('are no local state', () => {
    expect(names('"/tmp/imports/"')).toEqual([]);
    expect(names("'/var/tmp/uploads'")).toEqual([]);
    expect(names('os.tmpdir()')).toEqual([]);
  });

  it("a folder of the app's own is", () => {
    expect(names("'uploads/'")).toContain('uploads on local disk');
    expect(names("'/tmpfiles'")).toContain('uploads on local disk');
  });
});
