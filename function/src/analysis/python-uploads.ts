// Uploaded files a Starlette / FastAPI app writes to its own disk.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/** The request's UploadFile bytes written into a file the app opens (`f.write(await file.read())`, `shutil.copyfileobj(file.file, out)`). */
const WRITES_UPLOAD = /\.write\(\s*await\s+\w+\.read\(\)\s*\)|\bshutil\.copyfileobj\(\s*\w+\.file\b/;
/** A temporary file: the upload is processed (transcribed, converted) and dropped, not kept. */
const TEMPORARY = /\btempfile\b|\bNamedTemporaryFile\b|\bmkdtemp\b|["']\/tmp\//;

/**
 * A route taking an `UploadFile` that writes its contents to a file it opens, not a temporary one (logos,
 * attachments saved under `static/`): the uploads live on the server's disk, their system of record.
 */
export function uploadFileOnLocalDisk(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    if (!path.endsWith('.py')) continue;
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('UploadFile') || TEMPORARY.test(text)) continue;
    const m = WRITES_UPLOAD.exec(text);
    if (m) return { name: 'uploads on local disk (an UploadFile written to a file)', source: loc(path, lineAt(text, m.index)) };
  }
  return undefined;
}
