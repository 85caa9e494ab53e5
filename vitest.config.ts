import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{mesh,agent,checker,visualizer}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'visualizer/dist/**'],
    setupFiles: ['mesh/compat.ts'],
    // Finds Chromium for the browser tests, or installs Debian's, before anything runs.
    globalSetup: ['visualizer/test/e2e/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real libp2p nodes and child processes: keep the 2-core machine from thrashing.
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks'
  }
})
