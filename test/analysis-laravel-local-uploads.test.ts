// Round 9: a Laravel app storing the request's uploaded files on its default disk when that disk is a
// local one, on small synthetic repositories.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const composer = JSON.stringify({ name: 'acme/shop', type: 'project', require: { 'laravel/framework': '^12.0' } });
const filesystems = "<?php\nreturn [\n    'default' => env('FILESYSTEM_DISK', 'local'),\n    'disks' => [\n        'local' => ['driver' => 'local', 'root' => storage_path('app')],\n        'public' => ['driver' => 'local', 'root' => storage_path('app/public')],\n    ],\n];\n";
const repository = (store: string) => `<?php\nnamespace App\\Repositories;\n\nclass ProductImageRepository\n{\n    public function upload($product)\n    {\n        return request()->file('image')${store};\n    }\n}\n`;
const app = (env: string, store: string) => ({ 'composer.json': composer, '.env.example': `APP_NAME=Shop\nDB_CONNECTION=mysql\n${env}`, 'config/filesystems.php': filesystems, 'app/Repositories/ProductImageRepository.php': repository(store) });

describe('Laravel uploads on the default disk', () => {
  it('reads uploads stored on a local default disk as local state', () => {
    const a = analyzeRepository(snapshot(app('FILESYSTEM_DISK=public\n', "->store('product/'.$product->id)")));
    expect(a.localState).toEqual([{ name: 'uploads on local disk (Laravel default disk public)', source: 'app/Repositories/ProductImageRepository.php:8' }]);
    // With no disk in the env, config/filesystems.php's default decides.
    expect(analyzeRepository(snapshot(app('', "->storeAs('products', 'a.png')"))).localState?.map((s) => s.name)).toEqual(['uploads on local disk (Laravel default disk local)']);
  });

  it('does not when the env picks S3 or the call names a cloud disk', () => {
    expect(analyzeRepository(snapshot(app('FILESYSTEM_DISK=s3\n', "->store('product')"))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(app('FILESYSTEM_DISK=public\n', "->store('product', 's3')"))).localState).toEqual([]);
  });
});

describe('a Laravel app disk whose entry holds a nested array', () => {
  // The app's own local disk (`files`), with options spread from a conditional array after its driver and root.
  const disks = "<?php\nreturn [\n    'default' => env('FILESYSTEM_DISK', 'local'),\n    'disks' => [\n        // Client files.\n        'files' => [\n            'driver' => 'local',\n            'root' => storage_path('app/files'),\n            'serve' => false,\n            ...(env('FILES_PUBLIC', false)\n                ? ['visibility' => 'public', 'permissions' => ['dir' => ['private' => 0755]]]\n                : []),\n        ],\n        'local' => ['driver' => 'local', 'root' => storage_path('app/private')],\n        's3' => ['driver' => 's3', 'bucket' => env('AWS_BUCKET')],\n    ],\n];\n";
  const withDisks = (text: string) => snapshot({ 'composer.json': composer, '.env.example': 'APP_NAME=Files\nDB_CONNECTION=mysql\nFILESYSTEM_DISK=local\n', 'config/filesystems.php': text, 'app/Uploads.php': "<?php\nnamespace App;\n\nclass Uploads\n{\n    public function put($disk, $path, $stream)\n    {\n        \\Storage::disk($disk)->writeStream($path, $stream);\n    }\n}\n" });

  it('reads its driver and root before the nested array', () => {
    expect(analyzeRepository(withDisks(disks)).localState).toEqual([{ name: 'uploads on local disk (Laravel disk files)', source: 'config/filesystems.php:6' }]);
  });

  it('does not when the disk is a cloud one', () => {
    expect(analyzeRepository(withDisks(disks.replace("'driver' => 'local',\n            'root' => storage_path('app/files')", "'driver' => 's3',\n            'bucket' => env('FILES_BUCKET')"))).localState).toEqual([]);
  });
});
