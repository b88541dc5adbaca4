import OpeningHours from 'opening_hours'
import type { AssetSource, AssetStatus, LocationPrecision, Wheelchair } from './asset.js'
import type { KindCode } from './kinds.js'

/** What the analysis needs to know of an asset. */
export interface PlaceRecord {
  readonly id: string
  readonly name: string
  readonly kind: KindCode
  readonly is_meeting_place: boolean
  readonly status: AssetStatus
  readonly wheelchair: Wheelchair
  readonly free_entry: boolean | null
  readonly opening_hours: string | null
  readonly lon: number
  readonly lat: number
  readonly gemeente_code: string | null
  readonly wijk_code: string | null
  readonly buurt_code: string | null
  readonly pc4_code: string | null
  /** How precisely the position is known: a town or district centre is not a location. */
  readonly location_precision: LocationPrecision
  readonly source: AssetSource
  /** When someone last checked the place on site (ISO), or null. */
  readonly verified_at: string | null
}

/** Positions known only to a district or town centre: shown, not counted as exact by default. */
export const APPROXIMATE: readonly LocationPrecision[] = ['district', 'town']

/** A wall-clock time in the Netherlands (no zone): what opening hours are written in. */
export interface LocalTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
}

/** Which places count. Defaults: active meeting places of any kind. */
export interface PlaceFilter {
  readonly kinds?: readonly KindCode[] | undefined
  /** true (default): only places that are a meeting place; false: every asset of the kinds. */
  readonly meetingPlacesOnly: boolean
  readonly statuses: readonly AssetStatus[]
  /** 'yes': fully accessible only; 'limited': fully or partly accessible. */
  readonly wheelchair?: 'yes' | 'limited' | undefined
  readonly freeEntry?: boolean | undefined
  /** Open at this local time (OSM opening_hours). */
  readonly openAt?: LocalTime | undefined
  /** Whether a place without opening hours counts as open ('include', the default) or not. */
  readonly openUnknown: 'include' | 'exclude'
  /**
   * Whether places whose position is only a district or town centre count ('exclude', the
   * default: a distance from a town centre is not a distance to the place).
   */
  readonly approximate: 'include' | 'exclude'
}

export const DEFAULT_PLACE_FILTER: PlaceFilter = {
  meetingPlacesOnly: true,
  statuses: ['active'],
  openUnknown: 'include',
  approximate: 'exclude',
}

const OH_CONTEXT = { lat: 52.5, lon: 5.5, address: { country_code: 'nl', state: 'Flevoland' } }
const parsed = new Map<string, OpeningHours | null>()

function openingHours(value: string): OpeningHours | null {
  let oh = parsed.get(value)
  if (oh === undefined) {
    try {
      oh = new OpeningHours(value, OH_CONTEXT)
    } catch {
      oh = null
    }
    if (parsed.size > 10_000) parsed.clear()
    parsed.set(value, oh)
  }
  return oh
}

/**
 * Whether a place is open at a local time. The library reads a Date's local fields, so the date
 * is built from the wall-clock fields and means the same in any process time zone.
 */
export function isOpenAt(value: string, at: LocalTime): boolean | undefined {
  const oh = openingHours(value)
  if (!oh) return undefined
  return oh.getState(new Date(at.year, at.month - 1, at.day, at.hour, at.minute))
}

/** The places that count under the filter. */
export function countedPlaces<T extends PlaceRecord>(
  places: readonly T[],
  filter: PlaceFilter,
): T[] {
  return places.filter((p) => matches(p, filter) && isExactEnough(p, filter))
}

const isExactEnough = (p: PlaceRecord, filter: PlaceFilter) =>
  filter.approximate === 'include' || !APPROXIMATE.includes(p.location_precision)

/** Whether a place passes the filter, apart from how precisely its position is known. */
function matches(p: PlaceRecord, filter: PlaceFilter): boolean {
  const kinds = filter.kinds?.length ? new Set<string>(filter.kinds) : undefined
  const statuses = new Set<string>(filter.statuses)
  {
    if (kinds && !kinds.has(p.kind)) return false
    if (filter.meetingPlacesOnly && !p.is_meeting_place) return false
    if (!statuses.has(p.status)) return false
    if (filter.wheelchair === 'yes' && p.wheelchair !== 'yes') return false
    if (filter.wheelchair === 'limited' && p.wheelchair !== 'yes' && p.wheelchair !== 'limited')
      return false
    if (filter.freeEntry !== undefined && p.free_entry !== filter.freeEntry) return false
    if (filter.openAt) {
      const open = p.opening_hours ? isOpenAt(p.opening_hours, filter.openAt) : undefined
      if (open === undefined ? filter.openUnknown === 'exclude' : !open) return false
    }
    return true
  }
}

/** What a figure counted of the register, for its inputs (DOMAIN.md: places that count). */
export interface RegisterSummary {
  /** Places counted in the distances. */
  readonly counted: number
  /** Counted places by where they came from (OpenStreetMap import, file import, by hand, seed). */
  readonly bySource: Readonly<Partial<Record<AssetSource, number>>>
  /** Counted places checked on site in the year before `now`. */
  readonly checkedLastYear: number
  /** Places the filter would count but left out because their position is only approximate. */
  readonly leftOutApproximate: number
}

/** Summarises which places a filter counts (within `inArea`, when given). */
export function registerSummary(
  places: readonly PlaceRecord[],
  filter: PlaceFilter,
  now: Date,
  inArea: (p: PlaceRecord) => boolean = () => true,
): RegisterSummary {
  const yearAgo = now.getTime() - 365 * 24 * 3600_000
  const bySource: Partial<Record<AssetSource, number>> = {}
  let counted = 0
  let checked = 0
  let leftOut = 0
  for (const p of places) {
    if (!inArea(p) || !matches(p, filter)) continue
    if (!isExactEnough(p, filter)) {
      leftOut++
      continue
    }
    counted++
    bySource[p.source] = (bySource[p.source] ?? 0) + 1
    if (p.verified_at && Date.parse(p.verified_at) >= yearAgo) checked++
  }
  return { counted, bySource, checkedLastYear: checked, leftOutApproximate: leftOut }
}

/** Fewer counted meeting places than this per 10,000 inhabitants looks like an incomplete register. */
export const FEW_PLACES_PER_10K = 2

/** Why an area's register looks incomplete (none: it does not). */
export type RegisterGap = 'no_osm_import' | 'few_places' | 'approximate_left_out'

/**
 * Whether the register for an area looks incomplete: no OpenStreetMap import at all in the
 * region, very few counted meeting places for its inhabitants, or places left out because their
 * position is only approximate. Plain reasons; the message is the interface's.
 */
export function registerGaps(
  summary: RegisterSummary,
  inhabitants: number,
  osmPlacesInRegion: number,
): RegisterGap[] {
  const gaps: RegisterGap[] = []
  if (osmPlacesInRegion === 0) gaps.push('no_osm_import')
  if (inhabitants > 0 && (summary.counted * 10_000) / inhabitants < FEW_PLACES_PER_10K)
    gaps.push('few_places')
  if (summary.leftOutApproximate > 0) gaps.push('approximate_left_out')
  return gaps
}

/** Parses "2026-11-23T10:00" (a local time in the Netherlands). */
export function parseLocalTime(text: string): LocalTime | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text)
  if (!m) return undefined
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ]
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined
  return { year, month, day, hour, minute }
}

/** The current wall-clock time in the Netherlands. */
export function localTimeInNetherlands(now: Date): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Amsterdam',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  }
}
