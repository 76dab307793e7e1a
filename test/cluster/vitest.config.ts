import { defineConfig } from 'vitest/config';

// The cluster suite (npm run test:cluster): a real Crossplane core on a real API server. One file,
// run in order: later scenarios build on the claim of earlier ones.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { concurrent: false },
    // Later scenarios need the earlier ones' state: stop at the first failure.
    bail: 1,
  },
});
