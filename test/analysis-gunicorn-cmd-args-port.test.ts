// A Python image that sets its server's address through the environment: gunicorn reads extra arguments from
// GUNICORN_CMD_ARGS (`--bind=0.0.0.0:8000`), uvicorn each option from UVICORN_<NAME> (UVICORN_PORT). The image's
// listen address is the port, not the framework's default; GUNICORN_CMD_ARGS without a bind leaves the port alone.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const flask = (env: string) => snapshot({
  'requirements.txt': 'Flask==3.0.3\ngunicorn==22.0.0\n',
  'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/")\ndef index():\n    return "ok"\n',
  'Dockerfile': `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n${env}\nCMD ["gunicorn", "app:app"]\n`,
});

describe('a listen address in the image environment', () => {
  it('takes the bind address of GUNICORN_CMD_ARGS', () => {
    const a = analyzeRepository(flask('ENV GUNICORN_CMD_ARGS="--bind=0.0.0.0:8050 --workers=3 --access-logfile -"'));
    expect(a.port).toBe(8050);
    expect(a.evidence.filter((e) => e.fact === 'port 8050').map((e) => e.source)).toEqual(['Dockerfile:6']);
    expect(analyzeRepository(flask('ENV GUNICORN_CMD_ARGS="--workers 2 -b :8060"')).port).toBe(8060);
  });

  it('takes UVICORN_PORT', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'fastapi==0.111.0\nuvicorn==0.30.1\n',
      'main.py': 'from fastapi import FastAPI\n\napp = FastAPI()\n',
      'Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nENV UVICORN_HOST=0.0.0.0 UVICORN_PORT=8070\nCMD ["uvicorn", "main:app"]\n',
    }));
    expect(a.port).toBe(8070);
  });

  it('leaves the port alone when GUNICORN_CMD_ARGS names no bind address', () => {
    expect(analyzeRepository(flask('ENV GUNICORN_CMD_ARGS="--workers=3 --timeout 120"')).port).toBe(5000);
  });
});
