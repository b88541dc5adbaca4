import path from 'node:path'
import { z } from 'zod'
import { assetSchemas } from '../../domain/asset.js'
import { downloadRegion, REGIONS, type RegionName } from '../../services/download/region.js'
import { defineCommand } from '../command.js'
import { printAreaReport } from './import-areas.js'

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`

/**
 * Downloads CBS areas (PDOK) and OpenStreetMap (Overpass or an extract) for a region and loads
 * them with the file importers; everything is downloaded before anything is loaded.
 */
export const dataDownload = defineCommand({
  name: 'data:download',
  args: z.strictObject({
    region: z.enum(Object.keys(REGIONS) as [RegionName, ...RegionName[]]).optional(),
    gemeente: z.string().optional(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
    year: z.number().int().min(2020).max(2100),
    refresh: z.boolean().default(false),
    areas: z.boolean().default(true),
    osm: z.boolean().default(true),
    osmUrl: z.string().optional(),
  }),
  async run({ handle, config, clock, io }, args) {
    const report = await downloadRegion(
      {
        db: handle.db,
        clock,
        schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
        fetcher: fetch,
        cacheDir: path.join(path.dirname(config.dataDir), 'downloads'),
        regionBbox: config.regionBbox,
        ferryPenaltyMin: config.ferryPenaltyMin,
        maxBytes: config.maxOsmBytes,
      },
      {
        region: args.region,
        gemeente: args.gemeente,
        bbox: args.bbox,
        year: args.year,
        refresh: args.refresh,
        pdokUrl: config.pdokUrl,
        overpassUrl: config.overpassUrl,
        osmUrl: args.osmUrl,
        userAgent: 'Buurtkaart/0.1 (neighbourhood asset map; https://github.com/ data:download)',
        areas: args.areas,
        osm: args.osm,
        onProgress: (p) => {
          if (p.step === 'areas')
            io.err(`PDOK ${p.collection}: page ${p.page}, ${p.features} features, ${mb(p.bytes)}`)
          else if (p.step === 'osm') io.err(`Overpass: ${mb(p.bytes)} received`)
          else if (p.step === 'cached')
            io.err(
              `Using the download of ${p.retrievedAt.slice(0, 10)}: ${p.name} (--refresh to fetch again)`,
            )
          else if (p.step === 'retry')
            io.err(
              `${p.why} from ${p.url}: waiting ${Math.round(p.waitMs / 1000)} s (attempt ${p.attempt})`,
            )
          else io.err(`Loading ${p.what === 'areas' ? 'the areas' : 'OpenStreetMap'}…`)
        },
      },
    )
    for (const d of report.downloads) {
      io.out(
        `${d.cached ? 'cached' : 'downloaded'} ${d.name}: ${d.items} items, ${mb(d.bytes)}, ${d.licence}, ${d.retrievedAt}`,
      )
    }
    if (report.areas) printAreaReport(io, report.areas)
    if (report.osm?.network) {
      io.out(
        `Network: walk ${report.osm.network.walk.edges} edges, bike ${report.osm.network.bike.edges} edges; ` +
          `places: ${report.osm.places?.created ?? 0} new, ${report.osm.places?.updated ?? 0} updated`,
      )
    }
    return 0
  },
})
