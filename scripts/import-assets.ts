import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { assetSchemas } from '../api/domain/asset.js'
import { DomainError } from '../api/domain/errors.js'
import { systemClock } from '../api/services/assets.js'
import { formatOfFileName } from '../api/services/import-formats.js'
import { importAssets, type ImportReport } from '../api/services/import.js'
import { fail, openForScript, progressBar } from './cli.js'

const usage = `Usage: npm run import -- FILE [--dry-run] [--format geojson|csv] [--source import|osm|cbs]

Imports assets from a GeoJSON FeatureCollection or a CSV file (columns lon/lat, or x/y in RD New).
All-or-nothing: when any row is invalid nothing is saved. Re-importing the same file updates,
it never duplicates (rows are matched by the id of a Buurtkaart export, by source_ref, or by
kind + name + position); an export of this register imports again unchanged.`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    format: { type: 'string' },
    source: { type: 'string', default: 'import' },
    help: { type: 'boolean', default: false },
  },
})
const file = positionals[0]
if (values.help || !file) fail(usage)
const format = (values.format ?? formatOfFileName(file)) as 'geojson' | 'csv' | undefined
if (format !== 'geojson' && format !== 'csv')
  fail(`Cannot tell the format of ${file}; give --format geojson|csv`)
if (!['import', 'osm', 'cbs'].includes(values.source)) fail('--source must be import, osm or cbs')
if (!fs.existsSync(file)) fail(`No such file: ${file}`)

function printReport(r: ImportReport) {
  console.log(
    `${r.dry_run ? 'Dry run: would create' : 'Created'} ${r.created}, ${r.dry_run ? 'update' : 'updated'} ${r.updated}, ` +
      `unchanged ${r.unchanged}, left deleted ${r.skipped_deleted} (of ${r.total} rows; ${r.errors.length} with errors)`,
  )
  if (r.ignored_fields.length > 0) console.log(`Ignored columns: ${r.ignored_fields.join(', ')}`)
  for (const row of r.errors.slice(0, 50)) {
    for (const e of row.errors) console.log(`  row ${row.row} ${e.pointer}: ${e.message.en}`)
  }
  if (r.errors.length > 50) console.log(`  … and ${r.errors.length - 50} more rows with errors`)
}

const { config, handle } = await openForScript()
try {
  const report = await importAssets(
    {
      db: handle.db,
      clock: systemClock,
      schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
    },
    fs.readFileSync(file, 'utf8'),
    {
      format,
      dryRun: values['dry-run'],
      source: values.source as 'import' | 'osm' | 'cbs',
      actor: 'cli:import',
      onProgress: progressBar('Importing'),
    },
  )
  printReport(report)
} catch (e) {
  if (e instanceof DomainError) {
    console.error(e.detail.en)
    const report = (e.extra as { report?: ImportReport }).report
    if (report) printReport(report)
    process.exitCode = 1
  } else {
    throw e
  }
} finally {
  await handle.close()
}
