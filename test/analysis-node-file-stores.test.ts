// Node packages that keep the app's data on local disk with no server: Enmap and quick.db (SQLite files),
// level / classic-level / leveldown (a LevelDB directory). A bot persisting its settings with one is local-file state.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const bot = (dep: string): Record<string, string> => ({
  'package.json': `{\n  "name": "helper-bot",\n  "scripts": { "start": "node index.js" },\n  "dependencies": {\n    "discord.js": "^14.0.0",\n    "${dep}": "^5.0.0"\n  }\n}\n`,
  'index.js': 'const { Client } = require("discord.js");\nconst client = new Client({ intents: [] });\nclient.login(process.env.TOKEN);\n',
});

describe('node file stores', () => {
  it.each([
    ['enmap', 'SQLite (Enmap)'],
    ['quick.db', 'SQLite (quick.db)'],
    ['classic-level', 'a LevelDB directory'],
  ])('%s is local state', (dep, name) => {
    const a = analyzeRepository(snapshot(bot(dep)));
    expect(a.localState).toEqual([{ name, source: 'package.json:6' }]);
  });

  it('an in-memory collection is not', () => {
    expect(analyzeRepository(snapshot(bot('@discordjs/collection'))).localState).toEqual([]);
  });
});
