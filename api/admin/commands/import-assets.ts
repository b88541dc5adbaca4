import fs from 'node:fs'
import { z } from 'zod'
import { assetSchemas } from '../../domain/asset.js'
import { DomainError } from '../../domain/errors.js'
import { importAssets, type ImportReport } from '../../services/import.js'
import { defineCommand, type CommandIo } from '../command.js'

function printReport(io: CommandIo, r: ImportReport) {
  io.out(
    `${r.dry_run ? 'Dry run: would create' : 'Created'} ${r.created}, ${r.dry_run ? 'update' : 'updated'} ${r.updated}, ` +
      `unchanged ${r.unchanged}, left deleted ${r.skipped_deleted} (of ${r.total} rows; ${r.errors.length} with errors)`,
  )
  if (r.ignored_fields.length > 0) io.out(`Ignored columns: ${r.ignored_fields.join(', ')}`)
  for (const row of r.errors.slice(0, 50)) {
    for (const e of row.errors) io.out(`  row ${row.row} ${e.pointer}: ${e.message.en}`)
  }
  if (r.errors.length > 50) io.out(`  … and ${r.errors.length - 50} more rows with errors`)
}

/** Imports assets from a GeoJSON or CSV file, all-or-nothing. */
export const importAssetsCommand = defineCommand({
  name: 'import',
  args: z.strictObject({
    file: z.string().min(1),
    format: z.enum(['geojson', 'csv']),
    dryRun: z.boolean().default(false),
    source: z.enum(['import', 'osm', 'cbs']).default('import'),
  }),
  async run({ handle, config, clock, io }, args) {
    try {
      const report = await importAssets(
        {
          db: handle.db,
          clock,
          schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
        },
        fs.readFileSync(args.file, 'utf8'),
        {
          format: args.format,
          dryRun: args.dryRun,
          source: args.source,
          actor: 'cli:import',
          onProgress: (done, total) => io.progress('Importing', done, total),
        },
      )
      printReport(io, report)
      return 0
    } catch (e) {
      if (!(e instanceof DomainError)) throw e
      io.err(e.detail.en)
      const report = (e.extra as { report?: ImportReport }).report
      if (report) printReport(io, report)
      return 1
    }
  },
})
