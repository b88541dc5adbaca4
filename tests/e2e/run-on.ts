/**
 * The body of the files in `pglite/` and `postgresql/`: runs a file's browser features on one
 * backend. Features that start from the same state share a file, a database and its set-up;
 * the four files run side by side, each with one Chromium. Light on purpose: without a
 * PostgreSQL server the PostgreSQL files only say so in a skipped test, without loading the
 * app, Playwright or the suites (in CI the global set-up refuses to run without
 * TEST_DATABASE_URL).
 */
import { inject, it } from 'vitest'
import type { Backend } from '../../api/db/create-db.js'

const FILES = {
  /** The map and its layers, and planning, on the gemeenten and wijken; detours near Delft. */
  async map() {
    const { describeFeatures } = await import('./driver.js')
    const { layers, detours } = await import('./layers.suite.js')
    const { planning } = await import('./planning.suite.js')
    describeFeatures([layers, planning])
    describeFeatures([detours])
  },
  async places() {
    const { describeFeatures } = await import('./driver.js')
    const { places } = await import('./places.suite.js')
    describeFeatures([places])
  },
  async accounts() {
    const { describeFeatures } = await import('./driver.js')
    const { accounts } = await import('./accounts.suite.js')
    describeFeatures([accounts])
  },
  /** The map for everyone: axe-core on every screen, the stories by keyboard, the phone flow. */
  async access() {
    const { describeFeatures } = await import('./driver.js')
    const { access } = await import('./access.suite.js')
    describeFeatures([access])
  },
  /** Languages and screens, offline and failures; an empty installation loading its data. */
  async pages() {
    const { describeFeatures } = await import('./driver.js')
    const { languages } = await import('./i18n.suite.js')
    const { offline, describeLoadingData } = await import('./offline.suite.js')
    describeFeatures([languages, offline])
    describeLoadingData()
  },
} as const

export async function runOn(backend: Backend, file: keyof typeof FILES): Promise<void> {
  if (backend === 'postgresql' && inject('postgresTemplateUrl') === null) {
    it.skip('needs a PostgreSQL server: set TEST_DATABASE_URL', () => {})
    return
  }
  const { testOnlyOn } = await import('../helpers/backends.js')
  testOnlyOn(backend)
  await FILES[file]()
}
