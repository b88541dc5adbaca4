import { sql } from 'kysely'
import { BACKWARD, FORWARD, profileEdges, type BuiltNetwork } from '../domain/network/build.js'
import type { Profile } from '../domain/network/profiles.js'
import { jsonb } from '../db/postgis.js'
import type { Executor } from '../db/database.js'

/** The `highway` value of ferry edges (from `route=ferry`). */
export const FERRY = 'ferry'

/** Rows per `unnest` statement: arrays travel as single parameters, so this bounds memory only. */
const ROWS = 5000

export interface NetworkSource {
  readonly file: string
  readonly format: string
  readonly bytes: number
  readonly newestObject: string | null
  /** Where a downloaded file came from, when it was fetched, under which licence. */
  readonly url?: string | undefined
  readonly retrievedAt?: string | undefined
  readonly licence?: string | undefined
}

export interface NetworkSettings {
  readonly ferryPenaltyMin: number
  /** Metres added to a ferry edge per profile (the waiting time at that profile's speed). */
  readonly ferryPenaltyM: Record<Profile, number>
}

export interface NetworkMeta {
  readonly profile: Profile
  readonly nodes: number
  readonly edges: number
  readonly source: NetworkSource
  readonly settings: NetworkSettings
  readonly importedAt: string
}

const wkt = (lon: Float64Array, lat: Float64Array, from: number, to: number) => {
  const parts: string[] = []
  for (let k = from; k < to; k++) parts.push(`${lon[k]} ${lat[k]}`)
  return `LINESTRING(${parts.join(',')})`
}

/**
 * Replaces the stored network with `built`: nodes get ids 1…n (pgRouting wants positive
 * integers), edges keep their index + 1 as id in both profiles. One row per edge and profile that
 * may use it; `cost`/`reverse_cost` are metres plus any ferry penalty, -1 where not allowed.
 */
export async function replaceNetwork(
  db: Executor,
  built: BuiltNetwork,
  source: NetworkSource,
  settings: NetworkSettings,
  at: Date,
): Promise<void> {
  await db.deleteFrom('network_meta').execute()
  await db.deleteFrom('network_edges').execute()
  await db.deleteFrom('network_nodes').execute()
  const { nodes, edges } = built
  for (let i = 0; i < nodes.osmId.length; i += ROWS) {
    const end = Math.min(nodes.osmId.length, i + ROWS)
    const ids = Array.from({ length: end - i }, (_, k) => i + k + 1)
    await sql`
      insert into network_nodes (id, osm_id, geom)
      select id, osm_id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
      from unnest(${ids}::int[], ${Array.from(nodes.osmId.subarray(i, end))}::int8[],
                  ${Array.from(nodes.lon.subarray(i, end))}::float8[],
                  ${Array.from(nodes.lat.subarray(i, end))}::float8[]) as t(id, osm_id, lon, lat)
    `.execute(db)
  }
  for (const profile of ['walk', 'bike'] as const) {
    const dirs = edges[profile]
    const { edges: picked, nodes: profileNodes } = profileEdges(built, profile)
    for (let i = 0; i < picked.length; i += ROWS) {
      const chunk = picked.slice(i, i + ROWS)
      const penalty = chunk.map((e) => (edges.ferry[e] ? settings.ferryPenaltyM[profile] : 0))
      const length = chunk.map((e) => edges.lengthM[e] as number)
      await sql`
        insert into network_edges
          (id, profile, source, target, cost, reverse_cost, length_m, penalty_m, osm_way_id,
           highway, geom)
        select id, ${profile}, source, target, cost, reverse_cost, length_m, penalty_m, way,
               highway, ST_GeomFromText(wkt, 4326)
        from unnest(
          ${chunk.map((e) => e + 1)}::int[],
          ${chunk.map((e) => (edges.source[e] as number) + 1)}::int[],
          ${chunk.map((e) => (edges.target[e] as number) + 1)}::int[],
          ${chunk.map((e, k) => (dirs[e]! & FORWARD ? length[k]! + penalty[k]! : -1))}::float8[],
          ${chunk.map((e, k) => (dirs[e]! & BACKWARD ? length[k]! + penalty[k]! : -1))}::float8[],
          ${length}::float8[],
          ${penalty}::float8[],
          ${chunk.map((e) => edges.wayId[e] as number)}::int8[],
          ${chunk.map((e) => edges.highway[e] as string)}::text[],
          ${chunk.map((e) =>
            wkt(
              edges.lon,
              edges.lat,
              edges.geomStart[e] as number,
              edges.geomStart[e + 1] as number,
            ),
          )}::text[]
        ) as t(id, source, target, cost, reverse_cost, length_m, penalty_m, way, highway, wkt)
      `.execute(db)
    }
    await db
      .insertInto('network_meta')
      .values({
        profile,
        nodes: profileNodes,
        edges: picked.length,
        source: jsonb(source),
        settings: jsonb(settings),
        imported_at: at,
      })
      .execute()
  }
}

