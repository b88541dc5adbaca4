import fs from 'node:fs'
import { parseArgs } from 'node:util'
import path from 'node:path'
import { importAssetsCommand } from '../api/admin/commands/import-assets.js'
import { formatOfFileName } from '../api/services/import-formats.js'
import { execute, fail } from './cli.js'

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

await execute(importAssetsCommand, {
  file: path.resolve(file),
  format,
  dryRun: values['dry-run'],
  source: values.source as 'import' | 'osm' | 'cbs',
})
