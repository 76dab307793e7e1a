// A vercel.json or netlify.toml hosts the folder it sits in. One in a sibling folder of the app (the UI a
// Flask API serves its data to, a landing page, a player's demo build) is that part's hosting, not a way to
// run the app on a function platform; one at the root, or in the folder the app lives in, is the app's.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { feasibility } from '../function/src/decision/feasibility.js';
import { snapshot } from './helpers/snapshot.js';

const netlifySpa = '[build]\n  command = "npm run build"\n  publish = "dist"\n\n[[redirects]]\n  from = "/*"\n  to = "/index.html"\n  status = 200\n';
const api = {
  'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\npsycopg2-binary==2.9.9\n',
  'app.py': "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/api/health')\ndef health():\n    return {'ok': True}\n",
  Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 8000\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
  '.env.example': 'DATABASE_URL=postgresql://app:app@db:5432/app\n',
};
const ui = (dir: string) => ({
  [`${dir}/package.json`]: JSON.stringify({ name: 'ui', private: true, scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '5.0.0' }, dependencies: { react: '18.2.0' } }),
  [`${dir}/index.html`]: '<div id="root"></div>\n',
  [`${dir}/netlify.toml`]: netlifySpa,
});

describe('a hosting file belongs to the folder it sits in', () => {
  it('a netlify.toml in a sibling UI folder is not the API server\'s adapter', () => {
    const a = analyzeRepository(snapshot({ ...api, ...ui('ui') }));
    expect(a.framework).toBe('flask');
    expect(a.platforms?.map((p) => p.kind)).toContain('netlify');
    expect(a.serverlessAdapter).toBeUndefined();
    // So the server has no way onto a function platform of its own (eval/RUBRIC.md rule 6).
    expect(feasibility(a, 'aws').excluded.serverless?.rule).toBe('no-adapter');
  });

  it('so is a vercel.json of a landing page beside an Express server', () => {
    const a = analyzeRepository(snapshot({
      'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node server.js' }, dependencies: { express: '4.19.2', pg: '8.11.0' } }),
      'server.js': "const express = require('express');\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(process.env.PORT || 3000);\n",
      Dockerfile: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nEXPOSE 3000\nCMD ["node", "server.js"]\n',
      'website/package.json': JSON.stringify({ name: 'website', private: true, scripts: { build: 'astro build' }, dependencies: { astro: '4.0.0' } }),
      'website/vercel.json': '{"cleanUrls":true}',
    }));
    expect(a.framework).toBe('express');
    expect(a.serverlessAdapter).toBeUndefined();
  });

  it('one at the root is the app\'s', () => {
    expect(analyzeRepository(snapshot({ ...api, 'netlify.toml': netlifySpa })).serverlessAdapter).toEqual({ name: 'netlify functions', source: 'netlify.toml' });
  });
});
