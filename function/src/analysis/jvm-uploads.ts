// Uploaded files a Spring (or any JVM) app writes to its own disk through a destination it names first.
import type { RepoSnapshot, Sourced } from '../types.js';
import { lineAt, loc } from './text.js';

/** `file.transferTo(dest)`: a MultipartFile moved onto a destination held in a variable. */
const TRANSFER_TO_VARIABLE = /\.transferTo\(\s*([A-Za-z_]\w*)\s*\)/g;
/** A temporary file: the upload is processed (parsed, converted) and dropped, not kept. */
const TEMPORARY = /\bFile\.createTempFile\(|\bFiles\.createTemp(?:File|Directory)\(|java\.io\.tmpdir/;

/**
 * A MultipartFile moved with `transferTo(dest)` where the same file declares `dest` as a local `File` or
 * `Path` (`File destFile = new File(UPLOAD_DIR + name)`, `Path dest = Paths.get(dir, name)`): the app keeps
 * the upload (images, attachments) in a folder on the server's disk, its system of record. The inline forms
 * (`transferTo(new File(…))`) are matched with the other upload patterns in traits.ts.
 */
export function javaUploadToLocalFile(snapshot: RepoSnapshot, code: readonly string[]): Sourced | undefined {
  for (const path of code) {
    if (!path.endsWith('.java') && !path.endsWith('.kt')) continue;
    const text = snapshot.files.get(path) ?? '';
    if (!text.includes('.transferTo(') || !text.includes('MultipartFile') || TEMPORARY.test(text)) continue;
    for (const m of text.matchAll(TRANSFER_TO_VARIABLE)) {
      const name = m[1] ?? '';
      if (localFileVariable(text, name)) return { name: 'uploads on local disk (a MultipartFile moved to a local File)', source: loc(path, lineAt(text, m.index)) };
    }
  }
  return undefined;
}

/** Whether `name` is declared as a `File` or `Path` built from a path (Java `File x = new File(`, Kotlin `val x = File(`). */
function localFileVariable(text: string, name: string): boolean {
  const declared = new RegExp(
    `\\b(?:File\\s+${name}\\s*=\\s*new\\s+File\\(|Path\\s+${name}\\s*=\\s*(?:Paths\\.get|Path\\.of)\\(|va[lr]\\s+${name}\\s*(?::\\s*\\w+\\s*)?=\\s*(?:File|Paths\\.get|Path\\.of)\\()`,
  );
  return declared.test(text);
}
