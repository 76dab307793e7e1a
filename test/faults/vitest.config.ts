import { defineConfig } from 'vitest/config';

// The fault suite (npm run test:faults; CI runs it from scripts/test-all.sh): a fault matrix and a
// fuzz through real gRPC, kill -9 durability of both RAG back ends, lock races. Files run one at a
// time: several start servers or race processes, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
