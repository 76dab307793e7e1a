// `flask run` in an image that sets FLASK_RUN_PORT: Flask's CLI reads its options from FLASK_RUN_<NAME>, so the
// image's port is that value, not Flask's default 5000.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (env: string) => snapshot({
  'requirements.txt': 'Flask==3.0.3\nFlask-SQLAlchemy==3.1.1\n',
  'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
  'Dockerfile': `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n${env}\nCMD ["flask", "run", "--host=0.0.0.0"]\n`,
});

describe('FLASK_RUN_PORT in the image', () => {
  it('is the port flask run serves on', () => {
    const a = analyzeRepository(app('ENV FLASK_APP=app.py FLASK_RUN_PORT=8040'));
    expect(a.port).toBe(8040);
    expect(a.evidence.filter((e) => e.fact === 'port 8040').map((e) => e.source)).toEqual(['Dockerfile:5']);
  });

  it("leaves Flask's default without it", () => {
    expect(analyzeRepository(app('ENV FLASK_APP=app.py')).port).toBe(5000);
  });
});
