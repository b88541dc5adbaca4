import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AREA_LEVELS } from '../../domain/areas.js'
import { DomainError } from '../../domain/errors.js'
import { importAreas, type AreaFile } from '../../services/areas.js'
import { defineCommand } from '../command.js'

const notJson = (file: string, why: string) =>
  new DomainError(
    'validation_failed',
    { nl: 'Geen geldige JSON', en: 'Not valid JSON' },
    { nl: `${file} is geen geldige JSON: ${why}`, en: `${file} is not valid JSON: ${why}` },
  )

/** Loads CBS area files (GeoJSON) in one transaction and rebuilds the population surface once. */
export const importAreasCommand = defineCommand({
  name: 'import:areas',
  args: z.strictObject({
    files: z
      .array(
        z.strictObject({
          path: z.string().min(1),
          year: z.number().int().nullable(),
          source: z.string().min(1),
        }),
      )
      .min(1),
    level: z.enum(AREA_LEVELS).optional(),
    fields: z
      .strictObject({
        code: z.array(z.string()).optional(),
        name: z.array(z.string()).optional(),
        inhabitants: z.array(z.string()).optional(),
      })
      .default({}),
    populationLevel: z.enum(['auto', ...AREA_LEVELS]).default('auto'),
  }),
  async run({ handle, clock, io }, args) {
    const files: AreaFile[] = args.files.map((f) => {
      let collection: unknown
      try {
        collection = JSON.parse(fs.readFileSync(f.path, 'utf8'))
      } catch (e) {
        throw notJson(path.basename(f.path), (e as Error).message)
      }
      return { collection, year: f.year, source: f.source, level: args.level, fields: args.fields }
    })
    const report = await importAreas({ db: handle.db, clock }, files, {
      populationLevel: args.populationLevel,
    })
    const levels = Object.entries(report.by_level)
      .map(([l, n]) => `${n} ${l}`)
      .join(', ')
    io.out(
      `Loaded ${report.imported} areas (${levels}); inhabitants in total ${report.inhabitants_total.toLocaleString('nl-NL')}`,
    )
    for (const note of report.notes) io.out(`Note: ${note}`)
    const { surface } = report
    io.out(
      surface.source_level
        ? `Population surface from the ${surface.source_level} level: ${surface.inhabitants.toLocaleString('nl-NL')} inhabitants; ` +
            Object.entries(surface.cells)
              .map(([res, n]) => `res ${res}: ${n} cells`)
              .join(', ')
        : 'No area has an inhabitants count yet: no population surface.',
    )
    return 0
  },
})