export async function networkMeta(db: Executor): Promise<NetworkMeta[]> {
  const rows = await db.selectFrom('network_meta').selectAll().orderBy('profile').execute()
  return rows.map((r) => ({
    profile: r.profile,
    nodes: r.nodes,
    edges: r.edges,
    source: r.source as NetworkSource,
    settings: r.settings as NetworkSettings,
    importedAt: (r.imported_at instanceof Date
      ? r.imported_at
      : new Date(r.imported_at)
    ).toISOString(),
  }))
}

/** One profile's edges as stored: WGS84 vertices, costs in metres (-1: not allowed). */
export interface StoredGraph {
  readonly nodeCount: number
  readonly nodeLon: Float64Array
  readonly nodeLat: Float64Array
  readonly edgeId: Int32Array
  readonly source: Int32Array
  readonly target: Int32Array
  readonly cost: Float64Array
  readonly reverseCost: Float64Array
  readonly penalty: Float64Array
  /** 1 for a ferry route (no place or home lies on one). */
  readonly ferry: Uint8Array
  readonly geomStart: Int32Array
  readonly lon: Float64Array
  readonly lat: Float64Array
}

/** Loads the nodes and one profile's edges (node index = id - 1). */
export async function loadStoredGraph(db: Executor, profile: Profile): Promise<StoredGraph> {
  const nodes = await db
    .selectFrom('network_nodes')
    .select(['id', sql<number>`ST_X(geom)`.as('lon'), sql<number>`ST_Y(geom)`.as('lat')])
    .orderBy('id')
    .execute()
  const nodeCount = nodes.length ? Number(nodes[nodes.length - 1]!.id) : 0
  const nodeLon = new Float64Array(nodeCount).fill(NaN)
  const nodeLat = new Float64Array(nodeCount).fill(NaN)
  for (const n of nodes) {
    nodeLon[n.id - 1] = Number(n.lon)
    nodeLat[n.id - 1] = Number(n.lat)
  }
  const rows = await db
    .selectFrom('network_edges')
    .select([
      'id',
      'source',
      'target',
      'cost',
      'reverse_cost',
      'penalty_m',
      'highway',
      sql<string>`ST_AsText(geom, 15)`.as('wkt'),
    ])
    .where('profile', '=', profile)
    .orderBy('id')
    .execute()
  const m = rows.length
  const geomStart = new Int32Array(m + 1)
  const lon: number[] = []
  const lat: number[] = []
  rows.forEach((r, e) => {
    geomStart[e] = lon.length
    const body = r.wkt.slice(r.wkt.indexOf('(') + 1, r.wkt.lastIndexOf(')'))
    for (const pair of body.split(',')) {
      const space = pair.indexOf(' ')
      lon.push(Number(pair.slice(0, space)))
      lat.push(Number(pair.slice(space + 1)))
    }
  })
  geomStart[m] = lon.length
  const cost = (c: number) => (Number(c) < 0 ? Infinity : Number(c))
  return {
    nodeCount,
    nodeLon,
    nodeLat,
    edgeId: Int32Array.from(rows, (r) => r.id),
    source: Int32Array.from(rows, (r) => r.source - 1),
    target: Int32Array.from(rows, (r) => r.target - 1),
    cost: Float64Array.from(rows, (r) => cost(r.cost)),
    reverseCost: Float64Array.from(rows, (r) => cost(r.reverse_cost)),
    penalty: Float64Array.from(rows, (r) => Number(r.penalty_m)),
    ferry: Uint8Array.from(rows, (r) => (r.highway === FERRY ? 1 : 0)),
    geomStart,
    lon: Float64Array.from(lon),
    lat: Float64Array.from(lat),
  }
}

/** An arbitrary, fixed key for the transaction lock that serialises OSM imports. */
const IMPORT_LOCK = 74_201_122

/**
 * Takes the OSM-import lock for the rest of the transaction; false when another import holds
 * it (the caller says so instead of failing later on a key clash).
 */
export async function tryImportLock(db: Executor): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(${IMPORT_LOCK}::bigint) as locked`.execute(db)
  return rows[0]?.locked === true
}
