// A Livewire component that accepts uploads (`use WithFileUploads;`) stores them from its properties
// (`$image->store($path, ['disk' => self::DISK])`), not from `request()->file()`: on a local default disk those
// uploads are the app's local state, as the request's files are. A disk the call names (`'disk' => 's3'`) keeps
// them elsewhere, and a component without the trait calling its own `$this->store()` uploads nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const composer = JSON.stringify({ name: 'acme/board', type: 'project', require: { 'laravel/framework': '^12.0', 'livewire/livewire': '^3.0' } });
const component = (trait: string, store: string) =>
  `<?php\nnamespace App\\Livewire;\n\nuse Livewire\\Component;\n${trait.startsWith('use ') ? 'use Livewire\\WithFileUploads;\n' : ''}\nclass CreatePost extends Component\n{\n    ${trait}\n\n    public const ?string IMAGE_DISK = null;\n\n    public $image;\n\n    public function save(): void\n    {\n        ${store}\n    }\n}\n`;
const app = (trait: string, store: string) =>
  snapshot({ 'composer.json': composer, '.env.example': 'APP_NAME=Board\nDB_CONNECTION=mysql\nFILESYSTEM_DISK=public\n', 'app/Livewire/CreatePost.php': component(trait, store) });
const state = (trait: string, store: string) => analyzeRepository(app(trait, store)).localState?.map((s) => s.source) ?? [];

describe('Livewire uploads on the default disk', () => {
  it('reads a component storing its uploaded file on a local default disk as local state', () => {
    expect(state('use WithFileUploads;', "$path = $this->image->store(\n            'images', [\n                'disk' => self::IMAGE_DISK,\n                'visibility' => 'public',\n            ]\n        );")).toEqual(['app/Livewire/CreatePost.php:17']);
  });

  it('does not when the call names a cloud disk, or the component takes no uploads', () => {
    expect(state('use WithFileUploads;', "$this->image->store('images', ['disk' => 's3']);")).toEqual([]);
    expect(state('use WithFileUploads;', "$this->image->storePublicly('images', 's3');")).toEqual([]);
    expect(state('// no uploads here', "$this->image->store('images');")).toEqual([]);
    expect(state('use WithFileUploads;', '$this->store();')).toEqual([]);
  });
});
