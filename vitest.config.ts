import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The gRPC/TLS and pinning tests spawn servers; two cores do not gain from more workers.
    maxWorkers: 2,
  },
});
