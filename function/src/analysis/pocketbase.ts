// A Go program built on PocketBase embeds its backend: PocketBase's `serve` command runs the HTTP server (on 127.0.0.1:8090
// unless `--http` says otherwise) and keeps the SQLite database and uploaded files in the pb_data folder beside the binary.
// No web framework of the rubric's list is named, so nothing else says the program serves HTTP or where its data lives.
import type { RepoSnapshot } from '../types.js';
import { isTestOrVendored } from './files.js';
import type { DeclaredDependency, ManifestFacts } from './model.js';
import { parseGoMod, stripMajorVersion } from './manifests/go.js';

/** PocketBase's Go module, required by a program that embeds it. */
export const POCKETBASE_MODULE = 'github.com/pocketbase/pocketbase';

/** Where `serve` listens when no `--http` address is given. */
export const POCKETBASE_DEFAULT_PORT = 8090;

/** `serve`'s listen address (`--http=0.0.0.0:8080`, `--http 127.0.0.1:80`): group 1 is its port. */
const HTTP_ADDRESS = /--http[= ]["']?(?:[\w.-]*:)?(\d{2,5})\b/;

/** The port of `serve`'s `--http` address in `command`, or undefined (PocketBase then listens on POCKETBASE_DEFAULT_PORT). */
export function pocketBaseHttpPort(command: string | undefined): number | undefined {
  const port = Number(HTTP_ADDRESS.exec(command ?? '')?.[1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

const isPocketBase = (d: DeclaredDependency): boolean => stripMajorVersion(d.name) === POCKETBASE_MODULE;

/**
 * The go.mod line requiring PocketBase directly (not `// indirect`): the root module's, else that of the one module a folder
 * down (`backend/go.mod`, the Go half of a repository whose image ships its binary), or undefined.
 */
export function pocketBaseRequirement(snapshot: RepoSnapshot, manifests: Iterable<ManifestFacts>): string | undefined {
  for (const m of manifests) {
    if (m.language !== 'go') continue;
    const found = (m.dependencies as readonly DeclaredDependency[]).find(isPocketBase);
    if (found) return found.source;
  }
  if (snapshot.files.has('go.mod')) return undefined;
  const modules = [...snapshot.files.keys()].filter((p) => /^[^/]+\/go\.mod$/.test(p) && !isTestOrVendored(p));
  if (modules.length !== 1 || modules[0] === undefined) return undefined;
  const path = modules[0];
  return parseGoMod(snapshot.files.get(path) ?? '', path).requires.find(isPocketBase)?.source;
}
