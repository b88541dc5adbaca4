import { conflict } from '../domain/errors.js'
import { PROBLEM } from '../domain/messages.js'
import { lonLatToRd } from '../domain/geo.js'
import { prepareGraph, type Graph } from '../domain/network/graph.js'
import type { Profile } from '../domain/network/profiles.js'
import type { DistanceMethod, Points } from '../domain/reach.js'
import type { Database } from '../db/database.js'
import {
  loadStoredGraph,
  networkMeta,
  type NetworkMeta,
  type StoredGraph,
} from '../repositories/network.js'
import { dataVersion } from '../repositories/population.js'
import type { Compute } from './compute/pool.js'
import { sharedDeep } from './compute/shared.js'

export interface LoadedNetwork {
  readonly graph: Graph
  readonly meta: NetworkMeta
  readonly version: number
}

/** Projects a stored graph to RD New metres; costs become length + penalty (Infinity: not allowed). */
export function graphFromStored(stored: StoredGraph, opts?: { minComponentNodes?: number }): Graph {
  const project = (lon: Float64Array, lat: Float64Array) => {
    const x = new Float64Array(lon.length)
    const y = new Float64Array(lon.length)
    for (let i = 0; i < lon.length; i++) {
      if (Number.isNaN(lon[i])) {
        x[i] = y[i] = NaN
        continue
      }
      const [px, py] = lonLatToRd(lon[i] as number, lat[i] as number)
      x[i] = px
      y[i] = py
    }
    return { x, y }
  }
  const nodes = project(stored.nodeLon, stored.nodeLat)
  const vertices = project(stored.lon, stored.lat)
  const m = stored.source.length
  const cost = new Float64Array(m)
  const reverseCost = new Float64Array(m)
  for (let e = 0; e < m; e++) {
    let length = 0
    for (let k = stored.geomStart[e] as number; k < (stored.geomStart[e + 1] as number) - 1; k++) {
      length += Math.hypot(
        (vertices.x[k + 1] as number) - (vertices.x[k] as number),
        (vertices.y[k + 1] as number) - (vertices.y[k] as number),
      )
    }
    const total = length + (stored.penalty[e] as number)
    cost[e] = stored.cost[e] === Infinity ? Infinity : total
    reverseCost[e] = stored.reverseCost[e] === Infinity ? Infinity : total
  }
  return prepareGraph(
    {
      nodeCount: stored.nodeCount,
      nodeX: nodes.x,
      nodeY: nodes.y,
      source: stored.source,
      target: stored.target,
      cost,
      reverseCost,
      snappable: stored.ferry.map((f) => (f ? 0 : 1)),
      geomStart: stored.geomStart,
      x: vertices.x,
      y: vertices.y,
    },
    opts,
  )
}

const noNetwork = (profile: Profile) => conflict(PROBLEM.noNetworkLoaded(profile))

/**
 * The walk and bike networks in memory, loaded from the database once per network version (in
 * shared memory, for the compute threads), and the distance methods that use them.
 */
export function createNetworks(deps: { db: Database; snapLimitM: number; compute: Compute }) {
  const loaded = new Map<Profile, { version: number; value: Promise<LoadedNetwork | undefined> }>()

  async function networkFor(profile: Profile): Promise<LoadedNetwork | undefined> {
    const { network: version } = await dataVersion(deps.db)
    const hit = loaded.get(profile)
    if (hit?.version === version) return hit.value
    const value = (async () => {
      const meta = (await networkMeta(deps.db)).find((m) => m.profile === profile)
      if (!meta || meta.edges === 0) return undefined
      const graph = sharedDeep(graphFromStored(await loadStoredGraph(deps.db, profile)))
      return { graph, meta, version }
    })()
    loaded.set(profile, { version, value })
    value.catch(() => loaded.delete(profile))
    return value
  }

  const method = (profile: Profile): DistanceMethod => ({
    mode: profile,
    async measure(origins: Points, places: Points) {
      const network = await networkFor(profile)
      if (!network) throw noNetwork(profile)
      return deps.compute.run({
        kind: 'networkReach',
        graph: network.graph,
        origins,
        places,
        snapLimitM: deps.snapLimitM,
      })
    },
  })

  return {
    networkFor,
    methods: { walk: method('walk'), bike: method('bike') },
    snapLimitM: deps.snapLimitM,
  }
}

export type Networks = ReturnType<typeof createNetworks>

/** Which road networks are loaded (per profile: nodes, edges, source, when), for the status page. */
export function networkStatus(db: Database): Promise<NetworkMeta[]> {
  return networkMeta(db)
}
