import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// One config for the web build (Vite) and the test runner (Vitest).
export default defineConfig({
  root: 'web',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
  worker: { format: 'es' },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time even on a 2-core machine: most of a file's time is spent waiting on
    // Chromium, a database or a child process, so the second worker roughly halves the run.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
})
