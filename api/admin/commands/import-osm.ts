import path from 'node:path'
import { z } from 'zod'
import { assetSchemas } from '../../domain/asset.js'
import { importOsm, type OsmProgress } from '../../services/osm-import.js'
import { defineCommand } from '../command.js'

const PHASES: Record<OsmProgress['phase'], string> = {
  scan: 'Reading ways and places (MB)',
  ways: 'Reading area outlines (MB)',
  nodes: 'Reading node positions (MB)',
  network: 'Storing the network (edges)',
  places: 'Storing places',
}

/** Imports an OpenStreetMap file: the walk and bike networks and the places, in one transaction. */
export const importOsmCommand = defineCommand({
  name: 'import:osm',
  args: z.strictObject({
    file: z.string().min(1),
    network: z.boolean().default(true),
    places: z.boolean().default(true),
    dryRun: z.boolean().default(false),
  }),
  async run({ handle, config, clock, io }, args) {
    const started = performance.now()
    const report = await importOsm(
      {
        db: handle.db,
        clock,
        schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
      },
      args.file,
      {
        network: args.network,
        places: args.places,
        dryRun: args.dryRun,
        regionBbox: config.regionBbox,
        ferryPenaltyMin: config.ferryPenaltyMin,
        actor: 'osm-import',
        fileName: path.basename(args.file),
        onProgress: (p: OsmProgress) => {
          const mb = p.phase === 'scan' || p.phase === 'ways' || p.phase === 'nodes'
          io.progress(
            PHASES[p.phase],
            mb ? Math.round(p.done / 1e6) : p.done,
            mb ? Math.round(p.total / 1e6) : p.total,
          )
        },
        maxBytes: config.maxOsmBytes,
      },
    )
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const { elements: el, network: net, places } = report
    io.out(
      `${report.dry_run ? 'Dry run: nothing saved. ' : ''}Read ${report.file.format}${report.file.gzip ? ' (gzip)' : ''}: ` +
        `${el.nodes} nodes, ${el.ways} ways, ${el.relations} relations in ${seconds} s` +
        `${report.newest_object ? ` (data up to ${report.newest_object.slice(0, 10)})` : ''}.`,
    )
    if (net) {
      io.out(
        `Network: ${net.nodes} nodes, ${net.edges} edges; walk ${net.walk.edges} edges, bike ${net.bike.edges} edges; ` +
          `${net.ferries} ferry edges${net.missing_nodes ? `; ${net.missing_nodes} way nodes missing from the file` : ''}.`,
      )
    }
    if (places) {
      io.out(
        `Places: ${places.created} new, ${places.updated} updated, ${places.unchanged} unchanged` +
          `${places.skipped_deleted ? `, ${places.skipped_deleted} deleted here (left deleted)` : ''}` +
          `${places.outside_region ? `, ${places.outside_region} outside the region (left out)` : ''}.`,
      )
      for (const c of places.conflicts) {
        io.out(
          `Conflict ${c.ref} ${c.field}: kept Buurtkaart's ${JSON.stringify(c.buurtkaart)}; OpenStreetMap now says ${JSON.stringify(c.osm)}`,
        )
      }
      for (const d of places.dropped) {
        io.out(
          `Left out ${d.ref} ${d.field} ${JSON.stringify(d.value)}: ${d.errors[0]?.message.en ?? ''}`,
        )
      }
      for (const c of places.cleaned) {
        io.out(
          `Cleaned ${c.ref} ${c.field}: characters that cannot be stored were replaced, kept ${JSON.stringify(c.value)}`,
        )
      }
      for (const i of places.invalid) {
        io.out(
          `Not imported ${i.ref}: ${i.errors.map((e) => `${e.pointer} ${e.message.en}`).join('; ')}`,
        )
      }
    }
    return 0
  },
})
