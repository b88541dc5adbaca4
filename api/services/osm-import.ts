import { lineString as turfLine, polygon as turfPolygon } from '@turf/helpers'
import { pointOnFeature } from '@turf/point-on-feature'
import type { AssetSchemas } from '../domain/asset.js'
import { conflict, invalidInput } from '../domain/errors.js'
import { FIELD, PROBLEM } from '../domain/messages.js'
import { bboxContains, type Bbox } from '../domain/geo.js'
import {
  buildNetwork,
  profileEdges,
  type BuiltNetwork,
  type NetworkWay,
} from '../domain/network/build.js'
import { PROFILES, SPEED_M_PER_MIN, wayRules, type Tags } from '../domain/network/profiles.js'
import { isPlaceTagged } from '../domain/osm-places.js'
import type { Database } from '../db/database.js'
import {
  FERRY,
  replaceNetwork,
  tryImportLock,
  type NetworkSettings,
} from '../repositories/network.js'
import type { Clock } from '../domain/clock.js'
import { detectOsmFile, readOsm, type OsmFileInfo } from './osm-reader.js'
import { syncOsmPlaces, type OsmCandidate, type PlaceSyncReport } from './osm-places.js'

/** What an import is doing now; `done`/`total` in the phase's own unit (bytes or items). */
export interface OsmProgress {
  readonly phase: 'scan' | 'ways' | 'nodes' | 'network' | 'places'
  readonly done: number
  readonly total: number
}

export interface OsmImportOptions {
  readonly network: boolean
  readonly places: boolean
  readonly dryRun: boolean
  readonly regionBbox: Bbox
  readonly ferryPenaltyMin: number
  readonly actor: string
  /** Name of the file as the user knows it (for the network's source note). */
  readonly fileName: string
  /** For a downloaded file: its URL, retrieval time and licence (shown in the inputs). */
  readonly origin?:
    | { url: string; retrievedAt: string; licence: string; dataTimestamp?: string | undefined }
    | undefined
  readonly onProgress?: ((p: OsmProgress) => void) | undefined
  /**
   * Most bytes the file may unpack to (BUURTKAART_MAX_OSM_BYTES; default 1 GiB): reading stops
   * there, so a small compressed file cannot fill the memory.
   */
  readonly maxBytes?: number | undefined
}

export interface OsmImportReport {
  readonly dry_run: boolean
  readonly file: {
    readonly name: string
    readonly format: string
    readonly gzip: boolean
    readonly bytes: number
  }
  readonly elements: { readonly nodes: number; readonly ways: number; readonly relations: number }
  /** When the newest object in the file was last edited (the data's date), if the file says. */
  readonly newest_object: string | null
  readonly network: {
    readonly nodes: number
    readonly edges: number
    readonly walk: { readonly nodes: number; readonly edges: number }
    readonly bike: { readonly nodes: number; readonly edges: number }
    readonly ferries: number
    readonly missing_nodes: number
  } | null
  readonly places: PlaceSyncReport | null
}

/** Sorted unique node ids with a coordinate slot each: bounded memory for the second pass. */
class NodeTable {
  readonly ids: Float64Array
  readonly lon: Float64Array
  readonly lat: Float64Array
  constructor(wanted: Iterable<ArrayLike<number>>) {
    let n = 0
    const lists = [...wanted]
    for (const l of lists) n += l.length
    const all = new Float64Array(n)
    let k = 0
    for (const l of lists) for (let i = 0; i < l.length; i++) all[k++] = l[i] as number
    all.sort()
    let u = 0
    for (let i = 0; i < all.length; i++)
      if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i] as number
    this.ids = all.slice(0, u)
    this.lon = new Float64Array(u).fill(NaN)
    this.lat = new Float64Array(u).fill(NaN)
  }
  indexOf(id: number): number {
    let lo = 0
    let hi = this.ids.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const v = this.ids[mid] as number
      if (v === id) return mid
      if (v < id) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }
  set(id: number, lon: number, lat: number): void {
    const i = this.indexOf(id)
    if (i >= 0) {
      this.lon[i] = lon
      this.lat[i] = lat
    }
  }
  get(id: number): [number, number] | undefined {
    const i = this.indexOf(id)
    if (i < 0 || !Number.isFinite(this.lon[i]) || !Number.isFinite(this.lat[i])) return undefined
    return [this.lon[i] as number, this.lat[i] as number]
  }
}

