/** The only module that knows the API's URLs. */
import { lang } from '../i18n/index.js'

export interface FeatureCollection {
  type: 'FeatureCollection'
  features: {
    type: 'Feature'
    id?: string
    geometry: unknown
    properties: Record<string, unknown>
  }[]
}

export interface Kind {
  code: string
  label: { nl: string; en: string }
  is_meeting_place: boolean
}

export type HexMetric = 'population' | 'density' | 'distance' | 'gap' | 'detour'

/** Compact cell data: parallel arrays, one entry per H3 cell. */
export interface Hexes {
  metric: HexMetric
  res: number
  count: number
  cells: string[]
  inhabitants?: number[]
  distanceM?: (number | null)[]
  /** Straight-line metres (detour metric). */
  straightM?: (number | null)[]
  /** Network ÷ straight line (detour metric); null within 100 m of a place or unreachable. */
  detour?: (number | null)[]
  /** Why a cell has no network distance: no_path_nearby or no_place_reachable. */
  unreachable?: (string | null)[]
  severity?: (number | null)[]
  total?: number[]
  meetingPlaces?: number[]
  inputs?: { thresholdM?: number; mode?: string; places?: { counted: number } }
}

/** A stored network per profile (walk, bike), from OpenStreetMap. */
export interface NetworkInfo {
  profiles: {
    profile: 'walk' | 'bike'
    nodes: number
    edges: number
    source: { file: string }
    importedAt: string
  }[]
  snapLimitM: number
}

/** A region download started from the web app. */
export interface DataLoadJob {
  id: string
  status: 'running' | 'done' | 'failed'
  progress: { step: string }[]
  error?: { detail: { nl: string; en: string } }
}

/** One field the API refused, addressed by a JSON Pointer into the body. */
export interface FieldProblem {
  pointer: string
  detail: string
}

/** An error the API explained (problem+json), with its messages in Dutch. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
    /** The whole problem document (a 412 carries the `current` asset). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

async function problemOf(res: Response, url: string): Promise<ApiError> {
  const problem = (await res.json().catch(() => ({}))) as {
    detail?: string
    errors?: FieldProblem[]
  }
  return new ApiError(
    res.status,
    problem.detail ?? `${url}: HTTP ${res.status}`,
    problem.errors ?? [],
    problem,
  )
}

/** Headers of every request: JSON, problems in the interface language. */
const HEADERS = { accept: 'application/json', 'accept-language': lang }

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { headers: HEADERS, signal })
  if (!res.ok) throw await problemOf(res, url)
  return (await res.json()) as T
}

export interface Coverage {
  area: { code: string; name: string; level: string }
  inhabitants: number
  inhabitantsWithin: number
  share: number | null
  places: number
  placesPer10k: number | null
  meanDistanceM: number | null
  meanPlacesWithin: { '1km': number | null; '3km': number | null; '5km': number | null }
  bands: { fromM: number; toM: number | null; inhabitants: number }[]
  gapCount: number
  gapInhabitants: number
  /** Over the walk or bike network only. */
  network?: {
    unreachableInhabitants: { noPathNearby: number; noPlaceReachable: number } | null
    placesOffNetwork: number | null
    meanDetourFactor: number | null
    detourInhabitants: number
  }
  gaps: {
    cell: string
    lon: number
    lat: number
    inhabitants: number
    distanceM: number | null
    wijk: { code: string; name: string } | null
    buurt: { code: string; name: string } | null
  }[]
  inputs: {
    population: { level: string; sources: { source: string; year: number | null }[] }
    resolution: number
    mode: string
    thresholdM: number
    places: { counted: number }
    network?: { source: { file: string }; importedAt: string; licence: string; snapLimitM: number }
    permalink: string
  }
}

export interface Labelled {
  code: string
  label: { nl: string; en: string }
}

export interface Taxonomy {
  kinds: Kind[]
  target_groups: Labelled[]
  wheelchair: Labelled[]
  status: Labelled[]
  location_precision: Labelled[]
}

export interface AssetFeature {
  type: 'Feature'
  id: string
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: Record<string, unknown> & { name: string; kind: string; version: number }
}

export interface HistoryEntry {
  version: number
  action: 'create' | 'update' | 'delete' | 'restore' | 'import'
  actor: string
  at: string
}

/** Which places count: query parameters the analysis endpoints share. */
export type PlaceFilterParams = Record<string, string>

