import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { Database } from '../db/database.js'
import { areasPerLevel } from '../repositories/population.js'
import { importAreas, type AreaImportReport } from './areas.js'
import type { Clock } from '../domain/clock.js'

/** A region's data directory's `region.json`: its area files and count tables, with years. */
const manifestSchema = z.strictObject({
  name: z.string().min(1),
  areas: z.array(
    z.strictObject({ file: z.string().min(1), year: z.number().int(), source: z.string().min(1) }),
  ),
  counts: z
    .array(
      z.strictObject({
        file: z.string().min(1),
        year: z.number().int(),
        source: z.string().min(1),
      }),
    )
    .default([]),
})

/**
 * Loads a region's shipped data (data/region/<name>: CBS areas and newer counts) into an
 * installation that has no areas yet, so its first screen already shows inhabitants, distances
 * and gaps. Does nothing when any area is loaded. Returns the import report when it loaded.
 */
export async function loadRegionDataIfEmpty(
  deps: { db: Database; clock: Clock },
  dir: string,
): Promise<{ name: string; report: AreaImportReport } | undefined> {
  const present = await areasPerLevel(deps.db)
  if ([...present.values()].some((n) => n > 0)) return undefined
  const manifest = manifestSchema.parse(
    JSON.parse(fs.readFileSync(path.join(dir, 'region.json'), 'utf8')),
  )
  const report = await importAreas(
    deps,
    manifest.areas.map((a) => ({
      collection: JSON.parse(fs.readFileSync(path.join(dir, a.file), 'utf8')) as unknown,
      year: a.year,
      source: a.source,
    })),
    manifest.counts.map((c) => ({
      text: fs.readFileSync(path.join(dir, c.file), 'utf8'),
      year: c.year,
      source: c.source,
      name: c.file,
    })),
  )
  return { name: manifest.name, report }
}
