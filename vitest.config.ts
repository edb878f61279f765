import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['protos/test/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'lab/test/**/*.test.ts'],
    // Lab tests build network namespaces and time real sockets: one file at a
    // time keeps them from fighting over the machine's two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
