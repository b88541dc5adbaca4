import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AREA_LEVELS } from '../../domain/areas.js'
import { invalidInput } from '../../domain/errors.js'
import { PROBLEM } from '../../domain/messages.js'
import {
  importAreas,
  type AreaFile,
  type AreaImportReport,
  type CountFile,
} from '../../services/areas.js'
import { defineCommand, type CommandIo } from '../command.js'

const notJson = (file: string, why: string) => invalidInput(PROBLEM.notJsonFile(file, why))

const int = (n: number) => Math.round(n).toLocaleString('nl-NL')

/**
 * What an import did, for a person to check against CBS: inhabitants per level (added up within
 * a level, never across levels: a gemeente's wijken are the same people) and per gemeente its
 * official count beside its wijken's counts and what the surface holds.
 */
export function printAreaReport(io: CommandIo, report: AreaImportReport): void {
  const levels = Object.entries(report.by_level)
    .map(([l, n]) => `${n} ${l}`)
    .join(', ')
  io.out(`Loaded ${report.imported} areas${levels ? ` (${levels})` : ''}.`)
  for (const c of report.counts) {
    const by = Object.entries(c.by_level)
      .map(([l, n]) => `${n} ${l}`)
      .join(', ')
    io.out(`Counts for ${c.year}: ${c.areas} areas (${by}) from ${c.source}.`)
  }
  for (const note of report.notes) io.out(`Note: ${note}`)
  const { surface } = report
  if (!surface.source_level) {
    io.out('No administrative area has an inhabitants count yet: no population surface.')
    return
  }
  io.out('Inhabitants per level (each level on its own; levels are not added up):')
  for (const l of report.levels) {
    const role =
      l.level === 'pc4'
        ? 'ancillary density only'
        : l.level === surface.source_level
          ? 'units of the surface'
          : 'control totals'
    io.out(
      `  ${l.level.padEnd(8)} ${String(l.withCount).padStart(4)} of ${String(l.areas).padStart(4)} areas with a count: ${int(l.inhabitants).padStart(9)} (CBS${l.year ? ` ${l.year}` : ', several years'}; ${role})`,
    )
  }
  if (report.gemeenten.length > 0) {
    io.out(
      `Per gemeente (CBS ${surface.year ?? 'newest counts'}): official count | its wijken together | on the surface before scaling`,
    )
    for (const g of report.gemeenten) {
      io.out(
        `  ${g.code} ${g.name.padEnd(16)} ${g.official === null ? '(no count)'.padStart(9) : int(g.official).padStart(9)} | ${g.wijken === null ? '-'.padStart(9) : int(g.wijken).padStart(9)} | ${int(g.surface).padStart(9)}`,
      )
    }
  }
  const weighted = surface.model.ancillary
    .map((a) => `${a.unitsWeighted} by ${a.source}${a.year ? ` (${a.year})` : ''}`)
    .join(', ')
  io.out(
    `Population surface: ${surface.model.units} counts of ${surface.year ?? 'several years'} placed on H3 cells` +
      ` (${weighted ? `${weighted}, ` : ''}${surface.model.unitsByArea} by land area alone); ` +
      Object.entries(surface.cells)
        .map(([res, n]) => `res ${res}: ${n} cells`)
        .join(', '),
  )
}

/**
 * Loads CBS area files (GeoJSON) and key-figures tables (CSV: counts of a year by area code)
 * in one transaction, and rebuilds the population surface once.
 */
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
  }),
  async run({ handle, clock, io }, args) {
    const files: AreaFile[] = []
    const counts: CountFile[] = []
    for (const f of args.files) {
      const name = path.basename(f.path)
      if (/\.csv$/i.test(name)) {
        counts.push({ text: fs.readFileSync(f.path, 'utf8'), year: f.year, source: f.source, name })
        continue
      }
      let collection: unknown
      try {
        collection = JSON.parse(fs.readFileSync(f.path, 'utf8'))
      } catch (e) {
        throw notJson(name, (e as Error).message)
      }
      files.push({
        collection,
        year: f.year,
        source: f.source,
        level: args.level,
        fields: args.fields,
      })
    }
    printAreaReport(io, await importAreas({ db: handle.db, clock }, files, counts))
    return 0
  },
})
