import type { HexMetric } from '../api-client/index.js'

/**
 * The view state: everything a permalink carries and the page shows. The query holds the
 * choices, the hash the map position (`#zoom/lat/lon[/bearing[/pitch]]`, MapLibre's format).
 * Pure: no DOM, no fetch, so it is the same in the browser and in unit tests.
 */

/** The hexagon layer shown, or none (only the places). */
export type Layer = HexMetric | 'none'
export const LAYERS = [
  'none',
  'distance',
  'gap',
  'population',
  'density',
  'detour',
] as const satisfies readonly Layer[]
export const THRESHOLDS = [400, 800, 1600, 2500] as const
export type Threshold = (typeof THRESHOLDS)[number]
export const MODES = ['line', 'walk', 'bike'] as const
export type Mode = (typeof MODES)[number]
export const RESOLUTIONS = ['auto', 7, 8, 9, 10] as const
export type Resolution = (typeof RESOLUTIONS)[number]
export const STATUSES = ['active', 'planned'] as const
export type Status = (typeof STATUSES)[number]
export const WHEELCHAIR = ['', 'limited', 'yes'] as const
export type Wheelchair = (typeof WHEELCHAIR)[number]
export type Lang = 'nl' | 'en'
/** The panel's sections (the brief's Kaart, Gebied, Plek, Rapport), one open at a time. */
export const SECTIONS = ['kaart', 'gebied', 'plek', 'rapport'] as const
export type Section = (typeof SECTIONS)[number]

/** Which places count. */
export interface PlaceFilter {
  /** The meeting-place kinds that count: 'all' is no kind filter, [] counts none. */
  kinds: 'all' | readonly string[]
  /** Statuses that count, in the order of STATUSES; active only is the API's default. */
  statuses: readonly Status[]
  wheelchair: Wheelchair
  freeEntry: boolean
  openNow: boolean
  /** Places known only to their town or district count too. */
  approximate: boolean
}

/** Where the map looks: degrees, MapLibre zoom; bearing in degrees, pitch in degrees. */
export interface Camera {
  zoom: number
  lat: number
  lon: number
  bearing: number
  pitch: number
}

/** A place proposed in a what-if scenario. */
export interface ScenarioPlace {
  lon: number
  lat: number
  kind: string
}

/** An open what-if scenario: proposed places, places that close, and its saved id if saved. */
export interface ScenarioView {
  add: readonly ScenarioPlace[]
  close: readonly string[]
  saved: string | undefined
}

export interface ViewState {
  layer: Layer
  /** Metres: what counts as close. */
  threshold: Threshold
  mode: Mode
  res: Resolution
  /** A gemeente (GM…) or wijk (WK…) code, or '' for none. */
  area: string
  /** The open place's id, or '' for none. */
  place: string
  filter: PlaceFilter
  /** The open scenario, or undefined while none is open. */
  scenario: ScenarioView | undefined
  /** Undefined until the map has a position (the map then shows the region). */
  camera: Camera | undefined
  lang: Lang
  /** `?tiles=assets`: draw the places from vector tiles whatever the register's size. */
  tiles: boolean
  /** The open section of the panel. */
  section: Section
}

export const DEFAULT_FILTER: PlaceFilter = {
  kinds: 'all',
  statuses: ['active'],
  wheelchair: '',
  freeEntry: false,
  openNow: false,
  approximate: false,
}

