import { defineConfig } from 'vitest/config';

// e2e: the real `crossplane render` pipeline over example claims, and the metrics, dashboard and alert
// rules on a real Prometheus (npm run test:e2e). One worker:
// each file starts its own function servers and the machine has two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