export const api = {
  /** Adds a place; refusals come back as ApiError with per-field problems. */
  async createAsset(body: {
    geometry: { type: 'Point'; coordinates: [number, number] }
    properties: Record<string, unknown>
  }) {
    const res = await fetch('/api/assets', {
      method: 'POST',
      headers: { ...HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw await problemOf(res, '/api/assets')
    return (await res.json()) as AssetFeature
  },
  /**
   * Changes a place that was read at `version`. A stale version gets an ApiError 412 whose
   * `problem.current` is the place as it is now: nothing is overwritten.
   */
  async updateAsset(
    id: string,
    version: number,
    body: {
      geometry?: { type: 'Point'; coordinates: [number, number] }
      properties?: Record<string, unknown>
    },
  ) {
    const url = `/api/assets/${encodeURIComponent(id)}`
    const res = await fetch(url, {
      method: 'PATCH',
      headers: { ...HEADERS, 'content-type': 'application/json', 'if-match': `"v${version}"` },
      body: JSON.stringify(body),
    })
    if (!res.ok) throw await problemOf(res, url)
    return (await res.json()) as AssetFeature
  },
  async deleteAsset(id: string, version: number) {
    const url = `/api/assets/${encodeURIComponent(id)}`
    const res = await fetch(url, {
      method: 'DELETE',
      headers: { ...HEADERS, 'if-match': `"v${version}"` },
    })
    if (!res.ok) throw await problemOf(res, url)
  },
  async restoreAsset(id: string) {
    const url = `/api/assets/${encodeURIComponent(id)}/restore`
    const res = await fetch(url, { method: 'POST', headers: HEADERS })
    if (!res.ok) throw await problemOf(res, url)
    return (await res.json()) as AssetFeature
  },
  taxonomy: () => getJson<Taxonomy>('/api/kinds'),
  asset: (id: string) => getJson<AssetFeature>(`/api/assets/${encodeURIComponent(id)}`),
  history: (id: string) =>
    getJson<{ entries: HistoryEntry[] }>(`/api/assets/${encodeURIComponent(id)}/history`).then(
      (r) => r.entries,
    ),
  areas: (level: 'gemeente' | 'wijk', gemeente?: string) =>
    getJson<FeatureCollection>(
      `/api/areas?${new URLSearchParams({ level, ...(gemeente ? { gemeente } : {}) }).toString()}`,
    ),
  area: (code: string) =>
    getJson<FeatureCollection['features'][number]>(`/api/areas/${encodeURIComponent(code)}`),
  coverage: (
    q: { area: string; mode: string; threshold: number; filter: PlaceFilterParams },
    signal?: AbortSignal,
  ) =>
    getJson<Coverage>(
      `/api/coverage?${new URLSearchParams({
        area: q.area,
        mode: q.mode,
        threshold: String(q.threshold),
        gaps: '10',
        ...q.filter,
      }).toString()}`,
      signal,
    ),
  network: () => getJson<NetworkInfo>('/api/network'),
  dataStatus: () =>
    getJson<{ empty: boolean; adminEnabled: boolean; regions: { code: string; name: string }[] }>(
      '/api/data/status',
    ),
  /** Starts loading real data for a region (administrators). */
  async startDataLoad(target: { region?: string; gemeente?: string }, token: string) {
    const res = await fetch('/api/data/download', {
      method: 'POST',
      headers: { ...HEADERS, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(target),
    })
    if (!res.ok) throw await problemOf(res, '/api/data/download')
    return (await res.json()) as DataLoadJob
  },
  async dataLoad(id: string, token: string) {
    const url = `/api/data/download/${encodeURIComponent(id)}`
    const res = await fetch(url, { headers: { ...HEADERS, authorization: `Bearer ${token}` } })
    if (!res.ok) throw await problemOf(res, url)
    return (await res.json()) as DataLoadJob
  },
  /** Ids of the places a filter counts. */
  counted: (filter: PlaceFilterParams, signal?: AbortSignal) =>
    getJson<{ count: number; ids: string[] }>(
      `/api/counted?${new URLSearchParams(filter).toString()}`,
      signal,
    ),
  gemeenten: () => getJson<FeatureCollection>('/api/areas?level=gemeente'),
  hexes: (
    q: {
      metric: HexMetric
      res: number
      mode: string
      threshold: number
      bbox: [number, number, number, number]
      filter: PlaceFilterParams
    },
    signal?: AbortSignal,
  ) =>
    getJson<Hexes>(
      `/api/hexes?${new URLSearchParams({
        metric: q.metric,
        res: String(q.res),
        mode: q.mode,
        threshold: String(q.threshold),
        bbox: q.bbox.map((v) => v.toFixed(5)).join(','),
        ...q.filter,
      }).toString()}`,
      signal,
    ),
  /** Every live asset, following the cursor pages. */
  async allAssets(): Promise<FeatureCollection> {
    const features: FeatureCollection['features'] = []
    let url: string | undefined = '/api/assets?limit=1000'
    while (url) {
      const page: FeatureCollection & { links: { rel: string; href: string }[] } =
        await getJson(url)
      features.push(...page.features)
      url = page.links.find((l) => l.rel === 'next')?.href
    }
    return { type: 'FeatureCollection', features }
  },
}
