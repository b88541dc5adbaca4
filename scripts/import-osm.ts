import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { importOsmCommand } from '../api/admin/commands/import-osm.js'
import { execute, fail } from './cli.js'

const usage = `Usage: npm run import:osm -- FILE [--network-only | --places-only] [--dry-run]

Reads an OpenStreetMap file (.osm.pbf, .osm XML or Overpass JSON; gzipped too), builds the walk
and bike networks (replacing the stored network) and brings the places its tags map to into the
register (by OSM id: a re-import updates, never duplicates, and keeps what people edited here).
Everything is written in one transaction. Environment: BUURTKAART_FERRY_PENALTY_MIN (default 5),
BUURTKAART_REGION_BBOX (places outside it are left out), BUURTKAART_MAX_OSM_BYTES (largest the
file may be once unpacked; default 1 GiB).`

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'network-only': { type: 'boolean', default: false },
    'places-only': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
const file = positionals[0]
if (values.help || !file || positionals.length > 1) fail(usage)
if (!fs.existsSync(file)) fail(`No such file: ${file}`)
if (values['network-only'] && values['places-only'])
  fail('Choose one of --network-only and --places-only.')

await execute(importOsmCommand, {
  file: path.resolve(file),
  network: !values['places-only'],
  places: !values['network-only'],
  dryRun: values['dry-run'],
})
