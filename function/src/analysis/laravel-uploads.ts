// Uploaded files a Laravel app stores on its default disk when that disk is on local storage.
import type { RepoSnapshot, Sourced } from '../types.js';
import { DEPLOY_ENV_FILES } from './env-vars.js';
import { SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import { lineAt, loc } from './text.js';

/** The default disk an env file picks (`FILESYSTEM_DISK=public`, the older `FILESYSTEM_DRIVER`). */
const ENV_DISK = /^[ \t]*FILESYSTEM_(?:DISK|DRIVER)[ \t]*=[ \t]*["']?([\w-]+)/m;
/** config/filesystems.php's default: `'default' => env('FILESYSTEM_DISK', 'local')`. */
const CONFIG_DISK = /["']default["']\s*=>\s*env\(\s*["']FILESYSTEM_(?:DISK|DRIVER)["']\s*,\s*["']([\w-]+)["']\s*\)/;
/** An uploaded file of the request stored on a disk (`request()->file('image')->store('products/'.$id)`), with the call's arguments. */
const STORE_UPLOAD = /->file\([^;]*?\)\s*->store(?:Publicly)?(?:As)?\(([^;]*)\)/g;

/** A Livewire component that accepts uploads (`use WithFileUploads;`): its properties hold the request's uploaded files. */
const LIVEWIRE_UPLOADS = /^[ \t]*use[ \t]+(?:\\?Livewire\\(?:Features\\SupportFileUploads\\)?)?WithFileUploads[ \t]*;/m;
/** In such a component, an uploaded file stored (`$this->photo->store('photos')`, `$image->storeAs(…)`); not the component's own `$this->store()`. */
const STORE_FILE = /(?<!\$this)->store(?:Publicly)?(?:As)?\(([^;]*)\)/g;
/** A disk the call names: its last string argument (`->store('product', 's3')`) or the options' `'disk' => 's3'`. */
const NAMED_DISK = /,\s*["']([\w-]+)["']\s*\)?\s*$|["']disk["']\s*=>\s*["']([\w-]+)["']/;
const LOCAL_DISKS = ['local', 'public', 'private'];

/** The app's default disk: the first env file that picks one (the one a Docker setup copies, then the template), else the config's default. */
function defaultDisk(snapshot: RepoSnapshot): string | undefined {
  for (const path of DEPLOY_ENV_FILES) {
    const disk = ENV_DISK.exec(snapshot.files.get(path) ?? '')?.[1];
    if (disk) return disk;
  }
  return CONFIG_DISK.exec(snapshot.files.get('config/filesystems.php') ?? '')?.[1];
}

/**
 * A Laravel app whose default disk is a local one (`local`, `public`, `private`) and whose code stores the
 * request's uploaded files on it without naming another disk (`->file('image')->store('products')`): the
 * uploads live on the server's disk (product images, attachments), its system of record.
 */
export function laravelUploadsOnLocalDisk(snapshot: RepoSnapshot): Sourced | undefined {
  const disk = defaultDisk(snapshot);
  if (disk === undefined || !LOCAL_DISKS.includes(disk)) return undefined;
  for (const f of sourceFiles(snapshot, SOURCE_EXTENSIONS.php)) {
    if (f.path.startsWith('config/')) continue;
    // A Livewire component's uploads are its properties (or what it passes on), stored without `->file()`.
    const calls = [...f.text.matchAll(STORE_UPLOAD), ...(LIVEWIRE_UPLOADS.test(f.text) ? f.text.matchAll(STORE_FILE) : [])];
    for (const m of calls) {
      // A disk named in the call that is not a local one (`'s3'`) keeps the file elsewhere.
      const match = NAMED_DISK.exec(m[1] ?? '');
      const named = match?.[1] ?? match?.[2];
      if (named === undefined || LOCAL_DISKS.includes(named)) return { name: `uploads on local disk (Laravel default disk ${disk})`, source: loc(f.path, lineAt(f.text, m.index)) };
    }
  }
  return undefined;
}
