/** The only module that knows the API's URLs. */
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
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

/** A TileJSON 3.0 document (the parts the map uses). */
export interface TileJson {
  tilejson: string
  tiles: string[]
  minzoom: number
  maxzoom: number
  bounds: [number, number, number, number]
  data_version: string
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
/** Version 1 of the API: every call below goes to a path under it. */
const API = '/api/v1'

const HEADERS = { accept: 'application/json', 'accept-language': lang }

/**
 * The session: the cookie is HttpOnly and same-origin (fetch sends it by itself); what the page
 * keeps is the CSRF token that every state-changing request carries along.
 */
let csrfToken = ''

/** Called when a write is refused for want of a login (401). */
let onLoginNeeded: (() => void) | undefined

/** Headers of a state-changing request: also the CSRF token of this session. */
const writeHeaders = (extra: Record<string, string> = {}) => ({
  ...HEADERS,
  ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
  ...extra,
})

/** A POST, PATCH or DELETE with a JSON body (or none); refusals throw an ApiError. */
async function send(
  method: 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<Response> {
  const res = await fetch(url, {
    method,
    headers: writeHeaders(
      body === undefined ? extra : { 'content-type': 'application/json', ...extra },
    ),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!res.ok) {
    const error = await problemOf(res, url)
    if (res.status === 401) onLoginNeeded?.()
    throw error
  }
  return res
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { headers: HEADERS, signal })
  if (!res.ok) throw await problemOf(res, url)
  return (await res.json()) as T
}

/** Bilingual text from the API: the interface shows the one of its language. */
export interface Bilingual {
  nl: string
  en: string
}

/** Neighbouring gap cells merged: what lists, the map and the report rank. */
export interface GapArea {
  id: string
  rank: number
  label: Bilingual
  inhabitants: number
  unreachableInhabitants: number
  cellCount: number
  severity: number
  distanceM: { min: number; max: number } | null
  areaKm2: number
  sparse: boolean
  wijken: { code: string; name: string; inhabitants: number }[]
  buurten: { code: string; name: string; inhabitants: number }[]
  pc4: { code: string; name: string; inhabitants: number }[]
  point: [number, number]
  outline: { type: 'MultiPolygon'; coordinates: number[][][][] } | null
}

export interface Coverage {
  area: { code: string; name: string; level: string }
  inhabitants: number
  /** The year of the CBS count the inhabitants are. */
  inhabitantsYear: number | null
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
  gapAreaCount: number
  gapAreas: GapArea[]
  inputs: {
    population: {
      year: number | null
      units: string
      sources: { source: string; year: number | null }[]
      ancillary: { name: string; source: string; year: number | null }[]
    }
    resolution: number
    mode: string
    thresholdM: number
    places: {
      counted: number
      inArea: {
        counted: number
        bySource: Record<string, number>
        checkedLastYear: number
        leftOutApproximate: number
      } | null
    }
    register?: {
      complete: boolean
      gaps: string[]
      message: Bilingual | null
      advice: Bilingual | null
    }
    dataChanged?: { message: Bilingual }
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

export type HistoryAction = 'create' | 'update' | 'delete' | 'restore' | 'import' | 'revert'

/** One version of a place: who changed what, when, and where the change came from. */
export interface HistoryEntry {
  version: number
  action: HistoryAction
  /** `user:<id>` for an account, otherwise a label such as `system:seed`. */
  actor: string
  /** The account's name; null for labels (and when the API does not say). */
  actor_name?: string | null
  at: string
  before?: AssetFeature | null
  after?: AssetFeature | null
  proposal_id?: string | null
}

export type Role = 'contributor' | 'trusted' | 'moderator' | 'admin'

export interface User {
  id: string
  email: string
  display_name: string
  role: Role
}

/** Settings an administrator changes at run time. */
export interface Settings {
  public_map: boolean
  anonymous_suggestions: boolean
  verification_max_age_days: number
}

export interface Me {
  user: User | null
  /** Null while nobody is signed in (no session to protect). */
  csrf_token: string | null
  settings: Settings
}

/** A change waiting for (or decided by) a moderator. */
export interface Proposal {
  id: string
  action: 'create' | 'update' | 'delete'
  asset_id: string | null
  base_version: number | null
  status: 'pending' | 'approved' | 'rejected'
  proposer: { id: string | null; name: string | null }
  note: string | null
  created_at: string
  before: AssetFeature | null
  after: AssetFeature | null
  decided_by?: { id: string; name: string | null } | null
  decided_at: string | null
  reason: string | null
  result_version?: number | null
}

/** What a write did: the place changed, or (for a contributor) a proposal was sent. */
export type Written =
  { asset: AssetFeature; proposal?: undefined } | { proposal: Proposal; asset?: undefined }

/** A 202 is a proposal; anything else the place as it is now. */
async function writtenOf(res: Response): Promise<Written> {
  if (res.status === 202)
    return { proposal: ((await res.json()) as { proposal: Proposal }).proposal }
  return { asset: (await res.json()) as AssetFeature }
}

/** A place that does not exist yet, in a what-if scenario. */
export interface ProposedPlace {
  lon: number
  lat: number
  kind: string
  name?: string
}

/** The live difference of proposed places and closures (GET /api/scenario-preview). */
export interface ScenarioPreview {
  area: { code: string; name: string; level: string }
  inhabitants: number
  withinToday: number
  withinAfter: number
  gained: number
  cells: {
    cell: string
    inhabitants: number
    beforeM: number | null
    afterM: number | null
    gained: boolean
    lost: boolean
  }[]
  inputs: { mode: string; thresholdM: number; resolution: number; added: number; closed: number }
}

/** A saved scenario (POST /api/scenarios). */
export interface SavedScenario {
  id: string
  name: string
  area: string
  mode: string
  thresholdM: number
  res: number
  add: ProposedPlace[]
  close: string[]
  created_at: string
}

/** Where the next meeting place should go (GET /api/suggestions), best first. */
export interface Suggestions {
  inhabitants: number
  withinToday: number
  suggestions: {
    rank: number
    lon: number
    lat: number
    cell: string | null
    asset: { id: string; name: string; kind: string } | null
    gain: number
    withinAfter: number
    shareAfter: number | null
  }[]
  inputs: { mode: string; thresholdM: number; permalink: string }
}

/** The settings a scenario and suggestions are computed with. */
export interface PlanningSettings {
  area: string
  mode: string
  threshold: number
}

/** Which places count: query parameters the analysis endpoints share. */
export type PlaceFilterParams = Record<string, string>

export const api = {
  /** Who is signed in (if anyone), the CSRF token of this session and the public settings. */
  async me(): Promise<Me> {
    const me = await getJson<Me>(`${API}/auth/me`)
    csrfToken = me.csrf_token ?? ''
    return me
  },
  /** Signs in; the cookie is set by the answer, the new CSRF token kept here. */
  async login(email: string, password: string): Promise<User> {
    const url = `${API}/auth/login`
    const res = await fetch(url, {
      method: 'POST',
      headers: writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ email, password }),
    })
    if (!res.ok) throw await problemOf(res, url)
    const body = (await res.json()) as { user: User; csrf_token: string }
    csrfToken = body.csrf_token
    return body.user
  },
  /** Signs out here, or everywhere; everywhere can revoke one's API tokens too. */
  async logout(everywhere = false, revokeTokens = false) {
    if (everywhere) {
      await send(
        'POST',
        `${API}/auth/logout-all`,
        revokeTokens ? { revoke_tokens: true } : undefined,
      )
    } else {
      await send('POST', `${API}/auth/logout`)
    }
    csrfToken = ''
  },
  /** Hears about writes refused for want of a login. */
  onLoginNeeded(handler: () => void) {
    onLoginNeeded = handler
  },
  /** Adds a place (or proposes it); refusals come back as ApiError with per-field problems. */
  async createAsset(body: {
    geometry: { type: 'Point'; coordinates: [number, number] }
    properties: Record<string, unknown>
  }): Promise<Written> {
    return writtenOf(await send('POST', `${API}/assets`, body))
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
  ): Promise<Written> {
    const url = `${API}/assets/${encodeURIComponent(id)}`
    return writtenOf(await send('PATCH', url, body, { 'if-match': `"v${version}"` }))
  },
  /** Deletes a place; for a contributor the answer is a proposal to delete it. */
  async deleteAsset(id: string, version: number): Promise<Proposal | undefined> {
    const url = `${API}/assets/${encodeURIComponent(id)}`
    const res = await send('DELETE', url, undefined, { 'if-match': `"v${version}"` })
    return res.status === 202 ? ((await res.json()) as { proposal: Proposal }).proposal : undefined
  },
  async restoreAsset(id: string) {
    const res = await send('POST', `${API}/assets/${encodeURIComponent(id)}/restore`)
    return (await res.json()) as AssetFeature
  },
  /** Marks a place as checked today. */
  async verifyAsset(id: string) {
    const res = await send('POST', `${API}/assets/${encodeURIComponent(id)}/verify`)
    return (await res.json()) as AssetFeature
  },
  /** Puts a place back to an earlier version; the revert is a new version. */
  async revertAsset(id: string, version: number) {
    const res = await send('POST', `${API}/assets/${encodeURIComponent(id)}/revert`, { version })
    return (await res.json()) as AssetFeature
  },
  /** Proposals: all for a moderator, one's own for a contributor. */
  proposals: (status?: Proposal['status']) =>
    getJson<{ proposals: Proposal[] } | Proposal[]>(
      `${API}/proposals${status ? `?status=${status}` : ''}`,
    ).then((r) => (Array.isArray(r) ? r : r.proposals)),
  async approve(id: string) {
    const res = await send('POST', `${API}/proposals/${encodeURIComponent(id)}/approve`, {})
    return (await res.json()) as { proposal: Proposal; asset: AssetFeature | null }
  },
  async reject(id: string, reason: string) {
    const res = await send('POST', `${API}/proposals/${encodeURIComponent(id)}/reject`, { reason })
    return (await res.json()) as { proposal: Proposal }
  },
  /** A visitor's suggestion of a new place (when the setting allows it). */
  async suggest(body: {
    feature: {
      geometry: { type: 'Point'; coordinates: [number, number] }
      properties: Record<string, unknown>
    }
    note: string | null
    website: string
  }) {
    const res = await send('POST', `${API}/proposals`, { action: 'create', ...body })
    return (await res.json()) as { proposal: Proposal } | Proposal
  },
  taxonomy: () => getJson<Taxonomy>(`${API}/kinds`),
  /** How the API stores opening hours as typed (Dutch notation or OSM syntax), or a 422. */
  openingHours: (text: string, signal?: AbortSignal) =>
    getJson<{ opening_hours: string; notation: 'osm' | 'dutch' }>(
      `${API}/opening-hours?${new URLSearchParams({ text }).toString()}`,
      signal,
    ),
  asset: (id: string) => getJson<AssetFeature>(`${API}/assets/${encodeURIComponent(id)}`),
  history: (id: string) =>
    getJson<{ entries: HistoryEntry[] }>(`${API}/assets/${encodeURIComponent(id)}/history`).then(
      (r) => r.entries,
    ),
  areas: (level: 'gemeente' | 'wijk', gemeente?: string) =>
    getJson<FeatureCollection>(
      `${API}/areas?${new URLSearchParams({ level, ...(gemeente ? { gemeente } : {}) }).toString()}`,
    ),
  area: (code: string) =>
    getJson<FeatureCollection['features'][number]>(`${API}/areas/${encodeURIComponent(code)}`),
  /** The areas of one level in a box (west, south, east, north), for their names on the map. */
  areasIn: (level: 'wijk' | 'buurt', bbox: readonly number[], signal?: AbortSignal) =>
    getJson<FeatureCollection>(
      `${API}/areas?${new URLSearchParams({ level, bbox: bbox.map((v) => v.toFixed(4)).join(',') }).toString()}`,
      signal,
    ),
  coverage: (
    q: { area: string; mode: string; threshold: number; filter: PlaceFilterParams },
    signal?: AbortSignal,
  ) =>
    getJson<Coverage>(
      `${API}/coverage?${new URLSearchParams({
        area: q.area,
        mode: q.mode,
        threshold: String(q.threshold),
        gaps: '10',
        ...q.filter,
      }).toString()}`,
      signal,
    ),
  network: () => getJson<NetworkInfo>(`${API}/network`),
  dataStatus: () =>
    getJson<{ empty: boolean; adminEnabled: boolean; regions: { code: string; name: string }[] }>(
      `${API}/data/status`,
    ),
  /** Starts loading real data for a region (an administrator, signed in). */
  async startDataLoad(target: { region?: string; gemeente?: string }) {
    const res = await send('POST', `${API}/data/download`, target)
    return (await res.json()) as DataLoadJob
  },
  dataLoad: (id: string) => getJson<DataLoadJob>(`${API}/data/download/${encodeURIComponent(id)}`),
  /** Ids of the places a filter counts. */
  counted: (filter: PlaceFilterParams, signal?: AbortSignal) =>
    getJson<{ count: number; ids: string[] }>(
      `${API}/counted?${new URLSearchParams(filter).toString()}`,
      signal,
    ),
  gemeenten: () => getJson<FeatureCollection>(`${API}/areas?level=gemeente`),
  /**
   * The TileJSON of a vector tile layer for these parameters: its tile URL names the current
   * data version, so the tiles themselves are cacheable (the map fetches them).
   */
  tileJson: (
    layer: 'assets' | 'areas' | 'cells',
    q: Record<string, string>,
    signal?: AbortSignal,
  ) =>
    getJson<TileJson>(
      `${API}/tiles/${layer}.json?${new URLSearchParams(q).toString()}`,
      signal,
    ).then(
      // Without BUURTKAART_PUBLIC_URL the service gives tile URLs from its root; MapLibre needs
      // them absolute. Concatenated, not parsed: URL() would escape the {z}/{x}/{y} placeholders.
      (tileJson) => ({
        ...tileJson,
        tiles: tileJson.tiles.map((t) => (t.startsWith('/') ? `${location.origin}${t}` : t)),
      }),
    ),
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
      `${API}/hexes?${new URLSearchParams({
        metric: q.metric,
        res: String(q.res),
        mode: q.mode,
        threshold: String(q.threshold),
        bbox: q.bbox.map((v) => v.toFixed(5)).join(','),
        ...q.filter,
      }).toString()}`,
      signal,
    ),
  /** The live difference of proposed places (`lon,lat,kind;…`) and closures. */
  scenarioPreview: (
    q: PlanningSettings & { add: readonly ProposedPlace[]; close: readonly string[] },
    signal?: AbortSignal,
  ) =>
    getJson<ScenarioPreview>(
      `${API}/scenario-preview?${new URLSearchParams({
        area: q.area,
        mode: q.mode,
        threshold: String(q.threshold),
        ...(q.add.length
          ? { add: q.add.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)},${p.kind}`).join(';') }
          : {}),
        ...(q.close.length ? { close: q.close.join(',') } : {}),
      }).toString()}`,
      signal,
    ),
  /** Saves a named scenario (signed in); a 401 asks for a login. */
  async saveScenario(
    body: PlanningSettings & { name: string; add: ProposedPlace[]; close: string[] },
  ): Promise<SavedScenario> {
    const res = await send('POST', `${API}/scenarios`, body)
    return (await res.json()) as SavedScenario
  },
  /** One saved scenario. */
  scenario: (id: string) => getJson<SavedScenario>(`${API}/scenarios/${encodeURIComponent(id)}`),
  /** The k best sites for a new meeting place: empty cells or existing buildings. */
  suggestions: (
    q: PlanningSettings & { k: number; candidates: 'cells' | 'assets' },
    signal?: AbortSignal,
  ) =>
    getJson<Suggestions>(
      `${API}/suggestions?${new URLSearchParams({
        area: q.area,
        mode: q.mode,
        threshold: String(q.threshold),
        k: String(q.k),
        candidates: q.candidates,
      }).toString()}`,
      signal,
    ),
  /**
   * How many places the `assets` tiles of a TileJSON hold: the sum of the clusters of its one
   * zoom-0 tile (a cluster of one is the place itself, without `point_count`). A few hundred
   * bytes, where the register itself may be tens of megabytes of GeoJSON.
   */
  async assetCount(tileJson: TileJson, signal?: AbortSignal): Promise<number> {
    const url = (tileJson.tiles[0] ?? '')
      .replace('{z}', '0')
      .replace('{x}', '0')
      .replace('{y}', '0')
    const res = await fetch(url, { signal })
    if (!res.ok) throw await problemOf(res, url)
    const bytes = new Uint8Array(await res.arrayBuffer())
    if (bytes.byteLength === 0) return 0
    const layer = new VectorTile(new PbfReader(bytes)).layers.assets
    let count = 0
    for (let i = 0; i < (layer?.length ?? 0); i++) {
      const n = layer?.feature(i).properties.point_count
      count += typeof n === 'number' ? n : 1
    }
    return count
  },
  /** One page of places (ordered by name), with whether there are more (a `next` link). */
  async assetsPage(
    q: { bbox?: [number, number, number, number]; q?: string; limit: number },
    signal?: AbortSignal,
  ): Promise<FeatureCollection & { more: boolean }> {
    const query = new URLSearchParams({ limit: String(q.limit) })
    if (q.bbox) {
      const [w, s, e, n] = q.bbox
      const lon = (v: number) => Math.min(180, Math.max(-180, v)).toFixed(5)
      const lat = (v: number) => Math.min(90, Math.max(-90, v)).toFixed(5)
      query.set('bbox', [lon(w), lat(s), lon(e), lat(n)].join(','))
    }
    if (q.q) query.set('q', q.q)
    const page = await getJson<FeatureCollection & { links: { rel: string }[] }>(
      `${API}/assets?${query.toString()}`,
      signal,
    )
    return {
      type: 'FeatureCollection',
      features: page.features,
      more: page.links.some((l) => l.rel === 'next'),
    }
  },
  /** Every live asset, following the cursor pages. */
  async allAssets(): Promise<FeatureCollection> {
    const features: FeatureCollection['features'] = []
    let url: string | undefined = `${API}/assets?limit=1000`
    while (url) {
      const page: FeatureCollection & { links: { rel: string; href: string }[] } =
        await getJson(url)
      features.push(...page.features)
      url = page.links.find((l) => l.rel === 'next')?.href
    }
    return { type: 'FeatureCollection', features }
  },
}
