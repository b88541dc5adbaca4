import { parseArgs } from 'node:util'
import { dataDownload } from '../api/admin/commands/data-download.js'
import { parseBbox } from '../api/domain/geo.js'
import { REGIONS, type RegionName } from '../api/services/download/region.js'
import { execute, fail } from './cli.js'

const usage = `Usage: npm run data:download -- (--region flevoland | --gemeente GM0995 | --bbox W,S,E,N)
        [--year 2023] [--refresh] [--areas-only | --osm-only] [--osm-url URL]

Fetches the CBS gemeenten, wijken and buurten with inhabitants (PDOK OGC API Features, year
configurable) and the OpenStreetMap walk/bike network and places (Overpass API), keeps them under
the data directory with their source, licence and date, and loads them with the same importers as
import:areas and import:osm. A second run reuses the downloads unless --refresh. Everything is
downloaded before anything is loaded: a failed download changes nothing. --osm-url takes
OpenStreetMap from a file (e.g. a Geofabrik .osm.pbf extract of the province) instead of Overpass.
Environment: BUURTKAART_PDOK_URL, BUURTKAART_OVERPASS_URL (defaults: the public services).`

const { values } = parseArgs({
  options: {
    region: { type: 'string' },
    gemeente: { type: 'string' },
    bbox: { type: 'string' },
    year: { type: 'string', default: '2023' },
    refresh: { type: 'boolean', default: false },
    'areas-only': { type: 'boolean', default: false },
    'osm-only': { type: 'boolean', default: false },
    'osm-url': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || (!values.region && !values.gemeente && !values.bbox)) fail(usage)
if (values.region && !(values.region in REGIONS)) {
  fail(`--region must be one of ${Object.keys(REGIONS).join(', ')}`)
}
const bbox = values.bbox ? parseBbox(values.bbox) : undefined
if (values.bbox && !bbox) fail('--bbox must be west,south,east,north in degrees')
const year = Number(values.year)
if (!Number.isInteger(year) || year < 2020 || year > 2100)
  fail('--year must be a year such as 2023')

await execute(dataDownload, {
  region: values.region as RegionName | undefined,
  gemeente: values.gemeente,
  bbox: bbox ? [bbox[0], bbox[1], bbox[2], bbox[3]] : undefined,
  year,
  refresh: values.refresh,
  areas: !values['osm-only'],
  osm: !values['areas-only'],
  osmUrl: values['osm-url'],
})
