// Python code that starts its own HTTP server without a listed framework (aiohttp's web.run_app) serves HTTP: a web
// app, not a worker, on the port the call names; waitress's serve(app, port=…) names the port of a Flask app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const dockerfile = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "server.py"]\n';

describe('a Python server started in code', () => {
  it('is a web app on the port aiohttp runs on', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'aiohttp==3.9.5\n',
      'server.py': 'from aiohttp import web\n\n\nasync def index(request):\n    return web.Response(text="ok")\n\napp = web.Application()\napp.add_routes([web.get("/", index)])\n\nif __name__ == "__main__":\n    web.run_app(app, host="0.0.0.0", port=8082)\n',
      'Dockerfile': dockerfile,
    }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(8082);
    expect(a.evidence.filter((e) => e.fact === 'serves http').map((e) => e.source)).toEqual(['server.py:11']);
  });

  it("is a Flask app on waitress's port", () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'Flask==3.0.3\nwaitress==3.0.0\n',
      'server.py': 'from flask import Flask\nfrom waitress import serve\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    serve(app, host="0.0.0.0", port=8081)\n',
      'Dockerfile': dockerfile,
    }));
    expect(a.port).toBe(8081);
  });

  it('stays a worker when the process only calls out over HTTP', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'aiohttp==3.9.5\n',
      'server.py': 'import asyncio\n\nimport aiohttp\n\n\nasync def main():\n    async with aiohttp.ClientSession() as s:\n        await s.get("https://example.com")\n\nasyncio.run(main())\n',
      'Dockerfile': dockerfile,
    }));
    expect(a.kind).toBe('worker');
  });
});
