// Round 11: server repositories whose sub-apps carry their own hosting files (ui/netlify.toml beside a Flask API,
// a root netlify.toml publishing only the SPA of an Express server). The facts the new dev cases needed: the root
// Dockerfile variant compose builds, an optional-dependencies extra the requirements install, stores named by
// their client packages (NATS, django-storages' S3 backend), and files written into a data-folder setting.
// Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pyproject = '[project]\nname = "boardgame"\nversion = "1.0.0"\ndependencies = ["networkx", "click"]\n\n[project.optional-dependencies]\nweb = ["gunicorn", "flask", "flask_sqlalchemy", "psycopg2-binary"]\ngym = ["numpy"]\n';
const web = 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -e .[web]\nEXPOSE 5001\nENV FLASK_RUN_PORT=5001\nCMD flask run\n';
const experiment = 'FROM tensorflow/tensorflow:2.10.0-gpu-jupyter\nWORKDIR /app\nCOPY . .\nRUN pip install -e .[web,gym]\nEXPOSE 8888\n';
const compose = 'services:\n  server:\n    build:\n      context: .\n      dockerfile: Dockerfile.web\n    ports:\n      - 5001:5001\n  react-ui:\n    build: ./ui\n    ports:\n      - 3000:3000\n';
const ui = { 'ui/package.json': '{"name":"ui","scripts":{"start":"vite"}}', 'ui/Dockerfile': 'FROM node:24-alpine\nCOPY . /app\nCMD ["npm", "start"]\n' };

describe('root Dockerfile variants', () => {
  it('takes the variant compose builds from the root as the app image, not the first by name', () => {
    const a = analyzeRepository(snapshot({ 'pyproject.toml': pyproject, 'Dockerfile.web': web, 'Dockerfile.paperspace': experiment, 'docker-compose.yml': compose, ...ui }));
    expect(a.port).toBe(5001);
    expect(a.startCommand).toBe('flask run');
  });

  it('does not prefer a development variant compose builds', () => {
    const dev = compose.replace('Dockerfile.web', 'Dockerfile.dev');
    const a = analyzeRepository(snapshot({ 'pyproject.toml': pyproject, 'Dockerfile.dev': web.replace('5001', '5002').replace('5001', '5002'), 'Dockerfile.a': web, 'docker-compose.yml': dev, ...ui }));
    expect(a.port).toBe(5001);
  });
});

describe('optional-dependencies extras the requirements install', () => {
  it('reads the framework of an extra that requirements.txt installs with the local package', () => {
    const a = analyzeRepository(snapshot({ 'pyproject.toml': pyproject, 'requirements.txt': '-e .[gym,web]\n', 'Dockerfile.web': web }));
    expect(a.framework).toBe('flask');
    expect(a.evidence.find((e) => e.fact.startsWith('framework flask'))?.source).toMatch(/^pyproject\.toml:\d+$/);
  });

  it('leaves extras nobody installs out', () => {
    const a = analyzeRepository(snapshot({ 'pyproject.toml': pyproject, 'requirements.txt': '-e .[gym]\n', 'Dockerfile.web': web }));
    expect(a.framework).toBeNull();
  });
});

describe('stores named by their client packages', () => {
  const django = (extra: string) => `django==4.2\npsycopg[binary]==3.1\ndjango-storages${extra}==1.14\nnats-py==2.10\n`;

  it('reads a NATS client as the nats server it needs, and django-storages with its S3 extra as s3', () => {
    const a = analyzeRepository(snapshot({ 'requirements.txt': django('[boto3]'), 'manage.py': 'import django\n' }));
    expect(a.stateful).toEqual(['nats', 'postgres', 's3']);
  });

  it('does not read django-storages without its S3 extra as s3 (it also stores on GCS, Azure, SFTP)', () => {
    const a = analyzeRepository(snapshot({ 'requirements.txt': django('[google]'), 'manage.py': 'import django\n' }));
    expect(a.stateful).not.toContain('s3');
  });
});

describe('files written into a data folder setting', () => {
  const pkg = JSON.stringify({ name: 'dash', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.0' } });
  const server = "const express = require('express');\nconst save = require('./services/save');\nexpress().post('/save', save).listen(process.env.PORT || 8080);\n";
  const save = (dir: string, write: string) => `const fs = require('fs').promises;\nconst path = require('path');\nmodule.exports = async (req, res) => {\n  const dataDir = process.env.USER_DATA_DIR || '${dir}';\n  await fs.${write}(path.join(dataDir, 'conf.yml'), req.body.config);\n  res.end();\n};\n`;

  it('reads a handler writing into an env-configured data folder with a local default as local-file state', () => {
    const a = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': server, 'services/save.js': save('./user-data/', 'writeFile') }));
    expect(a.localState?.map((s) => s.name)).toEqual(['data written on local disk (USER_DATA_DIR default user-data/)']);
  });

  it('ignores a data folder it only reads, and a cache folder', () => {
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': server, 'services/save.js': save('./user-data/', 'readFile') })).localState ?? []).toEqual([]);
    expect(analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': server, 'services/save.js': save('./cache/', 'writeFile') })).localState ?? []).toEqual([]);
  });
});
