import fs from 'node:fs'
import path from 'node:path'
import { assetSchemas } from '../../api/domain/asset.js'
import { importAreas } from '../../api/services/areas.js'
import { importOsm } from '../../api/services/osm-import.js'
import type { TestContext } from './backends.js'

/** The Netherlands: the real OpenStreetMap extracts lie in Delft and Amsterdam, not Flevoland. */
export const NL = [3.3, 50.7, 7.3, 53.6] as const
export const nlSchemas = assetSchemas({ bbox: NL, name: 'Nederland' })

/** Imports an OpenStreetMap file as `npm run import:osm` does, with the region set to NL. */
export function importOsmFile(
  ctx: Pick<TestContext, 'handle' | 'clock'>,
  file: string,
  extra: Partial<Parameters<typeof importOsm>[2]> = {},
) {
  return importOsm({ db: ctx.handle.db, clock: ctx.clock, schemas: nlSchemas }, file, {
    network: true,
    places: true,
    dryRun: false,
    regionBbox: NL,
    ferryPenaltyMin: 5,
    actor: 'test',
    fileName: path.basename(file),
    ...extra,
  })
}

/**
 * Synthetic areas over the Delft extract's core (made-up codes GM9901/WK9901xx and inhabitants,
 * plus a wijk at sea with no paths); see the fixture file.
 */
export async function loadSyntheticDelftAreas(ctx: Pick<TestContext, 'handle' | 'clock'>) {
  const file = path.join(import.meta.dirname, '..', 'fixtures', 'synthetic-delft-areas.geojson')
  await importAreas(
    { db: ctx.handle.db, clock: ctx.clock },
    [
      {
        collection: JSON.parse(fs.readFileSync(file, 'utf8')) as unknown,
        year: 2026,
        source: 'synthetic test areas',
      },
    ],
    { populationLevel: 'auto' },
  )
}
