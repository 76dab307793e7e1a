// A Node WebSocket server with no store that keeps its rooms (or games, lobbies) in a table it creates in the
// process (`this._rooms = {}`, `const games = new Map()`): the process is the database, in-process state.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const server = (deps: string, field: string): Record<string, string> => ({
  'package.json': `{\n  "name": "drop",\n  "type": "module",\n  "scripts": { "start": "node server/index.js" },\n  "dependencies": {\n    "express": "^4.18.2",\n${deps}\n  }\n}\n`,
  'server/index.js': 'import express from "express";\nimport http from "http";\nimport RoomServer from "./ws-server.js";\n\nconst app = express();\nconst server = http.createServer(app);\nnew RoomServer(server);\nserver.listen(process.env.PORT || 3000);\n',
  'server/ws-server.js': `import { WebSocketServer } from "ws";\n\nexport default class RoomServer {\n  constructor(server) {\n    ${field}\n    this._wss = new WebSocketServer({ server });\n  }\n}\n`,
});

describe('rooms held by a socket server', () => {
  it('an object of rooms is an in-memory store', () => {
    const a = analyzeRepository(snapshot(server('    "ws": "^8.16.0"', 'this._rooms = {}; // { roomId: peers[] }')));
    expect(a.localState).toEqual([{ name: 'in-memory store (rooms held by the socket server)', source: 'server/ws-server.js:5' }]);
  });

  it('a typed Map of games is too', () => {
    const a = analyzeRepository(snapshot(server('    "ws": "^8.16.0"', 'this.games = new Map();')));
    expect((a.localState ?? []).map((s) => s.name)).toEqual(['in-memory store (rooms held by the socket server)']);
  });

  it('a class field typed as a Map of games', () => {
    const files = server('    "ws": "^8.16.0"', 'this._wss = null;');
    const ts = { ...files, 'server/ws-server.ts': 'import { WebSocketServer } from "ws";\n\nexport default class RoomServer {\n  games: Map<string, Game> = new Map();\n}\n' };
    expect(analyzeRepository(snapshot(ts)).localState).toEqual([{ name: 'in-memory store (rooms held by the socket server)', source: 'server/ws-server.ts:4' }]);
  });

  it('a long run of spaces after `rooms:` with no `=` is read in linear time', () => {
    // The old pattern let the spaces split between three runs: 4,000 took seconds (cubic).
    const files = server('    "ws": "^8.16.0"', `const shape = { rooms:${' '.repeat(4000)}x };`);
    const start = Date.now();
    expect(analyzeRepository(snapshot(files)).localState).toEqual([]);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('not a table of matches (search results, route matches)', () => {
    expect(analyzeRepository(snapshot(server('    "ws": "^8.16.0"', 'this.matches = {};'))).localState).toEqual([]);
  });

  it('not when a store keeps the rooms', () => {
    expect(analyzeRepository(snapshot(server('    "ws": "^8.16.0",\n    "ioredis": "^5.3.0"', 'this._rooms = {};'))).localState).toEqual([]);
  });

  it('not without a socket server', () => {
    expect(analyzeRepository(snapshot(server('    "uuid": "^9.0.0"', 'this._rooms = {};'))).localState).toEqual([]);
  });
});
