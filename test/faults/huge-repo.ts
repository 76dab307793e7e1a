// A repository that is legal but expensive to analyse: 20k package.json dependencies, 16k
// composer.json entries and `sourceFiles` source files (about 2 ms of analysis each).
import type { RepoSource } from '../../function/src/repo/source.js';
import type { RepoSnapshot } from '../../function/src/types.js';

export function hugeSnapshot(sourceFiles: number): RepoSnapshot {
  const files = new Map<string, string>();
  const deps: Record<string, string> = {};
  for (let i = 0; i < 20_000; i++) deps[`dep-${i}`] = `^${i}.0.0`;
  files.set('package.json', JSON.stringify({ name: 'huge', dependencies: { express: '^4.19.0', ...deps }, scripts: { start: 'node src/m0/index.js' } }, null, 2));
  const require: Record<string, string> = {};
  for (let i = 0; i < 16_000; i++) require[`vendor/pkg-${i}`] = `^${i}.0`;
  files.set('composer.json', JSON.stringify({ require }, null, 2));
  const line = "const app = require('express')(); app.get('/health', (req, res) => res.send(process.env.FOO_BAR)); app.listen(3000);\n";
  for (let i = 0; i < sourceFiles; i++) files.set(`src/m${i}/index.js`, line.repeat(400));
  return { files, commit: 'f'.repeat(40) };
}

/** Serves `snapshot` for every repository, counting loads. */
export function snapshotSource(snapshot: RepoSnapshot): RepoSource & { loads: number } {
  const s = {
    loads: 0,
    load: async () => {
      s.loads++;
      return snapshot;
    },
  };
  return s;
}
