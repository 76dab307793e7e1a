import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The render e2e suite needs the Go/KCL tools: npm run test:e2e; the cluster suite a Crossplane
    // core: npm run test:cluster; the fault suite: npm run test:faults (CI runs all four).
    exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/cluster/**', 'test/faults/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The gRPC/TLS and pinning tests spawn servers; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
