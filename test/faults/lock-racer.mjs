// A process racing for RAG data directories (lock-race.test.ts): after "go" on stdin it tries every
// directory named in argv once (no retry), prints "won <i>" or "lost <i> <error name>", then "done",
// and keeps what it won until stdin closes. Plain JS on dist/ so that a process starts in ~50 ms.
import { createInterface } from 'node:readline';
const [lockfile, ...dirs] = process.argv.slice(2);
const { lockDirectory } = await import(lockfile);
const held = [];
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line !== 'go') continue;
  await Promise.all(
    dirs.map(async (dir, i) => {
      try {
        held.push(await lockDirectory(dir, 0));
        process.stdout.write(`won ${i}\n`);
      } catch (e) {
        process.stdout.write(`lost ${i} ${e.name}\n`);
      }
    }),
  );
  process.stdout.write('done\n');
}
await Promise.all(held.map((l) => l.release()));
