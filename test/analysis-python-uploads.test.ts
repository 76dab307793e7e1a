// Round 10 shape (eval/RUBRIC.md state): a FastAPI route writing the UploadFile it receives to a file on
// the app's disk keeps uploads locally (local-file), even with Postgres as the database.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi==0.115.0", "uvicorn==0.30.0", "asyncpg==0.30.0", "aiofiles==24.1.0"]\n',
  'api/main.py': 'from fastapi import FastAPI\nfrom api.routes import router\napp = FastAPI()\napp.include_router(router)\n',
};
const route = (body: string): string =>
  `import aiofiles\nfrom fastapi import APIRouter, UploadFile\nrouter = APIRouter()\n\n@router.post("/teams/{team_id}/logo")\nasync def update_logo(team_id: int, file: UploadFile) -> None:\n${body}`;

describe('FastAPI uploads written to local disk', () => {
  it('an UploadFile written to a file the route opens is local state', () => {
    const a = analyzeRepository(snapshot({ ...app, 'api/routes.py': route('    async with aiofiles.open(f"static/logos/{team_id}.png", "wb") as f:\n        await f.write(await file.read())\n') }));
    expect(a.stateful).toEqual(['postgres']);
    expect(a.localState).toEqual([{ name: 'uploads on local disk (an UploadFile written to a file)', source: 'api/routes.py:8' }]);
    const copied = analyzeRepository(snapshot({ ...app, 'api/routes.py': route('    import shutil\n    with open(f"media/{file.filename}", "wb") as out:\n        shutil.copyfileobj(file.file, out)\n') }));
    expect(copied.localState?.map((s) => s.name)).toEqual(['uploads on local disk (an UploadFile written to a file)']);
  });

  it('an upload spooled to a temporary file for processing is not', () => {
    const a = analyzeRepository(snapshot({ ...app, 'api/routes.py': route('    import tempfile\n    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:\n        tmp.write(await file.read())\n') }));
    expect(a.localState).toEqual([]);
  });
});
