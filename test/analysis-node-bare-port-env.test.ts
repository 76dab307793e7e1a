// A Node server whose only port is PORT from the environment with no fallback (`PORT: process.env.PORT` in its
// config module): the platform decides the port, so Express's default 3000 is not what it binds.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (portLine: string) => snapshot({
  'package.json': JSON.stringify({ name: 'shop', main: 'server.js', scripts: { start: 'node server.js' }, dependencies: { express: '4.18.2', mongoose: '7.0.0' } }),
  'config/index.js': `require('dotenv').config();\n\nmodule.exports = {\n  ${portLine}\n  MONGO_URI: process.env.MONGO_URI,\n};\n`,
  'server.js': "const express = require('express');\nconst config = require('./config');\n\nconst app = express();\napp.use(express.static('client/build'));\napp.listen(config.PORT, () => console.log('up'));\n",
  'client/package.json': JSON.stringify({ name: 'client', private: true, scripts: { start: 'react-scripts start', build: 'react-scripts build' }, dependencies: { react: '18.2.0', 'react-scripts': '5.0.1' } }),
});

describe('PORT from the environment with no default', () => {
  it('has no port: the framework default does not apply', () => {
    const a = analyzeRepository(app('PORT: process.env.PORT,'));
    expect(a.port ?? null).toBeNull();
    expect(a.evidence.filter((e) => e.fact === 'no port: the code listens on PORT from the environment, with no default').map((e) => e.source)).toEqual(['config/index.js:4']);
  });

  it('keeps a fallback the code gives, and the framework default when the code names no PORT', () => {
    expect(analyzeRepository(app('PORT: process.env.PORT || 5000,')).port).toBe(5000);
    expect(analyzeRepository(app('PORT_NUMBER: process.env.PORT_NUMBER,')).port).toBe(3000);
  });
});
