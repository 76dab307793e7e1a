// An app with no database server that keeps its records in a JSON file it rewrites (a bot's balances in
// `mainbank.json`, reminders in `./reminders/<id>.json`): the file on local disk is its database, local-file state.
// Manifests, tool configs, caches and build scripts that write JSON are not.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pythonBot = (bank: string): Record<string, string> => ({
  'requirements.txt': 'discord.py==2.3.2\n',
  'bot.py': 'import os\nimport discord\nfrom discord.ext import commands\n\nbot = commands.Bot(command_prefix="!", intents=discord.Intents.default())\n\nbot.run(os.environ["TOKEN"])\n',
  'bank.py': `import json\n\n\ndef get_bank():\n    with open("mainbank.json") as f:\n        return json.load(f)\n\n\ndef save_bank(users):\n${bank}`,
});

const nodeBot = (save: string): Record<string, string> => ({
  'package.json': '{\n  "name": "helper-bot",\n  "scripts": { "start": "node index.js" },\n  "dependencies": { "discord.js": "^14.0.0" }\n}\n',
  'index.js': 'const { Client } = require("discord.js");\nconst client = new Client({ intents: [] });\nclient.login(process.env.TOKEN);\n',
  'commands/remind.js': `const fs = require("fs");\n\nmodule.exports = (id, reminder) => {\n  ${save}\n};\n`,
});

describe('records kept in a JSON file', () => {
  it('Python: open("….json", "w") then json.dump', () => {
    const a = analyzeRepository(snapshot(pythonBot('    with open("mainbank.json", "w") as f:\n        json.dump(users, f)\n')));
    expect(a.localState).toEqual([{ name: 'data kept in a JSON file (mainbank.json)', source: 'bank.py:10' }]);
  });

  it('Python: json.dump into an open() on the same line', () => {
    const a = analyzeRepository(snapshot(pythonBot('    json.dump(users, open("mainbank.json", "w"), indent=2)\n')));
    expect(a.localState).toEqual([{ name: 'data kept in a JSON file (mainbank.json)', source: 'bank.py:10' }]);
  });

  it('Node: writeFileSync of a template path with JSON.stringify', () => {
    const a = analyzeRepository(snapshot(nodeBot('fs.writeFileSync(`./reminders/${id}.json`, JSON.stringify(reminder));')));
    expect(a.localState).toEqual([{ name: 'data kept in a JSON file (./reminders/${id}.json)', source: 'commands/remind.js:4' }]);
  });

  it('is not a manifest, a cache or a build script', () => {
    expect(analyzeRepository(snapshot(nodeBot('fs.writeFileSync("./package.json", JSON.stringify(reminder));'))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(nodeBot('fs.writeFileSync("./cache/last.json", JSON.stringify(reminder));'))).localState).toEqual([]);
    const script = { ...nodeBot('console.log(id, reminder);'), 'scripts/version.js': 'const fs = require("fs");\nfs.writeFileSync("version.json", JSON.stringify({ v: 1 }));\n' };
    expect(analyzeRepository(snapshot(script)).localState).toEqual([]);
  });

  it('is not a cache file, a log or build output', () => {
    expect(analyzeRepository(snapshot(pythonBot('    json.dump(users, open("cache.json", "w"))\n'))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(pythonBot('    json.dump(users, open("api-log.json", "w"))\n'))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(nodeBot('fs.writeFileSync("dist/stats.json", JSON.stringify(reminder));'))).localState).toEqual([]);
  });

  it('a long line after open("….json", "w") with no json.dump is read in linear time', () => {
    // The old pattern split the line between two runs every way: 50,000 words took seconds (quadratic).
    const files = pythonBot(`    log = open("notes.json", "w"); print(${'x, '.repeat(50000)}0)\n`);
    const start = Date.now();
    expect(analyzeRepository(snapshot(files)).localState).toEqual([]);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('is not state when a database server keeps the records', () => {
    const files = pythonBot('    with open("mainbank.json", "w") as f:\n        json.dump(users, f)\n');
    const a = analyzeRepository(snapshot({ ...files, 'requirements.txt': 'discord.py==2.3.2\nmotor==3.3.2\n' }));
    expect(a.localState).toEqual([]);
  });
});

describe('records kept in one JSON file each, at a concatenated path', () => {
  it('Node: writeFile(store + "/" + uuid + ".json", JSON.stringify(…))', () => {
    const a = analyzeRepository(snapshot(nodeBot("fs.writeFile(store + '/' + id + '.json', JSON.stringify(reminder), 'utf8', () => {});")));
    expect(a.localState).toEqual([{ name: 'data kept in a JSON file (store/id.json)', source: 'commands/remind.js:4' }]);
  });

  it('is not a manifest, nor a file in a cache or temp folder', () => {
    expect(analyzeRepository(snapshot(nodeBot("fs.writeFileSync(dir + '/package.json', JSON.stringify(reminder));"))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(nodeBot("fs.writeFileSync(cacheDir + '/' + id + '.json', JSON.stringify(reminder));"))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(nodeBot("fs.writeFileSync(tmpdir + id + '.json', JSON.stringify(reminder));"))).localState).toEqual([]);
  });

  it('a long concatenation with no JSON.stringify is read in linear time', () => {
    const files = nodeBot(`fs.writeFile(${'a + '.repeat(30000)}'.json', data); ${"x + 'y' + ".repeat(10000)}`);
    const start = Date.now();
    expect(analyzeRepository(snapshot(files)).localState).toEqual([]);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
