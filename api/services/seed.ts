import type { AssetSchemas } from '../domain/asset.js'
import type { Database } from '../db/database.js'
import { countAssets } from '../repositories/assets.js'
import type { Clock } from '../domain/clock.js'
import { importAssets, type ImportReport } from './import.js'

/**
 * Loads the seed register (the real places named in the research, with honest location
 * precision) when the register is empty. Returns undefined when there was something already.
 */
export async function seedIfEmpty(
  deps: { db: Database; clock: Clock; schemas: AssetSchemas },
  seedGeoJson: string,
): Promise<ImportReport | undefined> {
  if ((await countAssets(deps.db)) > 0) return undefined
  return importAssets(deps, seedGeoJson, {
    format: 'geojson',
    dryRun: false,
    source: 'seed',
    actor: 'system:seed',
  })
}
