/**
 * The real CBS and OpenStreetMap extracts in shared/data, and how tests load them. Without Vitest
 * imports, so the global set-up can build its templates with real areas from it.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { DatabaseHandle } from '../../api/db/create-db.js'
import type { Clock } from '../../api/domain/clock.js'

/** shared/data beside the project. In CI a test that needs it fails when it is missing. */
export const SHARED_DATA = path.resolve(
  process.env.BUURTKAART_SHARED_DATA ??
    path.join(import.meta.dirname, '..', '..', '..', 'shared', 'data'),
)

export function requireSharedData(file: string): string {
  const full = path.join(SHARED_DATA, file)
  if (!fs.existsSync(full)) {
    throw new Error(
      `Real data file missing: ${full}. Put shared/data beside the project (or set BUURTKAART_SHARED_DATA).`,
    )
  }
  return full
}

/** True when the real data is there; outside CI a test that needs it is skipped without it. */
export function needsSharedData(): boolean {
  return Boolean(process.env.CI) || fs.existsSync(SHARED_DATA)
}

/** The real CBS files in shared/data, with the year of their inhabitant counts. */
export const REAL_AREAS = {
  gemeenten: ['flevoland_gemeenten_2022.geojson', 2022],
  wijken: ['flevoland_wijken_2022.geojson', 2022],
  pc4: ['flevoland_pc4_2020geom_pop2021.geojson', 2021],
} as const

/** The CBS key figures 2024 (counts by gemeente and wijk code) in shared/data. */
export const REAL_COUNTS_2024 = 'flevoland_kwb2024_gemeenten_wijken_population.csv'

/**
 * Loads real CBS files from shared/data in one import (one surface rebuild); `counts2024` adds
 * the 2024 key figures, as the README's example does.
 */
export async function loadRealAreas(
  handle: DatabaseHandle,
  clock: Clock,
  names: readonly (keyof typeof REAL_AREAS)[],
  options: { counts2024?: boolean } = {},
) {
  const { importAreas } = await import('../../api/services/areas.js')
  return importAreas(
    { db: handle.db, clock },
    names.map((name) => {
      const [file, year] = REAL_AREAS[name]
      return {
        collection: JSON.parse(fs.readFileSync(requireSharedData(file), 'utf8')) as unknown,
        year,
        source: `CBS / Kadaster (${file})`,
      }
    }),
    options.counts2024
      ? [
          {
            text: fs.readFileSync(requireSharedData(REAL_COUNTS_2024), 'utf8'),
            year: 2024,
            source: `CBS (${REAL_COUNTS_2024})`,
            name: REAL_COUNTS_2024,
          },
        ]
      : [],
  )
}

/**
 * The sets of real areas a test database can start from: each a template made once per run by
 * the global set-up (tests/helpers/global-setup.ts) instead of loaded by every file that needs it.
 */
export const AREA_SETS = {
  gemeenten: ['gemeenten'],
  'gemeenten+wijken': ['gemeenten', 'wijken'],
} as const satisfies Record<string, readonly (keyof typeof REAL_AREAS)[]>

export type AreaSet = keyof typeof AREA_SETS
