import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { assetSchemas } from '../api/domain/asset.js'
import { systemClock } from '../api/services/assets.js'
import { importOsm, type OsmProgress } from '../api/services/osm-import.js'
import { fail, openForScript, progressBar, runScript } from './cli.js'

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

const PHASES: Record<OsmProgress['phase'], string> = {
  scan: 'Reading ways and places (MB)',
  ways: 'Reading area outlines (MB)',
  nodes: 'Reading node positions (MB)',
  network: 'Storing the network (edges)',
  places: 'Storing places',
}
const bars = new Map<string, (done: number, total: number) => void>()
const onProgress = (p: OsmProgress) => {
  let bar = bars.get(p.phase)
  if (!bar) bars.set(p.phase, (bar = progressBar(PHASES[p.phase])))
  const mb = p.phase === 'scan' || p.phase === 'ways' || p.phase === 'nodes'
  bar(mb ? Math.round(p.done / 1e6) : p.done, mb ? Math.round(p.total / 1e6) : p.total)
}

const { config, handle } = await openForScript()
const started = performance.now()
await runScript(
  () => handle.close(),
  async () => {
    const report = await importOsm(
      {
        db: handle.db,
        clock: systemClock,
        schemas: assetSchemas({ bbox: config.regionBbox, name: config.regionName }),
      },
      file,
      {
        network: !values['places-only'],
        places: !values['network-only'],
        dryRun: values['dry-run'],
        regionBbox: config.regionBbox,
        ferryPenaltyMin: config.ferryPenaltyMin,
        actor: 'osm-import',
        fileName: path.basename(file),
        onProgress,
        maxBytes: config.maxOsmBytes,
      },
    )
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    const { elements: el, network: net, places } = report
    console.log(
      `${report.dry_run ? 'Dry run: nothing saved. ' : ''}Read ${report.file.format}${report.file.gzip ? ' (gzip)' : ''}: ` +
        `${el.nodes} nodes, ${el.ways} ways, ${el.relations} relations in ${seconds} s` +
        `${report.newest_object ? ` (data up to ${report.newest_object.slice(0, 10)})` : ''}.`,
    )
    if (net) {
      console.log(
        `Network: ${net.nodes} nodes, ${net.edges} edges; walk ${net.walk.edges} edges, bike ${net.bike.edges} edges; ` +
          `${net.ferries} ferry edges${net.missing_nodes ? `; ${net.missing_nodes} way nodes missing from the file` : ''}.`,
      )
    }
    if (places) {
      console.log(
        `Places: ${places.created} new, ${places.updated} updated, ${places.unchanged} unchanged` +
          `${places.skipped_deleted ? `, ${places.skipped_deleted} deleted here (left deleted)` : ''}` +
          `${places.outside_region ? `, ${places.outside_region} outside the region (left out)` : ''}.`,
      )
      for (const c of places.conflicts) {
        console.log(
          `Conflict ${c.ref} ${c.field}: kept Buurtkaart's ${JSON.stringify(c.buurtkaart)}; OpenStreetMap now says ${JSON.stringify(c.osm)}`,
        )
      }
      for (const d of places.dropped) {
        console.log(
          `Left out ${d.ref} ${d.field} ${JSON.stringify(d.value)}: ${d.errors[0]?.message.en ?? ''}`,
        )
      }
      for (const c of places.cleaned) {
        console.log(
          `Cleaned ${c.ref} ${c.field}: characters that cannot be stored were replaced, kept ${JSON.stringify(c.value)}`,
        )
      }
      for (const i of places.invalid) {
        console.log(
          `Not imported ${i.ref}: ${i.errors.map((e) => `${e.pointer} ${e.message.en}`).join('; ')}`,
        )
      }
    }
  },
)