export const DEFAULT_VIEW: ViewState = {
  layer: 'none',
  threshold: 800,
  mode: 'line',
  res: 'auto',
  area: '',
  place: '',
  filter: DEFAULT_FILTER,
  scenario: undefined,
  camera: undefined,
  lang: 'nl',
  tiles: false,
  section: 'kaart',
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KIND = /^[a-z][a-z0-9_]*$/
const AREA = /^(GM\d{4}|WK\d{6})$/

/** One of `allowed` (compared as text, as a URL or a select gives it), else `fallback`. */
function oneOf<T extends string | number>(
  allowed: readonly T[],
  value: string | null,
  fallback: T,
): T {
  return allowed.find((a) => String(a) === value) ?? fallback
}

export const parseLayer = (v: string | null): Layer => oneOf(LAYERS, v, DEFAULT_VIEW.layer)
export const parseThreshold = (v: string | null): Threshold =>
  oneOf(THRESHOLDS, v, DEFAULT_VIEW.threshold)
export const parseMode = (v: string | null): Mode => oneOf(MODES, v, DEFAULT_VIEW.mode)
export const parseResolution = (v: string | null): Resolution =>
  oneOf(RESOLUTIONS, v, DEFAULT_VIEW.res)
export const parseSection = (v: string | null): Section => oneOf(SECTIONS, v, 'kaart')
export const parseWheelchair = (v: string | null): Wheelchair =>
  oneOf(WHEELCHAIR, v, DEFAULT_FILTER.wheelchair)

/** The gemeente an area lies in: a wijk's code holds its gemeente's number. */
export function gemeenteOf(area: string): string {
  return area.startsWith('WK') ? `GM${area.slice(2, 6)}` : area
}

const list = (value: string) => value.split(',').filter(Boolean)
const unique = <T>(values: readonly T[]) => [...new Set(values)]

function parseFilter(q: URLSearchParams): PlaceFilter {
  const kind = q.get('kind')
  const status = q.get('status')
  const statuses = status === null ? [] : STATUSES.filter((s) => list(status).includes(s))
  return {
    kinds: kind === null ? 'all' : unique(list(kind).filter((k) => KIND.test(k))),
    statuses: statuses.length > 0 ? statuses : DEFAULT_FILTER.statuses,
    wheelchair: parseWheelchair(q.get('wheelchair')),
    freeEntry: q.get('freeEntry') === 'true',
    openNow: q.get('openAt') === 'now',
    approximate: q.get('approximate') === 'include',
  }
}

/**
 * Which places count, as the API's query parameters (the analysis endpoints and the URL share
 * them); defaults are left out, so no filter is an empty object.
 */
export function filterQuery(filter: PlaceFilter): Record<string, string> {
  const status = filter.statuses.join(',')
  return {
    ...(filter.kinds === 'all' ? {} : { kind: filter.kinds.join(',') }),
    // Active only is the API's default; an empty choice is not a filter anyone means.
    ...(status && status !== 'active' ? { status } : {}),
    ...(filter.wheelchair ? { wheelchair: filter.wheelchair } : {}),
    ...(filter.freeEntry ? { freeEntry: 'true' } : {}),
    ...(filter.openNow ? { openAt: 'now' } : {}),
    // A town or district centre is not where a place is: counted only when asked.
    ...(filter.approximate ? { approximate: 'include' } : {}),
  }
}

/** The scenario of a permalink: open when it has `whatif` or `add`; broken parts are skipped. */
function parseScenario(q: URLSearchParams): ScenarioView | undefined {
  if (!q.has('whatif') && !q.has('add')) return undefined
  const add: ScenarioPlace[] = []
  for (const part of (q.get('add') ?? '').split(';')) {
    const [lon, lat, kind, ...rest] = part.split(',')
    if (!lon || !lat || !kind || rest.length > 0 || !KIND.test(kind)) continue
    const x = Number(lon)
    const y = Number(lat)
    if (Math.abs(x) <= 180 && Math.abs(y) <= 90) add.push({ lon: x, lat: y, kind })
  }
  const saved = q.get('scenario')
  return {
    add,
    close: unique(list(q.get('close') ?? '').filter((id) => UUID.test(id))),
    saved: saved && UUID.test(saved) ? saved : undefined,
  }
}

/** The map position in a hash, as MapLibre writes it; undefined when there is none or it is off the globe. */
function parseCamera(hash: string): Camera | undefined {
  const parts = hash.replace(/^#/, '').split('&')[0]?.split('/') ?? []
  if (parts.length < 3 || parts.length > 5) return undefined
  if (parts.some((p) => p.trim() === '' || !Number.isFinite(Number(p)))) return undefined
  const [zoom = 0, lat = 0, lon = 0, bearing = 0, pitch = 0] = parts.map(Number)
  const valid =
    zoom >= 0 &&
    zoom <= 24 &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    Math.abs(bearing) <= 180 &&
    pitch >= 0 &&
    pitch <= 85
  // `+ 0` turns a "-0" into 0: the same position.
  return valid
    ? { zoom: zoom + 0, lat: lat + 0, lon: lon + 0, bearing: bearing + 0, pitch: pitch + 0 }
    : undefined
}

/** A camera as MapLibre writes it: bearing and pitch only when the map is turned or tilted. */
function cameraHash(c: Camera): string {
  let hash = `#${c.zoom}/${c.lat}/${c.lon}`
  if (c.bearing || c.pitch) hash += `/${c.bearing}`
  if (c.pitch) hash += `/${c.pitch}`
  return hash
}

/**
 * Rounds a camera as MapLibre's hash does: zoom to 0.01, the centre to the decimals that keep
 * it within half a pixel at that zoom, bearing to 0.1 and pitch to whole degrees.
 */
export function roundCamera(c: Camera): Camera {
  const zoom = Math.round(c.zoom * 100) / 100
  const precision = Math.ceil((zoom * Math.LN2 + Math.log(512 / 360 / 0.5)) / Math.LN10)
  const m = 10 ** Math.max(0, precision)
  return {
    zoom,
    lat: Math.round(c.lat * m) / m + 0,
    lon: Math.round(c.lon * m) / m + 0,
    bearing: Math.round(c.bearing * 10) / 10 + 0,
    pitch: Math.round(c.pitch) + 0,
  }
}

/** The section a link opens when it names none: the place when it has one, else the map. */
const defaultSection = (place: string): Section => (place ? 'plek' : 'kaart')

/**
 * The view a URL describes (a URL, a location, or its text). Every value is checked: one that
 * is missing or not understood is the default, so an old or hand-edited link still opens.
 */
export function fromUrl(url: string | { search: string; hash: string }): ViewState {
  const { search, hash } = typeof url === 'string' ? new URL(url, 'http://localhost/') : url
  const q = new URLSearchParams(search)
  const area = q.get('area') ?? ''
  const place = q.get('place') ?? ''
  return {
    layer: parseLayer(q.get('layer')),
    threshold: parseThreshold(q.get('threshold')),
    mode: parseMode(q.get('mode')),
    res: parseResolution(q.get('res')),
    area: AREA.test(area) ? area : '',
    place: UUID.test(place) ? place : '',
    filter: parseFilter(q),
    scenario: parseScenario(q),
    camera: parseCamera(hash),
    lang: q.get('lang') === 'en' ? 'en' : 'nl',
    tiles: q.get('tiles') === 'assets',
    section: q.has('section')
      ? parseSection(q.get('section'))
      : defaultSection(UUID.test(place) ? place : ''),
  }
}

/** The query of a view, in the order and with the names permalinks have always used. */
export function toSearchParams(state: ViewState): URLSearchParams {
  const q = new URLSearchParams({
    layer: state.layer,
    threshold: String(state.threshold),
    mode: state.mode,
  })
  if (state.res !== 'auto') q.set('res', String(state.res))
  if (state.area) q.set('area', state.area)
  if (state.place) q.set('place', state.place)
  for (const [key, value] of Object.entries(filterQuery(state.filter))) q.set(key, value)
  const s = state.scenario
  if (s) {
    q.set('whatif', '1')
    if (s.add.length) q.set('add', s.add.map((p) => `${p.lon},${p.lat},${p.kind}`).join(';'))
    if (s.close.length) q.set('close', s.close.join(','))
    if (s.saved) q.set('scenario', s.saved)
  }
  if (state.lang !== 'nl') q.set('lang', state.lang)
  if (state.tiles) q.set('tiles', 'assets')
  if (state.section !== defaultSection(state.place)) q.set('section', state.section)
  return q
}

/** The permalink of a view, relative to the page: `?query` and, once the map has one, `#position`. */
export function toUrl(state: ViewState): string {
  return `?${toSearchParams(state).toString()}${state.camera ? cameraHash(state.camera) : ''}`
}
