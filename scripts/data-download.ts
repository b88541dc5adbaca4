import path from 'node:path'
import { parseArgs } from 'node:util'
import { assetSchemas } from '../api/domain/asset.js'
import { parseBbox } from '../api/domain/geo.js'
import { systemClock } from '../api/services/assets.js'
import { downloadRegion, REGIONS, type RegionName } from '../api/services/download/region.js'
import { fail, openForScript, runScript } from './cli.js'

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

const { config, handle } = await openForScript()
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
await runScript(
  () => handle.close(),
  async () => {
    const report = await downloadRegion(
      {
        db: handle.db,
        clock: systemClock,
        schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
        fetcher: fetch,
        cacheDir: path.join(path.dirname(config.dataDir), 'downloads'),
        regionBbox: config.regionBbox,
        ferryPenaltyMin: config.ferryPenaltyMin,
        maxBytes: config.maxOsmBytes,
      },
      {
        region: values.region as RegionName | undefined,
        gemeente: values.gemeente,
        bbox,
        year,
        refresh: values.refresh,
        pdokUrl: config.pdokUrl,
        overpassUrl: config.overpassUrl,
        osmUrl: values['osm-url'],
        userAgent: 'Buurtkaart/0.1 (neighbourhood asset map; https://github.com/ data:download)',
        areas: !values['osm-only'],
        osm: !values['areas-only'],
        onProgress: (p) => {
          if (p.step === 'areas')
            console.error(
              `PDOK ${p.collection}: page ${p.page}, ${p.features} features, ${mb(p.bytes)}`,
            )
          else if (p.step === 'osm') console.error(`Overpass: ${mb(p.bytes)} received`)
          else if (p.step === 'cached')
            console.error(
              `Using the download of ${p.retrievedAt.slice(0, 10)}: ${p.name} (--refresh to fetch again)`,
            )
          else if (p.step === 'retry')
            console.error(
              `${p.why} from ${p.url}: waiting ${Math.round(p.waitMs / 1000)} s (attempt ${p.attempt})`,
            )
          else console.error(`Loading ${p.what === 'areas' ? 'the areas' : 'OpenStreetMap'}…`)
        },
      },
    )
    for (const d of report.downloads) {
      console.log(
        `${d.cached ? 'cached' : 'downloaded'} ${d.name}: ${d.items} items, ${mb(d.bytes)}, ${d.licence}, ${d.retrievedAt}`,
      )
    }
    if (report.areas) {
      console.log(
        `Areas: ${Object.entries(report.areas.by_level)
          .map(([l, n]) => `${n} ${l}`)
          .join(', ')}; ` +
          `population surface ${report.areas.surface.inhabitants.toLocaleString('nl-NL')} inhabitants`,
      )
    }
    if (report.osm?.network) {
      console.log(
        `Network: walk ${report.osm.network.walk.edges} edges, bike ${report.osm.network.bike.edges} edges; ` +
          `places: ${report.osm.places?.created ?? 0} new, ${report.osm.places?.updated ?? 0} updated`,
      )
    }
  },
)
