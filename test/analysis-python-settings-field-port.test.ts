// A Python server that takes its port from a settings object (`uvicorn.run(app, port=settings.port)`): the port is
// that field's default in the settings class (pydantic BaseSettings, a dataclass), not the framework's default.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (settings: string) => snapshot({
  'requirements.txt': 'fastapi==0.111.0\nuvicorn==0.30.1\npydantic-settings==2.3.0\n',
  'app/main.py': 'import uvicorn\nfrom fastapi import FastAPI\n\nfrom app.config import settings\n\napp = FastAPI()\n\nif __name__ == "__main__":\n    uvicorn.run(\n        "app.main:app",\n        host=settings.host,\n        port=settings.port,\n    )\n',
  'app/config.py': `from pydantic import Field\nfrom pydantic_settings import BaseSettings\n\n\n${settings}\n\nsettings = Settings()\n`,
  'Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "-m", "app.main"]\n',
});

describe('the port from a settings field', () => {
  it("is the field's default", () => {
    const a = analyzeRepository(app('class Settings(BaseSettings):\n    host: str = "0.0.0.0"\n    port: int = 8090\n    debug: bool = False'));
    expect(a.port).toBe(8090);
    expect(a.evidence.filter((e) => e.fact === 'port 8090').map((e) => e.source)).toEqual(['app/config.py:7']);
  });

  it('reads a Field(default=…)', () => {
    expect(analyzeRepository(app('class Settings(BaseSettings):\n    port: int = Field(default=8091, alias="APP_PORT")')).port).toBe(8091);
  });

  it('says nothing when two settings classes give the name different defaults', () => {
    const a = analyzeRepository(app('class Database(BaseSettings):\n    port: int = 5432\n\n\nclass Settings(BaseSettings):\n    port: int = 8090'));
    expect(a.port).toBe(8000);
  });
});
