import { availableParallelism } from 'node:os'
import { compression } from 'vite-plugin-compression2'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/** Integration files that start the service as a process or load the real province: minutes. */
const SLOW = [
  'tests/integration/faults.test.ts',
  'tests/integration/cli.test.ts',
  'tests/integration/embedded-owner.test.ts',
  'tests/integration/population.test.ts',
  'tests/integration/pgrouting.test.ts',
  'tests/integration/availability.test.ts',
  'tests/integration/data-download.test.ts',
  'tests/integration/areas.test.ts',
  'tests/integration/coverage.test.ts',
  'tests/integration/report-print.test.ts',
]

/** The order the projects' files start in: the long ones first, so no long file starts last. */
const PROJECT_ORDER = ['slow', 'e2e', 'integration', 'unit']

/**
 * Vitest's own order runs one project after the other and, on a first run without timings,
 * larger files first. Here all projects share the workers and the long projects go first
 * (longest-first keeps two workers busy to the end); with timings from an earlier run, longer
 * files first within a project.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (f: TestSpecification) => {
      const i = PROJECT_ORDER.indexOf(f.project.name)
      return i < 0 ? PROJECT_ORDER.length : i
    }
    // A stable sort: within a project, Vitest's own order (timings, else size) stays.
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}

// One config for the web build (Vite) and the test runner (Vitest).
export default defineConfig({
  root: 'web',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // The compression below takes most of a build's time on purpose: no warning about it.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // A Brotli and a gzip copy beside each text file of the build, at their best compression (about
  // 5 s of CPU, once per build rather than per request): the service sends the copy a browser
  // accepts (api/http/web-files.ts). A maintained plugin, rather than our own walk over the output.
  plugins: [compression({ algorithms: ['brotliCompress', 'gzip'], logLevel: 'silent' })],
  server: { proxy: { '/api': 'http://localhost:3000' } },
  worker: { format: 'es' },
  test: {
    root: '.',
    // Hang guards, not timing assertions: on a 2-core machine running three files at once a test
    // takes up to three times as long as alone (CI once hit 60 s on a real-province load).
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // The unit, integration and slow files share a process per worker (isolate: false): each
    // file still gets its own database, service and state, but Vitest does not load the API's
    // modules, Hono, Kysely and PGlite's JavaScript again for every file (PGlite still compiles
    // its WebAssembly and PostGIS on each open: it takes no compiled module). Measured here on both
    // databases: integration 150 → 127 s (worker CPU 241 → 199 s), slow 293 → 274 s (300 → 273
    // CPU-s), unit 9.2 → 6.9 s. The browser files stay isolated: each has its own Chromium.
    isolate: false,
    // One file more than there are cores: most of an integration or browser file's time is spent
    // waiting on Chromium, a database or a child process (two files on two cores kept them 64%
    // busy). BUURTKAART_TEST_WORKERS sets another number.
    maxWorkers: Number(process.env.BUURTKAART_TEST_WORKERS) || availableParallelism() + 1,
    sequence: { sequencer: LongestFirst },
    // `npx vitest run --project unit` (or integration, slow, e2e) runs one of them.
    projects: [
      {
        extends: true,
        // Pure code and the HTTP layer without a database: seconds, no setup.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        // Every route and repository on embedded PGlite and, with TEST_DATABASE_URL, PostgreSQL.
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: SLOW,
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        // The real service as a process, real province data, PDFs, a private PostgreSQL cluster.
        test: {
          name: 'slow',
          include: SLOW,
          // Loads of the real province: about 25 s alone here, more beside two other files.
          testTimeout: 240_000,
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        // The web app in headless Chromium.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          isolate: true,
          // A browser test waits for what the page shows; on a busy machine that takes longer.
          testTimeout: 180_000,
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
    ],
  },
})