interface AreaObject {
  readonly ref: string
  readonly tags: Tags
  /** Node ids of the outline (a way), or of the outer ways (a multipolygon). */
  readonly rings: Float64Array[]
}

/** A position for an area-like place: a point on its surface (inside, even when concave). */
function placePoint(rings: [number, number][][]): [number, number] | undefined {
  const closed = rings.filter(
    (r) => r.length >= 4 && r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1],
  )
  if (closed.length) {
    const largest = closed.reduce((a, b) => (b.length > a.length ? b : a))
    return pointOnFeature(turfPolygon([largest])).geometry.coordinates as [number, number]
  }
  const line = rings.find((r) => r.length >= 2)
  if (line) return pointOnFeature(turfLine(line)).geometry.coordinates as [number, number]
  return rings.find((r) => r.length === 1)?.[0]
}

/**
 * Imports an OpenStreetMap file: the walk and bike networks (replacing the stored network) and
 * the places its tags map to (synchronised by OSM id). Reads the file in passes so memory
 * follows the network's size, not the file's: (1) ways, relations and tagged nodes, (2) the
 * member ways of place relations when there are any, (3) the coordinates of the nodes needed.
 * Everything is written in one transaction: a failure leaves the database as it was.
 */
export async function importOsm(
  deps: { db: Database; clock: Clock; schemas: AssetSchemas },
  path: string,
  options: OsmImportOptions,
): Promise<OsmImportReport> {
  const info: OsmFileInfo = await detectOsmFile(path)
  const progress = options.onProgress
  const elements = { nodes: 0, ways: 0, relations: 0 }
  let newest = -Infinity

  const networkWays: NetworkWay[] = []
  const placeNodes: OsmCandidate[] = []
  const areaObjects: AreaObject[] = []
  const relationWays = new Map<number, Float64Array | null>()
  const geometryHints = new Map<number, [number, number]>()

  for await (const batch of readOsm(path, info, {
    maxBytes: options.maxBytes,
    onProgress: (done, total) => progress?.({ phase: 'scan', done, total }),
  })) {
    for (const e of batch) {
      if (e.timestamp !== undefined && e.timestamp > newest) newest = e.timestamp
      if (e.type === 'node') {
        elements.nodes++
        if (options.places && e.tags && isPlaceTagged(e.tags)) {
          placeNodes.push({ ref: `node/${e.id}`, tags: e.tags, lon: e.lon, lat: e.lat })
        }
      } else if (e.type === 'way') {
        elements.ways++
        const tags = e.tags ?? {}
        const rules = options.network ? wayRules(tags) : null
        const keep = rules && (rules.walk || rules.bike)
        const place = options.places && isPlaceTagged(tags)
        if (keep) {
          networkWays.push({
            id: e.id,
            refs: Float64Array.from(e.refs),
            highway: rules.ferry ? FERRY : (tags.highway ?? 'way'),
            rules,
          })
        }
        if (place)
          areaObjects.push({ ref: `way/${e.id}`, tags, rings: [Float64Array.from(e.refs)] })
        if ((keep || place) && e.geometry) {
          e.geometry.forEach((g, i) => geometryHints.set(e.refs[i] as number, [g.lon, g.lat]))
        }
      } else {
        elements.relations++
        const tags = e.tags ?? {}
        if (options.places && tags.type === 'multipolygon' && isPlaceTagged(tags)) {
          const outer = e.members
            .filter((m) => m.type === 'way' && m.role !== 'inner')
            .map((m) => m.ref)
          for (const id of outer) relationWays.set(id, null)
          areaObjects.push({
            ref: `relation/${e.id}`,
            tags,
            rings: outer.map((id) => Float64Array.of(-id)),
          })
        }
      }
    }
  }

  if (relationWays.size > 0) {
    for await (const batch of readOsm(path, info, {
      maxBytes: options.maxBytes,
      onProgress: (done, total) => progress?.({ phase: 'ways', done, total }),
    })) {
      for (const e of batch) {
        if (e.type === 'way' && relationWays.has(e.id))
          relationWays.set(e.id, Float64Array.from(e.refs))
      }
    }
    for (const obj of areaObjects) {
      if (!obj.ref.startsWith('relation/')) continue
      const rings = obj.rings.map((r) => relationWays.get(-(r[0] as number)) ?? new Float64Array(0))
      obj.rings.splice(0, obj.rings.length, ...rings)
    }
  }

  const nodes = new NodeTable([
    ...networkWays.map((w) => w.refs),
    ...areaObjects.flatMap((o) => o.rings),
  ])
  for (const [id, [lon, lat]] of geometryHints) nodes.set(id, lon, lat)
  if (nodes.ids.length > 0) {
    for await (const batch of readOsm(path, info, {
      maxBytes: options.maxBytes,
      onProgress: (done, total) => progress?.({ phase: 'nodes', done, total }),
    })) {
      for (const e of batch) if (e.type === 'node') nodes.set(e.id, e.lon, e.lat)
    }
  }

  const built: BuiltNetwork | null = options.network
    ? buildNetwork(networkWays, (id) => nodes.get(id))
    : null
  if (built && built.edges.count === 0) {
    // Replacing the stored network with nothing would silently switch walk and bike off.
    throw invalidInput(PROBLEM.noNetworkInFile, {
      fields: [{ pointer: '/file', code: 'no_network', message: FIELD.noUsableNetwork }],
    })
  }

  const candidates: OsmCandidate[] = [...placeNodes]
  for (const obj of areaObjects) {
    const rings = obj.rings.map((r) => {
      const coords: [number, number][] = []
      for (const id of r) {
        const at = nodes.get(id)
        if (at) coords.push(at)
      }
      return coords
    })
    const at = placePoint(rings)
    if (at) candidates.push({ ref: obj.ref, tags: obj.tags, lon: at[0], lat: at[1] })
  }
  const inRegion = candidates.filter((c) => bboxContains(options.regionBbox, [c.lon, c.lat]))

  const newestIso = Number.isFinite(newest) ? new Date(newest).toISOString() : null
  const settings: NetworkSettings = {
    ferryPenaltyMin: options.ferryPenaltyMin,
    ferryPenaltyM: Object.fromEntries(
      PROFILES.map((p) => [p, Math.round(options.ferryPenaltyMin * SPEED_M_PER_MIN[p])]),
    ) as NetworkSettings['ferryPenaltyM'],
  }
  let places: PlaceSyncReport | null = null
  const run = async (trx: Parameters<typeof syncOsmPlaces>[0]) => {
    if (!options.dryRun && !(await tryImportLock(trx))) {
      throw conflict(PROBLEM.importRunning)
    }
    if (built && !options.dryRun) {
      progress?.({ phase: 'network', done: 0, total: built.edges.count })
      await replaceNetwork(
        trx,
        built,
        {
          file: options.fileName,
          format: info.format,
          bytes: info.bytes,
          // Overpass JSON carries no per-object dates by default: its database date stands in.
          newestObject: newestIso ?? options.origin?.dataTimestamp ?? null,
          url: options.origin?.url,
          retrievedAt: options.origin?.retrievedAt,
          licence: options.origin?.licence,
        },
        settings,
        deps.clock.now(),
      )
      progress?.({ phase: 'network', done: built.edges.count, total: built.edges.count })
    }
    if (options.places) {
      places = await syncOsmPlaces(trx, deps, inRegion, {
        dryRun: options.dryRun,
        actor: options.actor,
        outsideRegion: candidates.length - inRegion.length,
        onProgress: (done, total) => progress?.({ phase: 'places', done, total }),
      })
    }
  }
  if (options.dryRun) await run(deps.db)
  else await deps.db.transaction().execute(run)

  const count = (b: BuiltNetwork, profile: 'walk' | 'bike') => {
    const { edges, nodes } = profileEdges(b, profile)
    return { nodes, edges: edges.length }
  }
  return {
    dry_run: options.dryRun,
    file: { name: options.fileName, format: info.format, gzip: info.gzip, bytes: info.bytes },
    elements,
    newest_object: newestIso,
    network: built
      ? {
          nodes: built.nodes.osmId.length,
          edges: built.edges.count,
          walk: count(built, 'walk'),
          bike: count(built, 'bike'),
          ferries: built.edges.ferry.reduce((a, b) => a + b, 0),
          missing_nodes: built.missingNodes,
        }
      : null,
    places,
  }
}
